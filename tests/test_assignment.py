"""Assignment: N gives each annotator an article that still needs them,
preferring articles nobody has open; open articles hold soft locks."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from corpus.records import ArticleRecord
from store import Store, StoreError
from store.assignment import Assigner, idle_minutes, overlap, set_idle_minutes, set_overlap
from store.ingest import Ingester
from store.progress import ProgressStore

pytestmark = pytest.mark.both_engines


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


def _ingest(store: Store, count: int) -> list[str]:
    ids = [f"art-{i}" for i in range(count)]
    Ingester(store.db).run([ArticleRecord(source="t", id=i, outlet="Wire", text=f"Article {i} text.") for i in ids])
    return ids


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def team(store: Store, clock: Clock):
    """Five articles, an assigner on a hand clock, and a way to finish articles."""
    ids = _ingest(store, 5)
    progress = ProgressStore(store.db)
    return ids, Assigner(store.db, clock=clock), progress.mark_done


def test_overlap_defaults_to_one_and_is_stored_in_the_database(store, db_path):
    assert overlap(store.db) == 1
    set_overlap(store.db, 3)
    with Store(db_path) as other:
        assert overlap(other.db) == 3
    with pytest.raises(StoreError, match="at least 1"):
        set_overlap(store.db, 0)


def test_overlap_1_each_annotator_gets_a_different_article(team):
    ids, assigner, finish = team
    assert assigner.next_for("ann") == ids[0]
    assert assigner.next_for("bob") == ids[1]  # ids[0] is open for ann
    finish(ids[0], "ann")
    assert assigner.next_for("ann", leaving=ids[0]) == ids[2]
    assert assigner.next_for("cat") == ids[3]


def test_overlap_1_a_finished_article_is_not_offered_again(team):
    ids, assigner, finish = team
    finish(ids[0], "ann")
    finish(ids[1], "bob")
    assert assigner.next_for("cat") == ids[2]
    assert assigner.next_for("ann", leaving=ids[0]) == ids[3]


def test_overlap_2_articles_go_to_a_second_annotator_until_two_finished(store, team):
    ids, assigner, finish = team
    set_overlap(store.db, 2)
    assert assigner.next_for("ann") == ids[0]
    finish(ids[0], "ann")
    # bob is sent to the article ann finished: it needs one more finisher.
    assert assigner.next_for("bob") == ids[0]
    finish(ids[0], "bob")
    # Two finishers: nobody else is sent there; ann never gets her own finished one back.
    assert assigner.next_for("cat") == ids[1]
    assert assigner.next_for("ann", leaving=ids[0]) == ids[2]


def test_nothing_left_returns_none(team):
    ids, assigner, finish = team
    for article in ids:
        finish(article, "ann")
    assert assigner.next_for("bob") is None
    assert assigner.next_for("ann") is None


def test_when_everything_is_open_somewhere_the_least_crowded_article_is_shared(store, clock):
    ids = _ingest(store, 2)
    assigner = Assigner(store.db, clock=clock)
    assert [assigner.next_for(n) for n in ("ann", "bob")] == ids
    assigner.touch(ids[0], "cat")
    assert assigner.next_for("dan") == ids[1]  # one person on it, not two


def test_the_soft_lock_expires_after_the_idle_minutes(store, team, clock):
    ids, assigner, _ = team
    set_idle_minutes(store.db, 10)
    assert idle_minutes(store.db) == 10
    assert assigner.next_for("ann") == ids[0]
    clock.advance(9)
    assert assigner.next_for("bob") == ids[1]  # ann's lock still holds
    assert assigner.open_now() == {ids[0]: ["ann"], ids[1]: ["bob"]}
    clock.advance(2)  # ann idle for 11 minutes, bob for 2
    assert assigner.open_now() == {ids[1]: ["bob"]}
    assert assigner.next_for("cat") == ids[0]


def test_touch_keeps_the_lock_alive_and_release_frees_it(team, clock):
    ids, assigner, _ = team
    assert assigner.next_for("ann") == ids[0]
    for _ in range(3):
        clock.advance(8)
        assigner.touch(ids[0], "ann")  # still working
    assert assigner.next_for("bob") == ids[1]
    assigner.release(ids[0], "ann")
    assert assigner.next_for("cat") == ids[0]


def test_leaving_an_unfinished_article_moves_on_and_a_new_session_resumes_it(team):
    ids, assigner, _ = team
    progress = ProgressStore(assigner.db)
    assert assigner.next_for("ann") == ids[0]
    progress.open(ids[0], "ann")
    assert assigner.next_for("ann", leaving=ids[0]) == ids[1]  # N skips on
    assigner.release(ids[1], "ann")  # ann quits
    assert assigner.next_for("ann") == ids[0]  # next session: back to the unfinished one


def test_two_simultaneous_presses_with_overlap_1_get_different_articles(db_path):
    with Store(db_path) as store:
        ids = _ingest(store, 30)
    annotators = [f"ann{i}" for i in range(6)]
    for _round in range(5):
        start = threading.Barrier(len(annotators))
        got: dict[str, str | None] = {}

        def press(name: str) -> None:
            with Store(db_path) as own:  # each annotator's own process has its own connection
                start.wait()
                got[name] = Assigner(own.db).next_for(name, leaving=got.get(name))

        threads = [threading.Thread(target=press, args=(n,)) for n in annotators]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(set(got.values())) == len(annotators)
        assert set(got.values()) <= set(ids)


@pytest.mark.sqlite_only  # an old SQLite file; PostgreSQL databases start at the current schema
def test_a_database_from_before_soft_locks_gains_them_and_keeps_its_data(db_path):
    from store.db import connect, write
    from store.schema import MIGRATIONS, SCHEMA_VERSION, _v4_article_locks, schema_version

    before = MIGRATIONS.index(_v4_article_locks)
    db = connect(db_path)
    for version, migration in enumerate(MIGRATIONS[:before], start=1):
        with write(db):
            migration(db)
            db.execute(f"PRAGMA user_version = {version}")
    assert "article_locks" not in db.table_names()
    Ingester(db).run([ArticleRecord(source="t", id=i, outlet="Wire", text=f"Article {i}.") for i in ("a", "b")])
    db.close()
    with Store(db_path) as store:
        ids = [a.id for a in store.articles.page()]
        assert ids == ["a", "b"]
        assert schema_version(store.db) == SCHEMA_VERSION
        assert Assigner(store.db).next_for("ann") == ids[0]
        assert Assigner(store.db).open_now() == {ids[0]: ["ann"]}
