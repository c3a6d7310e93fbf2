from voice.gunicorn_logging import redact


def test_invite_tokens_are_redacted_from_access_log_paths():
    assert redact("/start/KtUrTeSBrTBxWoZaiUxYxS3OU2TZuWstwtCs60w9Qsg") == "/start/[redacted]"
    assert redact("/chat/123") == "/chat/123"


def test_the_access_logger_redacts_request_lines():
    from types import SimpleNamespace

    from gunicorn.config import Config

    from voice.gunicorn_logging import RedactingLogger

    logger = RedactingLogger(Config())
    req = SimpleNamespace(
        uri="/start/secret-token-value",
        method="GET",
        version=(1, 1),
        headers=[],
        path="/start/secret-token-value",
        query="lang=bn",
    )
    resp = SimpleNamespace(status="200 OK", response_length=10, sent=10, headers=[])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/start/secret-token-value",
        "PATH_INFO": "/start/secret-token-value",
        "QUERY_STRING": "lang=bn",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    from datetime import timedelta

    atoms = logger.atoms(resp, req, environ, timedelta(milliseconds=5))
    assert "secret-token-value" not in " ".join(str(v) for v in atoms.values())
