"""Notification kinds, their words, and ``enqueue``: the only way to put a message in the outbox.

Nothing about a child can reach a message, by construction: ``enqueue`` takes no free text at
all, only a reference that must look like ``S-7KQ2M9XA`` and a link that must point at this
service. The words come from ``content/notifications.yaml``, whose templates may use only
``{reference}``, ``{link}`` and ``{service_name}``. The same checks run again when a message is
rendered, so a row written some other way cannot carry content out either.
"""

from __future__ import annotations

import dataclasses
import re
import string
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from voice import strict_yaml
from voice.extensions import db
from voice.models import Child, OutboxMessage
from voice.routing import channels

REFERENCE = re.compile(r"[A-Z0-9-]{4,16}")
PLACEHOLDERS = frozenset({"reference", "link", "service_name"})
# One address, no display name, nothing that could fold into another header.
_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_LINK_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_SUBJECT_MAX = 120


@dataclass(frozen=True)
class Kind:
    """A kind of notification. ``urgent`` kinds jump the queue and fail over sooner."""

    name: str
    urgent: bool = False
    # Who reads it: staff, a child (a short text with no reference to read out), or a carer.
    audience: str = "staff"


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("new_submission"),
        Kind("urgent_alert", urgent=True),
        Kind("read_reminder"),
        Kind("escalation", urgent=True),
        Kind("delivery_problem"),
        Kind("child_question"),
        Kind("child_locked_out"),
        Kind("alert_acknowledged"),
        # The review calendar (voice/reviews/schedule.py). The invitations go to a child or a
        # carer, by text or email, in the child's language where the words are translated.
        Kind("review_invite", audience="child"),
        Kind("review_invite_carer", audience="carer"),
        Kind("review_reminder", audience="child"),
        Kind("review_reminder_carer", audience="carer"),
        Kind("review_no_response"),
        Kind("review_invite_by_hand"),
        Kind("child_replied"),
        # To a staff member: an admin reset their second factor (voice/people/second_factor.py).
        Kind("second_factor_reset"),
        Kind("filing_overdue"),  # voice/retention.py: a submission not filed in the case record
    )
}
_LANGUAGE = re.compile(r"[a-z]{2,3}(_[A-Z]{2})?")  # "pl", "ckb", "fa_AF"
_UK_MOBILE = re.compile(r"\+447\d{9}")

# Text messages (SMS) to a child's mobile, sent only through GOV.UK Notify. Their words live
# under ``texts`` in notifications.yaml, with the same three placeholders.
TEXT_KINDS: dict[str, Kind] = {kind.name: kind for kind in (Kind("reply_waiting"),)}
TEXT_CHANNEL = "notify"
# A phone number as Notify takes it, in E.164 form: +, then 10 to 15 digits.
_E164 = re.compile(r"\+[1-9][0-9]{9,14}")


@dataclass(frozen=True)
class Template:
    subject: str
    body: str
    # Other languages' words for the same message, by locale code; English is the fallback.
    languages: Mapping[str, Template] = dataclasses.field(default_factory=dict)

    def for_language(self, code: str | None) -> Template:
        return self.languages.get(code or "en", self)


@dataclass(frozen=True)
class Wording:
    service_name: str
    templates: Mapping[str, Template]
    texts: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # Other languages' words for each text, by kind then locale code; English is the fallback.
    text_languages: Mapping[str, Mapping[str, str]] = dataclasses.field(default_factory=dict)

    def text_for(self, kind: str, code: str | None) -> str:
        return self.text_languages.get(kind, {}).get(code or "en", self.texts[kind])


# ------------------------------------------------------------------------------------ checks


def check_reference(reference: str) -> str:
    if not isinstance(reference, str) or not REFERENCE.fullmatch(reference):
        raise ValueError("reference must be 4-16 characters from A-Z, 0-9 and '-'")
    return reference


def check_link(link: str, base_url: str) -> str:
    """Accept only links into this service: same scheme and host as ``VOICE_BASE_URL``.

    A plain ``startswith`` is not enough: ``http://voice.test.evil.example`` starts with
    ``http://voice.test``.
    """
    base = base_url.rstrip("/")
    if not isinstance(link, str) or not _LINK_CHARS.fullmatch(link):
        raise ValueError("link must be a plain URL with no spaces or control characters")
    if link != base and not link.startswith(base + "/"):
        raise ValueError("link must point at VOICE_BASE_URL")
    if urlsplit(link).netloc != urlsplit(base).netloc:
        raise ValueError("link must point at VOICE_BASE_URL")
    return link


def check_address(address: str) -> str:
    if not isinstance(address, str) or len(address) > 254 or not _ADDRESS.fullmatch(address):
        raise ValueError("to_address must be one plain email address")
    return address


def check_phone(number: str) -> str:
    """A UK mobile, in E.164 form (+447700900123), however it was written."""
    try:
        cleaned = check_mobile(number)
    except ValueError:
        cleaned = ""
    if not _UK_MOBILE.fullmatch(cleaned):
        raise ValueError("to_address must be a UK mobile number such as +447700900123")
    return cleaned


