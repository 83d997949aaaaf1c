"""An export is a long reader: it must not hold one snapshot that stops checkpoints."""

from __future__ import annotations

import pytest

from store import Store
from store.export import ExportFilter, export


# About SQLite's WAL: PostgreSQL has no checkpoint a long reader could hold back
# (an export there reads each page in its own statement all the same).
@pytest.mark.sqlite_only
def test_writers_can_checkpoint_the_whole_wal_while_an_export_runs(demo_store, tmp_path):
    articles = [a.id for a in demo_store.articles.page(limit=20)]
    for article_id in articles:
        demo_store.spans.add(article_id, 0, 5, "claim", "ann")
    checkpoints = []

    def annotate_meanwhile(done: int) -> None:
        with Store(demo_store.path) as other:
            other.spans.add(articles[done % len(articles)], 6, 9, "quote", "bob")
            busy, log, copied = other.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            checkpoints.append((busy, log, copied))

    report = export(demo_store.db, "jsonl", tmp_path / "out.jsonl", ExportFilter(), on_article=annotate_meanwhile)
    assert report.stats.articles == len(articles)
    # Every checkpoint taken mid-export copied the whole log back: no reader pinned it.
    assert checkpoints and all(busy == 0 and log == copied for busy, log, copied in checkpoints)
