"""Agreement figures against a small example worked out by hand."""

from __future__ import annotations

import pytest

from corpus.agreement import Document, cohen_kappa, compare, token_labels

# Ten two-letter tokens, three characters apart: token k is [3k, 3k + 2).
TEXT = "Aa bb cc dd ee ff gg hh ii jj"
TOKENS = [(3 * k, 3 * k + 2) for k in range(10)]
ANN = [(0, 11, "claim"), (6, 8, "figure"), (21, 29, "quote")]  # claim = tokens 0-3, figure 2, quote 7-9
BOB = [(0, 8, "claim"), (6, 8, "figure"), (24, 29, "quote"), (15, 17, "claim")]  # claim 0-2 and 5, figure 2, quote 8-9


def test_tokens_take_the_labels_of_every_span_touching_them():
    assert TEXT[21:29] == "hh ii jj"
    labels = token_labels(TOKENS, ANN)
    assert labels[:5] == [{"claim"}, {"claim"}, {"claim", "figure"}, {"claim"}, set()]
    assert labels[7:] == [{"quote"}] * 3
    # A span starting in the space before a token, or ending inside one, still covers it.
    assert token_labels(TOKENS, [(2, 4, "claim")])[:3] == [set(), {"claim"}, set()]


def test_kappa_of_the_textbook_example():
    # 50 items: both yes 20, first yes second no 5, first no second yes 10, both no 15.
    first = ["yes"] * 25 + ["no"] * 25
    second = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    # p_o = 35/50 = .7; p_e = .5 * .6 + .5 * .4 = .5; kappa = (.7 - .5) / (1 - .5) = .4
    assert cohen_kappa(first, second) == pytest.approx(0.4)


def test_token_kappa_overall_and_per_label_by_hand():
    result = compare([Document(TOKENS, ANN, BOB)])
    assert result.tokens == 10
    # Categories per token, ann / bob:
    #   0 C/C  1 C/C  2 CF/CF  3 C/-  4 -/-  5 -/C  6 -/-  7 Q/-  8 Q/Q  9 Q/Q
    # p_o = 7/10. ann: C 3, CF 1, - 3, Q 3; bob: C 3, CF 1, - 4, Q 2.
    # p_e = (3*3 + 1*1 + 3*4 + 3*2) / 100 = .28; kappa = (.7 - .28) / .72 = .58333
    assert result.kappa == pytest.approx(0.42 / 0.72)
    # claim: ann 0-3, bob 0-2 and 5; p_o = .8, p_e = .4*.4 + .6*.6 = .52 -> .28 / .48
    # figure: token 2 for both -> 1; quote: ann 7-9, bob 8-9; p_o = .9, p_e = .3*.2 + .7*.8 = .62 -> .28 / .38
    assert result.kappa_by_label == pytest.approx({"claim": 0.28 / 0.48, "figure": 1.0, "quote": 0.28 / 0.38})


def test_span_f1_exact_and_overlap_per_label_by_hand():
    result = compare([Document(TOKENS, ANN, BOB)])
    # Exact: only the figure is identical. claim 0 of 1 / 2, figure 1 of 1 / 1, quote 0 of 1 / 1.
    assert {label: s.f1 for label, s in result.exact.items()} == {"claim": 0.0, "figure": 1.0, "quote": 0.0}
    # Total: 1 matched, 3 and 4 spans: P = 1/3, R = 1/4, F1 = 2 * (1/12) / (7/12) = 2/7.
    assert result.exact_total.f1 == pytest.approx(2 / 7)
    # Overlap: ann's claim overlaps bob's first claim (bob's second stays alone): P = 1, R = 1/2, F1 = 2/3;
    # the quotes overlap: F1 = 1. Total: 3 matched of 3 and 4: P = 1, R = 3/4, F1 = 6/7.
    assert {label: s.f1 for label, s in result.overlap.items()} == pytest.approx({"claim": 2 / 3, "figure": 1.0, "quote": 1.0})
    assert result.overlap_total.f1 == pytest.approx(6 / 7)


def test_agreement_is_the_same_whichever_way_round():
    one, other = compare([Document(TOKENS, ANN, BOB)]), compare([Document(TOKENS, BOB, ANN)])
    assert one.kappa == pytest.approx(other.kappa)
    assert one.exact_total.f1 == pytest.approx(other.exact_total.f1)
    assert one.overlap_total.f1 == pytest.approx(other.overlap_total.f1)


def test_documents_add_up_and_unused_labels_are_listed():
    doubled = compare([Document(TOKENS, ANN, BOB), Document(TOKENS, ANN, BOB)], labels=["claim", "figure", "quote", "source"])
    assert doubled.documents == 2 and doubled.tokens == 20
    assert doubled.exact_total.matched == 2 and doubled.exact_total.predicted == 6
    assert doubled.kappa == pytest.approx(0.42 / 0.72)
    assert doubled.kappa_by_label["source"] is None  # nobody used it: kappa is undefined, not 1


def test_kappa_is_undefined_when_both_marked_nothing_and_perfect_when_identical():
    assert compare([Document(TOKENS, [], [])]).kappa is None
    assert compare([Document(TOKENS, ANN, ANN)]).kappa == 1.0
    with pytest.raises(ValueError, match="same length"):
        cohen_kappa([1, 2], [1])
