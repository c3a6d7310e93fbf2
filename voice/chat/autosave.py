"""A half-typed answer kept on the server while the child types (THREATS row 46).

The chat page (voice/static/js/child.js) posts what is in a text box a couple of seconds after
the child stops typing, and at the latest ``VOICE_AUTOSAVE_SECONDS`` after the first unsaved
keystroke. It is stored with the conversation, encrypted like the rest of the draft, and tied to
the question and to the conversation's ``version``:

- the next time the chat shows that question (a reload, another phone, after the PIN when the
  session ran out) the words are back in the box;
- a save that names an older version (a second phone or tab that has not seen a newer answer)
  is refused as a conflict, never written over the newer draft;
- saving the answer itself moves the version on and clears what was kept.

Without JavaScript nothing is kept before the button is pressed, as the page says.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from voice import clock, crypto
from voice.chat import conversations
from voice.models import Conversation

MAX_CHARS = 4000  # the text box's own maxlength


@dataclass(frozen=True)
class Kept:
    """``problem``: None when kept; "stale" (a newer version exists, or the chat was sent),
    "not_text" (no text box for that question), "too_long"."""

    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _text_node(conversation: Conversation, node_id: str) -> bool:
    node = conversations.flow_of(conversation).get(node_id)
    return node is not None and node.is_question and node.answer == "text"


def keep(conversation: Conversation, *, node_id: str, text: str, based_on: int) -> Kept:
    """Store what is in the box for ``node_id``. Commits when kept."""
    if not conversation.is_open or based_on != conversation.version:
        return Kept("stale")
    if not _text_node(conversation, node_id):
        return Kept("not_text")
    if len(text) > MAX_CHARS:
        return Kept("too_long")
    stored = crypto.for_row(  # bound to this row's column (docs/adr/0029-row-bound-encrypted-fields.md)
        Conversation.__mapper__.columns["autosave_encrypted"],
        conversation.id,
        json.dumps({"node": node_id, "version": based_on, "text": text}, ensure_ascii=False),
    )
    now = clock.now()
    kept = conversations.set_if_current(
        conversation,
        based_on,
        autosave_encrypted=stored if text.strip() else None,
        autosaved_at=now,
        updated_at=now,  # a draft being typed in is not abandoned (voice/retention.py)
    )
    return Kept() if kept else Kept("stale")


def kept_for(conversation: Conversation, node_id: str) -> str | None:
    """The words kept for ``node_id``, if they were typed on the draft as it stands now."""
    if not conversation.autosave_encrypted:
        return None
    try:
        kept = json.loads(conversation.autosave_encrypted)
    except ValueError:  # unreadable (a missing key shows a placeholder): nothing to give back
        return None
    if (
        not isinstance(kept, dict)
        or kept.get("node") != node_id
        or kept.get("version") != conversation.version
    ):
        return None
    text = kept.get("text")
    return text if isinstance(text, str) and text.strip() else None
