"""Precision, recall and F1 of one set of labelled spans against another.

Spans are ``(start, end, label)`` tuples with end-exclusive offsets. The same
functions score a suggester against gold labels and one annotator against
another: pairing is one-to-one and only spans of the same label pair up.

Two ways to pair:

* exact — same start, same end;
* overlap — the spans share at least one character and the predicted span
  covers at least ``min_share`` of the gold span (0 means any overlap);
  where several candidates compete, the largest overlaps pair first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Span = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class SpanScores:
    """Counts of one comparison, with precision, recall and F1 derived from them.

    By convention precision is 1 when nothing was predicted and recall is 1
    when there was nothing to find.
    """

    matched: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: SpanScores) -> SpanScores:
        return SpanScores(self.matched + other.matched, self.predicted + other.predicted, self.gold + other.gold)


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_spans(
    predicted: Sequence[Span], gold: Sequence[Span], *, overlap: bool = False, min_share: float = 0.0
) -> list[tuple[int, int]]:
    """One-to-one pairs ``(index in predicted, index in gold)`` of spans that match.

    ``overlap=False`` pairs identical spans; ``overlap=True`` pairs spans of
    the same label that overlap, the predicted one covering at least
    ``min_share`` of the gold one (see the module docstring).
    """
    if not overlap:
        # A span may be there twice (two annotators' copies): pair them as a multiset.
        waiting: dict[Span, list[int]] = defaultdict(list)
        for g_index in reversed(range(len(gold))):
            waiting[gold[g_index]].append(g_index)
        pairs = []
        for p_index, span in enumerate(predicted):
            if waiting.get(span):
                pairs.append((p_index, waiting[span].pop()))
        return pairs
    by_label: dict[str, list[int]] = defaultdict(list)
    for g_index, span in enumerate(gold):
        by_label[span[2]].append(g_index)
    candidates = []
    for p_index, p_span in enumerate(predicted):
        for g_index in by_label.get(p_span[2], ()):
            g_span = gold[g_index]
            shared = _overlap(p_span, g_span)
            if shared and shared >= min_share * (g_span[1] - g_span[0]):
                candidates.append((-shared, p_index, g_index))
    candidates.sort()
    pairs, used_p, used_g = [], set(), set()
    for _, p_index, g_index in candidates:
        if p_index not in used_p and g_index not in used_g:
            pairs.append((p_index, g_index))
            used_p.add(p_index)
            used_g.add(g_index)
    return sorted(pairs)


def span_scores(
    predicted: Iterable[Span], gold: Iterable[Span], *, overlap: bool = False, min_share: float = 0.0
) -> SpanScores:
    """How many predicted spans match gold spans (see :func:`match_spans`)."""
    predicted, gold = list(predicted), list(gold)
    pairs = match_spans(predicted, gold, overlap=overlap, min_share=min_share)
    return SpanScores(len(pairs), len(predicted), len(gold))


def scores_by_label(
    predicted: Iterable[Span], gold: Iterable[Span], *, overlap: bool = False, min_share: float = 0.0
) -> dict[str, SpanScores]:
    """:func:`span_scores` for each label found on either side, by label name."""
    predicted, gold = list(predicted), list(gold)
    labels = sorted({s[2] for s in predicted} | {s[2] for s in gold})
    return {
        label: span_scores(
            [s for s in predicted if s[2] == label],
            [s for s in gold if s[2] == label],
            overlap=overlap,
            min_share=min_share,
        )
        for label in labels
    }
