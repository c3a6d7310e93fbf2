"""Voice: a Flask service for children in care."""
