"""Bytes written to the terminal per cursor move, at 80x24 in a pseudo-terminal,
against Textual's read-only TextArea showing the same text in the same run.

    .venv/bin/python bench/bench_bytes_per_move.py [--size 1000000] [--moves 60]

Each key (right, down, next word in turn) is sent once the screen is quiet,
and every byte the program writes until it is quiet again is counted.
Target (issue 3): median <= 2 KB.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from pathlib import Path

from app_bench import PtyApp, big_article_database, big_article_text, claimdesk_command, median

from store import Store
from store.progress import ProgressStore

TEXTAREA_APP = """
import sys
from pathlib import Path
from textual.app import App
from textual.widgets import TextArea
class Reader(App):
    def compose(self):
        area = TextArea(Path(sys.argv[1]).read_text(), read_only=True, soft_wrap=True)
        area.cursor_blink = False  # a blinking cursor never lets the screen go quiet
        yield area
Reader().run()
"""
# right, down, next word: the escape sequences a terminal sends.
OUR_KEYS = ("l", "j", "w")
TEXTAREA_KEYS = ("\x1b[C", "\x1b[B", "\x1b[1;5C")


def bytes_per_move(app: PtyApp, keys: tuple[str, ...], moves: int) -> list[int]:
    app.wait_quiet(1.0, timeout=60)
    counts = []
    for n in range(moves):
        before = app.written
        app.send(keys[n % len(keys)])
        app.wait_quiet(0.15)
        counts.append(app.written - before)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--moves", type=int, default=60)
    args = parser.parse_args()
    db, article_id = big_article_database(args.size)
    annotator = f"bench-{uuid.uuid4().hex[:6]}"
    with Store(db) as store:
        ProgressStore(store.db).open(article_id, annotator)  # the app opens on the article
    ours_app = PtyApp(claimdesk_command("--db", str(db), "--annotator", annotator))
    try:
        ours_app.wait_for("article 1 of 1", timeout=60)
        ours = bytes_per_move(ours_app, OUR_KEYS, args.moves)
    finally:
        ours_app.close()
    text_file = Path(tempfile.mkdtemp()) / "article.txt"
    text_file.write_text(big_article_text(args.size))
    base_app = PtyApp([sys.executable, "-c", TEXTAREA_APP, str(text_file)])
    try:
        base_app.wait_quiet(1.0, timeout=120)
        base = bytes_per_move(base_app, TEXTAREA_KEYS, args.moves)
    finally:
        base_app.close()
    print(f"bytes written per cursor move at 80x24 ({args.moves} moves: right, down, next word):")
    print(f"  claimdesk  median {median(ours):6.0f}   max {max(ours):6d}")
    print(f"  TextArea   median {median(base):6.0f}   max {max(base):6d}")
    print(f"  ratio      {median(ours) / max(median(base), 1):6.2f}   (target: claimdesk median <= 2048)")


if __name__ == "__main__":
    main()
