"""Children in Care Council studio blueprint."""

from flask import Blueprint, render_template

from voice.auth.permissions import council_or_staff_required

bp = Blueprint("studio", __name__, url_prefix="/studio")


@bp.get("/")
@council_or_staff_required("studio")
def home():
    return render_template("studio/home.html")
