"""Time suggest() on a 1 MB article beside a plain regex pass over the same text.

    python bench/bench_suggest.py [--size BYTES] [--repeat N] [--quick]

The article is the evaluation set's texts repeated until it reaches the
size (about 1 MB by default, some 170,000 words). The baseline, measured in
the same run, is one ``re.finditer`` of a simple number pattern over the
same text: the least any figure finder must do. Target: under 1 s.
``--quick`` times a 100 KB article once and scales the figure to 1 MB
(suggesting is linear in the text), for ``bench/run_all.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from corpus.suggestions import suggest

EVAL_FILE = Path(__file__).resolve().parent.parent / "tests" / "data" / "suggest_eval" / "eval.jsonl"
_SIMPLE_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def build_article(size: int) -> str:
    """The evaluation texts joined by blank lines, repeated up to ``size`` UTF-8 bytes."""
    with EVAL_FILE.open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines if line.strip()]
    parts: list[str] = []
    total = 0
    while total < size:
        for text in texts:
            parts.append(text)
            total += len(text.encode("utf-8")) + 2
            if total >= size:
                break
    return "\n\n".join(parts)


def _median_seconds(work, repeat: int) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds of ``repeat`` runs, and the last result.

    CPU time is printed beside wall-clock time because the benchmark often
    shares the machine: wall-clock time then includes waiting for a core.
    """
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def main() -> int:
    parser = argparse.ArgumentParser(description="Time suggest() on one large article.")
    parser.add_argument("--size", type=int, default=1_000_000, help="article size in UTF-8 bytes")
    parser.add_argument("--repeat", type=int, default=3, help="runs to take the median of")
    parser.add_argument("--quick", action="store_true", help="a 100 KB article, once, scaled to 1 MB")
    args = parser.parse_args()
    if args.quick:
        args.size, args.repeat = 100_000, 1
    article = build_article(args.size)
    base_wall, base_cpu, numbers = _median_seconds(
        lambda: sum(1 for _ in _SIMPLE_NUMBER.finditer(article)), args.repeat
    )
    wall, cpu, found = _median_seconds(lambda: suggest(article), args.repeat)
    counts = Counter(s.label for s in found)
    print(f"article: {len(article.encode('utf-8')):,} bytes, {len(article.split()):,} words; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"suggest():            {wall * 1000:8.1f} ms wall, {cpu * 1000:8.1f} ms CPU  "
          f"({counts['figure']:,} figures, {counts['quote']:,} quotes, {counts['claim']:,} claims)")
    print(f"baseline re.finditer: {base_wall * 1000:8.1f} ms wall, {base_cpu * 1000:8.1f} ms CPU  "
          f"({numbers:,} digit runs)")
    print(f"ratio (wall): {wall / base_wall:.1f}x   target: suggest() under 1000 ms -> "
          f"{'met' if wall < 1 else 'NOT met'} (wall), {'met' if cpu < 1 else 'NOT met'} (CPU)")
    scale = 1_000_000 / len(article.encode("utf-8"))
    per_mb_wall, per_mb_cpu = wall * scale, cpu * scale
    print("RESULT " + json.dumps({
        "row": "suggest 1 MB article",
        "ours": f"{per_mb_wall * 1000:.0f} ms wall, {per_mb_cpu * 1000:.0f} ms CPU"
                + (" (scaled from 100 KB)" if args.quick else ""),
        "baseline": f"re.finditer digits {base_wall * scale * 1000:.0f} ms",
        "ratio": f"{wall / base_wall:.0f}x",
        "target": "< 1 s",
        "met": per_mb_wall < 1,
        "note": "" if per_mb_wall < 1 else (
            f"CPU {per_mb_cpu:.2f} s; wall includes waiting for a core (load {os.getloadavg()[0]:.1f} on"
            f" {os.cpu_count()} cores)" if per_mb_cpu < 1 else
            "figures (number and unit regexes per number) and quotes (people index) dominate"),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
