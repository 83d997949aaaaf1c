"""Shared data for the export tests: the demo corpus with spans made on it.

Spans: every tagged claim of ``tests/data/demo_claims.jsonl`` as a claim of
annotator ``ana`` with its cluster; every figure ``find_figures`` finds as a
figure with value and unit (``ana``); quotes with speakers and an
overlapping layer of ``ben``'s claims; a ``gold`` layer; one pending and one
rejected suggestion (never exported by default); and an extra article with
an emoji before its spans, so offsets are tested as code points. Imported
with ``from test_export_fixtures import ...`` by the ``test_export_*`` files.

``export_db`` follows the ``engine`` fixture: in a ``both_engines`` module it
is an SQLite file in one run and a PostgreSQL URL in the other, each built
once per session. :func:`own_copy` gives a test a copy it may change, and
:func:`rows` reads either engine.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from corpus.figures import find_figures
from store import Store
from store.ingest import Ingester
from corpus.readers import read_paths
from corpus.records import ArticleRecord
from tui.commands.demo import DEMO_ARTICLES, DEMO_CORPUS

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


def load_demo_into(target: Path | str) -> Store:
    """The demo corpus with its suggestions, as ``claimdesk demo`` loads it, in a
    file or a PostgreSQL database."""
    store = Store(target)
    report = store.ingest(read_paths([DEMO_CORPUS / name for name in DEMO_ARTICLES]), suggest=True)
    assert not report.rejected, report.rejected
    return store


def build_export_db(path: Path | str) -> Store:
    """The demo database with spans of three annotators and the emoji article."""
    store = load_demo_into(path)
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


# One export database per engine for the whole run (the engine fixture is per test).
_BUILT: dict[str, Path | str] = {}


def _new_target(request, tmp_path_factory, engine: str) -> Path | str:
    if engine == "postgresql":
        return request.getfixturevalue("pg_server").new_database()
    return tmp_path_factory.mktemp("export") / "demo.db"


def export_db_on(engine: str, request, tmp_path_factory) -> Path | str:
    """The shared export database of ``engine`` (built the first time it is asked for)."""
    if engine not in _BUILT:
        target = _new_target(request, tmp_path_factory, engine)
        build_export_db(target).close()
        _BUILT[engine] = target
    return _BUILT[engine]


@pytest.fixture
def export_db(engine, request, tmp_path_factory) -> Path | str:
    """The shared, read-only export test database: a file, or on PostgreSQL a URL."""
    return export_db_on(engine, request, tmp_path_factory)


@pytest.fixture
def own_copy(export_db, engine, request, tmp_path_factory):
    """``own_copy()``: a copy of the export database a test may change. SQLite
    copies the file; PostgreSQL builds the same database again in a new schema."""

    def make() -> Path | str:
        target = _new_target(request, tmp_path_factory, engine)
        if engine == "postgresql":
            build_export_db(target).close()
        else:
            with sqlite3.connect(export_db) as source, sqlite3.connect(target) as copy:
                source.backup(copy)
        return target

    return make


def rows(db: Path | str, sql: str, params: list[Any] | None = None) -> list[tuple]:
    """The rows of ``sql`` (SQLite-spelled, as the store writes it) on either engine."""
    with Store(db) as store:
        return [tuple(row.values()) for row in store.db.query(sql, params)]


@pytest.fixture
def demo_texts(export_db) -> list[tuple[str, str]]:
    """(article id, text) of every article of the export test database."""
    return rows(export_db, "SELECT id, text FROM articles ORDER BY rowid")
