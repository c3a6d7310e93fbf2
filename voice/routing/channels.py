"""Delivery channels for the outbox: real SMTP, and GOV.UK Notify behind the same interface.

A channel gets an ``Envelope`` (already rendered, content-free) and either returns a provider
reference or raises a ``DeliveryError`` that says whether trying again could help. Error
summaries are stored in ``OutboxMessage.last_error`` and shown to managers, so they are built
from codes and fixed words, never from a provider's free text, and any address in them is cut
down to its domain.
"""

from __future__ import annotations

import re
import smtplib
import ssl
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any, ClassVar, Protocol

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from voice import clock

Config = Mapping[str, Any]

# 74 = a key name of at least one character, then "-<service uuid>-<secret uuid>".
_NOTIFY_KEY_MIN_LENGTH = 74
NOTIFY_TIMEOUT_SECONDS = 10.0
_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([A-Za-z0-9.-]+)")
LAST_ERROR_LENGTH = 200  # the width of OutboxMessage.last_error


def scrub(text: str) -> str:
    """Reduce every address in ``text`` to its domain and fit it in ``last_error``."""
    return _ADDRESS.sub(r"…@\1", text)[:LAST_ERROR_LENGTH]


def domain_of(address: str) -> str:
    return address.rpartition("@")[2] or "?"


@dataclass(frozen=True)
class Envelope:
    """One rendered message, ready for a provider. Every value in it is content-free."""

    outbox_id: uuid.UUID
    to_address: str
    subject: str
    body: str
    personalisation: Mapping[str, str]
    medium: str = "email"  # or "sms": a text to a phone number, which only Notify sends


class DeliveryError(Exception):
    """A failed attempt. ``summary`` is safe to store and show: no body, no full address."""

    transient: ClassVar[bool] = True

    def __init__(self, summary: str) -> None:
        self.summary = scrub(summary)
        super().__init__(self.summary)


class TransientError(DeliveryError):
    """Trying again later may work: the server is down, slow, busy or misconfigured."""

    transient = True


class PermanentError(DeliveryError):
    """Trying again cannot work: the address or the request itself was refused."""

    transient = False


class Channel(Protocol):
    name: str
    # "email" or "sms": what kind of address ``to_address`` is. Failover stays within a medium.
    medium: str
    # Whether ``find_sent`` can really tell us that an earlier attempt got through.
    can_confirm: bool

    def is_configured(self, config: Config) -> bool: ...

    def send(self, envelope: Envelope, config: Config) -> str | None:
        """Hand the message to the provider; return the provider's id for it, if any."""
        ...

    def find_sent(self, outbox_id: uuid.UUID, config: Config) -> str | None:
        """Return the provider's id if it already holds this message, else None."""
        ...


# ---------------------------------------------------------------------------------------- SMTP


def message_id(outbox_id: uuid.UUID, mail_from: str) -> str:
    """The same Message-ID on every attempt, so a receiving system can spot a duplicate."""
    return f"<outbox-{outbox_id}@{domain_of(mail_from)}>"


def _by_code(code: int, what: str) -> DeliveryError:
    """SMTP's own rule: 4xx replies are temporary, 5xx replies are final."""
    kind = TransientError if 400 <= code < 500 else PermanentError
    return kind(f"smtp {code}: {what}")


def _refused_recipients(exc: Any) -> DeliveryError:
    codes = [code for code, _ in exc.recipients.values()] or [550]
    domains = ", ".join(sorted({domain_of(a) for a in exc.recipients}))
    return _by_code(min(codes), f"recipient refused (@{domains})")


# Checked in order, so subclasses come before the classes they extend (SMTPException is an
# OSError). Sign-in and STARTTLS problems count as transient: they are settings someone can
# fix, and the messages should go once they do.
_SMTP_ERRORS: tuple[tuple[type[BaseException], Callable[[Any], DeliveryError]], ...] = (
    (smtplib.SMTPRecipientsRefused, _refused_recipients),
    (
        smtplib.SMTPAuthenticationError,
        lambda e: TransientError(f"smtp {e.smtp_code}: sign-in refused (check VOICE_SMTP_USER)"),
    ),
    (smtplib.SMTPSenderRefused, lambda e: _by_code(e.smtp_code, "sender refused (check VOICE_MAIL_FROM)")),
    (smtplib.SMTPDataError, lambda e: _by_code(e.smtp_code, "message refused")),
    (smtplib.SMTPConnectError, lambda e: TransientError(f"smtp {e.smtp_code}: connection refused")),
    (smtplib.SMTPResponseException, lambda e: _by_code(e.smtp_code, "server refused")),
    (smtplib.SMTPNotSupportedError, lambda e: TransientError("smtp: server lacks STARTTLS or AUTH")),
    (smtplib.SMTPServerDisconnected, lambda e: TransientError("smtp: server disconnected")),
    (ssl.SSLError, lambda e: TransientError("smtp: TLS failed")),
    (TimeoutError, lambda e: TransientError("smtp: timed out")),
    (ConnectionRefusedError, lambda e: TransientError("smtp: connection refused")),
    (OSError, lambda e: TransientError(f"smtp: network error ({type(e).__name__})")),
)


