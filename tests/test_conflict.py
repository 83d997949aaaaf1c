"""The same annotator in two terminals editing the same span: the second
change is refused with a clear notice, nothing is overwritten silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.records import ArticleRecord
from store import SpanConflict, Store
from store.events import history
from store.ingest import Ingester
from store.replay import replay_differences

pytestmark = pytest.mark.both_engines

TEXT = "The minister said 100,000 soldiers were ready. Critics disagreed."


@pytest.fixture
def two_terminals(db_path: Path):
    with Store(db_path) as first:
        Ingester(first.db).run([ArticleRecord(source="t", id="a1", outlet="Wire", text=TEXT)])
        with Store(db_path) as second:
            yield first, second


def test_the_slower_relabel_is_refused_and_the_faster_one_stands(two_terminals):
    first, second = two_terminals
    span = first.spans.add("a1", 0, 46, "claim", "ann")
    seen_by_second = second.spans.get(span.id)
    first.spans.update(span.id, span.version, "ann", label="quote")
    with pytest.raises(SpanConflict, match="changed in another session; the view has been reloaded"):
        second.spans.update(seen_by_second.id, seen_by_second.version, "ann", label="figure")
    reloaded = second.spans.get(span.id)
    assert (reloaded.label, reloaded.version) == ("quote", 2)
    # After reloading, the second terminal's change goes through on the new version.
    assert second.spans.update(reloaded.id, reloaded.version, "ann", end=45).end == 45
    assert [e.action for e in history(first.db, "a1")] == ["add", "update", "update"]


def test_editing_a_span_deleted_in_the_other_terminal_is_refused(two_terminals):
    first, second = two_terminals
    span = first.spans.add("a1", 0, 46, "claim", "ann")
    second.spans.delete(span.id, span.version, "ann")
    with pytest.raises(SpanConflict, match="deleted in another session"):
        first.spans.update(span.id, span.version, "ann", end=40)
    assert first.spans.for_article("a1") == []


def test_deleting_a_span_changed_in_the_other_terminal_is_refused(two_terminals):
    first, second = two_terminals
    span = first.spans.add("a1", 18, 34, "figure", "ann")
    second.spans.update(span.id, span.version, "ann", attrs={"value": 100000})
    with pytest.raises(SpanConflict):
        first.spans.delete(span.id, span.version, "ann")
    assert first.spans.get(span.id).attrs == {"value": 100000}


def test_undo_does_not_roll_back_a_change_made_since_in_the_other_terminal(two_terminals):
    first, second = two_terminals
    span = first.spans.add("a1", 0, 46, "claim", "ann")
    moved = first.spans.update(span.id, span.version, "ann", end=45)
    second.spans.update(moved.id, moved.version, "bob", label="quote")  # someone else, later
    with pytest.raises(SpanConflict, match="cannot undo"):
        first.spans.undo("a1", "ann")
    assert first.spans.get(span.id).label == "quote"
    assert replay_differences(first.db) == []
