"""An admin resets the second factor of a staff member who lost their phone (issue 25).

Everything goes through the real pages, the real ``flask`` command and the real outbox worker
delivering to a real SMTP server on 127.0.0.1.
"""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.helpers.auth import sign_in_staff
from tests.helpers.pages import PageFetcher
from tests.helpers.totp import CODE_FORM, code, enrol, new_staff, sign_in_with_code
from voice.extensions import db
from voice.models import AuditEvent, OutboxMessage, StaffMember, StaffRecoveryCode, StaffTotp

RESET_SUBJECT = "Your sign-in code for Voice has been reset"


def _browser(app) -> PageFetcher:
    return PageFetcher(app.test_client())


def _id(app, email: str) -> int:
    with app.app_context():
        return StaffMember.by_email(email).id


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _resets(app) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.totp_reset")))


def _deliver(app) -> None:
    result = app.test_cli_runner().invoke(args=["deliver", "--once"])
    assert result.exit_code == 0, result.output


def _signed_in(client: FlaskClient) -> bool:
    """Signed in, whatever the role: not sent to the sign-in page."""
    response = client.get("/staff/")
    return not (response.status_code == 302 and "/staff/sign-in" in response.headers["Location"])


def _an_admin_and_a_worker_who_lost_their_phone(app, totp_on):
    """Both have set up an app; the worker is also still signed in somewhere (``worker_page``)."""
    admin_page, worker_page = _browser(app), _browser(app)
    admin = enrol(admin_page, new_staff(app, "admin", name="Ade Admin"), totp_on, sign_out=False)
    worker_email = new_staff(app, "social_worker", name="Sam Lostphone")
    worker = enrol(worker_page, worker_email, totp_on, sign_out=False)
    assert _signed_in(worker_page.client)
    return admin_page, admin, worker_page, worker


def test_an_admin_resets_a_lost_second_factor_on_the_page_and_the_person_sets_up_again(
    app, totp_on, smtp_server
):
    admin_page, admin, worker_page, worker = _an_admin_and_a_worker_who_lost_their_phone(app, totp_on)
    worker_id = _id(app, worker.email)

    listing = admin_page.get("/staff/sign-in-codes")
    assert listing.h1 == "Staff sign-in codes"
    assert "Sam Lostphone" in listing.text and worker.email in listing.text
    form = f"form[action='/staff/sign-in-codes/{worker_id}/reset']"
    first = admin_page.submit(listing, selector=form)
    second = admin_page.submit(listing, selector=form)  # a double click: the same form again
    for answer in (first, second):
        assert "Sam Lostphone's sign-in code is reset" in answer.text
        assert worker.email not in answer.soup.select_one("table").get_text()  # listed no more

    # Audited once, by the admin, about the worker; their codes are gone; their session ended.
    [event] = _resets(app)
    assert (event.actor_kind, event.actor_id) == ("staff", str(_id(app, admin.email)))
    assert (event.object_type, event.object_id) == ("staff", str(worker_id))
    assert _count(app, StaffTotp, StaffTotp.staff_id == worker_id) == 0
    assert _count(app, StaffRecoveryCode, StaffRecoveryCode.staff_id == worker_id) == 0
    assert not _signed_in(worker_page.client)
    assert _signed_in(admin_page.client)

    # One email, through the outbox and a real SMTP server, to the worker.
    _deliver(app)
    [mail] = smtp_server.messages
    assert mail.message["To"] == worker.email
    assert mail.message["Subject"] == RESET_SUBJECT
    assert "If you did not ask for this" in mail.body and "/staff/sign-in" in mail.body

    # Their next sign-in: password, then setting up an app again, with a new key.
    totp_on.shift(timedelta(seconds=60))
    setup = sign_in_staff(worker_page, worker.email)
    assert setup.url == "/staff/sign-in/set-up-code"
    new_secret = setup.soup.select_one(".totp-secret").get_text(strip=True)
    assert new_secret != worker.secret
    for old in (code(worker.secret), worker.recovery_codes[0]):  # the lost phone's codes are dead
        refused = worker_page.submit(setup, {"code": old}, selector=CODE_FORM, status=400)
        assert "did not match" in refused.text
    done = worker_page.submit(setup, {"code": code(new_secret)}, selector=CODE_FORM)
    assert len(done.soup.select(".recovery-codes code")) == 10
    assert _signed_in(worker_page.client)


def test_old_recovery_codes_do_not_work_after_a_reset_and_new_ones_do(app, totp_on):
    admin_page, _admin, worker_page, worker = _an_admin_and_a_worker_who_lost_their_phone(app, totp_on)
    listing = admin_page.get("/staff/sign-in-codes")
    admin_page.submit(listing, selector=f"form[action='/staff/sign-in-codes/{_id(app, worker.email)}/reset']")
    worker_page.client.delete_cookie("voice_auth")
    again = enrol(worker_page, worker.email, totp_on)  # sets up afresh, then signs out
    ask = sign_in_staff(worker_page, worker.email)
    for old in worker.recovery_codes[:3]:
        ask = worker_page.submit(ask, {"code": old}, selector=CODE_FORM, status=400)
    assert not _signed_in(worker_page.client)
    home = worker_page.submit(ask, {"code": again.recovery_codes[0]}, selector=CODE_FORM)
    assert home.url == "/staff/"


