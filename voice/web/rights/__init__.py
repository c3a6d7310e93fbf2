"""The rights wing: the rights explorer, the quiz, and asking a question.

``bp`` is defined here; each module named in ``VIEWS`` adds its routes to it, and the app
factory (``voice.register_blueprints``) imports them and registers ``bp``.
"""

from flask import Blueprint

bp = Blueprint("rights", __name__, url_prefix="/rights")

VIEWS = ("views",)
