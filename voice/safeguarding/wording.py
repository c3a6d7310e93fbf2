"""Plain English for every safeguarding code a member of staff could see. One place, gettext.

Codes (``escalated_t1``, ``child-pressed-not-safe``, ``button``) stay in the database and the
audit trail; pages show these words instead. A code with no entry here still reads as words
("some-new-thing" -> "Some new thing"), never as a code, and a test lists what is missing.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SOURCES = {
    "button": _l('The child pressed "I don\'t feel safe"'),
    "button_pre_pin": _l(
        "Someone pressed \"I don't feel safe\" on the child's phone before the PIN was put in"
    ),
    "detector": _l("Voice noticed words that may mean the child is not safe"),
    "ask": _l("A question the child asked"),
    "reply": _l("Something the child wrote back"),
    "error": _l("Voice could not check the words, so it is treated as a concern"),
}

STATES = {
    "raised": _l("Raised"),
    "notified": _l("Open: people have been told"),
    "escalated": _l("Open: escalated because nobody has said they have seen it"),
    "acknowledged": _l("Seen by someone who can act"),
}

# The state filter on the alert list: open (anything not acknowledged) or acknowledged.
STATE_FILTERS = {
    "open": _l("Open"),
    "acknowledged": _l("Seen and acted on"),
    "all": _l("All"),
}

EVENTS = {
    "raised": _l("Alert raised"),
    "out_of_hours": _l("Out of hours, so the emergency duty team was told straight away"),
    "notified": _l("The social worker, team manager and duty team were told"),
    "escalated_t1": _l("Sent to the team manager and duty team"),
    "escalated_t2": _l("Sent to the emergency duty team"),
    "escalated_repeat": _l("Sent again: still nobody had said they have seen it"),
    "duty_access_granted": _l("A duty worker was given access to the child's records for 72 hours"),
    "edt_access_granted": _l("The emergency duty team was given access to the child's records for 24 hours"),
    "child_added_words": _l("The child added some words of their own"),
    "acknowledged": _l("Seen, and what was done recorded"),
    "action_recorded": _l("Also seen at the same time, and what was done recorded"),
}

CATEGORIES = {
    "child-pressed-not-safe": _l('The child pressed "I don\'t feel safe"'),
    "physical-harm": _l("Physical harm"),
    "sexual-harm": _l("Sexual harm"),
    "neglect": _l("Neglect"),
    "emotional-harm": _l("Emotional harm"),
    "self-harm": _l("Self-harm or suicidal thoughts"),
    "missing": _l("Going missing"),
    "criminal-exploitation": _l("Criminal exploitation"),
    "online-grooming": _l("Online grooming"),
    "unsafe-at-home": _l("Not safe at home"),
    "secret": _l("Being asked to keep a secret"),
    "detector-error": _l("Voice could not check the words"),
}

ACTIONS = {
    "spoke_to_child": _l("Spoke to the child"),
    "contacted_carer": _l("Contacted the carer"),
    "police": _l("Contacted the police"),
    "strategy_discussion": _l("Strategy discussion"),
    "no_further_action": _l("No further action"),
    "other": _l("Something else (see the note)"),
}


def _as_words(code: str) -> str:
    text = code.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def _say(table: dict, code: str | None) -> str:
    if not code:
        return ""
    return str(table[code]) if code in table else _as_words(code)


def source(code: str) -> str:
    return _say(SOURCES, code)


def state(code: str) -> str:
    return _say(STATES, code)


def event(code: str) -> str:
    return _say(EVENTS, code)


def action(code: str | None) -> str:
    return _say(ACTIONS, code)


def categories(joined: str) -> list[str]:
    """``"physical-harm,self-harm"`` -> ``["Physical harm", "Self-harm or suicidal thoughts"]``."""
    return [_say(CATEGORIES, c) for c in joined.split(",") if c]
