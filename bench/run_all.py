"""Run every benchmark at the README's sizes (or ``--quick``), print each figure
beside its baseline and the ratio, and rewrite the README's Performance table.

    python bench/run_all.py [--quick] [--only LABEL ...] [--args="--count 10000"] [--no-readme] [--readme-only]

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
import fcntl
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

# label (for --only), script, arguments at the README's sizes, arguments for --quick.
BENCHES: list[tuple[str, str, list[str], list[str]]] = [
    ("ingest", "bench_ingest", [], ["--quick"]),
    ("accept_all", "bench_accept_all", [], ["--quick"]),
    ("parallel_ingest", "bench_parallel_ingest", [], ["--quick"]),
    ("parallel_ingest_pg", "bench_parallel_ingest", ["--engine", "postgresql"], ["--quick", "--engine", "postgresql"]),
    ("hostile", "bench_hostile", [], ["--quick"]),
    ("faults", "bench_faults", [], ["--quick"]),
    ("faults_pg", "bench_faults", ["--engine", "postgresql"], ["--quick", "--engine", "postgresql"]),
    ("suggest", "bench_suggest", [], ["--quick"]),
    ("eval_suggestions", "eval_suggestions", [], ["--quick"]),
    ("stress", "bench_stress", [], ["--quick"]),
    ("export", "bench_export", [], ["--quick"]),
    ("match_live", "bench_match_live", ["--claims", "1000000"], ["--quick"]),
    ("cluster", "bench_cluster", ["--claims", "1000000", "--sample", "20000"], ["--quick"]),
    ("eval_matching", "eval_matching", [], ["--quick"]),
    ("dedup", "bench_dedup", ["--claims", "100000", "--articles", "0"], ["--quick", "--articles", "0"]),
    ("sentence_index", "bench_dedup", ["--claims", "0", "--articles", "100000"], ["--quick", "--claims", "0"]),
    ("claim_index", "bench_dedup", ["--claims", "100000", "--matcher"], ["--quick", "--matcher"]),
    ("startup", "bench_startup", [], ["--quick"]),
    ("document", "bench_document", [], ["--quick"]),
    ("bytes_per_move", "bench_bytes_per_move", [], ["--quick"]),
    ("bytes_first_article", "bench_bytes_first_article", [], ["--quick"]),
    ("memory_library", "bench_memory_library", [], ["--quick"]),
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
            row["bench"] = _bench_key(name, args)
            rows.append(row)
    if not rows and not problem:
        problem = "printed no RESULT line"
    print(f"  {name} {' '.join(args)}: {len(rows)} rows in {time.perf_counter() - started:.0f} s"
          + (f" ({problem})" if problem else ""), file=sys.stderr, flush=True)
    return rows, problem


def _bench_key(name: str, args: list[str]) -> str:
    return f"{name}.py" + (f" {' '.join(args)}" if args else "")


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
    parser.add_argument("--only", nargs="+", metavar="LABEL", help="only these benches: "
                        + ", ".join(label for label, *_ in BENCHES))
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite the README")
    parser.add_argument("--readme-only", action="store_true", help="rewrite the README from bench/results.json")
    parser.add_argument("--args", help="with one --only LABEL: run it with these arguments instead of the README's "
                        "(its rows then name them; for a machine where the README's size takes too long)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds each bench may take")
    args = parser.parse_args()
    chosen = [b for b in BENCHES if not args.only or b[0] in args.only]
    if args.only and (unknown := set(args.only) - {b[0] for b in BENCHES}):
        raise SystemExit(f"unknown bench: {', '.join(sorted(unknown))}")
    if args.readme_only:
        chosen = []
    if args.args is not None:
        if len(chosen) != 1:
            raise SystemExit("--args goes with exactly one --only LABEL")
        label, name, _, quick = chosen[0]
        chosen = [(label, name, args.args.split(), quick)]
    cores = os.cpu_count() or 1
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    print(f"running {len(chosen)} benches ({'quick' if args.quick else 'README sizes'}) on {cores} cores",
          file=sys.stderr)
    new: list[dict] = []
    failed: list[str] = []
    for _, name, full, quick in chosen:
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
    ran = {_bench_key(name, full) for _, name, full, _ in chosen}
    if args.args is not None:  # rows of the README's size for this bench give way too
        ran |= {_bench_key(name, full) for label, name, full, _ in BENCHES if label == chosen[0][0]}
    order = {_bench_key(name, full): n for n, (_, name, full, _) in enumerate(BENCHES)}
    for n, (_, name, _, _) in reversed(list(enumerate(BENCHES))):
        order.setdefault(f"{name}.py", n)  # a bench run with --args sorts where its script first comes
    with open(RESULTS.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two runs of --only at once keep each other's rows
        kept = [] if not RESULTS.exists() else [r for r in json.loads(RESULTS.read_text()) if r["bench"] not in ran]
        rows = sorted(kept + new, key=lambda r: order.get(r["bench"], order.get(r["bench"].split()[0], len(order))))
        RESULTS.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
    if not args.no_readme and rows:
        dates = sorted({r["date"] for r in rows})
        span = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"
        cores_seen = ", ".join(str(c) for c in sorted({r["cores"] for r in rows}))
        rewrite_readme(rows, f"Measured by `python bench/run_all.py` on {span}, on a machine with {cores_seen} "
                             f"cores (shared and noisy: ratios hold where seconds do not).")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
