from flask_migrate import upgrade

from tests.conftest import BASE_OVERRIDES
from voice import create_app


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_database_down_gives_503_pages_then_recovers_without_restart(tmp_path):
    missing = tmp_path / "not-yet"
    app = create_app(
        {
            **BASE_OVERRIDES,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing / 'v.sqlite'}",
            "VOICE_INSTANCE_DIR": str(tmp_path / "inst"),
        }
    )
    client = app.test_client()
    assert client.get("/healthz").status_code == 503
    client.set_cookie("voice_auth", "a-session-token-from-before-the-outage")
    page = client.get("/staff/")
    assert page.status_code == 503
    assert b"not working right now" in page.data
    assert b"Traceback" not in page.data

    missing.mkdir()
    with app.app_context():
        upgrade()
    assert client.get("/healthz").status_code == 200
    assert client.get("/staff/sign-in").status_code == 200
