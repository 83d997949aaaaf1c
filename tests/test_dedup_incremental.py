"""Incremental dedup: a run that clusters only what changed gives the clusters a
run over every claim gives, and a run with nothing new reads nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.records import ArticleRecord
from store import Store
from store.claims import ClaimStore
from store.dedup import dedup
from store.ingest import Ingester

# Rewordings of three claims (one with a conflicting figure) and two loners.
SENTENCES = [
    "The government will cut fuel duty by 5p a litre from April, the chancellor said.",
    "Fuel duty will be cut by 5p a litre from April, according to the chancellor.",
    "The chancellor said the government would cut fuel duty by 5p a litre from April.",
    "Some 100,000 soldiers have been moved to the northern border, the defence ministry said.",
    "About 100k soldiers have been moved to the northern border, according to the ministry.",
    "Some 10,000 soldiers have been moved to the northern border, the defence ministry said.",
    "Waiting times at Ardmore General Hospital have doubled since 2021, the report found.",
    "Waiting times at Ardmore General Hospital doubled since 2021, a report has found.",
    "The port of Valmere handled a record 4 million containers last year.",
    "Rail fares in the region will rise by 3% in January, the operator announced.",
]
pytestmark = pytest.mark.both_engines

OUTLETS = ["Wire", "Courier", "Observer"]
ARTICLE = " ".join(SENTENCES)


def _bounds() -> list[tuple[int, int]]:
    found, at = [], 0
    for sentence in SENTENCES:
        found.append((at, at + len(sentence)))
        at += len(sentence) + 1
    return found


BOUNDS = _bounds()

step = st.one_of(
    st.tuples(st.just("add"), st.integers(0, len(OUTLETS) - 1), st.integers(0, len(SENTENCES) - 1)),
    st.tuples(st.just("remove"), st.integers(0, 99), st.just(0)),
    st.tuples(st.just("trim"), st.integers(0, 99), st.integers(1, 12)),
    st.tuples(st.just("same"), st.integers(0, 99), st.integers(0, 99)),
    st.tuples(st.just("not_same"), st.integers(0, 99), st.integers(0, 99)),
    st.tuples(st.just("dedup"), st.just(0), st.just(0)),
)


@pytest.fixture
def new_db(engine, request):
    """``new_db(folder, name)``: where a new database of the engine under test goes,
    a file in ``folder`` or, on PostgreSQL, a new schema (its URL)."""
    server = request.getfixturevalue("pg_server") if engine == "postgresql" else None

    def make(folder: Path, name: str) -> Path | str:
        return server.new_database() if server else folder / f"{name}.db"

    return make


def _open(target: Path | str) -> Store:
    store = Store(target)
    Ingester(store.db).run(
        [ArticleRecord(source="t", id=f"art-{n}", outlet=outlet, text=f"{ARTICLE} ({n})") for n, outlet in enumerate(OUTLETS)]
    )
    return store


def _apply(stores: list[Store], live: list[str], action: str, a: int, b: int, made: int) -> int:
    """Apply one step to every store alike; returns how many spans have been made."""
    if action == "add":
        start, end = BOUNDS[b]
        span_id = f"s{made:03d}"
        for store in stores:
            store.spans.add(f"art-{a}", start, end, "claim", "ann", span_id=span_id)
        live.append(span_id)
        return made + 1
    if not live:
        return made
    first = live[a % len(live)]
    if action == "remove":
        for store in stores:
            span = store.spans.get(first)
            store.spans.delete(first, span.version, "ann")
        live.remove(first)
    elif action == "trim":
        for store in stores:
            span = store.spans.get(first)
            if span.end - b > span.start:
                store.spans.update(first, span.version, "ann", end=span.end - b)
    elif live[b % len(live)] != first:
        for store in stores:
            ClaimStore(store.db).decide(first, live[b % len(live)], action, "ann")
    return made


def _clusters(store: Store) -> tuple[dict[str, int], dict[int, str]]:
    claims = ClaimStore(store.db)
    return {c.span_id: c.cluster for c in claims.claims()}, claims.leaders()


# new_db is a function-scoped fixture, but a factory: every example gets databases of its own.
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(step, min_size=1, max_size=14))
def test_incremental_dedup_gives_the_clusters_a_full_run_gives(new_db, steps):
    with tempfile.TemporaryDirectory() as folder:
        incremental = _open(new_db(Path(folder), "incremental"))
        full = _open(new_db(Path(folder), "full"))
        try:
            live: list[str] = []
            made = 0
            for action, a, b in [*steps, ("dedup", 0, 0)]:
                if action == "dedup":
                    dedup(incremental.db)
                    dedup(full.db, full=True)
                    assert _clusters(incremental) == _clusters(full)
                else:
                    made = _apply([incremental, full], live, action, a, b, made)
        finally:
            incremental.close()
            full.close()


def test_a_run_with_nothing_new_clusters_nothing(new_db, tmp_path):
    store = _open(new_db(tmp_path, "quiet"))
    for n, (start, end) in enumerate(BOUNDS):
        store.spans.add(f"art-{n % 3}", start, end, "claim", "ann")
    first = dedup(store.db)
    phases: list[str] = []
    again = dedup(store.db, progress=lambda phase, done, total: phases.append(phase))
    assert "clustering" not in phases and again.changed == 0
    assert [[m.span_id for m in c.members] for c in again.clusters] == [[m.span_id for m in c.members] for c in first.clusters]
    assert {(c.a.span_id, c.b.span_id) for c in again.conflicts} == {(c.a.span_id, c.b.span_id) for c in first.conflicts}
    assert first.conflicts  # 100,000 against 10,000 soldiers
    store.close()


def test_a_new_claim_joins_its_cluster_and_only_the_touched_clusters_are_clustered(new_db, tmp_path):
    store = _open(new_db(tmp_path, "one-more"))
    for n in (0, 1, 3, 6, 8):
        store.spans.add("art-0", *BOUNDS[n], "claim", "ann")
    dedup(store.db)
    before = dict(store.db.execute("SELECT span_id, cluster FROM claim_clustered"))
    sizes: list[int] = []
    new = store.spans.add("art-1", *BOUNDS[2], "claim", "ann")
    report = dedup(store.db, progress=lambda phase, done, total: sizes.append(total) if phase == "clustering" else None)
    fuel = ClaimStore(store.db).get([new.id])[new.id].cluster
    assert fuel == before[store.spans.for_article("art-0")[0].id]
    # The new claim and the four clusters' leaders: no other claim was read to cluster.
    assert sizes == [5]
    assert report.changed == 1
    store.close()


def test_with_a_cache_the_leaders_are_not_prepared_again(new_db, tmp_path, monkeypatch):
    import corpus.claim_clusters as clusters

    store = _open(new_db(tmp_path, "cached"))
    for n in (0, 1, 3, 6, 8):
        store.spans.add("art-0", *BOUNDS[n], "claim", "ann")
    cache = tmp_path / "leaders.pickle"
    dedup(store.db, cache=cache)
    prepared: list[str] = []
    real = clusters.prepare_claim
    monkeypatch.setattr(clusters, "prepare_claim", lambda text: prepared.append(text) or real(text))
    store.spans.add("art-1", *BOUNDS[2], "claim", "ann")
    dedup(store.db, cache=cache)
    assert prepared == [SENTENCES[2]]
    cached = _clusters(store)
    dedup(store.db, full=True)
    assert _clusters(store) == cached
    store.close()
