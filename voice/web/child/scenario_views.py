"""Something else to say: the scenarios beyond the review (issue 27), at any time."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from voice.auth.permissions import child_required
from voice.chat import conversations
from voice.scenarios import menu, visits
from voice.web.child import bp
from voice.web.child.forms import CsrfOnlyForm


@bp.get("/something-else")
@child_required
def something_else():
    offered = menu.for_child(g.child)
    return render_template(
        "child/scenarios.html",
        menu=offered,
        drafts=conversations.open_drafts(g.child),
        only=None,
        form=CsrfOnlyForm(),
    )


@bp.get("/something-else/<string:flow_id>")
@child_required
def scenario(flow_id: str):
    """One scenario on its own: where a worker's link (for a visit or a PEP meeting) lands."""
    found = next((flow for flow in menu.scenario_flows() if flow.id == flow_id), None)
    if found is None:
        abort(404)
    return render_template(
        "child/scenarios.html",
        menu=menu.Menu([found], None, None),
        drafts=conversations.open_drafts(g.child),
        only=found,
        form=CsrfOnlyForm(),
    )


@bp.post("/visits/<int:visit_id>")
@child_required
def visit_answer(visit_id: int):
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    if visits.answer(g.child, visit_id, request.form.get("talked_about", "")):
        flash(_("Thank you. Your worker will see your answer."))
    return redirect(url_for("child.something_else"))
