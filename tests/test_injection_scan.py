"""THREATS row 23: a live sqlmap scan on 127.0.0.1 finds nothing and causes no 5xx.

The suite runs the short form (level 1, a child-side form with its CSRF token and a signed-in
staff page, 60 s each); ``make bench`` runs level 3 over every target (bench/injection.py)."""

from __future__ import annotations

from bench import injection


def test_sqlmap_finds_no_injectable_parameter_and_no_server_error():
    summary = injection.run(quick=True, seconds_each=60)
    tried = {r["target"]: r["requests"] for r in summary["targets"]}
    assert set(tried) == set(injection.QUICK)
    assert all(n > 0 for n in tried.values()), f"sqlmap tested nothing on {summary['untested']}"
    assert summary["injectable"] == []
    assert summary["server_errors_5xx"] == 0
