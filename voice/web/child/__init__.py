"""The child wing: the way in (invite, PIN, sign-in), help, safety, the chat and messages.

``bp`` is defined here; each module named in ``VIEWS`` adds its routes to it, and the app
factory (``voice.register_blueprints``) imports them and registers ``bp``.
"""

from flask import Blueprint

bp = Blueprint("child", __name__)

VIEWS = (
    "views",
    "chat_views",
    "autosave_views",
    "messages_views",
    "safety_views",
    "scenario_views",
    "picture_views",
)
