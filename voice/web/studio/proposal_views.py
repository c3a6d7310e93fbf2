"""Proposals, versions and "you said, we did". Deciding and publishing needs the
participation officer (``studio_publish``); everyone in the studio can read, comment and vote."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from voice.auth.permissions import council_or_staff_required, staff_required
from voice.content import versions
from voice.content.registry import ContentError
from voice.extensions import db
from voice.models import ContentVersion, Proposal
from voice.studio import checks, items, outcomes, people, proposals, releases
from voice.web.studio import bp, me, preview
from voice.web.studio.forms import (
    CommentForm,
    EmptyForm,
    OutcomeForm,
    PublishForm,
    RollbackForm,
    SendBackForm,
    VoteForm,
    choice,
)


def _proposal(proposal_id: int) -> Proposal:
    found = db.session.get(Proposal, proposal_id)
    if found is None:
        abort(404)
    return found


def _back(proposal: Proposal):
    return redirect(url_for("studio.proposal", proposal_id=proposal.id))


def _show(proposal: Proposal, *, problems: list[str] | None = None, status: int = 200, **forms):
    conflict = proposals.conflict_of(proposal) if proposal.status in ("open", "approved") else None
    return render_template(
        "studio/proposal.html",
        proposal=proposal,
        kind=items.kind(proposal.item_kind),
        diff=proposals.diff(proposal.before_text, proposal.proposed_text),
        conflict=conflict,
        conflict_diff=proposals.diff(conflict.live_text, proposal.proposed_text) if conflict else None,
        after=_after_preview(proposal),
        scores=(checks.score(proposal.before_text), checks.score(proposal.proposed_text)),
        problems=problems or [],
        names=people.names(_keys(proposal)),
        status_labels=proposals.STATUS_LABELS,
        op_labels=proposals.OP_LABELS,
        my_vote=proposals.my_vote(proposal, me()),
        can_publish=people.can_publish(me()),
        is_author=proposal.author == people.key_of(me()),
        others=proposals.open_for_item(proposal.item_kind, proposal.item_id, excluding=proposal.id),
        comment_form=forms.get("comment_form") or CommentForm(),
        send_back_form=forms.get("send_back_form") or SendBackForm(),
        publish_form=forms.get("publish_form") or PublishForm(),
        empty_form=EmptyForm(),
        vote_form=VoteForm(),
    ), status


def _keys(proposal: Proposal) -> list[str | None]:
    return [proposal.author, proposal.decided_by, *(c.author for c in proposal.comments)]


def _after_preview(proposal: Proposal):
    """The proposed words on the phone, or None when they can't be drawn any more."""
    kind = items.kind(proposal.item_kind)
    if kind is None:
        return None
    try:
        if proposal.status == "published" and proposal.published_version is not None:
            tree = versions.tree_of(proposal.published_version)
        else:
            live = proposal.status in ("open", "approved")
            base = versions.live_tree() if live else versions.tree_of(proposal.base_version)
            tree = kind.apply(base, proposal.item_id, proposal.change)
        item = kind.item(tree, proposal.item_id)
        return preview.phone(item, preview.bundle_for_tree(tree, proposal.item_kind)) if item else None
    except (items.ChangeError, LookupError, ValueError, ContentError):
        return None  # e.g. the item is gone, or the change no longer applies


@bp.get("/proposals")
@council_or_staff_required("studio")
def proposal_list():
    status = request.args.get("status") if request.args.get("status") in proposals.STATUS_LABELS else None
    mine = request.args.get("mine") == "1"
    found = proposals.listing(status=status, author=people.key_of(me()) if mine else None)
    return render_template(
        "studio/proposals.html",
        found=found,
        status=status,
        mine=mine,
        describe=proposals.describe,
        status_labels=proposals.STATUS_LABELS,
        names=people.names(p.author for p in found),
        counts=proposals.counts(),
    )


@bp.get("/proposals/<int:proposal_id>")
@council_or_staff_required("studio")
def proposal(proposal_id: int):
    return _show(_proposal(proposal_id))


@bp.post("/proposals/<int:proposal_id>/comments")
@council_or_staff_required("studio")
def comment(proposal_id: int):
    found, form = _proposal(proposal_id), CommentForm()
    if not form.validate_on_submit():
        return _show(found, status=400, comment_form=form)
    proposals.comment(found, me(), form.body.data)
    return redirect(url_for("studio.proposal", proposal_id=found.id, _anchor="comments"))