def test_people_without_the_admin_role_cannot_see_or_use_the_reset(app, totp_on, smtp_server):
    worker = enrol(_browser(app), new_staff(app, "social_worker"), totp_on)
    worker_id = _id(app, worker.email)
    for role, home in (("team_manager", "/staff/"), ("participation_officer", "/studio/")):
        other = _browser(app)
        enrol(other, new_staff(app, role), totp_on, sign_out=False)
        assert other.client.get("/staff/sign-in-codes").status_code == 403, role
        landing = other.get(home)
        assert "Staff sign-in codes" not in landing.text  # no link to it either
        token = landing.soup.select_one("input[name=csrf_token]")["value"]
        posted = other.client.post(
            f"/staff/sign-in-codes/{worker_id}/reset", data={"csrf_token": token, "key": "k"}
        )
        assert posted.status_code == 403, role
    assert _count(app, StaffTotp, StaffTotp.staff_id == worker_id) == 1
    assert _count(app, StaffRecoveryCode, StaffRecoveryCode.staff_id == worker_id) == 10
    assert _resets(app) == []
    _deliver(app)
    assert smtp_server.messages == []
    assert sign_in_with_code(_browser(app), worker.email, worker.secret).url == "/staff/"


def test_a_stranger_is_sent_to_sign_in(app, client):
    response = client.get("/staff/sign-in-codes")
    assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]


def test_resetting_someone_with_no_code_says_so_and_changes_nothing(app, totp_on, smtp_server):
    admin_page = _browser(app)
    enrol(admin_page, new_staff(app, "admin"), totp_on, sign_out=False)
    never = new_staff(app, "social_worker", name="Nia Nevercode")
    listing = admin_page.get("/staff/sign-in-codes")
    assert "Nia Nevercode" not in listing.text  # only people with a code are listed
    token = listing.soup.select_one("input[name=csrf_token]")["value"]
    answer = admin_page.client.post(
        f"/staff/sign-in-codes/{_id(app, never)}/reset", data={"csrf_token": token}, follow_redirects=True
    )
    assert answer.status_code == 200
    assert "Nia Nevercode has no sign-in code to reset" in answer.get_data(as_text=True)
    missing = admin_page.client.post("/staff/sign-in-codes/99999/reset", data={"csrf_token": token})
    assert missing.status_code == 404
    assert _resets(app) == [] and _count(app, OutboxMessage) == 0


# ----------------------------------------------------------------------------------- the CLI


def _cli(app, *args: str):
    return app.test_cli_runner().invoke(args=["reset-second-factor", *args])


def test_the_command_needs_an_admin_and_then_resets_audits_and_emails(app, totp_on, smtp_server):
    admin_email = new_staff(app, "admin")
    manager_email = new_staff(app, "team_manager")
    worker_page = _browser(app)
    worker = enrol(worker_page, new_staff(app, "social_worker"), totp_on)
    worker_id = _id(app, worker.email)

    for by in (manager_email, "nobody@voice.test"):
        refused = _cli(app, worker.email, "--by", by)
        assert refused.exit_code != 0 and "is not an active admin account" in refused.output
    assert _cli(app, worker.email).exit_code != 0  # --by is required
    assert _count(app, StaffRecoveryCode, StaffRecoveryCode.staff_id == worker_id) == 10
    assert _resets(app) == []

    done = _cli(app, worker.email, "--by", admin_email)
    assert done.exit_code == 0, done.output
    assert "sign-in code reset" in done.output
    [event] = _resets(app)
    assert (event.actor_kind, event.actor_id) == ("staff", str(_id(app, admin_email)))
    assert event.object_id == str(worker_id)
    assert _count(app, StaffTotp, StaffTotp.staff_id == worker_id) == 0
    assert _count(app, StaffRecoveryCode, StaffRecoveryCode.staff_id == worker_id) == 0

    again = _cli(app, worker.email, "--by", admin_email)  # run twice: nothing more happens
    assert again.exit_code != 0 and "nothing to reset" in again.output
    assert len(_resets(app)) == 1
    unknown = _cli(app, "who@voice.test", "--by", admin_email)
    assert unknown.exit_code != 0 and "no staff member has the email" in unknown.output

    _deliver(app)
    [mail] = smtp_server.messages
    assert (mail.message["To"], mail.message["Subject"]) == (worker.email, RESET_SUBJECT)
    assert sign_in_staff(worker_page, worker.email).url == "/staff/sign-in/set-up-code"


def test_a_turned_off_admin_cannot_use_the_command(app, totp_on):
    admin_email = new_staff(app, "admin", active=False)
    worker = enrol(_browser(app), new_staff(app, "social_worker"), totp_on)
    refused = _cli(app, worker.email, "--by", admin_email)
    assert refused.exit_code != 0 and "is not an active admin account" in refused.output
    assert _resets(app) == []