def classify_smtp_error(exc: BaseException) -> DeliveryError | None:
    for kind, build in _SMTP_ERRORS:
        if isinstance(exc, kind):
            return build(exc)
    return None


class SmtpChannel:
    """Plain SMTP with optional STARTTLS and sign-in. One connection per message keeps it simple;
    the volumes here are a few hundred messages a day."""

    name = "smtp"
    medium = "email"
    can_confirm = False  # an SMTP server cannot be asked what it already accepted

    def is_configured(self, config: Config) -> bool:
        return bool(config.get("VOICE_SMTP_HOST"))

    def build(self, envelope: Envelope, config: Config) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = config["VOICE_MAIL_FROM"]
        mail["To"] = envelope.to_address
        mail["Subject"] = envelope.subject
        mail["Date"] = format_datetime(clock.now())
        mail["Message-ID"] = message_id(envelope.outbox_id, config["VOICE_MAIL_FROM"])
        mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to us
        mail.set_content(envelope.body)
        return mail

    def send(self, envelope: Envelope, config: Config) -> str | None:
        if envelope.medium != "email":
            raise PermanentError("smtp: cannot send a text message")
        mail = self.build(envelope, config)
        try:
            with smtplib.SMTP(
                config["VOICE_SMTP_HOST"], config["VOICE_SMTP_PORT"], timeout=config["VOICE_SMTP_TIMEOUT"]
            ) as smtp:
                if config.get("VOICE_SMTP_STARTTLS"):
                    smtp.starttls(context=ssl.create_default_context())
                if config.get("VOICE_SMTP_USER"):
                    smtp.login(config["VOICE_SMTP_USER"], config.get("VOICE_SMTP_PASSWORD", ""))
                smtp.send_message(mail)
        except OSError as exc:
            error = classify_smtp_error(exc)
            if error is None:  # pragma: no cover - every OSError matches the last row
                raise
            raise error from None
        return str(mail["Message-ID"])

    def find_sent(self, outbox_id: uuid.UUID, config: Config) -> str | None:
        return None


# -------------------------------------------------------------------------------- GOV.UK Notify

# Notify's documented responses: 400 is a bad request (address, template, trial mode) and will
# fail again; 403 is our key, which someone can fix; 429 and 5xx pass. The client reports a
# timeout or a refused connection as 503.
_NOTIFY_STATUSES: dict[int, tuple[type[DeliveryError], str]] = {
    400: (PermanentError, "request refused"),
    403: (TransientError, "API key refused (check VOICE_NOTIFY_API_KEY)"),
    429: (TransientError, "rate limit reached"),
}


def classify_notify_error(exc: APIError) -> DeliveryError:
    status = exc.status_code
    if status in _NOTIFY_STATUSES:
        kind, what = _NOTIFY_STATUSES[status]
    elif status >= 500:
        kind, what = TransientError, "server error or no answer"
    else:
        kind, what = PermanentError, "request refused"
    return kind(f"notify {status}: {what}{_notify_error_names(exc)}")


def _notify_error_names(exc: APIError) -> str:
    """Notify's error class names (``BadRequestError``) help; its messages may echo input."""
    errors = exc.message if isinstance(exc.message, list) else []
    names = sorted({str(e.get("error")) for e in errors if isinstance(e, dict) and e.get("error")})
    return f" ({', '.join(names)})" if names else ""


