"""Ingest speed and memory: `claimdesk ingest` against plain sqlite3 executemany.

    .venv/bin/python bench/bench_ingest.py [--count 100000] [--small 10000]

Targets (issue 2): time ratio <= 2.5 against a baseline, measured in the same
run, that reads the same JSONL with json.loads and inserts the same rows with
one executemany into a table of the same columns (same pragmas: WAL,
synchronous=FULL); peak memory at --count within 1.5x of that at --small.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_jsonl  # noqa: E402

BASELINE = r"""
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[2])
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=FULL")
db.execute("CREATE TABLE articles (id TEXT PRIMARY KEY, outlet TEXT, title TEXT, url TEXT, published TEXT, text TEXT)")
def rows():
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            yield (r["id"], r["outlet"], r["title"], r["url"], r["published"], r["text"])
db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?)", rows())
db.commit()
"""


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the max over all children so far: run the small case first.
    return seconds, max(peak, before) / 1024


def ingest(jsonl: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "tui.cli", "ingest", "--quiet", "--db", str(db), str(jsonl)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="claimdesk-bench-"))
    small = write_jsonl(work / "small.jsonl", args.small)
    large = write_jsonl(work / "large.jsonl", args.count)
    print(f"corpus: {args.count:,} articles, {large.stat().st_size / 1e6:,.0f} MB of JSONL")

    _, small_peak = timed(ingest(small, work / "small.db"))
    ours, large_peak = timed(ingest(large, work / "ours.db"))
    base, _ = timed([sys.executable, "-c", BASELINE, str(large), str(work / "base.db")])
    print(f"ingest time     claimdesk {ours:7.1f} s   baseline executemany {base:7.1f} s   ratio {ours / base:.2f} (target <= 2.5)")
    print(f"peak memory     {args.small:,}: {small_peak:6.0f} MB   {args.count:,}: {large_peak:6.0f} MB   "
          f"ratio {large_peak / small_peak:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
