"""Importing children, allocations and review dates from a case-system CSV export.

Two steps, so a person can see a preview before anything changes:

1. ``parse`` reads the bytes into checked rows, or rejects each bad row with a reason. It
   touches nothing in the database apart from looking up staff and teams.
2. ``apply`` upserts the good rows by ``child_id`` (stored as ``Child.case_id``) in one
   transaction and reports each as created, updated or unchanged. With ``dry_run`` it rolls
   back at the end, so the report is exact and nothing is kept.

A row is either imported whole or rejected whole: every check runs before any write. Nothing
is ever deleted; children the file no longer names are listed for a person to close.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select

from voice import audit, clock, i18n
from voice.config import PROJECT_ROOT
from voice.extensions import db
from voice.models import Child, Review, ReviewDateChange, StaffMember, Team
from voice.references import new_reference
from voice.reviews import statutory

DEFAULT_MAPPING = PROJECT_ROOT / "config" / "review_import_mapping.yaml"
# Optional equality-monitoring codes (Insight, docs/adr/0020): a council maps them only if its
# export has them; a file without them leaves what Voice holds alone.
EQUALITY_FIELDS = ("ethnicity", "gender", "disability")
FIELDS = (
    "child_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "preferred_language",
    "became_looked_after_on",
    "social_worker_email",
    "iro_email",
    "team",
    "last_review_on",
    "next_review_on",
    "mobile",
    "carer_mobile",
    "carer_email",
    *EQUALITY_FIELDS,
)
REQUIRED = ("child_id", "first_name", "date_of_birth", "team")
DATE_FIELDS = ("date_of_birth", "became_looked_after_on", "last_review_on", "next_review_on")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UK_MOBILE = re.compile(r"(?:\+44|0044|0)(7\d{9})")
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LIMITS = {"child_id": 64, "first_name": 80, "last_name": 80, "carer_email": 254}
WORKER_ROLES = ("social_worker", "team_manager")


class ImportRefused(Exception):
    """The whole file cannot be read (too big, not CSV, no header). The message says why."""


@dataclass(frozen=True)
class Mapping:
    columns: dict[str, str]
    date_formats: tuple[str, ...]


def load_mapping(path: Path | None = None) -> Mapping:
    """Read and check a column mapping. Raises ImportRefused naming the problem."""
    path = path or DEFAULT_MAPPING
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ImportRefused(f"could not read the mapping {path.name}: {exc}") from None
    columns = data.get("columns") if isinstance(data, dict) else None
    if not isinstance(columns, dict) or not all(isinstance(v, str) and v.strip() for v in columns.values()):
        raise ImportRefused(f"{path.name}: 'columns' must map each field to a column heading")
    if unknown := sorted(set(columns) - set(FIELDS)):
        raise ImportRefused(f"{path.name}: unknown fields {', '.join(unknown)}; known: {', '.join(FIELDS)}")
    if missing := [f for f in REQUIRED if f not in columns]:
        raise ImportRefused(f"{path.name}: no column given for {', '.join(missing)}")
    formats = data.get("date_formats") or ["%Y-%m-%d"]
    if not isinstance(formats, list) or not all(isinstance(f, str) for f in formats):
        raise ImportRefused(f"{path.name}: 'date_formats' must be a list of strptime formats")
    return Mapping({k: v.strip() for k, v in columns.items()}, tuple(formats))


# ------------------------------------------------------------------------------------ reading


@dataclass
class Row:
    """One checked row, ready to write. ``staff`` and ``team`` are already looked up."""

    line: int
    child_id: str
    values: dict[str, Any]


@dataclass
class RowResult:
    line: int
    child_id: str
    outcome: str  # created, updated, unchanged, rejected
    reason: str = ""
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Parsed:
    rows: list[Row]
    rejected: list[RowResult]
    warnings: list[str]
    row_warnings: dict[int, list[str]]


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n / 1000:.0f} KB"


def too_big_message(size: int, limit: int) -> str:
    shown = _size(size) if size > limit else "larger than that"
    return (
        f"The file is {shown}; the limit is {_size(limit)} (VOICE_IMPORT_MAX_BYTES). "
        "Nothing was imported. Export only children in care, or split the file."
    )


def decode(data: bytes) -> tuple[str, list[str]]:
    """UTF-8 (with or without the BOM Excel writes), else Windows-1252 with a warning."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportRefused(
            "The file is not UTF-8 or Windows-1252 text. Save it from the spreadsheet as "
            "'CSV UTF-8 (comma delimited)' and try again."
        ) from None
    return text, ["The file was not UTF-8; it was read as Windows-1252. Check accented names in the preview."]