class NotifyChannel:
    """GOV.UK Notify through the official client. The outbox id is Notify's ``reference``, so
    after a crash we can ask Notify whether it already has the message."""

    name = "notify"
    medium = "email"
    can_confirm = True

    def is_configured(self, config: Config) -> bool:
        return (
            len(config.get("VOICE_NOTIFY_API_KEY") or "") >= _NOTIFY_KEY_MIN_LENGTH
            and bool(config.get("VOICE_NOTIFY_TEMPLATE_ID"))
            and bool(config.get("VOICE_NOTIFY_BASE_URL"))
        )

    def can_text(self, config: Config) -> bool:
        """Whether text messages can go: a key, a base URL and a text template."""
        return (
            len(config.get("VOICE_NOTIFY_API_KEY") or "") >= _NOTIFY_KEY_MIN_LENGTH
            and bool(config.get("VOICE_NOTIFY_SMS_TEMPLATE_ID"))
            and bool(config.get("VOICE_NOTIFY_BASE_URL"))
        )

    def client(self, config: Config) -> NotificationsAPIClient:
        if not (self.is_configured(config) or self.can_text(config)):
            raise TransientError("notify: not configured (set VOICE_NOTIFY_API_KEY and TEMPLATE_ID)")
        return NotificationsAPIClient(
            config["VOICE_NOTIFY_API_KEY"],
            base_url=config["VOICE_NOTIFY_BASE_URL"],
            timeout=config.get("VOICE_NOTIFY_TIMEOUT", NOTIFY_TIMEOUT_SECONDS),
        )

    def send(self, envelope: Envelope, config: Config) -> str | None:
        # The Notify template is expected to be "((subject))" / "((body))"; reference and link
        # are passed too, for councils that prefer to write the words in Notify.
        personalisation = {**envelope.personalisation, "subject": envelope.subject, "body": envelope.body}
        if envelope.medium == "sms":
            return self._send_text(envelope, config, personalisation)
        client = self.client(config)
        return _notify_id(
            lambda: client.send_email_notification(
                email_address=envelope.to_address,
                template_id=config["VOICE_NOTIFY_TEMPLATE_ID"],
                personalisation=personalisation,
                reference=str(envelope.outbox_id),
            )
        )

    def _send_text(self, envelope: Envelope, config: Config, personalisation: dict[str, str]) -> str | None:
        # The Notify text template is expected to be "((body))".
        if not self.can_text(config):
            raise TransientError("notify: texts not configured (set VOICE_NOTIFY_SMS_TEMPLATE_ID)")
        return send_sms(self.client(config), envelope, config, personalisation)

    def find_sent(self, outbox_id: uuid.UUID, config: Config) -> str | None:
        try:
            found = self.client(config).get_all_notifications(reference=str(outbox_id))
        except APIError as exc:
            raise classify_notify_error(exc) from None
        notifications = (found or {}).get("notifications") or []
        return str(notifications[0].get("id")) if notifications else None


class NotifySmsChannel(NotifyChannel):
    """Text messages through GOV.UK Notify, for review invitations to a child's or carer's phone.

    The SMS template (``VOICE_NOTIFY_SMS_TEMPLATE_ID``) is expected to be "((body))". Only
    invitation kinds use it; staff are always told by email.
    """

    name = "notify_sms"
    medium = "sms"

    def is_configured(self, config: Config) -> bool:
        return self.can_text(config)

    def client(self, config: Config) -> NotificationsAPIClient:
        if not self.is_configured(config):
            raise TransientError("notify: SMS not configured (set VOICE_NOTIFY_API_KEY and SMS_TEMPLATE_ID)")
        return super().client({**config, "VOICE_NOTIFY_TEMPLATE_ID": config["VOICE_NOTIFY_SMS_TEMPLATE_ID"]})

    def send(self, envelope: Envelope, config: Config) -> str | None:
        personalisation = {**envelope.personalisation, "body": envelope.body}
        return send_sms(self.client(config), envelope, config, personalisation)


def send_sms(
    client: NotificationsAPIClient, envelope: Envelope, config: Config, personalisation: dict[str, str]
) -> str | None:
    """One text through Notify's SMS template, with the outbox id as its reference (as for email),
    so both ways of texting (a reply waiting, a review invitation) send the same way."""
    return _notify_id(
        lambda: client.send_sms_notification(
            phone_number=envelope.to_address,
            template_id=config["VOICE_NOTIFY_SMS_TEMPLATE_ID"],
            personalisation=personalisation,
            reference=str(envelope.outbox_id),
        )
    )


def _notify_id(send: Callable[[], object]) -> str | None:
    """Hand one message to Notify: the id it gives what it accepted, or its refusal sorted into
    try-again or give-up (``classify_notify_error``)."""
    try:
        response = send()
    except APIError as exc:
        raise classify_notify_error(exc) from None
    return str(response.get("id")) if isinstance(response, dict) else None


CHANNELS: dict[str, Channel] = {
    channel.name: channel for channel in (SmtpChannel(), NotifyChannel(), NotifySmsChannel())
}


def get(name: str) -> Channel:
    try:
        return CHANNELS[name]
    except KeyError:
        raise ValueError(f"unknown notification channel {name!r}") from None


def default_name(config: Config) -> str:
    """The channel chosen by ``VOICE_NOTIFY_CHANNEL``."""
    return str(config["VOICE_NOTIFY_CHANNEL"])


def fallback_name(current: str, config: Config) -> str | None:
    """Another configured channel, for urgent messages the usual one cannot deliver."""
    medium = get(current).medium
    for name, channel in CHANNELS.items():
        if name != current and channel.medium == medium and channel.is_configured(config):
            return name
    return None
