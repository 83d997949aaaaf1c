"""Team statistics: progress, pace, label counts and agreement from the database."""

from __future__ import annotations

import pytest

from corpus.records import ArticleRecord
from store import Store
from store.ingest import Ingester
from store.progress import ProgressStore
from store.review import Reviewer, article_review
from store.stats import team_stats

pytestmark = pytest.mark.both_engines

# Ten two-letter tokens as in test_agreement.py: token k is [3k, 3k + 2).
TEXT = "Aa bb cc dd ee ff gg hh ii jj"


@pytest.fixture
def team(store: Store):
    Ingester(store.db).run([ArticleRecord(source="t", id=i, outlet="Wire", text=f"{TEXT} {i}") for i in ("a1", "a2", "a3")])
    progress = ProgressStore(store.db)
    for start, end, label in [(0, 11, "claim"), (6, 8, "figure"), (21, 29, "quote")]:
        store.spans.add("a1", start, end, label, "ann")
    for start, end, label in [(0, 8, "claim"), (6, 8, "figure"), (24, 29, "quote"), (15, 17, "claim")]:
        store.spans.add("a1", start, end, label, "bob")
    store.spans.add("a2", 0, 5, "claim", "ann")  # a2 finished by ann only
    store.spans.add("a3", 0, 5, "claim", "cat")  # cat has not finished anything
    store.spans.add("a1", 3, 5, "figure", "figures-v1", origin="suggested", status="pending")
    progress.mark_done("a1", "ann")
    progress.mark_done("a1", "bob")
    progress.mark_done("a2", "ann")
    return store


def _set_event_times(store: Store, annotator: str, times: list[str]) -> None:
    seqs = [r[0] for r in store.db.execute("SELECT seq FROM events WHERE annotator = ? ORDER BY seq", [annotator])]
    for seq, at in zip(seqs, times, strict=True):
        store.db.execute("UPDATE events SET at = ? WHERE seq = ?", [at, seq])


def test_per_annotator_finished_spans_per_label_and_pace(team):
    # ann's four events: 09:00, 09:10 (10 minutes later: a break), 09:12, 09:15 -> 5 active minutes.
    _set_event_times(team, "ann", [f"2026-03-01T09:{m}:00.000+00:00" for m in ("00", "10", "12", "15")])
    stats = team_stats(team.db)
    assert [a.annotator for a in stats.annotators] == ["ann", "bob", "cat"]  # not the suggester
    ann = stats.annotators[0]
    assert (ann.finished, ann.spans, ann.spans_by_label) == (2, 4, {"claim": 2, "quote": 1, "figure": 1})
    assert ann.active_hours == pytest.approx(5 / 60, abs=1e-3)
    assert ann.pace == pytest.approx(4 / (5 / 60), rel=1e-3)  # 48 spans an hour
    assert stats.annotators[2].finished == 0
    assert [(l.label, l.spans, l.gold) for l in stats.labels] == [("claim", 5, 0), ("quote", 2, 0), ("figure", 2, 0)]


def test_pairwise_agreement_only_on_articles_both_finished(team):
    team.labels.add("source", "s", "#56b6c2")
    stats = team_stats(team.db)
    (pair,) = stats.pairs  # ann ~ bob; cat finished nothing
    assert (pair.first, pair.second, pair.articles) == ("ann", "bob", 1)
    # The hand-worked figures of tests/test_agreement.py (a2 is left out: bob did not finish it).
    assert pair.exact.f1 == pytest.approx(2 / 7)
    assert pair.overlap.f1 == pytest.approx(6 / 7)
    assert pair.labels["figure"].exact.f1 == 1.0
    # Token kappa counts the eleventh token, "a1", outside every span. For claim:
    # p_o = 9/11, p_e = (4/11)^2 + (7/11)^2 = 65/121, kappa = (99 - 65) / (121 - 65) = 34/56.
    assert pair.tokens == 11
    assert pair.labels["claim"].kappa == pytest.approx(34 / 56)
    # A label neither used has no agreement figures, rather than a perfect 1.
    source = pair.labels["source"]
    assert (source.exact.f1, source.overlap.f1, source.kappa) == (None, None, None)
    assert stats.versus_gold == []


def test_agreement_with_gold_after_review(team):
    rita = Reviewer(team.db, "rita")
    review = article_review(team.db, "a1")
    for proposal in review.proposals:
        if "ann" in proposal.annotators:
            rita.accept("a1", proposal)
        else:
            rita.reject("a1", proposal)
    rita.finish("a1")
    stats = team_stats(team.db)
    assert stats.reviewed == 1
    ann, bob = stats.versus_gold
    assert (ann.first, ann.second, ann.articles) == ("ann", "gold", 1)
    assert ann.exact.f1 == 1.0 and ann.kappa == 1.0
    assert bob.exact.f1 == pytest.approx(2 / 7)
    assert [(l.label, l.gold) for l in stats.labels] == [("claim", 1), ("quote", 1), ("figure", 1)]


def test_an_empty_database_has_no_figures(store):
    stats = team_stats(store.db)
    assert (stats.articles, stats.annotators, stats.pairs) == (0, [], [])
