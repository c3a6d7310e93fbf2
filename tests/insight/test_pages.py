"""Insight pages: each person sees their own scope, another team is "not found", every table
has a CSV with the marking, and the council's figures never carry a child's words or name."""

from __future__ import annotations

import csv
import io

import time_machine

from tests.helpers.auth import sign_in_staff
from tests.helpers.pages import PageFetcher
from tests.helpers.submissions import send_for
from tests.insight.conftest import MONDAY, play
from tests.insight.test_figures import AFTER
from voice.extensions import db
from voice.models import Child

NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}


def _signed_in(app, email):
    page = PageFetcher(app.test_client())
    sign_in_staff(page, email)
    return page


def test_a_manager_sees_their_team_with_definitions_and_gets_404_for_another(app, world):
    play(app, world)
    with time_machine.travel(AFTER, tick=False):
        manager = _signed_in(app, world["emails"]["tm_a"])
        page = manager.get("/staff/insight?from=2026-11-01&to=2026-11-30")
        assert "Views in before the review, by team and month" in page.text
        assert "How this is worked out:" in page.text and "fewer than 5" in page.text
        assert "Asha One" in page.text and "Dev Three" not in page.text
        manager.get(f"/staff/insight?team={world['team_b']}", status=404)
        manager.get(f"/staff/insight/supervision/{world['ids']['sw_b']}", status=404)
        supervision = manager.get(f"/staff/insight/supervision/{world['ids']['sw_a1']}")
        assert "Pip" in supervision.text
        bad = manager.get("/staff/insight?from=2026-11-30&to=2026-11-01", status=400)
        assert "end date is before the start date" in bad.text
        worker = _signed_in(app, world["emails"]["sw_a1"])
        worker.get("/staff/insight", status=404)


def test_insight_is_in_the_menu_of_those_who_may_open_it_only(app, world):
    def menu_link(email):
        page = sign_in_staff(PageFetcher(app.test_client()), email)  # wherever they land
        found = page.soup.select_one("nav a[href='/staff/insight']")
        return found is not None

    assert menu_link(world["emails"]["tm_a"]) and menu_link(world["emails"]["iro"])
    assert not menu_link(world["emails"]["sw_a1"]) and not menu_link(world["emails"]["sw_b"])


def test_every_table_downloads_as_marked_csv_with_suppression(app, world):
    play(app, world)
    with time_machine.travel(AFTER, tick=False):
        manager = _signed_in(app, world["emails"]["tm_a"])
        page = manager.get("/staff/insight?from=2026-11-01&to=2026-11-30")
        links = [a["href"] for a in page.soup.select("a[download]")]
        assert len(links) == len(page.soup.select("section.insight-figure"))
        for link in links:
            response = manager.client.get(link)
            assert response.status_code == 200 and response.mimetype == "text/csv"
            rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
            assert rows[0][0] == "OFFICIAL-SENSITIVE"
            cells = [c for row in rows[4:] for c in row[1:]]
            assert not any(c in ("1", "2", "3", "4") for c in cells)


def test_the_council_view_never_shows_a_childs_words_or_name(app, world):
    marker = "Zqx7marker"
    with app.app_context():
        child = Child.by_ref(world["refs"]["kid_b"])
        child.first_name, child.last_name = f"{marker}Name", f"{marker}Surname"
        db.session.commit()
    with time_machine.travel(MONDAY, tick=False):
        for _ in range(6):
            send_for(app, world["refs"]["kid_b"], text=f"my words {marker} =HYPERLINK(1)")
    play(app, world)
    with time_machine.travel(AFTER, tick=False):
        officer = _signed_in(app, world["emails"]["po"])
        page = officer.get("/staff/insight?from=2026-11-01&to=2026-11-30")
        assert "You said, we did" in page.text and "Themes by UNCRC article" in page.text
        html = page.response.get_data(as_text=True)
        assert marker not in html and "K-B1" not in html
        for link in [a["href"] for a in page.soup.select("a[download]")]:
            body = officer.client.get(link).get_data(as_text=True)
            assert marker not in body and "K-B1" not in body


def test_a_council_member_sees_the_aggregate_and_404_for_a_team(app, world):
    from tests import factories

    marker = "Yv4marker"
    with app.app_context():
        child = Child.by_ref(world["refs"]["kid_a2"])
        child.first_name = f"{marker}Name"
        factories.council_member(email="sky@voice.test")
        db.session.commit()
    with time_machine.travel(MONDAY, tick=False):
        send_for(app, world["refs"]["kid_a2"], text=f"secret {marker}")
    play(app, world)
    with time_machine.travel(AFTER, tick=False):
        member = _signed_in(app, "sky@voice.test")
        page = member.get("/studio/insight?from=2026-11-01&to=2026-11-30")
        assert "You said, we did" in page.text and "How this is worked out:" in page.text
        figures = page.soup.select("figure.chart")
        assert figures
        for figure in figures:  # the image names the chart; the caption, read once, sums it up
            alt, caption = figure.img["alt"], figure.figcaption.get_text(strip=True)
            assert alt.startswith("Bar chart:") and caption and alt != caption
        html = page.response.get_data(as_text=True)
        assert marker not in html and "K-A2" not in html and "Rory" not in html
        for link in [a["href"] for a in page.soup.select("a[download]")]:
            body = member.client.get(link).get_data(as_text=True)
            assert body.startswith("OFFICIAL-SENSITIVE") and marker not in body
        member.get(f"/studio/insight?team={world['team_a']}", status=404)
        member.get("/staff/insight", status=302, follow=False)
