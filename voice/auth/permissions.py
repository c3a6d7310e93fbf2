"""Who may open which page.

Every view is wrapped by exactly one of these decorators. They mark the view function with
``voice_access`` so a conventions test can prove no route was left unguarded.

Objects outside a person's scope answer 404, never 403 (an object lookup is done by the
domain layer with the person's scope); a *kind* of page that a person may never use answers
403 for staff and council members, and sends children and strangers to sign in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, redirect, request, url_for

F = TypeVar("F", bound=Callable[..., Any])

# What each staff role may do. Keep in one table: a registry, not scattered if/elif.
ROLE_ABILITIES: dict[str, frozenset[str]] = {
    "social_worker": frozenset(
        {
            "inbox",
            "read_submissions",
            "reply",
            "record_outcomes",
            "invite",
            "alerts",
            "reviews",
            "record_reviews",
        }
    ),
    "team_manager": frozenset(
        {
            "inbox",
            "read_submissions",
            "reply",
            "record_outcomes",
            "invite",
            "manage_team",
            "alerts",
            "reviews",
            "record_reviews",
        }
    ),
    "iro": frozenset(
        {"inbox", "read_submissions", "reply", "record_outcomes", "reviews", "record_reviews", "move_reviews"}
    ),
    "duty": frozenset({"inbox", "read_submissions", "alerts"}),
    # The out-of-hours emergency duty team: no inbox, only alerts (and what an alert opens).
    "emergency_duty": frozenset({"read_submissions", "alerts"}),
    "participation_officer": frozenset({"studio", "studio_publish", "council_reports"}),
    "admin": frozenset({"studio", "studio_publish", "manage_accounts", "council_reports", "import_children"}),
}


def _mark(view: Callable[..., Any], access: str) -> None:
    view.voice_access = access  # type: ignore[attr-defined]


def public(view: F) -> F:
    """Open to anyone, signed in or not (help pages, sign-in forms, health)."""
    _mark(view, "public")
    return view


def staff_required(*abilities: str) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            staff = g.get("staff")
            if staff is None:
                return redirect(url_for("staff.sign_in", next=request.path))
            granted = ROLE_ABILITIES.get(staff.role, frozenset())
            if any(a not in granted for a in abilities):
                abort(403)
            return view(*args, **kwargs)

        _mark(wrapped, "staff:" + ",".join(abilities))
        return wrapped  # type: ignore[return-value]

    return decorator


def council_or_staff_required(*abilities: str) -> Callable[[F], F]:
    """Studio pages: council members, or staff holding the abilities."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if g.get("council_member") is not None:
                return view(*args, **kwargs)
            staff = g.get("staff")
            if staff is None:
                return redirect(url_for("staff.sign_in", next=request.path))
            granted = ROLE_ABILITIES.get(staff.role, frozenset())
            if any(a not in granted for a in abilities):
                abort(403)
            return view(*args, **kwargs)

        _mark(wrapped, "studio:" + ",".join(abilities))
        return wrapped  # type: ignore[return-value]

    return decorator


# Child pages whose form posts, arriving after the child's session has ended, are answered
# some other way than a plain redirect to the PIN page: endpoint -> handler returning a
# response, or None for the plain redirect. (The chat registers one that keeps typed words.)
SIGNED_OUT_POST_HANDLERS: dict[str, Callable[[], Any]] = {}


def child_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.get("child") is None:
            handler = SIGNED_OUT_POST_HANDLERS.get(request.endpoint or "")
            response = handler() if handler is not None and request.method == "POST" else None
            return response if response is not None else redirect(url_for("child.sign_in"))
        return view(*args, **kwargs)

    _mark(wrapped, "child")
    return wrapped  # type: ignore[return-value]


def has_ability(staff: Any, ability: str) -> bool:
    return staff is not None and ability in ROLE_ABILITIES.get(staff.role, frozenset())
