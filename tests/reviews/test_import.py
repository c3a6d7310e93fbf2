"""Importing children and review dates from a case-system CSV export."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select

from tests.reviews.conftest import SAMPLE
from voice.extensions import db
from voice.inbox import export
from voice.models import Child, Review
from voice.reviews import importer
from voice.reviews.statutory import add_months, add_working_days

AS_OF = "2026-12-01 10:00:00+00:00"
HEADER = importer.FIELDS


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def csv_bytes(*rows: dict[str, str], header=HEADER, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode(encoding)


def row(**overrides: str) -> dict[str, str]:
    base = {
        "child_id": "LCS900001",
        "first_name": "Wren",
        "last_name": "Ashdown",
        "date_of_birth": "2013-04-02",
        "preferred_language": "pl",
        "became_looked_after_on": "2024-01-08",
        "social_worker_email": "sw01@council.example",
        "iro_email": "iro1@council.example",
        "team": "North Children in Care",
        "last_review_on": "2026-07-01",
        "next_review_on": "2026-12-20",
        "mobile": "07700 900001",
        "carer_mobile": "",
        "carer_email": "carer@carers.example",
    }
    return base | overrides


def run(data: bytes, *, dry_run: bool = False, max_bytes: int = 5_000_000) -> importer.ImportReport:
    return importer.run(data, dry_run=dry_run, by=None, max_bytes=max_bytes)


@pytest.fixture(autouse=True)
def _as_of():
    with time_machine.travel(AS_OF, tick=False):
        yield


def test_the_sample_of_300_children_imports_and_a_dry_run_changes_nothing(sample_staff, runner):
    result = runner.invoke(args=["reviews", "import", str(SAMPLE), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "300 created, 0 updated, 0 unchanged, 0 rejected (dry run: nothing changed)" in result.output
    assert count(Child) == 0 and count(Review) == 0

    result = runner.invoke(args=["reviews", "import", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "300 created, 0 updated, 0 unchanged, 0 rejected" in result.output
    assert count(Child) == 300
    # Every child has exactly one review to come, dated from the file or from the rules.
    upcoming = db.session.scalar(select(func.count()).select_from(Review).where(Review.held_on.is_(None)))
    assert upcoming == 300
    with_contacts = db.session.scalar(
        select(func.count()).select_from(Child).where(Child.mobile.is_not(None))
    )
    assert 0 < with_contacts < 300

    again = runner.invoke(args=["reviews", "import", str(SAMPLE)])
    assert "0 created, 0 updated, 300 unchanged, 0 rejected" in again.output
    assert count(Child) == 300 and count(Review) == upcoming + db.session.scalar(
        select(func.count()).select_from(Review).where(Review.held_on.is_not(None))
    )


def test_a_changed_row_is_updated_and_a_missing_child_is_listed_not_deleted(sample_staff):
    run(csv_bytes(row(), row(child_id="LCS900002", first_name="Juno")))
    report = run(csv_bytes(row(next_review_on="2026-12-18", social_worker_email="sw02@council.example")))
    [result] = report.results
    assert result.outcome == "updated"
    assert "social_worker_id" in result.changes and "next_review_on" in result.changes
    assert [m.case_id for m in report.missing] == ["LCS900002"]
    assert count(Child) == 2  # never deleted
    child = db.session.scalar(select(Child).where(Child.case_id == "LCS900001"))
    assert child.next_review(date(2026, 12, 1)).due_on == date(2026, 12, 18)
    assert child.social_worker.email == "sw02@council.example"


def test_without_a_next_review_date_the_statutory_one_is_used_and_flagged_when_late(sample_staff):
    report = run(
        csv_bytes(
            row(child_id="A1", last_review_on="2026-09-01", next_review_on=""),
            row(child_id="A2", became_looked_after_on="2026-11-30", last_review_on="", next_review_on=""),
            row(child_id="A3", last_review_on="2026-09-01", next_review_on="2027-04-01"),
        )
    )
    assert [r.outcome for r in report.results] == ["created"] * 3
    by_id = {c.case_id: c for c in db.session.scalars(select(Child))}
    later = by_id["A1"].next_review(date(2026, 12, 1))
    assert later.due_on == later.statutory_by == add_months(date(2026, 9, 1), 6)
    first = by_id["A2"].next_review(date(2026, 12, 1))
    # 20 working days from Mon 30 Nov 2026 would be Mon 28 Dec, but Christmas Day (Fri 25) and
    # Boxing Day's substitute (Mon 28) are bank holidays in England.
    assert first.due_on == add_working_days(date(2026, 11, 30), 20) == date(2026, 12, 30)
    assert first.sequence == 1
    late = by_id["A3"].next_review(date(2026, 12, 1))
    assert late.beyond_statutory and late.statutory_by == date(2027, 3, 1)


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ({"date_of_birth": "31/02/2015"}, "date_of_birth '31/02/2015' is not a date"),
        ({"next_review_on": "next week"}, "next_review_on 'next week' is not a date"),
        ({"social_worker_email": "nobody@council.example"}, "unknown worker email 'nobody@council.example'"),
        ({"iro_email": "sw01@council.example"}, "unknown IRO email"),
        ({"team": "Nowhere"}, "unknown team 'Nowhere'"),
        ({"child_id": ""}, "child_id is empty"),
        ({"mobile": "12345"}, "mobile is not a UK mobile number"),
        ({"carer_email": "not an email"}, "carer_email is not an email address"),
        ({"next_review_on": "2026-06-01"}, "next_review_on is not after last_review_on"),
    ],
)
def test_a_bad_row_is_rejected_with_its_reason_and_the_good_rows_still_import(sample_staff, bad, reason):
    report = run(csv_bytes(row(child_id="GOOD1"), row(**({"child_id": "BAD1"} | bad))))
    outcomes = {r.line: (r.outcome, r.reason) for r in report.results}
    assert outcomes[2] == ("created", "")
    assert outcomes[3][0] == "rejected" and reason in outcomes[3][1]
    assert [c.case_id for c in db.session.scalars(select(Child))] == ["GOOD1"]


def test_a_duplicate_child_id_rejects_every_row_naming_it(sample_staff):
    report = run(csv_bytes(row(child_id="D1"), row(child_id="D1", first_name="Kit"), row(child_id="D2")))
    assert [(r.child_id, r.outcome) for r in report.results] == [
        ("D1", "rejected"),
        ("D1", "rejected"),
        ("D2", "created"),
    ]
    assert "duplicate child_id" in report.results[0].reason


def test_a_missing_column_rejects_every_row_and_imports_nothing(sample_staff):
    header = [h for h in HEADER if h != "date_of_birth"]
    report = run(csv_bytes(row(), row(child_id="X2"), header=header))
    assert {r.outcome for r in report.results} == {"rejected"}
    assert "missing column: date_of_birth" in report.results[0].reason
    assert count(Child) == 0


def test_windows_1252_is_read_with_a_warning_and_binary_is_refused(sample_staff):
    report = run(csv_bytes(row(first_name="Zoë", last_name="Brontë"), encoding="cp1252"))
    assert "read as Windows-1252" in report.warnings[0]
    assert db.session.scalar(select(Child.first_name)) == "Zoë"
    with pytest.raises(importer.ImportRefused, match="not CSV text"):
        run(b"child_id\n\x00\x01\x02")


def test_a_50_mb_file_is_refused_whole_with_the_limit_named(sample_staff, runner, tmp_path: Path):
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.write(csv_bytes(row()))
        handle.truncate(50_000_000)
    result = runner.invoke(args=["reviews", "import", str(big)])
    assert result.exit_code != 0
    message = result.output.replace("\n", " ")
    assert "The file is 50.0 MB; the limit is 5.0 MB" in message and "Nothing was imported" in message
    assert count(Child) == 0
    with pytest.raises(importer.ImportRefused, match="the limit is 10 KB"):
        run(csv_bytes(*[row(child_id=f"B{n}") for n in range(200)]), max_bytes=10_000)


def test_a_formula_in_a_name_is_kept_as_text_and_escaped_in_csv_exports(sample_staff):
    evil = '=HYPERLINK("http://evil.example","click")'
    report = run(csv_bytes(row(first_name=evil)))
    [result] = report.results
    assert result.outcome == "created" and "kept as plain text" in result.warnings[0]
    child = db.session.scalar(select(Child))
    assert child.first_name == evil
    assert export.safe_cell(child.first_name).startswith("'=")


def test_another_councils_export_works_with_its_own_mapping(sample_staff, runner, tmp_path: Path):
    mapping = tmp_path / "mosaic.yaml"
    renamed = {f: f"Mosaic {f.replace('_', ' ').title()}" for f in HEADER}
    mapping.write_text(
        "columns:\n"
        + "".join(f"  {f}: '{col}'\n" for f, col in renamed.items())
        + "date_formats: ['%d/%m/%Y']\n",
        encoding="utf-8",
    )
    source = row(
        date_of_birth="02/04/2013",
        became_looked_after_on="08/01/2024",
        last_review_on="01/07/2026",
        next_review_on="20/12/2026",
    )
    data = tmp_path / "mosaic.csv"
    data.write_bytes(csv_bytes({renamed[k]: v for k, v in source.items()}, header=list(renamed.values())))
    result = runner.invoke(args=["reviews", "import", str(data), "--mapping", str(mapping)])
    assert "1 created" in result.output, result.output
    child = db.session.scalar(select(Child))
    assert child.date_of_birth == date(2013, 4, 2) and child.mobile == "+447700900001"
