"""Scenarios beyond the review (issue 27): what happens around the chats in
``content/flows/`` that ``content/routing.yaml`` lists as scenarios.

- ``menu``: which scenarios a child is offered, and in which order;
- ``visits``: "my worker is visiting", the question after the visit, and the purposeful
  visits figure (``purposeful_visits``);
- ``missing``: missing episodes staff record, and the 72-hour return home interview;
- ``contacts``: the per-child people routing rules name (return home interview worker,
  designated teacher, virtual school);
- ``after_send``: the one hook ``voice.chat.sending`` calls for a scenario's submission.
"""