def check_recipient(address: str, channel: str) -> str:
    return check_phone(address) if channels.get(channel).medium == "sms" else check_address(address)


def check_mobile(number: str) -> str:
    """One phone number in E.164 form. Spaces, dashes and brackets go; a UK number written
    07700 900123 or 447700900123 becomes +447700900123, the form the case-system import stores."""
    cleaned = re.sub(r"[\s()-]", "", number) if isinstance(number, str) else ""
    if re.fullmatch(r"07\d{9}", cleaned):
        cleaned = "+44" + cleaned[1:]
    elif re.fullmatch(r"447\d{9}", cleaned):
        cleaned = "+" + cleaned
    if not _E164.fullmatch(cleaned):
        raise ValueError("to_address must be one phone number")
    return cleaned


def check_template_text(text: str, where: str) -> None:
    """Refuse any placeholder other than the three allowed, and any format tricks."""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    for _, field, spec, conversion in fields:
        if field is None:
            continue
        if field not in PLACEHOLDERS or spec or conversion:
            raise ValueError(f"{where}: placeholder {{{field}}} is not allowed; use {sorted(PLACEHOLDERS)}")


# ------------------------------------------------------------------------------------ wording


def load_wording(path: Path) -> Wording:
    """Read and check ``notifications.yaml``. Raises ValueError naming the problem."""
    data: Any = strict_yaml.read(path)
    if not isinstance(data, dict) or not isinstance(data.get("notifications"), dict):
        raise ValueError(f"{path.name}: needs 'service_name' and a 'notifications' mapping")
    service_name = data.get("service_name")
    if not isinstance(service_name, str) or not service_name.strip():
        raise ValueError(f"{path.name}: service_name must be text")
    entries: dict[str, Any] = data["notifications"]
    if missing := sorted(set(KINDS) - set(entries)):
        raise ValueError(f"{path.name}: no words for {', '.join(missing)}")
    if unknown := sorted(set(entries) - set(KINDS)):
        raise ValueError(f"{path.name}: {', '.join(unknown)} not registered in notifications.KINDS")
    templates = {name: _template(path, name, entries[name]) for name in KINDS}
    texts, text_languages = _texts(path, data.get("texts") or {})
    return Wording(service_name.strip(), templates, texts, text_languages)


def _texts(path: Path, entries: Any) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Text messages: one short body each, with a link, from the same three placeholders.
    Each is either the English words alone, or ``body`` plus ``languages`` (locale code ->
    the words in that language), as the email templates have."""
    if not isinstance(entries, dict) or set(entries) != set(TEXT_KINDS):
        raise ValueError(f"{path.name}: texts must give words for exactly {sorted(TEXT_KINDS)}")
    texts: dict[str, str] = {}
    languages: dict[str, dict[str, str]] = {}
    for name, entry in entries.items():
        where = f"{path.name}: texts: {name}"
        body, others = (
            (entry.get("body"), entry.get("languages") or {}) if isinstance(entry, dict) else (entry, {})
        )
        if not isinstance(others, dict) or not all(_LANGUAGE.fullmatch(str(k)) for k in others):
            raise ValueError(f"{where}: 'languages' must map locale codes to the words of the text")
        texts[name] = _one_text(where, body)
        languages[name] = {str(code): _one_text(f"{where} ({code})", words) for code, words in others.items()}
    return texts, languages


def _one_text(where: str, body: Any) -> str:
    if not isinstance(body, str) or "{link}" not in body or len(body) > 300:
        raise ValueError(f"{where}: needs one short body that includes {{link}}")
    check_template_text(body, where)
    return " ".join(body.split())


def _template(path: Path, name: str, entry: Any) -> Template:
    where = f"{path.name}: {name}"
    languages = entry.get("languages") or {} if isinstance(entry, dict) else {}
    if not isinstance(languages, dict) or not all(_LANGUAGE.fullmatch(str(k)) for k in languages):
        raise ValueError(f"{where}: 'languages' must map locale codes to a subject and a body")
    base = _one_template(where, entry)
    others = {str(code): _one_template(f"{where} ({code})", words) for code, words in languages.items()}
    return Template(base.subject, base.body, others)


def _one_template(where: str, entry: Any) -> Template:
    if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("subject", "body")):
        raise ValueError(f"{where}: needs a subject and a body")
    subject, body = entry["subject"].strip(), entry["body"].strip() + "\n"
    if "\n" in subject or not subject or len(subject) > _SUBJECT_MAX:
        raise ValueError(f"{where}: subject must be one line of at most {_SUBJECT_MAX} characters")
    check_template_text(subject, where)
    check_template_text(body, where)
    if "{link}" not in body:
        raise ValueError(f"{where}: body must include {{link}}")
    return Template(subject, body)


def wording() -> Wording:
    """The checked wording for this app, loaded once.

    It is read on first use rather than in the factory because content loaders are
    registered elsewhere; the ``deliver`` command calls this at start so a bad file stops the
    worker at once.
    """
    cache: dict[str, Wording] = current_app.extensions.setdefault("voice_notifications", {})
    path = str(Path(current_app.config["VOICE_CONTENT_DIR"]) / "notifications.yaml")
    if path not in cache:
        cache[path] = load_wording(Path(path))
    return cache[path]


# ------------------------------------------------------------------------------------ enqueue


def enqueue(
    kind: str,
    *,
    to_address: str,
    reference: str,
    link: str,
    urgent: bool = False,
    submission_id: uuid.UUID | None = None,
    alert_id: uuid.UUID | None = None,
    channel: str | None = None,
    language: str | None = None,
) -> OutboxMessage:
    """Add a notification to the current session. The caller commits it with its cause.

    Raises ValueError for an unknown kind or channel, or a reference, link or address that
    fails the checks above.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    config = current_app.config
    channel = channels.get(channel or channels.default_name(config)).name
    personalisation = {
        "reference": check_reference(reference),
        "link": check_link(link, config["VOICE_BASE_URL"]),
    }
    if language is not None:
        if not _LANGUAGE.fullmatch(language):
            raise ValueError("language must be a locale code such as 'pl'")
        personalisation["language"] = language
    with db.session.no_autoflush:  # don't flush the caller's half-built rows early
        is_child_ref = db.session.scalar(select(Child.id).where(Child.ref == reference)) is not None
    if is_child_ref:  # it fits the pattern, but it identifies a child
        raise ValueError("reference must not be a child's ref; use voice.references.new_reference")
    message = OutboxMessage(
        id=uuid.uuid4(),  # known before the flush, so callers can log or link it
        channel=channel,
        to_address=check_recipient(to_address, channel),
        template=kind,
        personalisation=personalisation,
        urgent=urgent or KINDS[kind].urgent,
        status="pending",
        attempts=0,
        submission_id=submission_id,
        alert_id=alert_id,
    )
    wording()  # a broken wording file should fail the caller now, not the worker later
    db.session.add(message)
    return message


