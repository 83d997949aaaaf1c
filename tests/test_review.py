"""Review: agreement per proposal, the queue worst first, and the gold layer
written with the reviewer on every event."""

from __future__ import annotations

import pytest

from corpus.records import ArticleRecord
from store import Store
from store.events import history
from store.ingest import Ingester
from store.progress import ProgressStore
from store.review import GOLD, Reviewer, article_review, review_queue

pytestmark = pytest.mark.both_engines

TEXT = "The minister said 100,000 soldiers were ready. Critics disagreed loudly."
#       0         1         2         3         4         5         6
#       0123456789012345678901234567890123456789012345678901234567890123456789


@pytest.fixture
def reviewed(store: Store):
    """Article a1 finished by ann, bob and cat with some disagreement; a2
    finished by ann and bob who agree; a3 finished by ann alone."""
    Ingester(store.db).run([ArticleRecord(source="t", id=i, outlet="Wire", text=f"{TEXT} ({i})") for i in ("a1", "a2", "a3")])
    progress = ProgressStore(store.db)
    add = store.spans.add
    for name in ("ann", "bob", "cat"):
        add("a1", 0, 46, "claim", name)  # everyone
    add("a1", 18, 34, "figure", "ann", attrs={"value": 100000, "unit": "soldier"})
    add("a1", 18, 34, "figure", "bob", attrs={"value": 100000})
    add("a1", 47, 72, "claim", "cat")  # only cat
    add("a1", 4, 12, "quote", "bob", status="pending")  # an unanswered suggestion does not count
    add("a1", 0, 3, "claim", "dan")  # dan has not finished the article
    for name in ("ann", "bob"):
        add("a2", 0, 46, "claim", name)
    add("a3", 0, 46, "claim", "ann")
    for article, names in (("a1", "ann bob cat"), ("a2", "ann bob"), ("a3", "ann")):
        for name in names.split():
            progress.mark_done(article, name)
    return store


def test_each_proposal_is_marked_all_some_or_one(reviewed):
    review = article_review(reviewed.db, "a1")
    assert review.annotators == ["ann", "bob", "cat"]
    assert [(p.start, p.end, p.label, p.annotators, p.agreement) for p in review.proposals] == [
        (0, 46, "claim", ["ann", "bob", "cat"], "all"),
        (18, 34, "figure", ["ann", "bob"], "some"),
        (47, 72, "claim", ["cat"], "one"),
    ]
    assert review.proposals[1].text == "100,000 soldiers"
    assert review.disagreement == pytest.approx(2 / 3)
    assert review.undecided == 3


def test_the_queue_holds_articles_finished_by_several_worst_first(reviewed):
    queue = review_queue(reviewed.db)
    assert [(e.article_id, e.disagreeing, e.proposals) for e in queue] == [("a1", 2, 3), ("a2", 0, 1)]
    Reviewer(reviewed.db, "rita").finish("a1")
    assert [e.article_id for e in review_queue(reviewed.db)] == ["a2"]
    assert [e.article_id for e in review_queue(reviewed.db, include_reviewed=True)] == ["a1", "a2"]


def test_accept_and_reject_build_gold_with_the_reviewer_on_each_event(reviewed):
    rita = Reviewer(reviewed.db, "rita")
    claim, figure, lone = article_review(reviewed.db, "a1").proposals
    rita.accept("a1", claim)
    rita.accept("a1", figure)
    rita.reject("a1", lone)
    gold = reviewed.spans.for_article("a1", annotator=GOLD)
    assert [(s.start, s.end, s.label, s.status) for s in gold] == [
        (0, 46, "claim", "accepted"), (18, 34, "figure", "accepted"), (47, 72, "claim", "rejected"),
    ]
    assert gold[1].attrs == {"value": 100000, "unit": "soldier"}  # the annotators' attributes come along
    gold_events = [e for e in history(reviewed.db, "a1") if (e.after or e.before).annotator == GOLD]
    assert [(e.action, e.annotator) for e in gold_events] == [("add", "rita")] * 3
    after = article_review(reviewed.db, "a1")
    assert [p.decision for p in after.proposals] == ["accepted", "accepted", "rejected"]
    assert after.undecided == 0


def test_changing_a_decision_updates_the_gold_span_instead_of_doubling_it(reviewed):
    rita = Reviewer(reviewed.db, "rita")
    lone = article_review(reviewed.db, "a1").proposals[2]
    rita.reject("a1", lone)
    lone = article_review(reviewed.db, "a1").proposals[2]
    rita.accept("a1", lone)
    rita.accept("a1", article_review(reviewed.db, "a1").proposals[2])  # twice: no change
    gold = reviewed.spans.for_article("a1", annotator=GOLD)
    assert [(s.label, s.status, s.version) for s in gold] == [("claim", "accepted", 2)]
    assert [e.annotator for e in history(reviewed.db, "a1") if e.action == "update"] == ["rita"]


def test_a_correction_rejects_the_proposal_and_adds_the_corrected_span(reviewed):
    rita = Reviewer(reviewed.db, "rita")
    figure = article_review(reviewed.db, "a1").proposals[1]
    corrected = rita.correct("a1", figure, start=18, end=25)
    assert (corrected.text, corrected.annotator, corrected.attrs["value"]) == ("100,000", GOLD, 100000)
    review = article_review(reviewed.db, "a1")
    assert review.proposals[1].decision == "rejected"
    assert [(s.start, s.end) for s in review.gold_only] == [(18, 25)]


def test_the_reviewer_can_undo_a_decision(reviewed):
    rita = Reviewer(reviewed.db, "rita")
    claim = article_review(reviewed.db, "a1").proposals[0]
    rita.accept("a1", claim)
    reviewed.spans.undo("a1", "rita")
    assert reviewed.spans.for_article("a1", annotator=GOLD) == []
    assert article_review(reviewed.db, "a1").proposals[0].decision is None
    # The annotators' spans were never touched.
    assert len(reviewed.spans.for_article("a1", annotator="ann")) == 2


def test_one_undo_takes_back_a_whole_correction(reviewed):
    rita = Reviewer(reviewed.db, "rita")
    figure = article_review(reviewed.db, "a1").proposals[1]
    rita.correct("a1", figure, start=18, end=25)
    reviewed.spans.undo("a1", "rita")
    assert reviewed.spans.for_article("a1", annotator=GOLD) == []
    assert article_review(reviewed.db, "a1").proposals[1].decision is None
    reviewed.spans.redo("a1", "rita")
    assert sorted((s.start, s.end, s.status) for s in reviewed.spans.for_article("a1", annotator=GOLD)) == sorted(
        [(figure.start, figure.end, "rejected"), (18, 25, "accepted")])


def test_accepting_every_agreed_proposal_is_one_change_one_undo_takes_back(reviewed):
    rita = Reviewer(reviewed.db, "rita")
    review = article_review(reviewed.db, "a1")
    accepted = rita.accept_agreed(review)
    assert [(s.start, s.end, s.label, s.annotator) for s in accepted] == [(0, 46, "claim", GOLD)]
    decided = article_review(reviewed.db, "a1")
    assert [p.decision for p in decided.proposals] == ["accepted", None, None]
    assert all(e.annotator == "rita" for e in history(reviewed.db, "a1") if e.after and e.after.annotator == GOLD)
    assert rita.accept_agreed(decided) == []
    reviewed.spans.undo("a1", "rita")
    assert reviewed.spans.for_article("a1", annotator=GOLD) == []
