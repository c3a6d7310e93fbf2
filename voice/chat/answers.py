"""Answer types: one handler per type, looked up in a registry.

Every question node names an answer type (``answer: scale``). The engine, the
flow validator and the web views never branch on the type themselves; they ask
the handler. Adding a type means declaring its id and node rules in
``voice.content.answer_types``, adding one handler class here, and one template
macro (``template_macro``).

Handlers are pure: they take the node and the raw form values submitted for
the field named ``answer`` (``request.form.getlist("answer")``) and return
either a :class:`ParsedAnswer` whose ``value`` is JSON-serialisable, or an
:class:`AnswerError` to show the child. They never raise on bad input, because
bad input from a phone is normal, not exceptional.

Stored values by type:

========  ===========================  ===============================
type      value                        example
========  ===========================  ===============================
single    one option id                ``"about-right"``
multi     option ids, in option order  ``["school", "family"]``
scale     one option id, "1".."5"      ``"4"``
yesno     ``"yes"`` or ``"no"``        ``"yes"``
text      the child's words            ``"I'd like a dog 🐶"``
========  ===========================  ===============================

Error messages are English source strings marked with ``N_`` so that a gettext
extractor can collect them (add ``N_`` to the keywords in ``babel.cfg``); the
web layer translates ``error.message`` at request time and can use
``error.code`` to pick a different wording if it likes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from voice import clock
from voice.dates import child_day

if TYPE_CHECKING:
    from voice.content.flow_model import Node

MAX_TEXT_CHARS = 4000
"""Longest free-text answer, in characters (code points) after tidying."""


def N_(message: str) -> str:
    """Mark a string for translation without translating it (gettext's no-op marker)."""
    return message


MESSAGES: dict[str, str] = {
    "choose_one": N_("Tap one of the answers, or skip this one if you'd rather not say."),
    "choose_some": N_("Tap one or more of the answers, or skip this one if you'd rather not say."),
    "unknown_option": N_("Sorry, that answer didn't come through properly. Please try again."),
    "empty": N_("Type your answer, or skip this one if you'd rather not say."),
    "too_long": N_(
        "That's a lot to say, thank you! It's a bit too long to send in one go. "
        "Could you make it shorter? You can tell your social worker the rest."
    ),
    "bad_characters": N_(
        "Something odd got into your message, maybe when it was copied and pasted. "
        "Please try typing it again."
    ),
    "bad_date": N_("Choose a day from the calendar, or skip this one if you don't know."),
    "stale": N_(
        "This question has changed since the page was opened. "
        "Here is where you are now. Nothing you said has been lost."
    ),
}


@dataclass(frozen=True)
class AnswerError:
    """A kind message for the child. ``code`` is stable; ``message`` is English source text."""

    code: str
    message: str

    @classmethod
    def of(cls, code: str) -> AnswerError:
        return cls(code=code, message=MESSAGES[code])


@dataclass(frozen=True)
class ParsedAnswer:
    value: Any


class AnswerHandler:
    """Base class. Subclasses set ``type_id`` and ``template_macro`` and override ``parse``."""

    type_id: ClassVar[str]
    template_macro: ClassVar[str]

    def parse(self, node: Node, values: list[str]) -> ParsedAnswer | AnswerError:
        raise NotImplementedError

    def display(self, node: Node, value: Any) -> str:
        """The answer as words, for the transcript, the review page and staff."""
        raise NotImplementedError

    def selected(self, value: Any) -> list[str]:
        """Option ids chosen in ``value``; branch conditions with ``in:`` test these."""
        return []

    def form_values(self, value: Any) -> list[str]:
        """Turn a stored value back into form values, to pre-fill a question asked again."""
        return self.selected(value)


def _option_label(node: Node, option_id: str) -> str:
    option = node.option(option_id)
    return option.label or option_id if option is not None else option_id


class SingleChoice(AnswerHandler):
    """Choose one option, shown as quick-reply buttons."""

    type_id = "single"
    template_macro = "answer_single"

    def parse(self, node: Node, values: list[str]) -> ParsedAnswer | AnswerError:
        chosen = [value.strip() for value in values if value.strip()]
        if len(chosen) != 1:
            return AnswerError.of("choose_one")
        if node.option(chosen[0]) is None:
            return AnswerError.of("unknown_option")
        return ParsedAnswer(chosen[0])

    def display(self, node: Node, value: Any) -> str:
        return _option_label(node, str(value))

    def selected(self, value: Any) -> list[str]:
        return [str(value)] if value is not None else []


class MultiChoice(AnswerHandler):
    """Choose one or more options. Stored in the order the options are listed."""

    type_id = "multi"
    template_macro = "answer_multi"

    def parse(self, node: Node, values: list[str]) -> ParsedAnswer | AnswerError:
        chosen = {value.strip() for value in values if value.strip()}
        if not chosen:
            return AnswerError.of("choose_some")
        known = [option.id for option in node.options]
        if not chosen.issubset(known):
            return AnswerError.of("unknown_option")
        return ParsedAnswer([option_id for option_id in known if option_id in chosen])

    def display(self, node: Node, value: Any) -> str:
        return ", ".join(_option_label(node, str(option_id)) for option_id in value or [])

    def selected(self, value: Any) -> list[str]:
        return [str(option_id) for option_id in value or []]


class Scale(SingleChoice):
    """Feelings faces from 1 (really bad) to 5 (really good). Labels and icons come from content."""

    type_id = "scale"
    template_macro = "answer_scale"


class YesNo(SingleChoice):
    type_id = "yesno"
    template_macro = "answer_yesno"


class FreeText(AnswerHandler):
    """The child's own words.

    Tidying is deliberately light: strip the ends and make every line break
    ``\\n``. Everything else (emoji sequences, right-to-left marks, zero-width
    joiners) is kept exactly, because it is what the child wrote.
    """

    type_id = "text"
    template_macro = "answer_text"

    def parse(self, node: Node, values: list[str]) -> ParsedAnswer | AnswerError:
        if len(values) > 1:
            return AnswerError.of("unknown_option")
        raw = values[0] if values else ""
        # Cheap guard first, so a 1 MB post is refused before it is copied around. The
        # margin allows for "\r\n" line breaks and spaces that tidying removes.
        if len(raw) > MAX_TEXT_CHARS * 2:
            return AnswerError.of("too_long")
        if "\x00" in raw or _has_lone_surrogate(raw):
            return AnswerError.of("bad_characters")
        text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
        if not text:
            return AnswerError.of("empty")
        if len(text) > MAX_TEXT_CHARS:
            return AnswerError.of("too_long")
        return ParsedAnswer(text)

    def display(self, node: Node, value: Any) -> str:
        return "" if value is None else str(value)

    def form_values(self, value: Any) -> list[str]:
        return [] if value is None else [str(value)]


class DayAnswer(AnswerHandler):
    """A day, such as the day a worker visits. Stored as ``YYYY-MM-DD``; a day more than a
    month back or a year ahead is refused as a slip of the finger."""

    type_id = "date"
    template_macro = "answer_date"

    def parse(self, node: Node, values: list[str]) -> ParsedAnswer | AnswerError:
        raw = values[0].strip() if len(values) == 1 else ""
        try:
            day = date.fromisoformat(raw) if len(raw) == 10 and raw.isascii() else None
        except ValueError:
            day = None
        today = clock.now().date()
        if day is None or not today - timedelta(days=31) <= day <= today + timedelta(days=366):
            return AnswerError.of("bad_date")
        return ParsedAnswer(day.isoformat())

    def display(self, node: Node, value: Any) -> str:
        if not value:
            return ""
        from flask_babel import get_locale

        return child_day(date.fromisoformat(str(value)), str(get_locale() or "en"))

    def selected(self, value: Any) -> list[str]:
        return [str(value)] if value else []


def _has_lone_surrogate(text: str) -> bool:
    # Valid UTF-8 never decodes to a lone surrogate, but a broken client can still send
    # one (for example as a JSON "\\ud83d" escape). It would fail later, at the database.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


HANDLERS: dict[str, AnswerHandler] = {
    handler.type_id: handler
    for handler in (SingleChoice(), MultiChoice(), Scale(), YesNo(), FreeText(), DayAnswer())
}


def get_handler(type_id: str) -> AnswerHandler:
    """The handler for ``type_id``. Raises ``KeyError`` for an unknown type (a content bug
    that the flow validator reports at start-up, so it never reaches a child)."""
    return HANDLERS[type_id]
