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


def test_help_and_the_help_numbers_survive_a_database_outage(tmp_path):
    app = create_app(
        {
            **BASE_OVERRIDES,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'gone' / 'v.sqlite'}",
            "VOICE_INSTANCE_DIR": str(tmp_path / "inst"),
        }
    )
    client = app.test_client()
    client.set_cookie("voice_auth", "a-session-token-from-before-the-outage")
    help_page = client.get("/help")
    assert help_page.status_code == 200 and b"0800 1111" in help_page.data
    down = client.get("/chat")
    assert down.status_code == 503
    assert b"999" in down.data and b"0800 1111" in down.data
