"""Ingest speed and memory: `claimdesk ingest` (which runs the suggesters over
every new article) against the suggesters' own compute plus plain sqlite3
executemany.

    .venv/bin/python bench/bench_ingest.py [--count 100000] [--small 10000] [--quick]

Targets (issues 2, 14): time ratio <= 1.5 against a baseline, measured in the
same run, that reads the same JSONL with json.loads, runs
``corpus.suggestions.suggest`` over every text, and inserts the articles, the
suggested spans and one event per span (its JSON snapshot) with one
executemany each (same pragmas: WAL, synchronous=FULL); peak memory at
--count within 1.5x of that at --small.
"""

from __future__ import annotations

import argparse
import atexit
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results import ratio, result  # noqa: E402
from synthetic import write_jsonl  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

BASELINE = r"""
import json, sqlite3, sys, uuid
from corpus.suggestions import suggest
db = sqlite3.connect(sys.argv[2])
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=FULL")
db.execute("CREATE TABLE articles (id TEXT PRIMARY KEY, outlet TEXT, title TEXT, url TEXT, published TEXT, text TEXT)")
db.execute("CREATE TABLE spans (id TEXT PRIMARY KEY, article_id TEXT, start INTEGER, end INTEGER, label TEXT, text TEXT,"
           " annotator TEXT, attrs TEXT)")
db.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT, article_id TEXT, span_id TEXT, after TEXT)")
articles, spans, events = [], [], []
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        text = r["text"]
        articles.append((r["id"], r["outlet"], r["title"], r["url"], r["published"], text))
        for s in suggest(text):
            row = {"id": uuid.uuid4().hex, "article_id": r["id"], "start": s.start, "end": s.end, "label": s.label,
                   "text": text[s.start:s.end], "annotator": s.suggester,
                   "attrs": json.dumps({k: v for k, v in s.attrs.items() if v is not None})}
            spans.append(tuple(row.values()))
            events.append((uuid.uuid4().hex, r["id"], row["id"], json.dumps(row)))
db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?)", articles)
db.executemany("INSERT INTO spans VALUES (?, ?, ?, ?, ?, ?, ?, ?)", spans)
db.executemany("INSERT INTO events (id, article_id, span_id, after) VALUES (?, ?, ?, ?)", events)
db.commit()
"""


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
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
    parser.add_argument("--quick", action="store_true", help="500 and 100 articles")
    args = parser.parse_args()
    if args.quick:
        args.count, args.small = 500, 100
    work = Path(tempfile.mkdtemp(prefix="claimdesk-bench-"))
    atexit.register(shutil.rmtree, work, True)  # hundreds of MB at full size
    small = write_jsonl(work / "small.jsonl", args.small)
    large = write_jsonl(work / "large.jsonl", args.count)
    print(f"corpus: {args.count:,} articles, {large.stat().st_size / 1e6:,.0f} MB of JSONL")

    _, small_peak = timed(ingest(small, work / "small.db"))
    ours, large_peak = timed(ingest(large, work / "ours.db"))
    base, _ = timed([sys.executable, "-c", BASELINE, str(large), str(work / "base.db")])
    print(f"ingest time     claimdesk {ours:7.1f} s   baseline suggest() + executemany {base:7.1f} s   "
          f"ratio {ours / base:.2f} (target <= 1.5)")
    print(f"peak memory     {args.small:,}: {small_peak:6.0f} MB   {args.count:,}: {large_peak:6.0f} MB   "
          f"ratio {large_peak / small_peak:.2f} (target <= 1.5)")
    size = f"{large.stat().st_size / 1e6:,.0f} MB"
    result(f"ingest {args.count:,} articles of ~3 KB ({size} JSONL), suggestions made", f"{ours:.1f} s",
           f"{base:.1f} s: json.loads + the suggesters' own compute + one executemany for articles, spans and events",
           ratio(ours, base), "<= 1.5", ours / base <= 1.5,
           "" if ours / base <= 1.5 else "commits: each of ingest's short write transactions pays one fsync (synchronous=FULL), the baseline one in all")
    result("peak memory of that ingest", f"{large_peak:.0f} MB at {args.count:,}", f"{small_peak:.0f} MB at {args.small:,}",
           ratio(large_peak, small_peak), "<= 1.5", large_peak / small_peak <= 1.5)


if __name__ == "__main__":
    main()
