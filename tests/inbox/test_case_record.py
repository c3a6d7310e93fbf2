"""The record for the case file (PDF and JSON), the IRO's copy, and the submission page's summary."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.helpers.auth import sign_in_staff
from tests.helpers.pages import PageFetcher
from tests.helpers.submissions import send_for
from voice import clock
from voice.extensions import db
from voice.models import AuditEvent, Child, OutboxMessage, Review
from voice.routing.outbox import deliver_due

BENGALI = "আমি আমার ভাইয়ের সাথে আরও সময় কাটাতে চাই"
ARABIC_FIRST = "ليلى"
ARABIC_LAST = "عبدالرحمن الهاشمي القرشي " * 4  # 99 letters of a 120 limit
SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "export-schema.json").read_text(encoding="utf-8"))


def staff_page(app, email):
    page = PageFetcher(app.test_client())
    sign_in_staff(page, email)
    return page


def _set_child(app, ref, **values):
    with app.app_context():
        child = Child.by_ref(ref)
        for key, value in values.items():
            setattr(child, key, value)
        child.reviews.append(Review(due_on=clock.now().date() + timedelta(days=9), sequence=4))
        db.session.commit()


def _pdf(client, sid) -> PdfReader:
    response = client.get(f"/staff/submissions/{sid}/export.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(response.data))


def _fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            names.add(str(font.get_object().get("/BaseFont", "")).replace("-", ""))
    return names


def _reply_and_decide(worker: PageFetcher, sid) -> None:
    read = worker.get(f"/staff/submissions/{sid}")
    reply = {"reply-body": "Thank you, I will ring your carer."}
    worker.submit(read, reply, selector="form[action$='/reply']")
    read = worker.get(f"/staff/submissions/{sid}")
    topic = read.soup.select_one("select[name=outcome-topic] option")["value"]
    worker.submit(
        read,
        {"outcome-topic": topic, "outcome-body": "Contact with your brother every other Saturday."},
        selector="form[action$='/outcome']",
    )


def test_pdf_holds_identifiers_marking_page_numbers_summary_and_decisions_apart(app, world):
    _set_child(app, world["kid_a"], last_name="Okafor-Hughes", case_id="LCS-204481")
    sid = send_for(app, world["kid_a"], text="I want to see my brother more", share="worker_iro")
    worker = staff_page(app, world["emails"]["sw_a1"])
    _reply_and_decide(worker, sid)

    reader = _pdf(worker.client, sid)
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert "OFFICIAL-SENSITIVE" in text
        assert f"Page {number} of {len(pages)}" in text
    first = pages[0]
    assert "Pip Okafor-Hughes" in first
    assert "1 May 2013" in first  # date of birth, British order
    assert "LCS-204481" in first and "K-A1" in first
    assert "Asha One" in first  # allocated worker
    assert re.search(r"Exported by Asha One on \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d", first)
    assert "Review 4, due" in first
    assert "Summary" in first and "What the child wants to happen" in first
    assert "I want to see my brother more" in first
    everything = "\n".join(pages)
    assert "Shared with: social worker and IRO" in everything
    assert "Reply from Asha One on" in everything and "Decision by Asha One on" in everything
    assert "v0:pre-review" not in everything and "Get ready for my review, version 1" in everything
    # PDF/UA-1: tagged, with a language and the identifier in its metadata
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and str(root["/Lang"]) == "en"
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()


def test_rtl_and_very_long_name_and_bengali_answers_render_with_their_fonts(app, world):
    _set_child(app, world["kid_a"], first_name=ARABIC_FIRST, last_name=ARABIC_LAST.strip())
    sid = send_for(app, world["kid_a"], text=BENGALI)
    worker = staff_page(app, world["emails"]["sw_a1"])
    reader = _pdf(worker.client, sid)
    fonts = _fonts(reader)
    missing = "; is fonts-noto-core installed? (.ci/run installs it: apt-get install -y fonts-noto-core)"
    assert any("NotoSansBengali" in f for f in fonts), f"{fonts}{missing}"
    assert any("NotoNaskhArabic" in f for f in fonts), f"{fonts}{missing}"
    text = "\n".join(p.extract_text() for p in reader.pages)
    # every Bengali and Arabic letter comes back out as text: drawn from a real glyph, not a box
    assert set(BENGALI.replace(" ", "")) <= set(text)
    assert set(ARABIC_LAST.replace(" ", "")) <= set(text)
    # the long name wraps inside the page instead of running off it
    print_page = worker.get(f"/staff/submissions/{sid}/print")
    cell = print_page.soup.find("th", string="Full name").find_next_sibling("td")
    assert cell["dir"] == "rtl"
    from weasyprint import HTML

    html = worker.client.get(f"/staff/submissions/{sid}/print").get_data(as_text=True)
    css = (Path(app.static_folder) / "css" / "print.css").read_text()
    document = HTML(string=html.replace("</head>", f"<style>{css}</style></head>")).render()
    page = document.pages[0]

    def widest(box):
        right = box.position_x + box.width
        return max([right, *(widest(child) for child in getattr(box, "children", []))])

    assert widest(page._page_box) <= page.width + 0.5


def test_json_export_follows_the_published_schema(app, world):
    _set_child(app, world["kid_a"], last_name="Okafor", case_id="LCS-1")
    sid = send_for(app, world["kid_a"], share="worker_iro")
    worker = staff_page(app, world["emails"]["sw_a1"])
    _reply_and_decide(worker, sid)
    data = json.loads(worker.client.get(f"/staff/submissions/{sid}/export.json").data)
    _check(SCHEMA, data, SCHEMA, "$")
    assert data["child"]["full_name"] == "Pip Okafor" and data["child"]["case_id"] == "LCS-1"
    assert data["child"]["date_of_birth"] == "2013-05-01"
    assert data["child"]["date_of_birth_text"] == "1 May 2013"
    assert data["marking"] == "OFFICIAL-SENSITIVE"
    assert [r["kind"] for r in data["replies"]] == ["reply"]
    assert [d["kind"] for d in data["decisions"]] == ["outcome"]
    assert data["summary"]["wants"], "the child's hopes lead the record"


def _check(schema: dict, value, root: dict, where: str) -> None:
    """Enough of JSON Schema (type, required, properties, items, enum, $ref, const) to hold
    the export to what docs/export-schema.json promises, without another dependency."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _check(root["$defs"][name], value, root, where)
    types = schema.get("type")
    if types is not None:
        kinds = types if isinstance(types, list) else [types]
        python = {
            "object": dict,
            "array": list,
            "string": str,
            "integer": int,
            "boolean": bool,
            "null": type(None),
            "number": (int, float),
        }
        assert any(isinstance(value, python[k]) for k in kinds), f"{where}: {value!r} is not {kinds}"
    if "const" in schema:
        assert value == schema["const"], where
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{where}: missing {key}"
        props = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            assert set(value) <= set(props), f"{where}: unexpected {set(value) - set(props)}"
        for key, sub in props.items():
            if key in value:
                _check(sub, value[key], root, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _check(schema["items"], item, root, f"{where}[{i}]")
    return None


def test_export_by_someone_outside_scope_is_404_and_audited(app, world):
    sid = send_for(app, world["kid_a"])
    other = staff_page(app, world["emails"]["sw_b"])
    for suffix in ("export.pdf", "export.json", "print"):
        assert other.client.get(f"/staff/submissions/{sid}/{suffix}").status_code == 404
    with app.app_context():
        denied = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "authz.denied")).all()
        assert len(denied) == 3 and {d.actor_id for d in denied} == {str(world["ids"]["sw_b"])}


