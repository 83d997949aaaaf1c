"""Spans: validation, overlap, events, undo and redo, conflicts and retries."""

from __future__ import annotations

import json

import pytest

from corpus.records import ArticleRecord
from store import SpanConflict, SpanError, Store
from store.events import history
from store.ingest import Ingester

pytestmark = pytest.mark.both_engines

TEXT = "The minister said 100,000 soldiers were ready. Critics disagreed."


@pytest.fixture
def article(store: Store) -> str:
    Ingester(store.db).run([ArticleRecord(source="t", id="a1", outlet="Wire", text=TEXT)])
    return "a1"


@pytest.mark.parametrize(
    ("start", "end", "label", "message"),
    [
        (-1, 3, "claim", "span [-1, 3) does not fit article 'a1'"),
        (5, 5, "claim", "span [5, 5) does not fit"),
        (10, 4, "claim", "span [10, 4) does not fit"),
        (0, len(TEXT) + 1, "claim", f"span [0, {len(TEXT) + 1}) does not fit"),
        (0, 3, "rumour", "unknown label 'rumour' (known: claim, quote, figure)"),
    ],
)
def test_bad_spans_are_refused_with_a_clear_error(store, article, start, end, label, message):
    with pytest.raises(SpanError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        store.spans.add(article, start, end, label, "ann")
    assert store.spans.for_article(article) == []


def test_unknown_article_is_refused(store):
    with pytest.raises(SpanError, match="no article with id 'nope'"):
        store.spans.add("nope", 0, 1, "claim", "ann")


def test_nested_and_overlapping_spans_are_ordinary(store, article):
    claim = store.spans.add(article, 0, 46, "claim", "ann")
    figure = store.spans.add(article, 18, 34, "figure", "ann")
    overlap = store.spans.add(article, 40, 60, "quote", "ann")
    spans = store.spans.for_article(article)
    assert [s.id for s in spans] == [claim.id, figure.id, overlap.id]
    assert figure.text == "100,000 soldiers" and claim.text == TEXT[:46]


def test_every_change_is_an_event_with_before_and_after(store, article):
    span = store.spans.add(article, 0, 46, "claim", "ann")
    moved = store.spans.update(span.id, span.version, "ann", end=45)
    store.spans.delete(moved.id, moved.version, "ann")
    events = history(store.db, article)
    assert [e.action for e in events] == ["add", "update", "delete"]
    assert events[1].before.end == 46 and events[1].after.end == 45
    assert events[2].before.text == TEXT[:45] and events[2].after is None
    assert all(e.annotator == "ann" and e.os_user for e in events)


def test_undo_and_redo_walk_the_history_and_a_new_change_clears_redo(store, article):
    span = store.spans.add(article, 0, 46, "claim", "ann")
    relabelled = store.spans.update(span.id, span.version, "ann", label="quote")
    assert store.spans.undo(article, "ann").label == "claim"
    assert store.spans.undo(article, "ann").id == span.id  # the add is undone: the span is gone
    assert store.spans.for_article(article) == []
    assert store.spans.undo(article, "ann") is None
    assert store.spans.redo(article, "ann").label == "claim"
    assert store.spans.redo(article, "ann").label == "quote"
    assert store.spans.redo(article, "ann") is None
    store.spans.undo(article, "ann")
    store.spans.add(article, 47, 65, "claim", "ann")  # a new change: nothing left to redo
    assert store.spans.redo(article, "ann") is None
    assert [s.label for s in store.spans.for_article(article)] == ["claim", "claim"]
    assert relabelled.version == 2


def test_undo_is_per_annotator_and_survives_reopening(db_path, article, store):
    mine = store.spans.add(article, 0, 46, "claim", "ann")
    store.spans.add(article, 47, 65, "claim", "bob")
    store.close()
    with Store(db_path) as reopened:
        assert reopened.spans.undo(article, "ann").id == mine.id
        assert [s.annotator for s in reopened.spans.for_article(article)] == ["bob"]
    with Store(db_path) as again:
        assert again.spans.redo(article, "ann").id == mine.id


def test_a_stale_version_is_a_conflict_not_an_overwrite(store, article):
    span = store.spans.add(article, 0, 46, "claim", "ann")
    store.spans.update(span.id, span.version, "ann", label="quote")  # another terminal
    with pytest.raises(SpanConflict, match="changed in another session"):
        store.spans.update(span.id, span.version, "ann", label="figure")
    assert store.spans.get(span.id).label == "quote"


def test_a_retried_write_with_the_same_event_id_is_applied_once(store, article):
    first = store.spans.add(article, 0, 46, "claim", "ann", event_id="evt-1")
    again = store.spans.add(article, 0, 46, "claim", "ann", event_id="evt-1")
    assert again.id == first.id
    assert len(store.spans.for_article(article)) == 1
    store.spans.delete(first.id, first.version, "ann", event_id="evt-2")
    assert store.spans.delete(first.id, first.version, "ann", event_id="evt-2").id == first.id
    assert len(history(store.db, article)) == 2


def test_a_change_is_visible_to_a_second_connection_at_once(db_path, article, store):
    with Store(db_path) as other:
        span = store.spans.add(article, 0, 46, "claim", "ann")
        assert [s.id for s in other.spans.for_article(article)] == [span.id]
        other.spans.update(span.id, span.version, "bob", label="quote")
        assert store.spans.get(span.id).label == "quote"


def test_span_attributes_are_kept_as_json(store, article):
    span = store.spans.add(article, 18, 34, "figure", "ann", attrs={"value": 100000, "unit": "soldier"})
    row = store.db.execute("SELECT attrs FROM spans WHERE id = ?", [span.id]).fetchone()[0]
    assert json.loads(row) == {"unit": "soldier", "value": 100000}
    assert store.spans.get(span.id).attrs == {"value": 100000, "unit": "soldier"}


def test_spans_added_as_one_batch_are_undone_and_redone_together(store, article):
    from store.spans import NewSpan

    single = store.spans.add(article, 0, 3, "claim", "ann")
    batch = store.spans.add_many(
        [NewSpan(article_id=article, start=18, end=34, label="figure"), NewSpan(article_id=article, start=47, end=65, label="claim")],
        "ann",
    )
    assert len(store.spans.for_article(article)) == 3
    store.spans.undo(article, "ann")
    assert [s.id for s in store.spans.for_article(article)] == [single.id]
    store.spans.redo(article, "ann")
    assert {s.id for s in store.spans.for_article(article)} == {single.id, *(s.id for s in batch)}
    store.spans.undo(article, "ann")
    store.spans.undo(article, "ann")
    assert store.spans.for_article(article) == []


def test_a_retried_undo_with_the_same_event_id_undoes_once(store, article):
    first = store.spans.add(article, 0, 3, "claim", "ann")
    second = store.spans.add(article, 47, 65, "claim", "ann")
    assert store.spans.undo(article, "ann", event_id="u-1").id == second.id
    assert store.spans.undo(article, "ann", event_id="u-1").id == second.id  # the retry finds its own event
    assert [s.id for s in store.spans.for_article(article)] == [first.id]
    assert store.spans.redo(article, "ann", event_id="r-1").id == second.id
    assert store.spans.redo(article, "ann", event_id="r-1").id == second.id
    assert len(store.spans.for_article(article)) == 2


def test_undo_still_works_after_dedup_wrote_a_cluster_id(store, article, db_path, capsys):
    from tui.cli import main

    claim = store.spans.add(article, 0, 46, "claim", "ann")
    assert main(["dedup", "--no-untagged", "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert "cluster" in store.spans.get(claim.id).attrs
    assert store.spans.undo(article, "ann").id == claim.id
    assert store.spans.for_article(article) == []
    assert store.spans.redo(article, "ann").id == claim.id
