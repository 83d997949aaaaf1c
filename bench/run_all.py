"""Run every benchmark at the README's sizes (or ``--quick``), print each figure
beside its baseline and the ratio, and rewrite the README's Performance table.

    python bench/run_all.py [--quick] [--only NAME ...] [--no-readme] [--timeout S]

Each bench prints one ``RESULT {json}`` line per README row (bench/results.py).
The rows are kept in bench/results.json with the date, machine and size they
were measured at; ``--only`` re-runs some benches and keeps the other rows as
they were. The README table (between ``<!-- perf:start -->`` and
``<!-- perf:end -->``) is written from that file alone, so every figure in it
is one a bench printed. Quick runs never touch the README or the file (their
sizes are not the README's); a bench that fails or prints no RESULT line
leaves its rows out, and the run says so.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
RESULTS = ROOT / "bench" / "results.json"
START, END = "<!-- perf:start -->", "<!-- perf:end -->"

# name, arguments at the README's sizes, arguments for --quick.
BENCHES: list[tuple[str, list[str], list[str]]] = [
    ("bench_ingest", [], ["--quick"]),
    ("bench_accept_all", [], ["--quick"]),
    ("bench_parallel_ingest", [], ["--quick"]),
    ("bench_hostile", [], ["--quick"]),
    ("bench_suggest", [], ["--quick"]),
    ("eval_suggestions", [], ["--quick"]),
    ("bench_stress", [], ["--quick"]),
    ("bench_export", [], ["--quick"]),
    ("bench_match_live", ["--claims", "1000000"], ["--quick"]),
    ("bench_cluster", ["--claims", "1000000", "--sample", "20000"], ["--quick"]),
    ("eval_matching", [], ["--quick"]),
    ("bench_dedup", ["--claims", "100000", "--articles", "100000"], ["--quick"]),
    ("bench_dedup", ["--claims", "100000", "--matcher"], ["--quick", "--matcher"]),
    ("bench_startup", [], ["--quick"]),
    ("bench_document", [], ["--quick"]),
    ("bench_bytes_per_move", [], ["--quick"]),
    ("bench_bytes_first_article", [], ["--quick"]),
    ("bench_memory_library", [], ["--quick"]),
]
_RESULT = re.compile(r"^RESULT (\{.*\})\s*$")


def run_bench(name: str, args: list[str], timeout: float) -> tuple[list[dict], str]:
    """The RESULT rows a bench printed, and what went wrong (empty when nothing did)."""
    script = ROOT / "bench" / f"{name}.py"
    if not script.exists():
        return [], "no such bench"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, str(script), *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired as error:
        output, problem = (error.stdout or b"").decode() if isinstance(error.stdout, bytes) else (error.stdout or ""), \
            f"stopped after {timeout:.0f} s"
    else:
        output, problem = done.stdout, "" if done.returncode == 0 else (
            f"exit code {done.returncode}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ''}")
    rows = []
    for line in output.splitlines():
        if match := _RESULT.match(line):
            try:
                row = json.loads(match.group(1))
            except json.JSONDecodeError:
                continue
            row["bench"] = f"{name}.py" + (f" {' '.join(args)}" if args else "")
            rows.append(row)
    if not rows and not problem:
        problem = "printed no RESULT line"
    print(f"  {name} {' '.join(args)}: {len(rows)} rows in {time.perf_counter() - started:.0f} s"
          + (f" ({problem})" if problem else ""), file=sys.stderr, flush=True)
    return rows, problem


def _cell(text: object) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def table(rows: list[dict]) -> str:
    """The README's Performance table."""
    lines = ["| what | bench | ours | baseline | ratio | target | met |", "|---|---|---|---|---|---|---|"]
    for row in rows:
        met = {True: "yes", False: "**missed**", None: "—"}[row.get("met")]
        note = f" ({row['note']})" if row.get("note") else ""
        lines.append(
            f"| {_cell(row['row'])} | `{_cell(row['bench'])}` | {_cell(row['ours'])} | {_cell(row['baseline'])} | "
            f"{_cell(row['ratio'])} | {_cell(row['target'])} | {met}{_cell(note)} |"
        )
    return "\n".join(lines)


def rewrite_readme(rows: list[dict], measured: str) -> None:
    """Put the table between the markers in the README (nothing else changes)."""
    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{README}: no {START} ... {END} markers to write the table between")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    README.write_text(f"{before}{START}\n{measured}\n\n{table(rows)}\n{END}{after}", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes; README and results.json untouched")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these benches (file names without .py)")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite the README")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds each bench may take")
    args = parser.parse_args()
    chosen = [b for b in BENCHES if not args.only or b[0] in args.only]
    if args.only and (unknown := set(args.only) - {b[0] for b in BENCHES}):
        raise SystemExit(f"unknown bench: {', '.join(sorted(unknown))}")
    cores = os.cpu_count() or 1
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    print(f"running {len(chosen)} benches ({'quick' if args.quick else 'README sizes'}) on {cores} cores",
          file=sys.stderr)
    new: list[dict] = []
    failed: list[str] = []
    for name, full, quick in chosen:
        rows, problem = run_bench(name, quick if args.quick else full, args.timeout)
        for row in rows:
            row.update(date=today, cores=cores)
        new += rows
        if problem:
            failed.append(f"{name}: {problem}")
    print(f"\n{'what':<52} {'ours':<34} {'baseline':<34} {'ratio':<8} met")
    for row in new:
        met = {True: "yes", False: "MISSED", None: "-"}[row.get("met")]
        print(f"{row['row'][:52]:<52} {str(row['ours'])[:34]:<34} {str(row['baseline'])[:34]:<34} "
              f"{str(row['ratio'])[:8]:<8} {met}" + (f"  ({row['note']})" if row.get("note") else ""))
    if failed:
        print("\nno figures from: " + "; ".join(failed))
    if args.quick:
        return 1 if failed else 0
    ran = {f"{name}.py" + (f" {' '.join(full)}" if full else "") for name, full, _ in chosen}
    kept = [] if not RESULTS.exists() else [r for r in json.loads(RESULTS.read_text()) if r["bench"] not in ran]
    order = {f"{name}.py" + (f" {' '.join(full)}" if full else ""): n for n, (name, full, _) in enumerate(BENCHES)}
    rows = sorted(kept + new, key=lambda r: order.get(r["bench"], len(order)))
    RESULTS.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
    if not args.no_readme:
        dates = sorted({r["date"] for r in rows})
        span = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"
        cores_seen = ", ".join(str(c) for c in sorted({r["cores"] for r in rows}))
        rewrite_readme(rows, f"Measured by `python bench/run_all.py` on {span}, on a machine with {cores_seen} "
                             f"cores (shared and noisy: ratios hold where seconds do not).")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
