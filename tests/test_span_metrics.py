"""Span precision, recall and F1, exact and by overlap."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus.span_metrics import SpanScores, match_spans, scores_by_label, span_scores


def test_exact_match_needs_the_same_start_end_and_label():
    gold = [(0, 5, "figure"), (10, 20, "quote")]
    predicted = [(0, 5, "figure"), (10, 19, "quote"), (0, 5, "claim")]
    scores = span_scores(predicted, gold)
    assert (scores.matched, scores.predicted, scores.gold) == (1, 3, 2)
    assert scores.precision == pytest.approx(1 / 3)
    assert scores.recall == pytest.approx(1 / 2)
    assert scores.f1 == pytest.approx(0.4)


def test_overlap_match_accepts_a_shifted_boundary_but_not_another_label():
    gold = [(10, 20, "quote")]
    assert span_scores([(12, 22, "quote")], gold, overlap=True).matched == 1
    assert span_scores([(12, 22, "claim")], gold, overlap=True).matched == 0
    assert span_scores([(20, 30, "quote")], gold, overlap=True).matched == 0


def test_min_share_asks_the_prediction_to_cover_that_much_of_the_gold_span():
    gold = [(0, 100, "claim")]
    assert span_scores([(0, 40, "claim")], gold, overlap=True, min_share=0.5).matched == 0
    assert span_scores([(0, 60, "claim")], gold, overlap=True, min_share=0.5).matched == 1


def test_one_prediction_never_counts_for_two_gold_spans():
    gold = [(0, 10, "claim"), (10, 20, "claim")]
    pairs = match_spans([(0, 20, "claim")], gold, overlap=True)
    assert len(pairs) == 1
    assert span_scores([(0, 10, "claim"), (0, 10, "claim")], [(0, 10, "claim")]).matched == 1


def test_the_largest_overlap_wins_when_two_predictions_compete():
    gold = [(0, 10, "quote"), (12, 30, "quote")]
    predicted = [(5, 28, "quote"), (0, 9, "quote")]
    assert match_spans(predicted, gold, overlap=True) == [(0, 1), (1, 0)]


def test_scores_by_label_reports_every_label_on_either_side():
    scores = scores_by_label([(0, 1, "figure")], [(2, 3, "quote")])
    assert scores == {"figure": SpanScores(0, 1, 0), "quote": SpanScores(0, 0, 1)}
    assert scores["figure"].recall == 1.0 and scores["quote"].precision == 1.0


def test_nothing_against_nothing_is_perfect():
    assert span_scores([], []).f1 == 1.0


spans = st.lists(
    st.tuples(st.integers(0, 50), st.integers(1, 20), st.sampled_from(["a", "b"])).map(
        lambda t: (t[0], t[0] + t[1], t[2])
    ),
    max_size=12,
)


@given(spans, spans, st.booleans())
def test_counts_stay_within_both_sides(predicted, gold, overlap):
    scores = span_scores(predicted, gold, overlap=overlap)
    assert 0 <= scores.matched <= min(scores.predicted, scores.gold)
    assert 0.0 <= scores.f1 <= 1.0


@given(spans)
def test_spans_against_themselves_score_one(gold):
    assert span_scores(gold, gold).f1 == 1.0
    assert span_scores(gold, gold, overlap=True).f1 == 1.0
