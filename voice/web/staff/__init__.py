"""The staff wing: sign-in, the inbox, children and invites, safeguarding alerts.

``bp`` is defined here; each module named in ``VIEWS`` adds its routes to it, and the app
factory (``voice.register_blueprints``) imports them and registers ``bp``.
"""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

VIEWS = (
    "views",
    "second_factor_views",
    "alert_views",
    "children_views",
    "inbox_views",
    "review_views",
    "scenario_views",
    "insight_views",
    "profile_views",
    "admin_views",
)
