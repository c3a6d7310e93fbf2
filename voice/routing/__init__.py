"""Who receives what a child sends, and the notification outbox that tells them."""
