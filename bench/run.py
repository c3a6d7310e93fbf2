"""``make bench``: every benchmark in bench/README.md, one after another, then a summary.

    python -m bench.run                      # everything (about 20 minutes)
    python -m bench.run --only throughput,lighthouse
    python -m bench.run --quick              # shorter runs, for trying the machinery

Results go to bench/results/latest.json and a readable summary to bench/results/latest.md;
bench/README.md quotes a run of these on this machine. Not a test: nothing here fails CI.
"""

from __future__ import annotations

import argparse
from typing import Any

from bench import common, injection, insight_scale, lighthouse, load, scale, throughput

SECTIONS = ("throughput", "scale", "insight", "load", "lighthouse", "injection")


def _databases() -> tuple[str, ...]:
    if common.postgres_answers():
        return ("sqlite", "postgresql")
    common.log("!! PostgreSQL is not answering: benchmarks run on SQLite only")
    return ("sqlite",)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated: {', '.join(SECTIONS)}")
    parser.add_argument("--quick", action="store_true", help="short runs (5 s wrk, 50 children, 2 sizes)")
    args = parser.parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    databases = _databases()
    results: dict[str, Any] = {"machine": common.machine(), "quick": args.quick}
    if "throughput" in only:
        results["throughput"] = throughput.run(seconds=5 if args.quick else 10, databases=databases)
    if "scale" in only:
        sizes = (1_000, 10_000) if args.quick else scale.SIZES
        results["scale"] = {kind: scale.run_database(kind, sizes) for kind in databases}
    if "insight" in only and "postgresql" in databases:
        results["insight"] = insight_scale.run_database("postgresql", insight_scale.sizes(args.quick))
    if "load" in only:
        if args.quick:
            load.CHILDREN = 50
        results["load"] = {}
        for kind in reversed(databases):  # PostgreSQL first: it is what production runs
            results["load"][kind] = load.run_database(kind, limit=300, think=load.THINK)
        if not args.quick and "postgresql" in databases:
            results["load"]["postgresql_fast_taps"] = load.run_database("postgresql", limit=300, think="1,3")
    if "lighthouse" in only:
        results["lighthouse"] = lighthouse.run()
    if "injection" in only:  # sqlmap on 127.0.0.1, level 3, each target bounded (THREATS row 23)
        results["injection"] = injection.run(quick=args.quick)
    path = common.save(results)
    summary = render(results)
    if results.get("injection"):
        summary += "\n".join(_render_injection(results["injection"])) + "\n"
    (common.RESULTS / "latest.md").write_text(summary)
    print("\n" + summary)
    common.log(f"results written to {path} and latest.md")
    return results


def _ms(value: Any) -> str:
    return "–" if value is None else f"{value:.1f}"


def _row(*cells: Any) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(*headings: str) -> list[str]:
    return [_row(*headings), _row(*(["---"] + ["---:"] * (len(headings) - 1)))]