def parse(data: bytes, *, mapping: Mapping | None = None, max_bytes: int) -> Parsed:
    if len(data) > max_bytes:
        raise ImportRefused(too_big_message(len(data), max_bytes))
    mapping = mapping or load_mapping()
    text, warnings = decode(data)
    if "\x00" in text:
        raise ImportRefused("The file holds binary data, not CSV text. Nothing was imported.")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise ImportRefused("The file is empty: no heading row. Nothing was imported.")
    reader.fieldnames = header
    missing = [f"{field_} (column '{col}')" for field_, col in mapping.columns.items() if col not in header]
    lookups = _Lookups()
    rows: list[Row] = []
    rejected: list[RowResult] = []
    row_warnings: dict[int, list[str]] = {}
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ImportRefused(f"The file is not valid CSV ({exc}). Nothing was imported.") from None
    for number, record in enumerate(records, start=2):
        raw = {f: (record.get(col) or "").strip() for f, col in mapping.columns.items()}
        if missing:
            rejected.append(
                RowResult(
                    number, raw.get("child_id", ""), "rejected", f"missing column: {', '.join(missing)}"
                )
            )
            continue
        if None in record:  # more cells than headings
            rejected.append(RowResult(number, raw["child_id"], "rejected", "more cells than headings"))
            continue
        notes: list[str] = []
        problem = _check(raw, mapping, lookups, notes)
        if problem:
            rejected.append(RowResult(number, raw["child_id"], "rejected", problem))
        else:
            rows.append(Row(number, raw["child_id"], _values(raw, mapping, lookups)))
            if notes:
                row_warnings[number] = notes
    if missing and not records:
        raise ImportRefused(f"The file has no column for {', '.join(missing)}. Nothing was imported.")
    counts = Counter(r.child_id for r in rows)
    duplicated = {cid for cid, n in counts.items() if n > 1}
    for row in [r for r in rows if r.child_id in duplicated]:
        rows.remove(row)
        rejected.append(
            RowResult(
                row.line,
                row.child_id,
                "rejected",
                "duplicate child_id: the file names this child more than once",
            )
        )
    rejected.sort(key=lambda r: r.line)
    return Parsed(rows, rejected, warnings, row_warnings)


class _Lookups:
    """Staff and teams, looked up once per distinct value."""

    def __init__(self) -> None:
        self.staff: dict[str, StaffMember | None] = {}
        self.teams: dict[str, Team | None] = {}

    def person(self, email: str) -> StaffMember | None:
        key = email.lower()
        if key not in self.staff:
            self.staff[key] = StaffMember.by_email(email)
        return self.staff[key]

    def team(self, name: str) -> Team | None:
        key = name.lower()
        if key not in self.teams:
            self.teams[key] = db.session.scalar(select(Team).where(func.lower(Team.name) == key))
        return self.teams[key]


def parse_date(text: str, formats: tuple[str, ...]) -> date | None:
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def uk_mobile(text: str) -> str | None:
    """``07700 900123`` or ``+44 7700 900123`` → ``+447700900123``; None if not a UK mobile."""
    digits = re.sub(r"[\s().-]", "", text)
    match = _UK_MOBILE.fullmatch(digits)
    return "+44" + match.group(1) if match else None


def _check(raw: dict[str, str], mapping: Mapping, lookups: _Lookups, notes: list[str]) -> str:
    """The first reason to reject the row, or "" if it can be imported. ``notes`` collects
    warnings for rows that are imported anyway."""
    for check in (_check_text, _check_dates, _check_people, _check_contacts):
        if problem := check(raw, mapping, lookups, notes):
            return problem
    return ""


def _check_text(raw: dict[str, str], mapping: Mapping, lookups: _Lookups, notes: list[str]) -> str:
    for name in REQUIRED:
        if not raw.get(name):
            return f"{name} is empty"
    for name, value in raw.items():
        if _CONTROL.search(value):
            return f"{name} holds control characters"
        if name in _LIMITS and len(value) > _LIMITS[name]:
            return f"{name} is longer than {_LIMITS[name]} characters"
    for name in ("first_name", "last_name"):
        if raw.get(name, "").startswith(FORMULA_START):
            notes.append(
                f"{name} starts with '{raw[name][0]}'; kept as plain text, escaped in every CSV export"
            )
    language = raw.get("preferred_language", "")
    if language and not i18n.supported(language.lower()):
        notes.append(f"preferred_language '{language[:10]}' is not offered; English is used")
    return ""


