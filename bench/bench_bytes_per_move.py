"""Bytes written to the terminal per cursor move down, at 80x24 in a
pseudo-terminal, beside slate (the curses annotator, ``pip install slate-nlp``)
moving down the same text in the same run.

    python bench/bench_bytes_per_move.py [--quick] [--size 1000000] [--moves 20]

Each key is sent once the screen is quiet, and every byte the program writes
until it is quiet again is counted. Moving down 20 times from the top of an
80x24 screen never scrolls: their median is a plain move; then 10 more moves
scroll the text by one line each, and the largest of those is a scroll. slate is installed into a throwaway venv by the
bench itself; if that fails the baseline is skipped with the reason.
Targets (issue 14): median <= slate's median; a one-line scroll about one line.
"""

from __future__ import annotations

import argparse
import tempfile
import uuid
from pathlib import Path

from app_bench import PtyApp, big_article_database, big_article_text, claimdesk_command, median, slate_command
from results import result

from store import Store
from store.progress import ProgressStore

DOWN_OURS, DOWN_SLATE = "j", "\x1b[B"


def bytes_per_move(app: PtyApp, key: str, moves: int) -> list[int]:
    app.wait_quiet(1.0, timeout=60)
    counts = []
    for _ in range(moves):
        before = app.written
        app.send(key)
        app.wait_quiet(0.15)
        counts.append(app.written - before)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a 100 KB article")
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--moves", type=int, default=20)
    args = parser.parse_args()
    size = 100_000 if args.quick else args.size
    db, article_id = big_article_database(size)
    annotator = f"bench-{uuid.uuid4().hex[:6]}"
    with Store(db) as store:
        ProgressStore(store.db).open(article_id, annotator)  # the app opens on the article
    folder = Path(tempfile.mkdtemp(prefix="claimdesk-moves-"))
    ours_app = PtyApp(claimdesk_command("--db", str(db), "--annotator", annotator),
                      env={"HOME": str(folder), "XDG_CONFIG_HOME": str(folder)})
    try:
        ours_app.wait_for("article 1 of 1", timeout=60)
        ours = bytes_per_move(ours_app, DOWN_OURS, args.moves)
        ours_scroll = bytes_per_move(ours_app, DOWN_OURS, 10)
    finally:
        ours_app.close()
    text_file = folder / "article.txt"
    text_file.write_text(big_article_text(size))
    command, why = slate_command(text_file)
    slate = []
    if command:
        slate_app = PtyApp(command, cwd=folder)
        try:
            slate = bytes_per_move(slate_app, DOWN_SLATE, args.moves)
            slate_scroll = bytes_per_move(slate_app, DOWN_SLATE, 10)
        finally:
            slate_app.close()
    print(f"bytes written per cursor move down at 80x24 ({args.moves} moves, {size:,}-character article):")
    print(f"  claimdesk  median {median(ours):6.0f}   scrolling {ours_scroll}")
    if slate:
        print(f"  slate      median {median(slate):6.0f}   scrolling {slate_scroll}")
        baseline, ratio = f"slate {median(slate):.0f} B median", f"{median(ours) / max(median(slate), 1):.2f}"
        met = median(ours) <= median(slate)
    else:
        print(f"  slate      skipped: {why}")
        baseline, ratio, met = f"slate skipped ({why})", "n/a", None
    result("bytes per cursor move down (20 moves)",
           f"{median(ours):.0f} B median, {max(ours_scroll)} B on a one-line scroll", baseline, ratio,
           "<= slate's median; a one-line scroll about one line",
           None if met is None else met and max(ours_scroll) <= 400,
           "" if max(ours_scroll) <= 400 else
           f"a one-line scroll sends the whole screen ({max(ours_scroll)} B): Textual repaints a scrolled view in full "
           "and has no scroll-region update")


if __name__ == "__main__":
    main()
