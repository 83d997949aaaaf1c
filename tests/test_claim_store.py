"""Claims in the store: streaming, decisions on matches, cluster ids, the sentence index, schema v5."""

from __future__ import annotations

import os

import pytest

from corpus.claim_clusters import cluster_claims
from corpus.records import ArticleRecord
from store import Store, StoreError
from store.claim_matches import ClaimMatcher
from store.claim_sentences import SentenceIndex
from store.claims import CLUSTERER, ClaimStore
from store.events import history
from store.ingest import Ingester
from store.replay import replay_differences
from store.schema import SCHEMA_VERSION, schema_version
from test_schema import build_at

pytestmark = pytest.mark.both_engines

FUEL = "The government will cut fuel duty by 5p a litre from April, the chancellor said."
FUEL_AGAIN = "Fuel duty will be cut by 5p a litre from April, according to the chancellor."
FUEL_THIRD = "From April, fuel duty will be cut by 5p a litre, the chancellor told reporters."
TROOPS = "Some 100,000 soldiers have been moved to the northern border, the defence ministry said."
OTHER = "Waiting times at Ardmore General Hospital have doubled since 2021."
PADDING = "Officials gave no further details on Tuesday evening."

ARTICLES = [
    ("w1", "Wire", f"{FUEL} {PADDING} {TROOPS}"),
    ("c1", "Courier", f"{PADDING} {FUEL_AGAIN}"),
    ("l1", "Ledger", f"{OTHER} {PADDING}"),
    ("l2", "Ledger", f"Budget day. {FUEL_THIRD} {PADDING}"),
]


def where(store: Store, article_id: str, sentence: str) -> tuple[str, int, int]:
    start = store.articles.get(article_id).text.index(sentence)
    return article_id, start, start + len(sentence)


@pytest.fixture
def claims(store: Store) -> ClaimStore:
    Ingester(store.db).run(ArticleRecord(source="t", id=i, outlet=o, text=t) for i, o, t in ARTICLES)
    return ClaimStore(store.db)


def tag(store: Store, article_id: str, sentence: str, annotator: str = "ann", **options):
    _, start, end = where(store, article_id, sentence)
    return store.spans.add(article_id, start, end, "claim", annotator, **options)


@pytest.mark.sqlite_only  # an old SQLite file; PostgreSQL databases start at the current schema
def test_a_file_at_schema_4_is_migrated_and_takes_decisions(db_path):
    db = build_at(db_path, 4)
    db.execute("INSERT INTO outlets (id, name) VALUES (1, 'Wire')")
    db.execute(
        "INSERT INTO articles (id, outlet_id, title, hash, length, ingested_at, text)"
        " VALUES ('old', 1, 'Fuel', 'h', 9, 'now', 'Fuel cut. Fuel cut.')"
    )
    db.close()
    with Store(db_path) as store:
        assert schema_version(store.db) == SCHEMA_VERSION >= 5
        a = store.spans.add("old", 0, 9, "claim", "ann")
        b = store.spans.add("old", 10, 19, "claim", "ann")
        ClaimStore(store.db).decide(a.id, b.id, "same", "ann")
        assert [d.decision for d in ClaimStore(store.db).decisions()] == ["same"]


def test_claims_are_accepted_claim_spans_of_every_annotator_in_storage_order(store, claims):
    first = tag(store, "w1", FUEL, "ann")
    second = tag(store, "c1", FUEL_AGAIN, "gold")
    third = tag(store, "l1", OTHER, "bo")
    tag(store, "w1", TROOPS, "ann", status="pending", origin="suggested")
    _, start, end = where(store, "w1", TROOPS)
    store.spans.add("w1", start, end, "quote", "ann")
    store.spans.delete(third.id, third.version, "bo")
    fourth = tag(store, "l2", PADDING, "bo")
    streamed = list(claims.claims(page_size=2))
    assert [c.span_id for c in streamed] == [first.id, second.id, fourth.id]
    assert (streamed[1].outlet, streamed[1].annotator, streamed[1].text) == ("Courier", "gold", FUEL_AGAIN)
    assert set(claims.get([second.id, "no-such-span", fourth.id])) == {second.id, fourth.id}


