"""The studio wing: the Children in Care Council browse, preview and propose; staff decide and publish.

``bp`` is defined here; each module named in ``VIEWS`` adds its routes to it, and the app
factory (``voice.register_blueprints``) imports them and registers ``bp``.
"""

from typing import Any

from flask import Blueprint, g

bp = Blueprint("studio", __name__, url_prefix="/studio")

VIEWS = ("views", "admin_views", "proposal_views", "language_views", "insight_views")


def me() -> Any:
    """The signed-in council member or staff member."""
    return g.get("council_member") or g.get("staff")
