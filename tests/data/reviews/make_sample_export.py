"""Write ``sample_export.csv``: 300 fictional children as a case system might export them.

Run from the repository root: ``python tests/data/reviews/make_sample_export.py``. The output
is deterministic (a fixed seed), as of ``AS_OF``; every name is made up from the lists below.
The staff it names are created by ``tests/reviews/conftest.py: sample_staff``.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

AS_OF = date(2026, 12, 1)
COUNT = 300
HERE = Path(__file__).resolve().parent
TEAMS = ("North Children in Care", "South Children in Care", "East Children in Care")
WORKERS = tuple(f"sw{n:02d}@council.example" for n in range(1, 13))  # four per team, in order
IROS = tuple(f"iro{n}@council.example" for n in range(1, 4))
LANGUAGES = ("en",) * 12 + ("pl", "ar", "bn", "ur", "so", "pt", "ro", "ti")
FIRST = (
    "Amari",
    "Bo",
    "Cass",
    "Dara",
    "Eden",
    "Fen",
    "Gale",
    "Hollis",
    "Ira",
    "Juno",
    "Kit",
    "Lark",
    "Milo",
    "Nell",
    "Ori",
    "Pip",
    "Quinn",
    "Remy",
    "Sol",
    "Tam",
    "Umi",
    "Vale",
    "Wren",
    "Xan",
    "Yara",
    "Zed",
    "Arlo",
    "Bex",
    "Cole",
    "Dot",
    "Ezra",
    "Fern",
    "Gus",
    "Hana",
    "Iggy",
    "Jem",
    "Kai",
    "Luz",
    "Moss",
    "Noor",
)
LAST = (
    "Ashdown",
    "Brightwater",
    "Coldharbour",
    "Dunmore",
    "Elmsworth",
    "Fallowfield",
    "Greystoke",
    "Hartwell",
    "Ivydale",
    "Juniper",
    "Kestrel",
    "Larkspur",
    "Marchbank",
    "Netherby",
    "Oakhurst",
    "Pennyfold",
    "Quillon",
    "Rookwood",
    "Saltmarsh",
    "Thornbury",
    "Underhill",
    "Vantage",
    "Willowby",
    "Yarrowdale",
)
COLUMNS = (
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
)


def rows(rng: random.Random) -> list[dict[str, str]]:
    out = []
    for n in range(COUNT):
        team = n % 3
        age_days = rng.randint(4 * 365, 17 * 365)
        looked_after = AS_OF - timedelta(days=rng.randint(10, 5 * 365))
        last = (
            looked_after + timedelta(days=rng.randint(20, 40)) if (AS_OF - looked_after).days > 60 else None
        )
        if last is not None:
            while (AS_OF - last).days > 180:
                last += timedelta(days=rng.randint(150, 180))
        next_on = "" if n % 7 == 0 else (AS_OF + timedelta(days=rng.randint(1, 170))).isoformat()
        young = age_days < 11 * 365
        contact = n % 11
        out.append(
            {
                "child_id": f"LCS{100000 + n * 37}",
                "first_name": rng.choice(FIRST),
                "last_name": rng.choice(LAST),
                "date_of_birth": (AS_OF - timedelta(days=age_days)).isoformat(),
                "preferred_language": rng.choice(LANGUAGES),
                "became_looked_after_on": looked_after.isoformat(),
                "social_worker_email": WORKERS[team * 4 + rng.randint(0, 3)],
                "iro_email": IROS[team],
                "team": TEAMS[team],
                "last_review_on": last.isoformat() if last else "",
                "next_review_on": next_on,
                # Ofcom's drama range 07700 900000-900999: never a real phone.
                "mobile": "" if young or contact == 0 else f"07700 900{n % 1000:03d}",
                "carer_mobile": "" if contact in (0, 1) else f"07700 900{(n + 500) % 1000:03d}",
                "carer_email": "" if contact == 0 else f"carer{n}@carers.example",
            }
        )
    return out


def main() -> None:
    with (HERE / "sample_export.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows(random.Random(20)))


if __name__ == "__main__":
    main()
