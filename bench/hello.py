"""The yardstick: a bare Flask app served with exactly the same gunicorn settings as Voice.

Voice's figures are reported as a ratio to this app's, measured in the same run, because
absolute requests-per-second on a shared two-core machine move by tens of percent.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, world!"


@app.get("/healthz")
def healthz() -> str:
    return "ok"
