"""Small databases and app helpers for the app's tests (test_tui_*.py)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from corpus.records import ArticleRecord
from store import Store
from store.ingest import Ingester

FIRST = (
    "Minister defends armour deal\n"
    "\n"
    "The defence minister said on Monday that the armour deal would stand. "
    "\"We bought 100,000 vests and every one of them was tested,\" Reidel said. "
    "Critics disagree.\n"
    "\n"
    "An audit found that 12% of the vests failed. The ministry paid $43.9 billion for the contract."
)
SECOND = (
    "Audit finds vests failed\n"
    "\n"
    "The audit office said 12% of the army's vests failed rifle tests. "
    "The armour was bought from Halvard Dynamics.\n"
    "\n"
    "Halvard denied the vests were faulty."
)
THIRD = "Review ordered\n\nThe acting minister ordered a review of the armour contract on Tuesday."

ARTICLES = [
    {"id": "a1", "outlet": "Northgate Times", "title": "Minister defends armour deal", "text": FIRST},
    {"id": "a2", "outlet": "Ostel Courier", "title": "Audit finds vests failed", "text": SECOND},
    {"id": "a3", "outlet": "Northgate Times", "title": "Review ordered", "text": THIRD},
]


def make_db(path: Path, articles: list[dict] = ARTICLES) -> Path:
    """A database holding ``articles`` (dicts of ArticleRecord fields)."""
    with Store(path) as store:
        Ingester(store.db).run(ArticleRecord(source="test", **article) for article in articles)
    return path


def add_nested_spans(path: Path, annotator: str) -> None:
    """A claim over a sentence of a1, a quote inside it and a figure inside the quote."""
    quote_start = FIRST.index('"We bought')
    quote_end = FIRST.index('tested,"') + len('tested,"')
    figure_start = FIRST.index("100,000")
    with Store(path) as store:
        store.spans.add("a1", quote_start, FIRST.index("Reidel said.") + len("Reidel said."), "claim", annotator)
        store.spans.add("a1", quote_start, quote_end, "quote", annotator, attrs={"speaker": "Reidel"})
        store.spans.add("a1", figure_start, figure_start + len("100,000 vests"), "figure", annotator,
                        attrs={"value": 100000.0, "unit": "vest"})


def make_app(path: Path, annotator: str = "ann", keymap: str = "default", tmp: Path | None = None):
    """The app on ``path``, ignoring any keymap in the real user's config folder."""
    from tui.app import ClaimdeskApp

    user_keymap = (tmp or path.parent) / "no-user-keymap.toml"
    return ClaimdeskApp(path, annotator, keymap, user_keymap=user_keymap)


async def settle(app, pilot) -> None:
    """Let queued store jobs finish and their results reach the screen."""
    await app.settled()
    await pilot.pause()
    await app.settled()
    await pilot.pause()


async def press(app, pilot, *keys: str) -> None:
    """Press keys one at a time, letting each change land before the next."""
    for key in keys:
        await pilot.press(key)
        await settle(app, pilot)


_SVG_TEXT = re.compile(r'<text [^>]*x="([\d.]+)"[^>]*clip-path="url\(#[\w-]+-line-(\d+)\)">(.*?)</text>', re.S)


def screen_lines(app) -> list[str]:
    """What the terminal shows, line by line (read from Textual's screenshot)."""
    lines: dict[int, list[tuple[float, str]]] = {}
    for x, line, content in _SVG_TEXT.findall(app.export_screenshot()):
        lines.setdefault(int(line), []).append((float(x), html.unescape(content).replace("\xa0", " ")))
    return ["".join(piece for _, piece in sorted(lines[n])).rstrip("\n") for n in sorted(lines)]


_CELL_WIDTH = 12.2  # Textual's screenshot draws one terminal cell 12.2 units wide


def screen_rows(app) -> list[str]:
    """What the terminal shows, line by line, each piece at its own column
    (``screen_lines`` joins the pieces, dropping the blank cells between them)."""
    lines: dict[int, dict[int, str]] = {}
    for x, line, content in _SVG_TEXT.findall(app.export_screenshot()):
        lines.setdefault(int(line), {})[round(float(x) / _CELL_WIDTH)] = html.unescape(content).replace("\xa0", " ")
    rows = []
    for number in sorted(lines):
        row = ""
        for column, piece in sorted(lines[number].items()):
            row = row.ljust(column) + piece
        rows.append(row.rstrip())
    return rows