def test_a_link_is_recorded_with_who_and_when_and_the_latest_decision_holds(store, claims):
    a, b = tag(store, "w1", FUEL), tag(store, "c1", FUEL_AGAIN)
    claims.decide(a.id, b.id, "same", "ann")
    [link] = claims.decisions()
    assert (link.decision, link.annotator, {link.span_id, link.other_span}) == ("same", "ann", {a.id, b.id})
    assert link.other(a.id) == b.id and link.other(b.id) == a.id
    claims.decide(b.id, a.id, "not_same", "bo")
    assert [(d.decision, d.annotator) for d in claims.decisions(a.id)] == [("not_same", "bo")]
    claims.decide(a.id, b.id, "none", "bo")
    assert claims.decisions() == []
    actions = [e.action for e in history(store.db, min(a, b, key=lambda s: s.id).article_id)]
    assert actions[-3:] == ["claim_same", "claim_not_same", "claim_none"]
    assert replay_differences(store.db) == []


def test_a_retried_decision_is_recorded_once(store, claims):
    a, b = tag(store, "w1", FUEL), tag(store, "c1", FUEL_AGAIN)
    first = claims.decide(a.id, b.id, "same", "ann", event_id="e1")
    again = claims.decide(a.id, b.id, "same", "ann", event_id="e1")
    assert first == again
    assert store.db.execute("SELECT count(*) FROM claim_decisions").fetchone()[0] == 1


def test_decisions_name_two_existing_distinct_claims(store, claims):
    a = tag(store, "w1", FUEL)
    _, start, end = where(store, "c1", FUEL_AGAIN)
    quote = store.spans.add("c1", start, end, "quote", "ann")
    with pytest.raises(StoreError, match="not a claim"):
        claims.decide(a.id, quote.id, "same", "ann")
    with pytest.raises(StoreError, match="not a claim"):
        claims.decide(a.id, "gone", "not_same", "ann")
    with pytest.raises(StoreError, match="itself"):
        claims.decide(a.id, a.id, "same", "ann")
    with pytest.raises(StoreError, match="unknown decision"):
        claims.decide(a.id, quote.id, "maybe", "ann")


def test_a_sentence_can_be_marked_not_the_same_but_linked_only_by_tagging_it(store, claims):
    a = tag(store, "w1", FUEL)
    article_id, start, end = where(store, "l2", "Budget day.")
    claims.decide_sentence(a.id, article_id, start, end, "not_same", "ann")
    [decision] = claims.decisions(a.id)
    assert decision.sentence == (article_id, start, end) and decision.other(a.id) is None
    with pytest.raises(StoreError, match="tag it"):
        claims.decide_sentence(a.id, article_id, start, end, "same", "ann")
    tagged = claims.link_sentence(a.id, *where(store, "c1", FUEL_AGAIN), "ann")
    assert tagged.label == "claim" and tagged.text == FUEL_AGAIN and tagged.annotator == "ann"
    assert [(d.decision, d.other(a.id)) for d in claims.decisions(a.id)] == [("not_same", None), ("same", tagged.id)]
    # The tagging is the annotator's own change: undo takes the span back.
    store.spans.undo("c1", "ann")
    assert store.spans.get(tagged.id) is None


def test_cluster_ids_are_stored_as_events_without_touching_the_version(store, claims):
    spans = [tag(store, "w1", FUEL), tag(store, "c1", FUEL_AGAIN), tag(store, "l1", OTHER)]
    read = list(claims.claims())
    stored = {c.span_id: c.cluster for c in read}
    assert set(stored.values()) == {None} and claims.previous_clustering(stored) is None
    clustering = cluster_claims((c.span_id, c.text) for c in read)
    assert claims.save_clustering(clustering, stored) == 3
    after = [store.spans.get(s.id) for s in spans]
    assert after[0].attrs["cluster"] == after[1].attrs["cluster"] != after[2].attrs["cluster"]
    assert [s.version for s in after] == [1, 1, 1]
    assert {e.annotator for e in history(store.db, "w1") if e.action == "cluster"} == {CLUSTERER}
    assert replay_differences(store.db) == []
    # An annotator's edit based on the version they had still goes through.
    store.spans.update(spans[2].id, spans[2].version, "ann", attrs={"note": "check", "cluster": after[2].attrs["cluster"]})
    again = {c.span_id: c.cluster for c in claims.claims()}
    previous = claims.previous_clustering(again)
    assert previous.clusters == clustering.clusters and previous.leaders == clustering.leaders
    assert claims.save_clustering(clustering, again) == 0


