import pytest

from tests import factories
from tests.helpers.auth import sign_in_staff
from voice.extensions import db

PUBLIC_PAGES = ["/", "/help", "/sign-in", "/staff/sign-in", "/nope-404"]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_security_headers_on_every_page(client, url):
    headers = client.get(url).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "base-uri 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "Server" not in headers or "Werkzeug" not in headers.get("Server", "")


def test_signed_in_pages_are_not_cached(app, page):
    with app.app_context():
        person = factories.staff(team_=factories.team())
        db.session.commit()
        email = person.email
    home = sign_in_staff(page, email)
    assert home.response.headers["Cache-Control"] == "no-store"


def test_no_inline_script_in_any_public_page(client):
    for url in PUBLIC_PAGES:
        body = client.get(url).get_data(as_text=True)
        assert "<script>" not in body
        assert " on" + "click=" not in body
