"""The figures against hand counts of the scripted history (tests/insight/conftest.py)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import time_machine

from tests.insight.conftest import play
from voice.extensions import db
from voice.insight import period, report
from voice.insight.scope import Scope
from voice.insight.suppression import SMALL
from voice.insight.tables import text
from voice.models import QuizResponse

AFTER = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
NOVEMBER = period.Period(date(2026, 11, 1), date(2026, 11, 30))


def _table(tables, key):
    return next(t for t in tables if t.key == key)


def _rows(table):
    return {text(row[0]): row[1:] for row in table.rows}


def test_manager_figures_match_hand_counts_and_hide_small_numbers(app, world):
    play(app, world)
    with time_machine.travel(AFTER, tick=False), app.test_request_context():
        tables = report.figures(Scope(NOVEMBER, (world["team_a"],)), "manager")
        uptake = _rows(_table(tables, "uptake_by_team_month"))
        held, views, share = uptake["Team A 2026-11"]
        assert (held.value, views.value) == (2, 1)  # Rory's views came first; Pip's came on the day
        assert text(held) == "fewer than 5" and text(views) == "fewer than 5" and text(share) == "–"

        response = _rows(_table(tables, "response_by_worker"))
        assert set(response) == {"Asha One", "Ben Two"}  # team B's worker is not in team A's figures
        asha, ben = response["Asha One"], response["Ben Two"]
        assert asha[0].value == 2 and ben[0].value == 1
        assert [str(v) for v in asha[1:5]] == ["within 4 hours"] * 4
        assert [str(v) for v in ben[1:5]] == ["within 2 days"] * 4
        assert asha[6].value == 1 and asha[6].hidden == SMALL  # the concern was read, never answered
        assert ben[5].value == 0 and text(ben[5]) == "0"

        alerts = _rows(_table(tables, "alerts"))
        assert alerts["Alerts raised"][0].value == 1 and alerts["Escalated"][0].value == 1
        assert alerts["Action recorded: spoke to child"][0].value == 1
        assert all(text(v[0]) in ("fewer than 5", "0") for v in alerts.values())

        ethnicity = _rows(_table(tables, "equality_ethnicity"))
        assert ethnicity["white_british"][0].value == 1 and ethnicity["mixed"][0].value == 1
        assert ethnicity["mixed"][3].value == 1 and ethnicity["white_british"][3].value == 0  # views first
        disability = _rows(_table(tables, "equality_disability"))
        assert disability["yes"][2].value == 1


def test_team_b_and_iro_and_council_figures(app, world):
    play(app, world)
    with time_machine.travel(AFTER, tick=False), app.test_request_context():
        for i in range(12):
            db.session.add(QuizResponse(question_id="q1", correct=i < 6, answered_on=date(2026, 11, 3)))
        db.session.commit()
        b = report.figures(Scope(NOVEMBER, (world["team_b"],)), "manager")
        assert set(_rows(_table(b, "response_by_worker"))) == {"Dev Three"}
        assert _table(b, "uptake_by_team_month").rows == []

        iro = _rows(_table(report.figures(Scope(NOVEMBER), "iro"), "uptake_by_iro"))
        assert (iro["Fin Iro"][0].value, iro["Fin Iro"][1].value) == (2, 1)

        council = report.figures(Scope(NOVEMBER), "council")
        said = _rows(_table(council, "you_said_we_did"))
        assert said["Family time"][1].value == 1 and said["School or college"][1].value == 1
        assert said["Family time"][0].value == 4  # every one of the four things sent answered on family
        quiz = _rows(_table(council, "quiz_by_month"))
        assert [text(v) for v in quiz["2026-11"]] == ["12", "6", "50%"]


def test_json_command_prints_suppressed_figures_and_refuses_bad_ranges(app, world, runner):
    play(app, world)
    with time_machine.travel(AFTER, tick=False):
        result = runner.invoke(
            args=["insight", "--json", "--from", "2026-11-01", "--to", "2026-11-30", "--team", "Team A"]
        )
        assert result.exit_code == 0, result.output
        document = json.loads(result.stdout)
        assert document["from"] == "2026-11-01" and document["teams"] == [world["team_a"]]
        rows = {
            r[0]: r
            for t in document["figures"]["manager"]
            if t["key"] == "uptake_by_team_month"
            for r in t["rows"]
        }
        assert rows["Team A 2026-11"][1:] == ["fewer than 5", "fewer than 5", "–"]
        assert all(t["definition"] for audience in document["figures"].values() for t in audience)

        backwards = runner.invoke(args=["insight", "--json", "--from", "2026-11-30", "--to", "2026-11-01"])
        assert backwards.exit_code != 0 and "end date is before the start date" in backwards.output
        garbage = runner.invoke(args=["insight", "--json", "--from", "yesterday"])
        assert garbage.exit_code != 0 and "YYYY-MM-DD" in garbage.output
        future = runner.invoke(args=["insight", "--json", "--from", "2026-11-01", "--to", "2031-01-01"])
        assert future.exit_code == 0 and json.loads(future.stdout)["to"] == "2026-12-01"
        ancient = runner.invoke(args=["insight", "--json", "--from", "1900-01-01"])
        assert ancient.exit_code == 0 and json.loads(ancient.stdout)["from"] == "2016-12-01"
