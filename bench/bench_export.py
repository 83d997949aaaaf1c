"""Export speed and memory: `claimdesk export --format jsonl` against a plain sqlite3 query.

    .venv/bin/python bench/bench_export.py [--count 100000] [--small 10000] [--spans 10]

Target (issue 7): exporting 1,000,000 spans over 100,000 articles as JSONL
takes at most 2x a baseline, measured in the same run, that reads the same
rows with one plain sqlite3 query (articles joined to their accepted spans)
and writes one json.dumps line per article with the same fields — except
what a plain query cannot give: the spaCy token indices and the SHA-256
check of every text, which claimdesk adds. Memory is flat: peak memory at
--count within 1.5x of that at --small.

The databases are made directly with executemany (the store's schema,
synthetic ~3 KB articles from bench/synthetic.py, spans on word edges with
cluster, speaker or value/unit attributes from three annotators).
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BATCH = 5_000
_WORD = re.compile(r"\w[\w,.%]*\w|\w")
LABELS = ("claim", "quote", "figure")
ANNOTATORS = ("ana", "ben", "cy")

BASELINE = r"""
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
out = open(sys.argv[2], "w", encoding="utf-8")
rows = db.execute(
    "SELECT a.id, o.name, a.title, a.url, a.published, a.hash, a.text,"
    " (SELECT json_group_array(json_array(s.start, s.\"end\", s.label, s.annotator, json(s.attrs))) FROM spans s"
    "  WHERE s.article_id = a.id AND s.status = 'accepted')"
    " FROM articles a JOIN outlets o ON o.id = a.outlet_id ORDER BY a.rowid")
for article_id, outlet, title, url, published, digest, text, spans_json in rows:
    spans = []
    for start, end, label, annotator, attrs in json.loads(spans_json):
        span = {"start": start, "end": end, "label": label, "text": text[start:end], "annotator": annotator}
        span.update(attrs)
        spans.append(span)
    annotators = {span["annotator"] for span in spans}
    line = {"text": text, "spans": spans,
            "meta": {"id": article_id, "outlet": outlet, "title": title, "url": url, "published": published},
            "_input_hash": int(digest[:8], 16), "_task_hash": hash(digest),
            "_annotator_id": annotators.pop() if len(annotators) == 1 else None}
    out.write(json.dumps(line, ensure_ascii=False) + "\n")
