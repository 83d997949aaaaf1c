"""Shared data for the export tests: the demo corpus with spans made on it.

Spans: every tagged claim of ``tests/data/demo_claims.jsonl`` as a claim of
annotator ``ana`` with its cluster; every figure ``find_figures`` finds as a
figure with value and unit (``ana``); quotes with speakers and an
overlapping layer of ``ben``'s claims; a ``gold`` layer; one pending and one
rejected suggestion (never exported by default); and an extra article with
an emoji before its spans, so offsets are tested as code points. Imported
with ``from test_export_fixtures import ...`` by the ``test_export_*`` files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from corpus.figures import find_figures
from store import Store
from store.ingest import Ingester
from tui.commands.demo import load_demo
from corpus.records import ArticleRecord

DEMO_CLAIMS = Path(__file__).resolve().parent / "data" / "demo_claims.jsonl"
EMOJI_ID = "emoji-note"
EMOJI_TEXT = (
    "🙂 Officials 🇧🇻 said 12% of the vests failed.\n\n"
    "“We will review the contract,” said Anna Reidel-Kova, the acting minister."
)
_QUOTE = re.compile(r"[“\"]([^”\"\n]{10,200})[,.]?[”\"],? (?:said|says) ((?:[A-Z][\w.-]*\s?){1,3})")


def _source_to_id(store: Store) -> dict[str, str]:
    ids = {}
    for summary in store.articles.page(limit=1000):
        ids[summary.id.rsplit("/", 1)[-1] + ".html"] = summary.id
        ids[summary.id] = summary.id
    return ids


def build_export_db(path: Path) -> Store:
    """The demo database with spans of three annotators and the emoji article."""
    store = load_demo(path)
    Ingester(store.db).run([
        ArticleRecord(source="test", id=EMOJI_ID, title="Emoji note", outlet="Northgate Wire", text=EMOJI_TEXT,
                      published="2026-03-05T08:00:00Z")
    ])
    ids = _source_to_id(store)
    for line in DEMO_CLAIMS.read_text(encoding="utf-8").splitlines():
        claim = json.loads(line)
        article = store.articles.get(ids[claim["source"]])
        start = article.text.find(claim["text"])
        if start < 0:
            continue
        end = start + len(claim["text"])
        store.spans.add(article.id, start, end, "claim", "ana", attrs={"cluster": claim["group"]})
        # ben marks the same claim without its final full stop: overlapping, not equal.
        store.spans.add(article.id, start, end - 1, "claim", "ben", attrs={"note": "checked"})
    for summary in store.articles.page(limit=1000):
        text = store.articles.get(summary.id).text
        for figure in find_figures(text):
            attrs = {"value": figure.value, "unit": figure.unit, "low": figure.low, "high": figure.high,
                     "approx": figure.approx}
            store.spans.add(summary.id, figure.start, figure.end, "figure", "ana",
                            attrs={k: v for k, v in attrs.items() if v is not None})
        for match in _QUOTE.finditer(text):
            speaker = match.group(2).strip()
            store.spans.add(summary.id, match.start(1), match.end(1), "quote", "ana", attrs={"speaker": speaker})
    first = store.articles.page(limit=1)[0].id
    gold = store.spans.for_article(first, annotator="ana")[:3]
    for span in gold:
        store.spans.add(first, span.start, span.end, span.label, "gold", attrs=span.attrs, acting="rev")
    store.spans.add(first, 0, 3, "claim", "ana", origin="suggested", status="pending")
    store.spans.add(first, 4, 9, "claim", "ana", origin="suggested", status="rejected")
    return store


@pytest.fixture(scope="session")
def export_db(tmp_path_factory) -> Path:
    """Path of the shared, read-only export test database."""
    path = tmp_path_factory.mktemp("export") / "demo.db"
    build_export_db(path).close()
    return path


@pytest.fixture(scope="session")
def demo_texts(export_db) -> list[tuple[str, str]]:
    """(article id, text) of every article of the export test database."""
    with Store(export_db) as store:
        return [tuple(row) for row in store.db.execute("SELECT id, text FROM articles ORDER BY rowid")]