@bp.post("/proposals/<int:proposal_id>/vote")
@council_or_staff_required("studio")
def vote(proposal_id: int):
    found, form = _proposal(proposal_id), VoteForm()
    if not form.validate_on_submit() or form.agree.data not in ("yes", "no"):
        abort(400)
    proposals.vote(found, me(), form.agree.data == "yes")
    return _back(found)


@bp.post("/proposals/<int:proposal_id>/withdraw")
@council_or_staff_required("studio")
def withdraw(proposal_id: int):
    found = _proposal(proposal_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        proposals.withdraw(found, me())
    except proposals.ProposalError as error:
        return _show(found, problems=error.problems, status=409)
    flash(_("The proposal was withdrawn."))
    return _back(found)


@bp.post("/proposals/<int:proposal_id>/approve")
@staff_required("studio_publish")
def approve(proposal_id: int):
    found = _proposal(proposal_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        proposals.approve(found, me())
    except proposals.ProposalError as error:
        return _show(found, problems=error.problems, status=409)
    flash(_("Approved. It is ready to publish."))
    return _back(found)


@bp.post("/proposals/<int:proposal_id>/send-back")
@staff_required("studio_publish")
def send_back(proposal_id: int):
    found, form = _proposal(proposal_id), SendBackForm()
    if not form.validate_on_submit():
        return _show(found, status=400, send_back_form=form)
    try:
        proposals.send_back(found, me(), form.reason.data)
    except proposals.ProposalError as error:
        return _show(found, problems=error.problems, status=409)
    flash(_("Sent back with your reason."))
    return _back(found)


@bp.post("/proposals/<int:proposal_id>/publish")
@staff_required("studio_publish")
def publish(proposal_id: int):
    found, form = _proposal(proposal_id), PublishForm()
    if not form.validate_on_submit():
        return _show(found, status=400, publish_form=form)
    try:
        version = proposals.publish(found, me(), note=form.note.data, replace_newer=form.replace_newer.data)
    except proposals.ProposalError as error:
        return _show(found, problems=error.problems, status=409, publish_form=form)
    flash(_("Published. Version %(version)s is live: children see the new words now.", version=version.id))
    return _back(found)


@bp.get("/versions")
@council_or_staff_required("studio")
def version_list():
    found = versions.history()
    return render_template(
        "studio/versions.html",
        found=found,
        live=versions.live_ref(),
        names=people.names(v.published_by for v in found),
        can_publish=people.can_publish(me()),
        form=RollbackForm(),
    )


@bp.get("/versions/<int:version_id>")
@council_or_staff_required("studio")
def version(version_id: int):
    found = db.session.get(ContentVersion, version_id)
    if found is None:
        abort(404)
    return render_template(
        "studio/version.html",
        version=found,
        changes=releases.changes_in(found),
        live=versions.live_ref(),
        name=people.name_of(found.published_by),
        can_publish=people.can_publish(me()),
        form=RollbackForm(),
    )


@bp.post("/versions/<int:version_id>/rollback")
@staff_required("studio_publish")
def rollback(version_id: int):
    form = RollbackForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        made = releases.rollback(version_id, me(), note=form.note.data)
    except releases.ReleaseError as error:
        for problem in error.problems:
            flash(problem)
        return redirect(url_for("studio.version_list"))
    flash(
        _(
            "Rolled back. Version %(version)s is live, with the words of version %(earlier)s.",
            version=made.id,
            earlier=version_id,
        )
    )
    return redirect(url_for("studio.version_list"))


@bp.get("/you-said-we-did")
@council_or_staff_required("studio")
def you_said():
    return render_template(
        "studio/you_said.html",
        found=outcomes.history(),
        mine=proposals.listing(author=people.key_of(me())),
        form=_outcome_form(),
        can_record=people.can_publish(me()),
        status_labels=proposals.STATUS_LABELS,
        describe=proposals.describe,
    )


def _outcome_form() -> OutcomeForm:
    form = OutcomeForm()
    form.proposals.choices = [
        choice(p.id, f"#{p.id} {proposals.describe(p)}") for p in outcomes.linkable_proposals()
    ]
    return form


@bp.post("/you-said-we-did")
@staff_required("studio_publish")
def record_outcome():
    form = _outcome_form()
    if not form.validate_on_submit():
        return render_template(
            "studio/you_said.html",
            found=outcomes.history(),
            mine=[],
            form=form,
            can_record=True,
            status_labels=proposals.STATUS_LABELS,
            describe=proposals.describe,
        ), 400
    outcomes.record(
        me(), form.text.data, happened_on=form.happened_on.data, proposal_ids=form.proposals.data or []
    )
    flash(_("Saved. The council can see it now."))
    return redirect(url_for("studio.you_said"))