def render(results: dict[str, Any]) -> str:
    """The summary tables, in Markdown, as pasted into bench/README.md."""
    m = results["machine"]
    lines = [
        f"Run {m['when']} · {m['cpus']} CPUs · gunicorn {m['gunicorn_workers']} sync workers · "
        f"load average at start {m.get('load_average_at_start')}, at end {m.get('load_average_at_end')}"
        + (" · QUICK run" if results.get("quick") else ""),
        "",
    ]
    for kind, run in (results.get("throughput") or {}).items():
        if not isinstance(run, dict) or "chat_get" not in run:
            lines += [f"Throughput ({kind}): {run}", ""]
            continue
        lines += [f"### Throughput, {kind} ({run['connections']} connections, {run['seconds']} s each)", ""]
        lines += _table(
            "scenario", "Voice req/s", "bare Flask req/s", "ratio", "p50 ms", "p95 ms", "p99 ms", "errors"
        )
        for name, label in (
            ("floor", "reference: bare Flask, one indexed query + a 20 KB page"),
            ("chat_get", "chat page GET"),
            ("turn", "conversation turn (GET + POST)"),
            ("inbox", "worker's inbox GET"),
        ):
            if name not in run:
                continue
            v, h = run[name]["voice"], run[name]["hello"]
            lines.append(
                _row(
                    label,
                    f"{v['rps']:.0f}",
                    f"{h['rps']:.0f}",
                    f"{v['ratio_to_hello']:.2f}",
                    _ms(v["p50_ms"]),
                    _ms(v["p95_ms"]),
                    _ms(v["p99_ms"]),
                    v["errors_total"],
                )
            )
        lines.append("")
    for kind, run in (results.get("scale") or {}).items():
        lines += [f"### Inbox at scale, {kind} (median of {scale.REPEAT} requests, ms)", ""]
        lines += _table(
            "submissions", "worker's inbox", "inbox page 3", "worker's children", "manager's inbox"
        )
        for size, row in run["sizes"].items():
            lines.append(
                _row(
                    f"{int(size):,}",
                    *(
                        row[k]["p50_ms"]
                        for k in ("worker_inbox", "worker_inbox_page_3", "worker_children", "manager_inbox")
                    ),
                )
            )
        g = run["growth"]
        lines += [
            "",
            f"Largest ÷ smallest: worker's inbox ×{g['worker_inbox']}, page 3 "
            f"×{g['worker_inbox_page_3']}, children ×{g['worker_children']}, "
            f"manager's inbox ×{g['manager_inbox']}.",
            "",
        ]
    lines += _insight_lines(results.get("insight"))
    if results.get("load"):
        lines += ["### Children completing the chat at once (locust)", ""]
        lines += _table(
            "run",
            "children",
            "think s",
            "requests",
            "errors",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "sent",
            "in DB",
            "lost",
            "duplicated",
        )
        for name, r in results["load"].items():
            lines.append(
                _row(
                    name,
                    r["children"],
                    r["think_seconds"],
                    r["requests"],
                    r["errors"],
                    _ms(r["p50_ms"]),
                    _ms(r["p95_ms"]),
                    _ms(r["p99_ms"]),
                    r["sent_by_children"],
                    r["in_database"]["submissions"],
                    r["lost"],
                    r["duplicated"],
                )
            )
        lines.append("")
    if results.get("lighthouse"):
        lines += ["### Lighthouse (mobile)", ""]
        lines += _table("page", "performance", "accessibility", "best practices", "SEO", "bytes")
        for name, r in results["lighthouse"].items():
            if not isinstance(r, dict) or "scores" not in r:
                lines.append(_row(name, r))
                continue
            sc = r["scores"]
            lines.append(
                _row(
                    name,
                    sc["performance"],
                    sc["accessibility"],
                    sc["best-practices"],
                    sc["seo"],
                    f"{r['bytes']:.0f}",
                )
            )
        lines.append("")
    return "\n".join(lines) + "\n"


def _insight_lines(insight: dict[str, Any] | None) -> list[str]:
    lines: list[str] = []
    if not insight:
        return lines
    lines += ["### Insight and the manager's inbox, PostgreSQL (median / p95 ms)", ""]
    lines += _table("submissions", "load s", "rebuild s", "Insight page", "Insight CSV", "manager's inbox")
    for size, row in insight["sizes"].items():
        lines.append(
            _row(
                f"{int(size):,}",
                row["load_seconds"],
                row["rebuild_seconds"],
                *(
                    f"{row[k]['p50_ms']} / {row[k]['p95_ms']}"
                    for k in ("insight_page", "insight_csv", "manager_inbox")
                ),
            )
        )
    lines.append("")
    return lines


def _render_injection(inj: dict[str, Any]) -> list[str]:
    lines = [f"### Injection scan (sqlmap level {inj['level']}, 127.0.0.1)", ""]
    lines += _table("target", "as", "result", "seconds", "techniques tried")
    for r in inj["targets"]:
        result = "INJECTABLE" if r["injectable"] else "clean" if r["requests"] else "not tested"
        lines.append(_row(r["target"], r["who"], result, r["seconds"], r["requests"]))
    return [*lines, "", f"5xx answers during the scan: {inj['server_errors_5xx']}.", ""]


if __name__ == "__main__":
    main()
