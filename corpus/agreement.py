"""Inter-annotator agreement over the same texts: span F1 and token-level kappa.

Span F1 comes from :mod:`corpus.span_metrics` (exact pairing, and overlap
pairing of spans of the same label), summed over documents per label: with
two annotators neither is the reference, and F1 is the same whichever way
round they are compared.

Cohen's kappa is computed over tokens. A token's category is the set of
labels of the spans covering any of it, so nested spans (a figure inside a
claim) give a category of their own rather than one label hiding the other;
per label, the category is simply "inside a span of this label or not".
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from corpus.span_metrics import Span, SpanScores, scores_by_label

Bounds = tuple[int, int]


@dataclass(frozen=True)
class Document:
    """One text as two annotators marked it: its tokens and each one's spans."""

    tokens: Sequence[Bounds]
    first: Sequence[Span]
    second: Sequence[Span]


@dataclass(frozen=True)
class Agreement:
    """Agreement between two annotators over some documents."""

    documents: int
    tokens: int
    exact: dict[str, SpanScores] = field(default_factory=dict)  # per label
    overlap: dict[str, SpanScores] = field(default_factory=dict)  # per label
    kappa: float | None = None  # over every token; None when undefined (one category only)
    kappa_by_label: dict[str, float | None] = field(default_factory=dict)

    @property
    def exact_total(self) -> SpanScores:
        """Exact-match counts over all labels."""
        return sum(self.exact.values(), SpanScores(0, 0, 0))

    @property
    def overlap_total(self) -> SpanScores:
        """Overlap-match counts over all labels."""
        return sum(self.overlap.values(), SpanScores(0, 0, 0))


def token_labels(tokens: Sequence[Bounds], spans: Iterable[Span]) -> list[frozenset[str]]:
    """For each token (sorted, non-overlapping), the labels of the spans sharing
    at least one character with it."""
    starts = [start for start, _ in tokens]
    covered: list[set[str]] = [set() for _ in tokens]
    for start, end, label in spans:
        # Tokens that end after the span starts and start before it ends.
        first = bisect.bisect_right(starts, start) - 1
        if first < 0 or tokens[first][1] <= start:
            first += 1
        for index in range(first, bisect.bisect_left(starts, end)):
            covered[index].add(label)
    return [frozenset(labels) for labels in covered]


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two equally long sequences of categories.

    ``(p_o - p_e) / (1 - p_e)`` with ``p_o`` the observed agreement and
    ``p_e`` the agreement expected by chance from each side's category
    frequencies. None when ``p_e`` is 1 (both used one and the same
    category throughout): kappa is undefined there.
    """
    if len(first) != len(second):
        raise ValueError(f"kappa needs sequences of the same length ({len(first)} and {len(second)})")
    total = len(first)
    if total == 0:
        return None
    observed = sum(a == b for a, b in zip(first, second)) / total
    counts_first, counts_second = Counter(first), Counter(second)
    expected = sum(counts_first[c] * counts_second[c] for c in counts_first) / (total * total)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def _add(totals: dict[str, SpanScores], scores: dict[str, SpanScores]) -> None:
    for label, score in scores.items():
        totals[label] = totals.get(label, SpanScores(0, 0, 0)) + score


def compare(documents: Iterable[Document], labels: Iterable[str] = ()) -> Agreement:
    """Span F1 (exact and overlap) per label and token kappa, overall and per
    label, of two annotators over ``documents``. ``labels`` are reported even
    where neither annotator used them."""
    exact: dict[str, SpanScores] = {label: SpanScores(0, 0, 0) for label in labels}
    overlap: dict[str, SpanScores] = dict(exact)
    first_tokens: list[frozenset[str]] = []
    second_tokens: list[frozenset[str]] = []
    count = 0
    for document in documents:
        count += 1
        _add(exact, scores_by_label(document.first, document.second))
        _add(overlap, scores_by_label(document.first, document.second, overlap=True))
        first_tokens += token_labels(document.tokens, document.first)
        second_tokens += token_labels(document.tokens, document.second)
    return Agreement(
        documents=count,
        tokens=len(first_tokens),
        exact=dict(sorted(exact.items())),
        overlap=dict(sorted(overlap.items())),
        kappa=cohen_kappa(first_tokens, second_tokens),
        kappa_by_label={
            label: cohen_kappa([label in t for t in first_tokens], [label in t for t in second_tokens])
            for label in sorted(exact)
        },
    )
