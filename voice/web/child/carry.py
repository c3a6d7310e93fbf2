"""Words typed as a child's session ran out are carried through the PIN page, not lost.

A child can take longer than the 15-minute idle limit to write an answer. When they press
the button, the session has ended, so nothing may be saved; until now the answer was simply
gone. Instead, the PIN page is shown in reply to that same post, with what they typed held in
hidden fields of its form (not in the database, a cookie or browser storage; the page is
``no-store``). After the right PIN, the chat comes back with the words in the box, unsaved,
for the child to check and send again. A wrong PIN keeps carrying them.

What comes back is only ever shown to the child who signs in, in their own conversation
(``conversations.owned``); nothing is saved until they press the button again.

The same holds for an answer to a worker's reply (``kind`` "reply"): then ``conversation_id``
is the submission's id, the words go back in its "Write back" box, and the form's ``key``
travels too, so pressing Send again still stores one answer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

MAX_ANSWERS = 50  # more values than any question has options; extra ones are dropped
THEN_VALUES = ("", "review")
KINDS = ("chat", "reply")
REPLY_NODE = "reply"


@dataclass(frozen=True)
class Carried:
    conversation_id: uuid.UUID
    node: str
    answers: tuple[str, ...]
    then: str = ""
    kind: str = "chat"
    key: str = ""

    def fields(self) -> list[tuple[str, str]]:
        """Hidden form fields for the PIN page, in order."""
        found = [("carry_conversation", str(self.conversation_id)), ("carry_node", self.node)]
        found += [("carry_answer", answer) for answer in self.answers]
        if self.then:
            found.append(("carry_then", self.then))
        if self.kind != "chat":
            found.append(("carry_kind", self.kind))
        if self.key:
            found.append(("carry_key", self.key))
        return found


def _answers(values: list[str]) -> tuple[str, ...]:
    return tuple(value for value in values[:MAX_ANSWERS] if value.strip())


def from_answer_post(form: Any, conversation_id: uuid.UUID) -> Carried | None:
    """What an answer post (``child.answer``) held, or None when nothing was typed or chosen."""
    answers = _answers(form.getlist("answer"))
    node = form.get("node", "")[:64]
    if not answers or not node or form.get("action", "answer") != "answer":
        return None
    then = form.get("then", "")
    return Carried(conversation_id, node, answers, then if then in THEN_VALUES else "")


def from_reply_post(form: Any, submission_id: uuid.UUID) -> Carried | None:
    """What an answer to a reply (``child.answer_reply``) held, or None when the box was empty."""
    body = form.get("body", "")
    if not body.strip():
        return None
    return Carried(submission_id, REPLY_NODE, (body,), kind="reply", key=_key(form.get("key", "")))


def _key(raw: str) -> str:
    try:
        return uuid.UUID(raw).hex
    except ValueError:
        return ""


def from_sign_in_form(form: Any) -> Carried | None:
    """The carried words in a PIN form, or None (absent, or not well formed)."""
    try:
        conversation_id = uuid.UUID(form.get("carry_conversation", ""))
    except ValueError:
        return None
    node = form.get("carry_node", "")[:64]
    answers = _answers(form.getlist("carry_answer"))
    then = form.get("carry_then", "")
    kind = form.get("carry_kind", "chat")
    if not node or not answers or then not in THEN_VALUES or kind not in KINDS:
        return None
    if kind == "reply" and (node != REPLY_NODE or then or len(answers) != 1):
        return None
    return Carried(conversation_id, node, answers, then, kind, _key(form.get("carry_key", "")))


def from_our_own_page(headers: Any, host_url: str) -> bool:
    """Whether the browser says a post came from one of our own pages. A refused CSRF token is
    also what a forged cross-site post looks like, so words are only given back to a post from
    our own page: another site must not be able to put words in a child's box."""
    if headers.get("Sec-Fetch-Site") not in (None, "same-origin"):
        return False
    origin = headers.get("Origin")
    return origin is not None and origin == host_url.rstrip("/")