def enqueue_text(
    kind: str,
    *,
    to_number: str,
    reference: str,
    link: str,
    submission_id: uuid.UUID | None = None,
    language: str | None = None,
) -> OutboxMessage:
    """Add a text message (SMS) to the current session, through Notify. Same checks as
    ``enqueue``: no free text can reach it, only a reference and a link into this service."""
    if kind not in TEXT_KINDS:
        raise ValueError(f"unknown text message kind {kind!r}")
    personalisation = {
        "reference": check_reference(reference),
        "link": check_link(link, current_app.config["VOICE_BASE_URL"]),
    }
    if language is not None and language != "en":
        if not _LANGUAGE.fullmatch(language):
            raise ValueError("language must be a locale code such as 'pl'")
        personalisation["language"] = language
    message = OutboxMessage(
        id=uuid.uuid4(),
        channel=TEXT_CHANNEL,
        to_address=check_mobile(to_number),
        template=kind,
        personalisation=personalisation,
        urgent=False,
        status="pending",
        attempts=0,
        submission_id=submission_id,
    )
    wording()
    db.session.add(message)
    return message


def envelope_for(
    outbox_id: uuid.UUID,
    kind: str,
    to_address: str,
    personalisation: Mapping[str, Any],
    channel: str = "smtp",
) -> channels.Envelope:
    """Render a stored message, checking its values again on the way out."""
    words = wording()
    if kind in TEXT_KINDS:
        return _text_envelope(outbox_id, words, kind, to_address, personalisation)
    if kind not in words.templates:
        raise ValueError(f"unknown notification kind {kind!r}")
    values = {
        "reference": check_reference(personalisation.get("reference", "")),
        "link": check_link(personalisation.get("link", ""), current_app.config["VOICE_BASE_URL"]),
        "service_name": words.service_name,
    }
    template = words.templates[kind].for_language(personalisation.get("language"))
    return channels.Envelope(
        outbox_id=outbox_id,
        to_address=check_recipient(to_address, channel),
        subject=template.subject.format_map(values),
        body=template.body.format_map(values),
        personalisation=values,
    )


def _text_envelope(
    outbox_id: uuid.UUID, words: Wording, kind: str, to_address: str, personalisation: Mapping[str, Any]
) -> channels.Envelope:
    values = {
        "reference": check_reference(personalisation.get("reference", "")),
        "link": check_link(personalisation.get("link", ""), current_app.config["VOICE_BASE_URL"]),
        "service_name": words.service_name,
    }
    return channels.Envelope(
        outbox_id=outbox_id,
        to_address=check_mobile(to_address),
        subject="",
        body=words.text_for(kind, personalisation.get("language")).format_map(values),
        personalisation=values,
        medium="sms",
    )
