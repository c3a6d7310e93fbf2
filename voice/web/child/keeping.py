"""Words a post could not save are given back, not lost (see voice/web/child/carry.py).

``keep_words`` registers, for one endpoint, what happens when its post cannot be saved as it
stands: signed out (the session ended while the child typed), the PIN page carries the words;
signed in with a run-out form token, the words come back in the box. A refused token is also
what a forged cross-site post looks like, so words are only given back to a post the browser
says came from our own page: another site must not be able to put words in a child's box.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask import g, request

from voice.auth import web
from voice.auth.permissions import SIGNED_OUT_POST_HANDLERS
from voice.errors import CSRF_RECOVERY
from voice.web.child import carry
from voice.web.child.pin_page import sign_in_page

Read = Callable[[Any, uuid.UUID], "carry.Carried | None"]
Show = Callable[..., Any]


def keep_words(endpoint: str, id_param: str, read: Read, show: Show) -> None:
    """Give back what ``read`` finds in a post to ``endpoint`` (whose URL names the object by
    ``id_param``), through the PIN page or ``show(carried, status=400)``."""

    def keep():
        object_id = (request.view_args or {}).get(id_param)
        carried = read(request.form, object_id) if object_id else None
        if carried is None:
            return None
        if g.get("child") is None:
            return sign_in_page(carried=carried)
        return show(carried, status=400)

    def after_csrf_failure():
        if not carry.from_our_own_page(request.headers, request.host_url):
            return None
        web.load_signed_in()  # the CSRF check runs before the hook that does this
        return keep()

    SIGNED_OUT_POST_HANDLERS[endpoint] = keep
    CSRF_RECOVERY[endpoint] = after_csrf_failure
