"""The spans table is exactly the replay of the events table."""

from __future__ import annotations

import pytest

from corpus.records import ArticleRecord
from store import Store
from store.ingest import Ingester
from store.replay import replay, replay_differences

pytestmark = pytest.mark.both_engines

TEXT = "The minister said 100,000 soldiers were ready. Critics disagreed."


@pytest.fixture
def article(store: Store) -> str:
    Ingester(store.db).run([ArticleRecord(source="t", id="a1", outlet="Wire", text=TEXT)])
    return "a1"


def test_replay_of_adds_updates_deletes_undos_and_redos_is_the_spans_table(store, article):
    kept = store.spans.add(article, 0, 46, "claim", "ann", attrs={"note": "x"})
    gone = store.spans.add(article, 18, 34, "figure", "ann")
    store.spans.update(kept.id, kept.version, "ann", label="quote")
    store.spans.delete(gone.id, gone.version, "ann")
    store.spans.undo(article, "ann")  # the figure comes back
    store.spans.undo(article, "ann")  # the relabel goes
    store.spans.redo(article, "ann")  # and comes back
    assert set(replay(store.db)) == {kept.id, gone.id}
    assert replay(store.db)[kept.id]["label"] == "quote"
    assert replay_differences(store.db) == []


def test_a_change_made_behind_the_events_back_is_reported(store, article):
    span = store.spans.add(article, 0, 46, "claim", "ann")
    store.db.execute("UPDATE spans SET label = 'figure' WHERE id = ?", [span.id])
    store.db.execute(
        "INSERT INTO spans (id, article_id, start, \"end\", label, text, annotator, origin, status, created_at, updated_at)"
        " VALUES ('ghost', 'a1', 0, 3, 'claim', 'The', 'x', 'manual', 'accepted', 'now', 'now')"
    )
    assert replay_differences(store.db) == [
        f"span {span.id} differs from its last event in label",
        "span ghost is stored but no event left it there",
    ]


def test_a_lost_write_is_reported(store, article):
    span = store.spans.add(article, 0, 46, "claim", "ann")
    store.db.execute("DELETE FROM spans WHERE id = ?", [span.id])
    assert replay_differences(store.db) == [f"span {span.id} should exist after the events but is not stored"]
