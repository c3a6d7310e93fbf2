"""The Languages page: for each offered language, how much of the UI and of the content is
translated and how much a qualified translator has reviewed (issue 23). Read-only."""

from __future__ import annotations

from flask import current_app, render_template

from voice import i18n_status
from voice.auth.permissions import council_or_staff_required
from voice.web.studio import bp


@bp.get("/languages")
@council_or_staff_required("studio")
def languages():
    found = i18n_status.all_status(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])
    return render_template("studio/languages.html", found=found, threshold=i18n_status.THRESHOLD)
