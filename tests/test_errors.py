import pytest

from tests.conftest import BASE_OVERRIDES
from voice import create_app
from voice.extensions import db


@pytest.mark.parametrize(
    "url",
    [
        "/nope",
        "/staff/%00",
        "/nothing/\u202e",
        "/chat/not-a-uuid",
        "/messages/12345",
        "/staff/sign-in/../../etc/passwd",
    ],
)
def test_garbage_urls_give_a_plain_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"Page not found" in response.data


def test_oversized_bodies_get_413(client):
    response = client.post("/staff/sign-in", data={"email": "a@b.c", "password": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert b"too much to send" in response.data


def test_wrong_method_gets_405_not_500(client):
    assert client.get("/staff/sign-out").status_code == 405
    assert client.open("/staff/sign-in", method="TRACE").status_code == 405


def test_unexpected_errors_show_a_reference_and_no_traceback(app, database_url, tmp_path):
    app = create_app(
        {**BASE_OVERRIDES, "SQLALCHEMY_DATABASE_URI": database_url, "VOICE_INSTANCE_DIR": str(tmp_path)}
    )

    @app.get("/boom-test-only")
    def boom():
        raise RuntimeError("secret detail")

    boom.voice_access = "public"
    response = app.test_client().get("/boom-test-only")
    with app.app_context():
        db.engine.dispose()
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Reference:" in body
    assert "secret detail" not in body
    assert "Traceback" not in body
