"""The review import carries the equality codes when a council maps them, and leaves them alone
when its file has none."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from tests.reviews import conftest as reviews_conftest
from tests.reviews.test_import import HEADER, csv_bytes, row
from voice.extensions import db
from voice.models import Child

sample_staff = reviews_conftest.sample_staff  # the review tests' fixture, used here too


def test_mapped_equality_columns_are_imported_and_an_unmapped_file_keeps_them(
    sample_staff, runner, tmp_path: Path
):
    mapping = tmp_path / "with-equality.yaml"
    mapping.write_text(
        "columns:\n" + "".join(f"  {f}: {f}\n" for f in HEADER) + "date_formats: ['%Y-%m-%d']\n",
        encoding="utf-8",
    )
    data = tmp_path / "with.csv"
    data.write_bytes(csv_bytes(row(ethnicity="mixed", gender="female", disability="yes")))
    result = runner.invoke(args=["reviews", "import", str(data), "--mapping", str(mapping)])
    assert "1 created" in result.output, result.output
    child = db.session.scalar(select(Child))
    assert (child.ethnicity, child.gender, child.disability) == ("mixed", "female", "yes")

    plain = tmp_path / "plain.csv"
    plain.write_bytes(csv_bytes(row(first_name="Juniper")))
    result = runner.invoke(args=["reviews", "import", str(plain)])
    assert "1 updated" in result.output, result.output
    db.session.expire_all()
    child = db.session.scalar(select(Child))
    assert child.first_name == "Juniper" and child.ethnicity == "mixed"