def test_saving_leaves_alone_a_claim_deleted_or_rejected_since_it_was_read(store, claims):
    kept, gone, rejected = tag(store, "w1", FUEL), tag(store, "c1", FUEL_AGAIN), tag(store, "l1", OTHER)
    read = list(claims.claims())
    clustering = cluster_claims((c.span_id, c.text) for c in read)
    store.spans.delete(gone.id, gone.version, "ann")
    store.spans.update(rejected.id, rejected.version, "ann", status="rejected", attrs={"note": "not a claim"})
    assert claims.save_clustering(clustering, {c.span_id: c.cluster for c in read}) == 1
    assert store.spans.get(gone.id) is None
    assert store.spans.get(rejected.id).attrs == {"note": "not a claim"}
    assert "cluster" in store.spans.get(kept.id).attrs


@pytest.fixture
def cache(tmp_path):
    return tmp_path / "cache" / "sentences.pickle"


def test_untagged_sentences_match_and_tagged_ones_drop_out(store, claims, cache):
    index = SentenceIndex(store.db, cache=cache)
    assert index.refresh() == 4
    found = [m for m in index.search(FUEL, skip_articles={"w1"}) if m.verdict.same]
    assert [(m.article_id, m.text) for m in found] == [("c1", FUEL_AGAIN), ("l2", FUEL_THIRD)]
    tag(store, "c1", FUEL_AGAIN)
    assert [m.article_id for m in index.search(FUEL, skip_articles={"w1"}) if m.verdict.same] == ["l2"]
    assert [m.article_id for m in index.search(FUEL, skip={where(store, "l2", FUEL_THIRD)}) if m.verdict.same] == ["w1"]


def test_the_sentence_index_is_kept_between_runs_and_grows_with_new_articles(store, claims, cache):
    SentenceIndex(store.db, cache=cache).refresh()
    assert cache.exists() and cache.stat().st_mode & 0o077 == 0
    reopened = SentenceIndex(store.db, cache=cache)
    assert reopened.refresh() == 0 and len(reopened) > 0
    Ingester(store.db).run([ArticleRecord(source="t", id="n1", outlet="Wire", text=f"{TROOPS} {PADDING}")])
    assert reopened.refresh() == 1
    assert SentenceIndex(store.db, cache=cache).refresh() == 0
    assert any(m.article_id == "n1" and m.verdict.same for m in reopened.search(TROOPS, skip_articles={"w1"}))


def test_a_cache_from_another_database_or_writable_by_others_is_not_used(store, claims, cache, tmp_path):
    SentenceIndex(store.db, cache=cache).refresh()
    os.chmod(cache, 0o666)
    assert SentenceIndex(store.db, cache=cache).refresh() == 4
    with Store(tmp_path / "other.db") as other:
        Ingester(other.db).run([ArticleRecord(source="t", id="x", outlet="Wire", text=f"{OTHER} {PADDING}")])
        assert SentenceIndex(other.db, cache=cache).refresh() == 1


def test_the_matcher_follows_the_claims_as_they_are_tagged_and_untagged(store, claims):
    fuel = tag(store, "w1", FUEL)
    matcher = ClaimMatcher(store.db)
    [query] = claims.get([fuel.id]).values()
    assert matcher.claim_matches(query) == []
    again = tag(store, "c1", FUEL_AGAIN)
    tag(store, "c1", FUEL_AGAIN, "bo")  # the same place tagged twice: listed once
    tag(store, "w1", TROOPS)  # the claim's own article: never listed
    [match] = matcher.claim_matches(query)
    assert (match.claim.article_id, match.claim.text, match.verdict.same) == ("c1", FUEL_AGAIN, True)
    store.spans.delete(again.id, again.version, "ann")
    assert [m.claim.annotator for m in matcher.claim_matches(query)] == ["bo"]


