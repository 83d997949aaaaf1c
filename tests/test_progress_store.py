"""Per-annotator progress: open, done, cursor, resume and the library's rows."""

from __future__ import annotations

import pytest

from store import Store
from store.progress import ProgressStore
from tui_support import make_db

pytestmark = pytest.mark.both_engines


@pytest.fixture
def store(tmp_path):
    with Store(make_db(tmp_path / "t.db")) as opened:
        yield opened


@pytest.fixture
def progress(store):
    return ProgressStore(store.db)


def test_open_save_cursor_and_resume(progress):
    assert progress.resume("ann") is None
    progress.open("a2", "ann")
    progress.save_cursor("a2", "ann", 42)
    resumed = progress.resume("ann")
    assert (resumed.article_id, resumed.cursor, resumed.status) == ("a2", 42, "open")
    assert progress.resume("other") is None


def test_done_is_kept_when_reopened_and_ends_resume(progress):
    progress.open("a1", "ann")
    progress.mark_done("a1", "ann", 7)
    assert progress.resume("ann") is None
    progress.open("a1", "ann")
    assert progress.get("a1", "ann").status == "done"


def test_library_rows_show_my_status_others_and_my_spans(store, progress):
    store.spans.add("a1", 0, 8, "claim", "ann")
    progress.open("a1", "ann")
    progress.mark_done("a2", "bea")
    progress.mark_done("a2", "cy")
    progress.mark_done("a3", "ann")
    rows = {row.id: row for row in progress.library_page("ann")}
    assert (rows["a1"].status, rows["a1"].my_spans) == ("in progress", 1)
    assert rows["a2"].status == "done by 2 others"
    assert rows["a3"].status == "done by me"


@pytest.mark.parametrize(
    ("status", "expected"),
    [("new", []), ("in progress", ["a1"]), ("done by me", ["a3"]), ("done by others", ["a2"])],
)
def test_library_filters_by_status(progress, status, expected):
    progress.open("a1", "ann")
    progress.mark_done("a2", "bea")
    progress.mark_done("a3", "ann")
    assert [row.id for row in progress.library_page("ann", status=status)] == expected


def test_library_pages_forward_backward_and_last(progress):
    first = progress.library_page("ann", limit=2)
    assert [r.id for r in first] == ["a1", "a2"]
    assert [r.id for r in progress.library_page("ann", after=first[-1].seq, limit=2)] == ["a3"]
    assert [r.id for r in progress.library_page("ann", before=first[-1].seq + 1, limit=1)] == ["a2"]
    assert [r.id for r in progress.last_page("ann", limit=2)] == ["a2", "a3"]


def test_library_filters_by_outlet_and_title(progress):
    assert [r.id for r in progress.library_page("ann", outlet="Northgate Times")] == ["a1", "a3"]
    assert [r.id for r in progress.library_page("ann", title_contains="vests")] == ["a2"]


def test_counts(progress):
    progress.open("a1", "ann")
    progress.mark_done("a2", "ann")
    assert progress.counts("ann") == {"articles": 3, "in progress": 1, "done by me": 1}
