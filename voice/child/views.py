"""Child blueprint: invitation, PIN, conversation, help and exit."""

from flask import Blueprint, current_app, render_template

from voice.auth.permissions import public
from voice.content import registry

bp = Blueprint("child", __name__)


@bp.get("/")
@public
def landing():
    return render_template("child/landing.html")


@bp.get("/help")
@public
def get_help():
    page = registry.get("pages")["help"]
    html = page.html(out_of_hours_phone=current_app.config["VOICE_OUT_OF_HOURS_PHONE"])
    return render_template("child/help.html", page=page, body=html)


@bp.get("/sign-in")
@public
def sign_in():
    return render_template("child/sign_in.html")
