"""Hostile HTML: `claimdesk ingest` of a page of deeply nested <div>s, beside a
page of the same size whose <div>s are side by side.

    .venv/bin/python bench/bench_hostile.py [--depth 200000] [--quick]

Target (issue 10, item 4): the 2.2 MB page of 200,000 nested <div>s ingests
in <= 2 s (it took 88 s when the HTML tree builder met the whole depth). The
baseline, the flat page of the same bytes, shows what linear costs: the
ratio says how much the nesting itself still costs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def nested_page(depth: int) -> str:
    return "<html><body>" + "<div>" * depth + "<p>Deep text.</p>" + "</div>" * depth + "</body></html>"


def flat_page(depth: int) -> str:
    return "<html><body>" + "<div></div>" * depth + "<p>Deep text.</p></body></html>"


def ingest_seconds(page: str, work: Path, name: str) -> float:
    folder = work / name
    folder.mkdir()
    (folder / "warm.html").write_text("<p>Warm up.</p>", encoding="utf-8")
    (folder / "page.html").write_text(page, encoding="utf-8")

    def command(file: str) -> list[str]:
        return [sys.executable, "-m", "tui.cli", "ingest", "--quiet", "--no-suggest", "--db", str(work / f"{name}.db"),
                str(folder / file)]

    subprocess.run(command("warm.html"), check=True, stdout=subprocess.DEVNULL)  # the database exists, caches are hot
    start = time.perf_counter()
    subprocess.run(command("page.html"), check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--depth", type=int, default=200_000)
    parser.add_argument("--quick", action="store_true", help="20,000 deep")
    args = parser.parse_args()
    depth = 20_000 if args.quick else args.depth
    work = Path(tempfile.mkdtemp(prefix="claimdesk-bench-hostile-"))
    page = nested_page(depth)
    ours = ingest_seconds(page, work, "nested")
    base = ingest_seconds(flat_page(depth), work, "flat")
    target = 2.0  # the whole command, start-up included
    from corpus.readers.html import extract_html

    start = time.perf_counter()
    extract_html(page)
    extract = time.perf_counter() - start
    print(f"{depth:,} nested <div>s ({len(page) / 1e6:.1f} MB): {ours:.2f} s; the same bytes flat: {base:.2f} s; "
          f"text extraction alone {extract:.2f} s")
    print("RESULT " + json.dumps({
        "row": "hostile HTML: 200k nested divs" if depth == 200_000 else f"hostile HTML: {depth:,} nested divs",
        "ours": f"{ours:.2f} s", "baseline": f"{base:.2f} s (same bytes, flat)", "ratio": f"{ours / base:.2f}",
        "target": f"<= {target:g} s", "met": ours <= target,
        "note": (f"text extraction alone {extract:.2f} s" if ours <= target else
                 f"text extraction alone takes {extract:.2f} s: the rest is the command's start-up and storing, "
                 "at the ingest's nice 10 on a busy machine")
        + ("" if depth == 200_000 else f" (--quick: {depth:,} deep, not the target's 200,000)"),
    }))


if __name__ == "__main__":
    main()