out.close()
"""


def _spans(rng: random.Random, article_id: str, text: str, count: int, stamp: str) -> list[tuple]:
    words = [m.span() for m in _WORD.finditer(text)]
    rows = []
    for k in range(count):
        first = rng.randrange(len(words) - 1)
        last = min(len(words) - 1, first + rng.randint(0, 12))
        start, end = words[first][0], words[last][1]
        label = LABELS[k % 3]
        attrs = ({"cluster": f"c{rng.randrange(5000)}"}, {"speaker": "Anna Reidel-Kova"},
                 {"value": 12.0, "unit": "%"})[k % 3]
        rows.append((f"{article_id}-{k}", article_id, start, end, label, text[start:end], ANNOTATORS[k % 3],
                     "manual", "accepted", json.dumps(attrs), stamp, stamp))
    return rows


def make_database(path: Path, count: int, spans_per_article: int, seed: int = 7) -> Path:
    """A claimdesk database of ``count`` synthetic articles with spans, made with executemany."""
    # Imported here: only the child that makes the databases needs them (see main).
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    from corpus.records import text_hash
    from store import Store
    from synthetic import articles

    Store(path).close()
    rng = random.Random(seed)
    stamp = "2026-03-01T08:00:00.000+00:00"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")
    outlets: dict[str, int] = {}
    batch_articles: list[tuple] = []
    batch_spans: list[tuple] = []

    def flush() -> None:
        db.execute("BEGIN IMMEDIATE")
        db.executemany(
            "INSERT INTO articles (id, outlet_id, title, url, published, hash, length, metadata, source, ingested_at,"
            " text) VALUES (?, ?, ?, ?, ?, ?, ?, '{}', 'bench', ?, ?)", batch_articles)
        db.executemany(
            'INSERT INTO spans (id, article_id, start, "end", label, text, annotator, origin, status, attrs,'
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch_spans)
        db.execute("COMMIT")
        batch_articles.clear()
        batch_spans.clear()

    for record in articles(count, seed):
        if record["outlet"] not in outlets:
            outlets[record["outlet"]] = db.execute("INSERT INTO outlets (name) VALUES (?)", [record["outlet"]]).lastrowid
        text = record["text"]
        batch_articles.append((record["id"], outlets[record["outlet"]], record["title"], record["url"],
                               record["published"], text_hash(text), len(text), stamp, text))
        batch_spans += _spans(rng, record["id"], text, spans_per_article, stamp)
        if len(batch_articles) >= BATCH:
            flush()
    flush()
    db.close()
    return path


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak resident MB of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, cwd=cwd)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{command[:4]} failed with exit code {child.returncode}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def export(db: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "tui.cli", "export", "--quiet", "--db", str(db), "--format", "jsonl",
            "--out", str(out)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--spans", type=int, default=10, help="spans per article")
    parser.add_argument("--make", nargs=2, metavar=("PATH", "COUNT"), help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="5,000 and 1,000 articles")
    args = parser.parse_args()
    if args.quick:
        args.count, args.small = 5_000, 1_000
    if args.make:
        make_database(Path(args.make[0]), int(args.make[1]), args.spans)
        return
    work = Path(tempfile.mkdtemp(prefix="claimdesk-bench-export-"))
    atexit.register(shutil.rmtree, work, True)  # hundreds of MB at full size
    started = time.perf_counter()
    # Made in a child process: children forked from a big parent would report its memory as theirs.
    small, large = work / "small.db", work / "large.db"
    for path, count in ((small, args.small), (large, args.count)):
        subprocess.run([sys.executable, __file__, "--make", str(path), str(count), "--spans", str(args.spans)], check=True)
    print(f"databases: {args.small:,} and {args.count:,} articles, {args.spans} spans each "
          f"({large.stat().st_size / 1e6:,.0f} MB), made in {time.perf_counter() - started:.0f} s")
    _, _, small_peak = timed(export(small, work / "small.jsonl"), cwd=ROOT)
    ours, ours_cpu, large_peak = timed(export(large, work / "ours.jsonl"), cwd=ROOT)
    base, base_cpu, base_peak = timed([sys.executable, "-c", BASELINE, str(large), str(work / "base.jsonl")])
    size = (work / "ours.jsonl").stat().st_size / 1e6
    print(f"export time     claimdesk {ours:6.1f} s   baseline query + json.dumps {base:6.1f} s   "
          f"ratio {ours / base:.2f} (target <= 2)   ({args.count * args.spans:,} spans, {size:,.0f} MB of JSONL)")
    print(f"export CPU      claimdesk {ours_cpu:6.1f} s   baseline {base_cpu:6.1f} s   ratio {ours_cpu / base_cpu:.2f}")
    print(f"peak memory     {args.small:,}: {small_peak:5.0f} MB   {args.count:,}: {large_peak:5.0f} MB   "
          f"ratio {large_peak / small_peak:.2f} (target <= 1.5; baseline {base_peak:.0f} MB)")
    sys.path.insert(0, str(ROOT / "bench"))
    from results import ratio, result

    spans = args.count * args.spans
    result(f"export {spans:,} spans over {args.count:,} articles as `jsonl`", f"{ours:.1f} s ({ours_cpu:.1f} s CPU)",
           f"{base:.1f} s: one SQLite query + `json.dumps` per article, no token indices", ratio(ours, base), "<= 2",
           ours / base <= 2, "" if ours / base <= 2 else
           "the spaCy-compatible token_start/token_end in pure Python (one pass per article), the SHA-256 check of every "
           "text, and page-by-page reads")
    result("peak memory of that export", f"{large_peak:.0f} MB at {args.count:,} articles",
           f"{small_peak:.0f} MB at {args.small:,}", ratio(large_peak, small_peak), "<= 1.5",
           large_peak / small_peak <= 1.5)


if __name__ == "__main__":
    main()
