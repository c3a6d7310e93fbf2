"""The two channels against real boundaries: an aiosmtpd server and a fake Notify over HTTP."""

from __future__ import annotations

import uuid

import pytest

from voice.config import ConfigError, settings_from_env
from voice.routing import channels
from voice.routing.channels import Envelope, PermanentError, TransientError

PRIVATE_LOCAL_PART = "firstname.lastname"
ADDRESS = f"{PRIVATE_LOCAL_PART}@council.example"


def envelope(to: str = ADDRESS) -> Envelope:
    return Envelope(
        outbox_id=uuid.uuid4(),
        to_address=to,
        subject="A child you work with has sent something new",
        body="Sign in to read it:\nhttp://voice.test/staff/submissions/1\n\nReference: S-ABCD2345\n",
        personalisation={
            "reference": "S-ABCD2345",
            "link": "http://voice.test/staff/submissions/1",
            "service_name": "Voice",
        },
    )


def test_the_registry_holds_exactly_the_channels_the_settings_accept():
    email = {name for name, channel in channels.CHANNELS.items() if channel.medium == "email"}
    assert email == {"smtp", "notify"}
    assert set(channels.CHANNELS) - email == {"notify_sms"}  # review invitations only
    for name in email:
        assert settings_from_env({"VOICE_NOTIFY_CHANNEL": name})["VOICE_NOTIFY_CHANNEL"] == name
    with pytest.raises(ConfigError):
        settings_from_env({"VOICE_NOTIFY_CHANNEL": "notify_sms"})
    with pytest.raises(ConfigError):
        settings_from_env({"VOICE_NOTIFY_CHANNEL": "sms"})
    with pytest.raises(ValueError, match="unknown notification channel"):
        channels.get("carrier-pigeon")


def test_scrub_keeps_only_the_domain_of_any_address_and_fits_the_column():
    text = f"550 5.1.1 <{ADDRESS}>: no such user; also cc {PRIVATE_LOCAL_PART}+x@other.example"
    cleaned = channels.scrub(text)
    assert PRIVATE_LOCAL_PART not in cleaned
    assert "@council.example" in cleaned and "@other.example" in cleaned
    assert len(channels.scrub("x" * 1000)) == channels.LAST_ERROR_LENGTH


# -------------------------------------------------------------------------------------- SMTP


def test_smtp_delivers_with_a_message_id_made_from_the_outbox_id(app, smtp_server):
    env = envelope()
    provider_id = channels.get("smtp").send(env, app.config)

    [mail] = smtp_server.messages
    message = mail.message
    assert mail.rcpt_tos == (ADDRESS,)
    assert message["To"] == ADDRESS
    assert message["From"] == app.config["VOICE_MAIL_FROM"]
    assert message["Subject"] == env.subject
    assert message["Message-ID"] == provider_id == f"<outbox-{env.outbox_id}@localhost>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert "http://voice.test/staff/submissions/1" in mail.body


def test_smtp_uses_the_same_message_id_on_every_attempt(app, smtp_server):
    env = envelope()
    smtp = channels.get("smtp")
    smtp.send(env, app.config)
    smtp.send(env, app.config)
    first, second = smtp_server.messages
    assert first.message["Message-ID"] == second.message["Message-ID"]


@pytest.mark.parametrize(
    ("reply", "at", "kind", "summary"),
    [
        (
            "451 4.3.0 Try again later",
            "RCPT",
            TransientError,
            "smtp 451: recipient refused (@council.example)",
        ),
        ("421 4.7.0 Too busy, closing", "RCPT", TransientError, "smtp 421: recipient refused"),
        ("452 4.2.2 Mailbox full", "DATA", TransientError, "smtp 452: message refused"),
        (f"550 5.1.1 <{ADDRESS}> No such user", "RCPT", PermanentError, "smtp 550: recipient refused"),
        ("554 5.6.0 Message rejected", "DATA", PermanentError, "smtp 554: message refused"),
    ],
)
def test_smtp_refusals_are_classified_by_their_code(app, smtp_server, reply, at, kind, summary):
    smtp_server.refuse(reply, at=at)
    with pytest.raises(kind) as caught:
        channels.get("smtp").send(envelope(), app.config)
    assert caught.value.summary.startswith(summary)
    assert PRIVATE_LOCAL_PART not in caught.value.summary
    assert smtp_server.messages == []