def _check_dates(raw: dict[str, str], mapping: Mapping, lookups: _Lookups, notes: list[str]) -> str:
    today = clock.now().date()
    for name in DATE_FIELDS:
        if raw.get(name) and parse_date(raw[name], mapping.date_formats) is None:
            return f"{name} '{raw[name][:20]}' is not a date (use YYYY-MM-DD)"
    dob = parse_date(raw["date_of_birth"], mapping.date_formats)
    if dob is None or dob > today or dob.year < today.year - 26:
        return "date_of_birth is in the future or too long ago"
    last = parse_date(raw.get("last_review_on", ""), mapping.date_formats)
    upcoming = parse_date(raw.get("next_review_on", ""), mapping.date_formats)
    if last and upcoming and upcoming <= last:
        return "next_review_on is not after last_review_on"
    if last and last > today:
        return "last_review_on is in the future"
    return ""


def _check_people(raw: dict[str, str], mapping: Mapping, lookups: _Lookups, notes: list[str]) -> str:
    if lookups.team(raw["team"]) is None:
        return f"unknown team '{raw['team'][:40]}'"
    if email := raw.get("social_worker_email"):
        person = lookups.person(email)
        if person is None or not person.active or person.role not in WORKER_ROLES:
            return f"unknown worker email '{email[:60]}' (no active social worker has it)"
    if email := raw.get("iro_email"):
        person = lookups.person(email)
        if person is None or not person.active or person.role != "iro":
            return f"unknown IRO email '{email[:60]}' (no active IRO has it)"
    return ""


def _check_contacts(raw: dict[str, str], mapping: Mapping, lookups: _Lookups, notes: list[str]) -> str:
    for name in ("mobile", "carer_mobile"):
        if raw.get(name) and uk_mobile(raw[name]) is None:
            return f"{name} is not a UK mobile number"
    if raw.get("carer_email") and not _EMAIL.fullmatch(raw["carer_email"]):
        return "carer_email is not an email address"
    return ""


def _values(raw: dict[str, str], mapping: Mapping, lookups: _Lookups) -> dict[str, Any]:
    def day(name: str) -> date | None:
        return parse_date(raw.get(name, ""), mapping.date_formats) if raw.get(name) else None

    worker = lookups.person(raw["social_worker_email"]) if raw.get("social_worker_email") else None
    iro = lookups.person(raw["iro_email"]) if raw.get("iro_email") else None
    team = lookups.team(raw["team"])
    assert team is not None  # checked
    return {
        "first_name": raw["first_name"],
        "last_name": raw.get("last_name") or None,
        "date_of_birth": day("date_of_birth"),
        "preferred_language": i18n.supported((raw.get("preferred_language") or "en").lower()) or "en",
        "became_looked_after_on": day("became_looked_after_on"),
        "team_id": team.id,
        "social_worker_id": worker.id if worker else None,
        "iro_id": iro.id if iro else None,
        "mobile": uk_mobile(raw["mobile"]) if raw.get("mobile") else None,
        "carer_mobile": uk_mobile(raw["carer_mobile"]) if raw.get("carer_mobile") else None,
        "carer_email": raw.get("carer_email") or None,
        **{k: (raw[k] or "").strip()[:32] or None for k in EQUALITY_FIELDS if k in raw},
        "_last_review_on": day("last_review_on"),
        "_next_review_on": day("next_review_on"),
    }


# ----------------------------------------------------------------------------------- applying


@dataclass
class MissingChild:
    case_id: str
    ref: str
    name: str


@dataclass
class ImportReport:
    results: list[RowResult]
    missing: list[MissingChild]
    warnings: list[str]
    dry_run: bool

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    def summary(self) -> str:
        counts = ", ".join(f"{self.count(o)} {o}" for o in ("created", "updated", "unchanged", "rejected"))
        done = "dry run: nothing changed" if self.dry_run else "imported"
        listed = "would be" if self.dry_run else "were"
        return f"{counts} ({done}); {len(self.missing)} children not in the file {listed} listed to close"


def run(
    data: bytes, *, dry_run: bool, by: StaffMember | None, max_bytes: int, mapping: Mapping | None = None
) -> ImportReport:
    """Parse and apply in one go (the CLI and the upload page's confirm step)."""
    parsed = parse(data, mapping=mapping, max_bytes=max_bytes)
    return apply(parsed, dry_run=dry_run, by=by)


