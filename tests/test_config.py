import base64

import pytest

from voice import create_app
from voice.config import DEV_DATA_KEYS, ConfigError, parse_data_keys, settings_from_env

GOOD_KEY = base64.b64encode(b"k" * 32).decode()
PROD_SECRET = "q8Lr-Vw2nX0bJt7sKe4Hy9aPz3Uc6Df1Gm5Io"
PROD = {
    "VOICE_ENV": "production",
    "VOICE_SECRET_KEY": "q8Lr-Vw2nX0bJt7sKe4Hy9aPz3Uc6Df1Gm5Io",
    "VOICE_PIN_PEPPER": "Zx1Cv2Bn3Mq4Wr5Ty6Ui7Op8As9Df0Gh-Jk_L",
    "VOICE_DATA_KEYS": f"k1:{GOOD_KEY}",
    "VOICE_BASE_URL": "https://voice.example.gov.uk",
    "VOICE_TRUSTED_HOSTS": "voice.example.gov.uk",
    "VOICE_STAFF_TOTP": "1",
}


def test_development_defaults_work_with_no_environment():
    cfg = settings_from_env({})
    assert cfg["VOICE_ENV"] == "development"
    assert cfg["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert cfg["VOICE_BASE_URL"] == "http://127.0.0.1:5000"


def test_production_with_real_settings_starts():
    cfg = settings_from_env(PROD)
    assert cfg["SESSION_COOKIE_SECURE"] is True
    assert cfg["SESSION_COOKIE_NAME"].startswith("__Host-")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("VOICE_SECRET_KEY", "", "VOICE_SECRET_KEY"),
        ("VOICE_SECRET_KEY", "dev-only-secret-key-not-for-production", "VOICE_SECRET_KEY"),
        ("VOICE_PIN_PEPPER", "", "VOICE_PIN_PEPPER"),
        ("VOICE_DATA_KEYS", "", "VOICE_DATA_KEYS"),
        ("VOICE_DATA_KEYS", DEV_DATA_KEYS, "VOICE_DATA_KEYS"),
        ("VOICE_SECRET_KEY", "a" * 32, "VOICE_SECRET_KEY looks weak"),
        ("VOICE_PIN_PEPPER", "abab" * 10, "VOICE_PIN_PEPPER looks weak"),
        ("VOICE_SECRET_KEY", "Short-but-varied-1234", "at least 32 characters"),
        ("VOICE_PIN_PEPPER", PROD_SECRET, "must differ from VOICE_SECRET_KEY"),
        ("VOICE_BASE_URL", "http://voice.example.gov.uk", "https://"),
        ("VOICE_TRUSTED_HOSTS", "", "VOICE_TRUSTED_HOSTS"),
        ("VOICE_STAFF_TOTP", "0", "VOICE_STAFF_TOTP must be on"),
        ("VOICE_TRUSTED_PROXIES", "not-an-address", "VOICE_TRUSTED_PROXIES"),
    ],
)
def test_production_refuses_missing_or_default_secrets(name, value, message):
    env = {**PROD, name: value}
    with pytest.raises(ConfigError, match=message):
        settings_from_env(env)


def test_production_refuses_the_development_key_even_under_another_id():
    dev_key = DEV_DATA_KEYS.split(":", 1)[1]
    with pytest.raises(ConfigError, match="development key"):
        settings_from_env({**PROD, "VOICE_DATA_KEYS": f"k1:{GOOD_KEY},old:{dev_key}"})


@pytest.mark.parametrize(
    "raw",
    [
        "nocolon",
        "k1:not-base64!!",
        f"k1:{base64.b64encode(b'short').decode()}",
        f"k1:{GOOD_KEY},k1:{GOOD_KEY}",
        "",
    ],
)
def test_bad_data_keys_are_refused_with_a_clear_message(raw):
    with pytest.raises(ConfigError, match="VOICE_DATA_KEYS"):
        parse_data_keys(raw)


def test_bad_numbers_are_refused():
    with pytest.raises(ConfigError, match="VOICE_STAFF_IDLE_MINUTES"):
        settings_from_env({"VOICE_STAFF_IDLE_MINUTES": "thirty"})


def test_create_app_fails_fast_in_production_without_secrets(monkeypatch):
    monkeypatch.setenv("VOICE_ENV", "production")
    monkeypatch.delenv("VOICE_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        create_app()


def test_the_exit_site_is_a_setting_and_must_be_another_site():
    assert settings_from_env({})["VOICE_EXIT_URL"] == "https://www.bbc.co.uk/weather"
    chosen = settings_from_env({"VOICE_EXIT_URL": "https://www.example.org/news"})
    assert chosen["VOICE_EXIT_URL"] == "https://www.example.org/news"
    for bad in ("javascript:alert(1)", "/help", "http://127.0.0.1:5000/help"):
        with pytest.raises(ConfigError, match="VOICE_EXIT_URL"):
            settings_from_env({"VOICE_EXIT_URL": bad})


def test_debug_stays_off_in_production_even_when_flask_debug_is_set(monkeypatch, tmp_path):
    for name, value in PROD.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    monkeypatch.setenv("VOICE_DATABASE_URL", f"sqlite:///{tmp_path / 'v.sqlite'}")
    monkeypatch.setenv("VOICE_INSTANCE_DIR", str(tmp_path / "instance"))
    app = create_app()
    assert app.config["VOICE_ENV"] == "production"
    assert app.debug is False and app.config["DEBUG"] is False
    assert app.config["PROPAGATE_EXCEPTIONS"] is not True  # errors reach the generic page