def test_smtp_server_down_is_transient(app, smtp_server):
    smtp_server.stop()
    with pytest.raises(TransientError, match="connection refused"):
        channels.get("smtp").send(envelope(), app.config)


def test_smtp_starttls_or_sign_in_the_server_does_not_offer_is_a_fixable_setting(
    app, smtp_server, monkeypatch
):
    monkeypatch.setitem(app.config, "VOICE_SMTP_STARTTLS", True)
    with pytest.raises(TransientError, match="lacks STARTTLS or AUTH"):
        channels.get("smtp").send(envelope(), app.config)
    monkeypatch.setitem(app.config, "VOICE_SMTP_STARTTLS", False)
    monkeypatch.setitem(app.config, "VOICE_SMTP_USER", "voice")
    with pytest.raises(TransientError, match="lacks STARTTLS or AUTH"):
        channels.get("smtp").send(envelope(), app.config)


def test_smtp_cannot_confirm_an_earlier_delivery(app):
    smtp = channels.get("smtp")
    assert smtp.can_confirm is False
    assert smtp.find_sent(uuid.uuid4(), app.config) is None


# ------------------------------------------------------------------------------------ Notify


def test_notify_posts_the_official_shape_with_the_outbox_id_as_reference(app, fake_notify):
    env = envelope()
    provider_id = channels.get("notify").send(env, app.config)

    [post] = fake_notify.posts
    assert post["email_address"] == ADDRESS
    assert post["template_id"] == app.config["VOICE_NOTIFY_TEMPLATE_ID"]
    assert post["reference"] == str(env.outbox_id)
    assert set(post["personalisation"]) == {"subject", "body", "reference", "link", "service_name"}
    assert post["personalisation"]["body"] == env.body
    assert provider_id == fake_notify.notifications[str(env.outbox_id)][0]["id"]


@pytest.mark.parametrize(
    ("status", "kind", "summary"),
    [
        (400, PermanentError, "notify 400: request refused (BadRequestError)"),
        (403, TransientError, "notify 403: API key refused"),
        (429, TransientError, "notify 429: rate limit reached (RateLimitError)"),
        (500, TransientError, "notify 500: server error or no answer (Exception)"),
        (502, TransientError, "notify 502: server error"),
    ],
)
def test_notify_errors_are_classified_by_status(app, fake_notify, status, kind, summary):
    fake_notify.fail_next(status)
    with pytest.raises(kind) as caught:
        channels.get("notify").send(envelope(), app.config)
    assert caught.value.summary.startswith(summary)
    assert "from the fake" not in caught.value.summary  # Notify's messages may echo input


def test_notify_timeout_is_transient(app, fake_notify):
    fake_notify.fail_next("timeout")
    with pytest.raises(TransientError, match="notify 503"):
        channels.get("notify").send(envelope(), app.config)


def test_notify_finds_an_earlier_delivery_by_reference(app, fake_notify):
    notify = channels.get("notify")
    env = envelope()
    assert notify.find_sent(env.outbox_id, app.config) is None
    provider_id = notify.send(env, app.config)
    assert notify.find_sent(env.outbox_id, app.config) == provider_id
    assert fake_notify.lookups == [str(env.outbox_id)] * 2


def test_notify_without_a_key_is_a_fixable_setting_not_a_crash(app, fake_notify, monkeypatch):
    monkeypatch.setitem(app.config, "VOICE_NOTIFY_API_KEY", "")
    notify = channels.get("notify")
    assert not notify.is_configured(app.config)
    with pytest.raises(TransientError, match="not configured"):
        notify.send(envelope(), app.config)
    assert fake_notify.posts == []


def test_fallback_is_another_configured_channel(app, fake_notify, monkeypatch):
    assert channels.fallback_name("smtp", app.config) == "notify"
    assert channels.fallback_name("notify", app.config) == "smtp"
    monkeypatch.setitem(app.config, "VOICE_NOTIFY_API_KEY", "")
    assert channels.fallback_name("smtp", app.config) is None