def apply(parsed: Parsed, *, dry_run: bool, by: StaffMember | None) -> ImportReport:
    now = clock.now()
    results: list[RowResult] = list(parsed.rejected)
    try:
        with db.session.no_autoflush:
            existing = {
                c.case_id: c
                for c in db.session.scalars(
                    select(Child).where(Child.case_id.in_([r.child_id for r in parsed.rows]))
                )
            }
        for row in parsed.rows:
            result = _upsert(row, existing.get(row.child_id), now)
            result.warnings = parsed.row_warnings.get(row.line, [])
            results.append(result)
        named = {r.child_id for r in parsed.rows} | {r.child_id for r in parsed.rejected}
        missing = [
            MissingChild(c.case_id or "", c.ref, c.first_name)
            for c in db.session.scalars(
                select(Child).where(Child.case_id.is_not(None)).order_by(Child.case_id)
            )
            if c.case_id not in named
        ]
        audit.record("reviews.imported", actor=by or "system", object_type="import")
        db.session.flush()
    except Exception:
        db.session.rollback()
        raise
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    results.sort(key=lambda r: r.line)
    return ImportReport(results, missing, parsed.warnings, dry_run)


_CHILD_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "preferred_language",
    "became_looked_after_on",
    "team_id",
    "social_worker_id",
    "iro_id",
    "mobile",
    "carer_mobile",
    "carer_email",
)


def _upsert(row: Row, child: Child | None, now: datetime) -> RowResult:
    values = row.values
    fields = _CHILD_FIELDS + tuple(k for k in EQUALITY_FIELDS if k in values)
    if child is None:
        child = Child(case_id=row.child_id, ref=_new_ref(), **{k: values[k] for k in fields})
        db.session.add(child)
        db.session.flush()
        _reviews(child, values)
        child.last_imported_at = now
        audit.record("child.imported", actor="system", child_ref=child.ref, object_type="child")
        return RowResult(row.line, row.child_id, "created")
    changes = [k for k in fields if getattr(child, k) != values[k]]
    for name in changes:
        setattr(child, name, values[name])
    changes += _reviews(child, values)
    child.last_imported_at = now
    if changes:
        audit.record("child.import_updated", actor="system", child_ref=child.ref, object_type="child")
        return RowResult(row.line, row.child_id, "updated", changes=changes)
    return RowResult(row.line, row.child_id, "unchanged")


def _new_ref() -> str:
    while True:
        ref = new_reference("C")
        if Child.by_ref(ref) is None:
            return ref


def _reviews(child: Child, values: dict[str, Any]) -> list[str]:
    """Bring the child's reviews in line with the file. Returns what changed."""
    changes: list[str] = []
    last: date | None = values["_last_review_on"]
    given: date | None = values["_next_review_on"]
    reviews = sorted(child.reviews, key=lambda r: r.due_on)
    held = [r for r in reviews if r.held_on is not None]
    latest_held = max(held, key=lambda r: r.held_on or date.min) if held else None
    if last is not None and (latest_held is None or (latest_held.held_on or date.min) < last):
        open_ = [r for r in reviews if r.held_on is None and r.due_on <= statutory.add_months(last, 1)]
        if latest_held is not None:
            sequence = latest_held.sequence + 1
        else:
            sequence = statutory.sequence_after(last, child.became_looked_after_on, 0) - 1
        if open_:
            latest_held = open_[0]
            latest_held.held_on = last
        else:
            latest_held = Review(child=child, due_on=last, held_on=last, sequence=max(sequence, 1))
            db.session.add(latest_held)
        changes.append("last_review_on")
    sequence = (latest_held.sequence + 1) if latest_held else 1
    statutory_by = statutory.next_review_by(
        became_looked_after_on=child.became_looked_after_on,
        last_review_on=latest_held.held_on if latest_held else None,
        sequence=sequence,
    )
    upcoming = next((r for r in sorted(child.reviews, key=lambda r: r.due_on) if r.held_on is None), None)
    due = given or statutory_by
    if upcoming is None:
        if due is not None:
            db.session.add(
                Review(
                    child=child,
                    due_on=due,
                    imported_due_on=given,
                    statutory_by=statutory_by,
                    sequence=sequence,
                )
            )
            changes.append("next_review_on")
        return changes
    if given is not None and given != upcoming.imported_due_on and given != upcoming.due_on:
        db.session.add(
            ReviewDateChange(
                review_id=upcoming.id, from_date=upcoming.due_on, to_date=given, reason="case-system import"
            )
        )
        upcoming.due_on = given
        changes.append("next_review_on")
    if given != upcoming.imported_due_on:
        upcoming.imported_due_on = given
    if upcoming.statutory_by != statutory_by or upcoming.sequence != sequence:
        upcoming.statutory_by, upcoming.sequence = statutory_by, sequence
        changes.append("statutory date")
    return changes