@pytest.mark.parametrize("share, iro_told", [("worker_iro", True), ("review", True), ("worker", False)])
def test_the_iro_is_emailed_when_the_child_shares_with_them(app, world, smtp_server, share, iro_told):
    sid = send_for(app, world["kid_a"], share=share)
    with app.app_context():
        to = sorted(m.to_address for m in db.session.scalars(select(OutboxMessage)))
        expected = sorted(["a1@voice.test"] + (["iro@voice.test"] if iro_told else []))
        assert to == expected
        deliver_due()
    mailed = sorted(m.message["To"] for m in smtp_server.messages)
    assert mailed == expected
    for mail in smtp_server.messages:
        assert "Pip" not in mail.body and "brother" not in mail.body  # content-free, as the worker's
    iro = staff_page(app, world["emails"]["iro"])
    inbox = iro.get("/staff/")
    assert ("Pip (K-A1)" in inbox.text) is iro_told
    if iro_told:
        assert iro.client.get(f"/staff/submissions/{sid}").status_code == 200


def test_submission_page_leads_with_the_summary_and_folds_topics(app, world):
    sid = send_for(app, world["kid_a"], text="I want to stay with my carers")
    worker = staff_page(app, world["emails"]["sw_a1"])
    read = worker.get(f"/staff/submissions/{sid}")
    main = read.soup.select_one("main")
    summary = main.select_one("section.summary")
    assert summary is not None
    first_details = main.find("details")
    assert summary.sourceline < first_details.sourceline  # the summary comes before any answers
    assert "I want to stay with my carers" in summary.get_text()
    topics = main.select("details.topic")
    assert len(topics) >= 5 and not any(d.has_attr("open") for d in topics)
    titles = [d.summary.get_text(" ", strip=True).split(" (")[0] for d in topics]
    assert "Where I live" in titles and "home" not in titles  # titles in words, not topic ids
    # words, not codes
    assert "v0:pre-review" not in read.text and "(allocated)" not in read.text
    assert "the allocated social worker" in read.text


def test_outcome_topics_are_offered_by_their_titles(app, world):
    sid = send_for(app, world["kid_a"])
    worker = staff_page(app, world["emails"]["sw_a1"])
    read = worker.get(f"/staff/submissions/{sid}")
    options = {o["value"]: o.get_text() for o in read.soup.select("select[name=outcome-topic] option")}
    assert options["worker-visits"] == "My social worker's visits"


def test_date_of_birth_shown_on_the_child_page(app, world):
    _set_child(app, world["kid_a"], date_of_birth=date(2012, 12, 6))
    worker = staff_page(app, world["emails"]["sw_a1"])
    with app.app_context():
        child_id = Child.by_ref(world["kid_a"]).id
    assert "Born 6 Dec 2012" in worker.get(f"/staff/children/{child_id}").text
