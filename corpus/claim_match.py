"""Is this the same claim? A score on the words, then the figures and negation decide.

:func:`compare` prepares both claims (:func:`corpus.claim_text.prepare_claim`),
scores their matching texts (:func:`word_similarity`), which hold neither
figure values nor negation words, and then applies the guards:

* a **figure conflict**: both claims state a figure of the same unit and
  the values cannot be paired up ("100,000 soldiers" against "10,000
  soldiers"). Values agree when equal, when ranges overlap, when one is
  qualified ("about", "some", "more than") and within 10% of the other, or
  when the less precise one, of at least two significant digits, is the other
  rounded ("$44bn" against "$43.9bn");
* a **contradiction**: one claim is negated and the other is not
  (conflict ``"negation"``), or they state opposite directions with the
  same words ("rose" against "fell", "approved" against "rejected";
  conflict ``"direction"``). Numbers the figure reader leaves alone
  ("5p", "a third") must be written the same on both sides.

Two claims that each name a person, place or month the other does not
("Police in Kocher arrested 11 people" / "Police in Marlain arrested 11
people") are about different subjects: not the same, and no conflict.

A conflict is reported, not a match: ``same`` is False and ``conflict``
says why. Claims of fewer than :data:`corpus.claim_text.MIN_WORDS` words are
never the same automatically.

The scorer and the threshold were chosen on ``tests/data/claim_pairs.jsonl``
by ``bench/eval_matching.py``; docs/matching.md has the figures.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from rapidfuzz import fuzz, process

from corpus.claim_text import MIN_WORDS, PRONOUN_SUBJECT, ClaimText, prepare_claim
from corpus.figures import Figure

Conflict = Literal["figure", "negation", "direction", "roles"]

# token_set_ratio forgives extra words on one side ("the minister said on
# Tuesday"), but scores 100 whenever one claim's words contain the other's,
# so "X will close" would match "X will close and Y will open". Capping it at
# token_sort_ratio (all words, any order) plus this margin keeps the
# forgiveness and bounds the containment bonus. Chosen on the labelled pairs
# with the threshold (docs/matching.md): the best F1 and clustering ARI of
# the rapidfuzz scorers and blends tried.
CONTAINMENT_MARGIN = 10.0
DEFAULT_THRESHOLD = 84.0
# With a semantic score (the cosine of two sentence embeddings,
# :mod:`corpus.semantic`), the score the threshold applies to is
# SEMANTIC_WEIGHT * 100 * cosine + (1 - SEMANTIC_WEIGHT) * word score: the
# same threshold, so a pair must still share many words unless the model
# calls it a near paraphrase (a word score of 68 needs a cosine of 1).
# Chosen on the tune half of tests/data/claim_rewordings.jsonl
# (docs/matching.md): weights .3 to .5 and thresholds 83 to 85 gave the same
# recall within .03 at precision >= .95.
SEMANTIC_WEIGHT = 0.5
# How far a qualified figure ("about 100,000") may sit from the other value.
_APPROX_TOLERANCE = 0.10


@dataclass(frozen=True, slots=True)
class MatchVerdict:
    """The outcome of comparing two claims.

    ``score`` is the word similarity, 0 to 100. ``same`` is True only when
    the score reaches the threshold, both claims are long enough and no
    guard objects. ``conflict`` is ``"figure"``, ``"negation"`` or
    ``"direction"`` when the words match but a guard does not; for a figure
    conflict ``figures`` lists the disagreeing figures as
    ``(text in a, text in b)`` pairs.
    """

    score: float
    same: bool
    conflict: Conflict | None = None
    figures: tuple[tuple[str, str], ...] = ()
    # With the semantic scorer: the word score alone and the embeddings'
    # cosine (``score`` is then their blend, :func:`fused_score`).
    lexical: float | None = None
    semantic: float | None = None
    # Why a pair matched: "lexical" (the words alone reach the threshold) or
    # "semantic" (only with the embeddings), and "alias" when an alias
    # rewrote either claim. Empty when not the same.
    reasons: tuple[str, ...] = ()


def word_similarity(a: str, b: str) -> float:
    """The similarity of two matching texts, 0 to 100 (see :data:`CONTAINMENT_MARGIN`)."""
    return min(fuzz.token_set_ratio(a, b), fuzz.token_sort_ratio(a, b) + CONTAINMENT_MARGIN)


def similarity(a: ClaimText, b: ClaimText) -> float:
    """The word similarity of two prepared claims, 0 to 100."""
    return word_similarity(a.words, b.words)


def similarity_matrix(queries: Sequence[str], choices: Sequence[str], *, workers: int = 1) -> np.ndarray:
    """Word similarities of every query against every choice (matching texts).

    A ``len(queries) x len(choices)`` float32 array of :func:`word_similarity`,
    computed by rapidfuzz in C.
    """
    contained = process.cdist(queries, choices, scorer=fuzz.token_set_ratio, dtype=np.float32, workers=workers)
    whole = process.cdist(queries, choices, scorer=fuzz.token_sort_ratio, dtype=np.float32, workers=workers)
    return np.minimum(contained, whole + CONTAINMENT_MARGIN)


def pair_similarities(left: Sequence[str], right: Sequence[str], *, workers: int = 1) -> np.ndarray:
    """:func:`word_similarity` of ``left[i]`` and ``right[i]`` for every i, as float32."""
    contained = process.cpdist(left, right, scorer=fuzz.token_set_ratio, dtype=np.float32, workers=workers)
    whole = process.cpdist(left, right, scorer=fuzz.token_sort_ratio, dtype=np.float32, workers=workers)
    return np.minimum(contained, whole + CONTAINMENT_MARGIN)


_WRITTEN_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _written_mantissa(figure: Figure) -> str | None:
    match = _WRITTEN_NUMBER.search(figure.text)
    return match.group().replace(",", "") if match else None


def _rounds_to(precise: Figure, coarse: Figure) -> bool:
    """Whether ``coarse`` is ``precise`` rounded to the digits ``coarse`` was written with.

    Only when those digits are unambiguous: at least two significant ones and
    no trailing zero on a whole number ("2030", "100,000" could be exact).
    """
    mantissa = _written_mantissa(coarse)
    if mantissa is None or coarse.value is None or precise.value is None:
        return False
    whole, _, decimals = mantissa.partition(".")
    significant = (whole + decimals).lstrip("0")
    if len(significant) < 2 or (not decimals and whole.endswith("0")):
        return False
    scale = coarse.value / float(mantissa)
    return math.isclose(round(precise.value / scale, len(decimals)), float(mantissa), rel_tol=1e-9)


def _bounds(figure: Figure) -> tuple[float, float] | None:
    if figure.value is not None:
        return figure.value, figure.value
    if figure.low is not None and figure.high is not None:
        return figure.low, figure.high
    return None


def figures_agree(a: Figure, b: Figure) -> bool:
    """Whether two figures can be the same stated quantity (their units aside)."""
    bounds_a, bounds_b = _bounds(a), _bounds(b)
    if bounds_a is None or bounds_b is None:
        return True
    (low_a, high_a), (low_b, high_b) = bounds_a, bounds_b
    if math.isclose(low_a, low_b, rel_tol=1e-9) and math.isclose(high_a, high_b, rel_tol=1e-9):
        return True
    if low_a <= high_b and low_b <= high_a:
        return True
    # A year is exact: "around 2030" is not 2025.
    if a.value is None or b.value is None or "date" in (a.unit, b.unit):
        return False
    if a.approx or b.approx:
        if abs(a.value - b.value) <= _APPROX_TOLERANCE * max(abs(a.value), abs(b.value)):
            return True
    return _rounds_to(a, b) or _rounds_to(b, a)


def _take_partner(figure: Figure, candidates: list[Figure], fits) -> Figure | None:
    partner = next((other for other in candidates if fits(figure, other)), None)
    if partner is not None:
        candidates.remove(partner)
    return partner


def figure_disagreements(a: Sequence[Figure], b: Sequence[Figure]) -> tuple[tuple[Figure, Figure], ...]:
    """Pairs of figures, one from each claim, that state the same thing differently.

    Figures are paired in three rounds: same unit and agreeing values; a
    bare number ("built for 8,000") with an agreeing figure of any unit
    ("8,000 people"); then whatever is left of one unit on both sides, which
    disagrees. A figure whose unit the other claim never states is not a
    disagreement: the word score judges the extra detail.
    """
    left, right = list(a), list(b)
    rounds = (
        lambda x, y: x.unit == y.unit and figures_agree(x, y),
        lambda x, y: (x.unit is None or y.unit is None) and figures_agree(x, y),
    )
    for fits in rounds:
        left = [figure for figure in left if _take_partner(figure, right, fits) is None]
    disagreements = []
    for figure in left:
        partner = _take_partner(figure, right, lambda x, y: x.unit == y.unit)
        if partner is not None:
            disagreements.append((figure, partner))
    return tuple(disagreements)


def _number_disagreements(a: ClaimText, b: ClaimText) -> tuple[tuple[str, str], ...]:
    left, right = list(a.other_numbers), list(b.other_numbers)
    left = [token for token in left if _take_partner(token, right, str.__eq__) is None]
    return tuple(zip(left, right))


def _opposite_directions(a: ClaimText, b: ClaimText) -> bool:
    """The direction words only one claim uses point opposite ways ("rose" / "fell")."""
    only_a = {(axis, sign) for word, axis, sign in set(a.directions) - set(b.directions)}
    only_b = {(axis, sign) for word, axis, sign in set(b.directions) - set(a.directions)}
    return any((axis, -sign) in only_b and (axis, -sign) not in only_a and (axis, sign) not in only_b
               for axis, sign in only_a)


def _different_names(a: ClaimText, b: ClaimText) -> bool:
    """Each claim names someone or somewhere the other does not: another subject."""
    if not a.names or not b.names:
        return False
    return bool(set(a.names) - set(b.words.split(" "))) and bool(set(b.names) - set(a.words.split(" ")))


def _roles(claim: ClaimText) -> list[tuple[str, int]]:
    # A speaker named before the body ("Washington warned Beijing ...") is
    # its subject: the speakers come first.
    return [(name, -2) for name in claim.speakers] + list(claim.actors)


def swapped_roles(a: ClaimText, b: ClaimText) -> bool:
    """The same names in other roles: "Russia accused Ukraine" / "Ukraine accused Russia".

    The subject of each claim (its speaker, else the first name of its
    first clause or the agent of a passive: :attr:`ClaimText.actors`) is a
    name the other claim holds in another role, both ways round; or both
    bodies start with a pronoun and their speakers differ ("Kyiv said it
    was ready" / "the Kremlin said it was ready").
    """
    if (a.speakers and b.speakers and not set(a.speakers) & set(b.speakers)
            and PRONOUN_SUBJECT.match(a.body) and PRONOUN_SUBJECT.match(b.body)):
        return True
    roles_a, roles_b = _roles(a), _roles(b)
    if not roles_a or not roles_b:
        return False
    first_a, first_b = min(place for _, place in roles_a), min(place for _, place in roles_b)
    subjects_a = {name for name, place in roles_a if place == first_a}
    subjects_b = {name for name, place in roles_b if place == first_b}
    names_a, names_b = {name for name, _ in roles_a}, {name for name, _ in roles_b}
    return bool((subjects_a - subjects_b) & names_b) and bool((subjects_b - subjects_a) & names_a)


def fused_score(lexical: float, semantic: float | None) -> float:
    """The score the threshold applies to: the word score, or with a cosine, the blend
    of :data:`SEMANTIC_WEIGHT`."""
    if semantic is None:
        return lexical
    return (1.0 - SEMANTIC_WEIGHT) * lexical + SEMANTIC_WEIGHT * 100.0 * max(0.0, float(semantic))


def judge(a: ClaimText, b: ClaimText, score: float, threshold: float = DEFAULT_THRESHOLD,
          *, semantic: float | None = None) -> MatchVerdict:
    """The verdict for two prepared claims whose word similarity is ``score``.

    For callers that score many pairs at once (:func:`similarity_matrix`)
    and need the guards only on the pairs that reach the threshold. With
    ``semantic`` (the cosine of their embeddings) the threshold applies to
    :func:`fused_score`; the guards veto either way.
    """
    fused = fused_score(score, semantic)
    extra = {} if semantic is None else {"lexical": score, "semantic": float(semantic)}
    if fused < threshold or a.word_count < MIN_WORDS or b.word_count < MIN_WORDS:
        return MatchVerdict(score=fused, same=False, **extra)
    conflict, figures = _guard(a, b)
    if conflict is None and figures is not None and semantic is not None and score < threshold \
            and len(a.figures) != len(b.figures):
        # Embeddings barely see numbers: a figure only one claim states is
        # extra detail when the words match, another claim when only the
        # meaning does ("3.5% in January" / "3.5% in January 2027, after a 5% rise").
        figures = None
    if conflict is not None or figures is None:
        return MatchVerdict(score=fused, same=False, conflict=conflict, figures=figures or (), **extra)
    reasons = ("lexical" if semantic is None or score >= threshold else "semantic",)
    if a.aliased or b.aliased:
        reasons += ("alias",)
    return MatchVerdict(score=fused, same=True, reasons=reasons, **extra)


def _guard(a: ClaimText, b: ClaimText) -> tuple[Conflict | None, tuple[tuple[str, str], ...] | None]:
    """``(conflict, figures)`` of the guards; figures None when another subject makes them not the same."""
    if _different_names(a, b):
        return None, None
    if a.negated != b.negated:
        return "negation", ()
    disagreements = tuple((fa.text, fb.text) for fa, fb in figure_disagreements(a.figures, b.figures))
    disagreements += _number_disagreements(a, b)
    if disagreements:
        return "figure", disagreements
    if _opposite_directions(a, b):
        return "direction", ()
    if swapped_roles(a, b):
        return "roles", ()
    return None, ()


def compare(a: str | ClaimText, b: str | ClaimText, threshold: float = DEFAULT_THRESHOLD,
            *, semantic: float | None = None) -> MatchVerdict:
    """Whether claims ``a`` and ``b`` are the same claim, and if not, whether they conflict.

    Either may be raw text or already prepared with
    :func:`corpus.claim_text.prepare_claim`; ``semantic`` is the cosine of
    their embeddings when the semantic scorer is on.
    """
    prepared_a = a if isinstance(a, ClaimText) else prepare_claim(a)
    prepared_b = b if isinstance(b, ClaimText) else prepare_claim(b)
    return judge(prepared_a, prepared_b, similarity(prepared_a, prepared_b), threshold, semantic=semantic)
