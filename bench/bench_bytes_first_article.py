"""Bytes and time until the first article's text is on screen, at 80x24 in a
pseudo-terminal, beside slate (the curses annotator, ``pip install slate-nlp``)
opening the same text in the same run.

    python bench/bench_bytes_first_article.py [--quick] [--runs 3]

claimdesk starts on its library (20 articles), Enter opens the first article:
every byte written from the start until the article's first words show and
the screen is quiet is counted, split into library and article. slate opens
the article's text file directly. slate is installed into a throwaway venv
by the bench itself; if that fails the baseline is skipped with the reason.
Target (issue 14): claimdesk <= 8 KB.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from pathlib import Path

from app_bench import PtyApp, claimdesk_command, median, slate_command
from results import result

from corpus.records import ArticleRecord
from store import Store
from store.ingest import Ingester
from synthetic import article

MARKER = "Kestrelgate"  # in the first line of every article, and nowhere else
TARGET = 8 * 1024


def make_database(folder: Path) -> tuple[Path, str]:
    """20 articles of about 3,000 characters, each with MARKER in its first line
    (whichever the library lists first); returns it and the first one's text."""
    rng = random.Random(14)
    records = []
    for n in range(20):
        fields = article(rng, n, 3000)
        text = f"Report on {MARKER} {fields['text']}"  # not first: the cursor splits the first word
        records.append(ArticleRecord(source="bench", id=f"a{n:02d}", title=fields["title"], outlet=fields["outlet"],
                                     text=text, published=f"2026-01-{28 - n:02d}"))
    db = folder / "bytes.db"
    with Store(db) as store:
        Ingester(store.db).run(records)
    return db, records[0].text


def claimdesk_run(db: Path, folder: Path) -> tuple[int, int, float]:
    """Bytes of the library, bytes of the article, seconds to the article's text."""
    start = time.monotonic()
    app = PtyApp(claimdesk_command("--db", str(db), "--annotator", f"bench-{uuid.uuid4().hex[:6]}"),
                 env={"HOME": str(folder), "XDG_CONFIG_HOME": str(folder)})
    try:
        app.wait_for("articles", timeout=60)
        to_library = time.monotonic() - start
        app.wait_quiet(0.5, timeout=60)
        library = app.written
        sent = time.monotonic()
        app.send("\r")
        app.wait_for(MARKER, timeout=60)
        to_text = time.monotonic() - sent
        app.wait_quiet(0.5, timeout=60)
        # What a user waits: start to the library, then Enter to the text
        # (not the half second the bench lets the library go quiet).
        return library, app.written - library, to_library + to_text
    finally:
        app.close()


def slate_run(command: list[str], folder: Path) -> tuple[int, float]:
    start = time.monotonic()
    app = PtyApp(command, cwd=folder)
    try:
        app.wait_for(MARKER, timeout=60)
        shown = time.monotonic() - start
        app.wait_quiet(0.5, timeout=60)
        return app.written, shown
    finally:
        app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one run of each")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    folder = Path(tempfile.mkdtemp(prefix="claimdesk-bytes-"))
    db, text = make_database(folder)
    text_file = folder / "article.txt"
    text_file.write_text(text)
    command, why = slate_command(text_file)
    ours, slate = [], []
    for _ in range(runs):
        ours.append(claimdesk_run(db, folder))
        if command:
            slate.append(slate_run(command, folder))
    library = median([r[0] for r in ours])
    article_bytes = median([r[1] for r in ours])
    total = median([r[0] + r[1] for r in ours])
    seconds = median([r[2] for r in ours])
    print(f"bytes until the first article's text is on screen, 80x24, median of {runs}:")
    print(f"  claimdesk  {total:7.0f} B  (library {library:.0f} B + article {article_bytes:.0f} B)  "
          f"{seconds * 1000:5.0f} ms")
    if slate:
        slate_bytes, slate_seconds = median([r[0] for r in slate]), median([r[1] for r in slate])
        print(f"  slate      {slate_bytes:7.0f} B  {slate_seconds * 1000:5.0f} ms")
        baseline, ratio = f"slate {slate_bytes / 1024:.1f} KB", f"{total / slate_bytes:.1f}"
    else:
        print(f"  slate      skipped: {why}")
        baseline, ratio = f"slate skipped ({why})", "n/a"
    met = total <= TARGET
    result("bytes until the first article's text is on screen at 80x24",
           f"{total / 1024:.1f} KB (library {library / 1024:.1f} KB + article {article_bytes / 1024:.1f} KB), "
           f"{seconds * 1000:.0f} ms", baseline, ratio, "<= 8 KB", met,
           "" if met else "every frame Textual sends is a full screen of styled cells; see docs/terminal-bytes.md")


if __name__ == "__main__":
    main()