def test_the_matcher_lists_links_first_and_pairs_kept_apart_last(store, claims):
    fuel, third, other = tag(store, "w1", FUEL), tag(store, "l2", FUEL_THIRD), tag(store, "l1", OTHER)
    second = tag(store, "c1", FUEL_AGAIN)
    claims.decide(fuel.id, other.id, "same", "ann")
    claims.decide(fuel.id, third.id, "not_same", "ann")
    matcher = ClaimMatcher(store.db)
    listed = matcher.claim_matches(claims.get([fuel.id])[fuel.id])
    assert [(m.claim.span_id, m.decision) for m in listed] == [(other.id, "same"), (second.id, None), (third.id, "not_same")]
    assert not listed[0].verdict.same  # a link holds whatever the score


def test_untagged_matches_come_from_other_articles_with_those_marked_not_the_same_last(store, claims, cache):
    fuel = tag(store, "w1", FUEL)
    matcher = ClaimMatcher(store.db, sentences=SentenceIndex(store.db, cache=cache))
    query = claims.get([fuel.id])[fuel.id]
    found = matcher.untagged_matches(query)
    assert [(m.article_id, m.outlet, m.dismissed) for m in found] == [("c1", "Courier", False), ("l2", "Ledger", False)]
    claims.decide_sentence(fuel.id, "c1", found[0].start, found[0].end, "not_same", "ann")
    assert [(m.article_id, m.dismissed) for m in matcher.untagged_matches(query)] == [("l2", False), ("c1", True)]


def test_an_untagged_sentence_after_accents_and_curly_quotes_comes_back_exactly(store, claims, cache):
    opening = "Café owners in Zürich — «furious» — met on Monday."
    Ingester(store.db).run([ArticleRecord(source="t", id="u1", outlet="Wire", text=f"{opening} {FUEL_THIRD}")])
    index = SentenceIndex(store.db, cache=cache)
    index.refresh()
    [match] = [m for m in index.search(FUEL, skip_articles={"w1", "c1", "l2"}) if m.verdict.same]
    assert (match.article_id, match.text) == ("u1", FUEL_THIRD)
    assert store.articles.get("u1").text[match.start:match.end] == FUEL_THIRD


def test_the_claim_index_is_kept_between_runs_and_catches_up_with_changes_made_since(store, claims, tmp_path,
                                                                                      monkeypatch):
    kept = tmp_path / "cache" / "claims.pickle"
    fuel, again, third = tag(store, "w1", FUEL), tag(store, "c1", FUEL_AGAIN), tag(store, "l2", FUEL_THIRD)
    query = claims.get([fuel.id])[fuel.id]
    assert len(ClaimMatcher(store.db, cache=kept).claim_matches(query)) == 2
    assert kept.exists() and kept.stat().st_mode & 0o077 == 0
    store.spans.delete(third.id, third.version, "ann")
    troops = tag(store, "w1", TROOPS)
    # A later start reads no claim but those the events since name.
    monkeypatch.setattr(ClaimStore, "claims", lambda self, **options: iter(()))
    reopened = ClaimMatcher(store.db, cache=kept)
    assert reopened.sync() == 2 and troops.id in reopened.index and third.id not in reopened.index
    assert [m.claim.span_id for m in reopened.claim_matches(query)] == [again.id]
    monkeypatch.undo()
    with Store(tmp_path / "other.db") as other:
        Ingester(other.db).run([ArticleRecord(source="t", id="x", outlet="Wire", text=f"{OTHER} {PADDING}")])
        elsewhere = ClaimMatcher(other.db, cache=kept)
        elsewhere.sync()
        assert len(elsewhere.index) == 0  # built afresh: that database has no claims
