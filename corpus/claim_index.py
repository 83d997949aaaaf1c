"""An in-memory index of claims that finds the matches of a new claim in milliseconds.

Comparing a claim with a million stored claims one by one takes seconds.
The index keeps, for every candidate term (:func:`corpus.claim_text.candidate_terms`:
content words cut to six characters, and figure values), the list of
claims that contain it. A query weighs the claims that share its terms by
how rare the terms are (inverse document frequency, summed in numpy), keeps
the :data:`POOL` best, and rescores only those with rapidfuzz
(:func:`corpus.claim_match.similarity_matrix`); the guards of
:func:`corpus.claim_match.judge` then give each candidate its verdict.

The index is not thread-safe: use it from one worker at a time.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np

from corpus.claim_match import DEFAULT_THRESHOLD, MatchVerdict, judge, similarity_matrix
from corpus.claim_text import candidate_terms, prepare_claim

# Claims rescored with rapidfuzz per query. 64 found 99% of the exhaustive
# matches on synthetic claims at 1,000,000 (bench/bench_match_live.py).
POOL = 64
# A term carried by more than this share of the claims says little about
# which claim matches; its posting list is skipped unless the query has
# nothing rarer.
COMMON_SHARE = 0.02
# Terms always used, however common: the rarest few of the query.
_ALWAYS_USED = 2


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored claim found for a query, best first in :meth:`ClaimIndex.query`."""

    key: Hashable
    text: str
    verdict: MatchVerdict


class ClaimIndex:
    """Claims by key, searchable by :meth:`query`.

    Keys are any hashable values the caller uses for claims (span ids,
    ``(article, start, end)`` tuples). Adding a key that is present replaces
    its text.
    """

    def __init__(self, *, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        self._slot_of: dict[Hashable, int] = {}
        self._keys: list[Hashable | None] = []
        self._texts: list[str | None] = []
        self._words: list[str | None] = []
        self._postings: dict[str, array] = {}

    @classmethod
    def from_claims(cls, claims: Iterable[tuple[Hashable, str]], *, threshold: float = DEFAULT_THRESHOLD) -> ClaimIndex:
        """An index of ``(key, text)`` pairs, read from any iterator (a store cursor)."""
        index = cls(threshold=threshold)
        for key, text in claims:
            index.add(key, text)
        return index

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, key: object) -> bool:
        return key in self._slot_of

    def add(self, key: Hashable, text: str) -> None:
        """Store claim ``text`` under ``key``, replacing what the key held."""
        if key in self._slot_of:
            self.remove(key)
        claim = prepare_claim(text)
        slot = len(self._keys)
        self._keys.append(key)
        self._texts.append(text)
        self._words.append(claim.words)
        self._slot_of[key] = slot
        for term in candidate_terms(claim):
            posting = self._postings.get(term)
            if posting is None:
                posting = self._postings[term] = array("i")
            posting.append(slot)

    def remove(self, key: Hashable) -> None:
        """Forget the claim stored under ``key``; an unknown key is ignored."""
        slot = self._slot_of.pop(key, None)
        if slot is None:
            return
        for term in candidate_terms(prepare_claim(self._texts[slot])):
            posting = self._postings[term]
            posting.remove(slot)
            if not posting:
                del self._postings[term]
        self._keys[slot] = self._texts[slot] = self._words[slot] = None

    def _pool(self, terms: Iterable[str], size: int, exclude: int | None) -> np.ndarray:
        """Slots of the stored claims sharing the most (rarest) terms, up to ``size``."""
        found = sorted((len(self._postings[term]), term) for term in terms if term in self._postings)
        common = max(1, COMMON_SHARE * len(self._slot_of))
        used = [(count, term) for rank, (count, term) in enumerate(found) if rank < _ALWAYS_USED or count <= common]
        if not used:
            return np.empty(0, dtype=np.int64)
        slots = np.concatenate([np.frombuffer(self._postings[term], dtype=np.int32) for _, term in used])
        weights = np.repeat(
            [math.log(1 + len(self._slot_of) / count) for count, _ in used],
            [count for count, _ in used],
        )
        unique, inverse = np.unique(slots, return_inverse=True)
        overlap = np.bincount(inverse, weights=weights)
        if exclude is not None:
            overlap[unique == exclude] = -1.0
        if len(unique) > size:
            best = np.argpartition(-overlap, size)[:size]
            unique, overlap = unique[best], overlap[best]
        return unique[overlap >= 0]

    def query(self, text: str, k: int = 10, *, exclude: Hashable | None = None) -> list[Candidate]:
        """The ``k`` stored claims most like ``text``, best first, each with its verdict.

        ``exclude`` leaves out one key (the claim being matched, when it is
        stored too). Candidates below the threshold are included, so the
        caller sees near misses; ``verdict.same`` says which are matches and
        ``verdict.conflict`` which contradict the query.
        """
        if not self._slot_of or k <= 0:
            return []
        claim = prepare_claim(text)
        slots = self._pool(candidate_terms(claim), max(POOL, k), self._slot_of.get(exclude))
        if len(slots) == 0:
            return []
        scores = similarity_matrix([claim.words], [self._words[slot] for slot in slots])[0]
        order = np.argsort(-scores, kind="stable")[:k]
        candidates = []
        for position in order.tolist():
            slot, score = int(slots[position]), float(scores[position])
            stored = self._texts[slot]
            if score >= self.threshold:
                verdict = judge(claim, prepare_claim(stored), score, self.threshold)
            else:
                verdict = MatchVerdict(score=score, same=False)
            candidates.append(Candidate(key=self._keys[slot], text=stored, verdict=verdict))
        return candidates
