"""Indexes of claims that find the matches of a new claim in milliseconds.

Comparing a claim with a million stored claims one by one takes seconds.
The index keeps, for every candidate term (:func:`corpus.claim_text.candidate_terms`:
content words cut to six characters, and figure values), the list of
claims that contain it. A query weighs the claims that share its terms by
how rare the terms are (inverse document frequency, summed in numpy), keeps
the :data:`POOL` best, and rescores only those with rapidfuzz
(:func:`corpus.claim_match.similarity_matrix`); the guards of
:func:`corpus.claim_match.judge` then give each candidate its verdict.

:class:`NumberedClaimIndex` knows claims by the number it gives them and
keeps little per claim: the posting-list entries, the matching text in one
shared buffer, where that text ends, and whether the claim is still there.
It keeps no claim text: a query asks the caller for the texts of the few
claims it returns (a database holds them). :class:`ClaimIndex` puts the
caller's keys on top, and keeps the texts too unless told where to read them.

The indexes are not thread-safe: use one from one worker at a time.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from corpus.claim_match import DEFAULT_THRESHOLD, SEMANTIC_WEIGHT, MatchVerdict, judge, similarity_matrix
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

TextsByNumber = Callable[[list[int]], Sequence[str | None]]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored claim found for a query, best first in :meth:`ClaimIndex.query`."""

    key: Hashable
    text: str
    verdict: MatchVerdict


def _as_int32(values: np.ndarray) -> array:
    posting = array("i")
    posting.frombytes(values.astype(np.int32).tobytes())
    return posting


class NumberedClaimIndex:
    """Claims known by the numbers :meth:`add` gives them (0, 1, 2...), searchable by :meth:`query`."""

    def __init__(self, *, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        # The matching texts, UTF-8, one after the other: a million Python
        # strings would cost some 50 bytes each beyond their characters.
        self._words = bytearray()
        self._ends = array("q")
        self._present = bytearray()
        self._postings: dict[str, array] = {}
        self._count = 0
        # The semantic scorer's vectors, row = claim number (float16: half the
        # memory, and only a pool's rows are read per query); None until
        # :meth:`set_vector` is first called. A row of zeros: no vector yet.
        self._vectors: np.ndarray | None = None

    def __len__(self) -> int:
        return self._count

    @property
    def numbered(self) -> int:
        """How many numbers were given out, removed claims included."""
        return len(self._ends)

    def add(self, text: str) -> int:
        """Store claim ``text``; returns its number."""
        claim = prepare_claim(text)
        number = len(self._ends)
        self._words += claim.words.encode()
        self._ends.append(len(self._words))
        self._present.append(1)
        self._count += 1
        for term in candidate_terms(claim):
            posting = self._postings.get(term)
            if posting is None:
                posting = self._postings[term] = array("i")
            posting.append(number)
        return number

    def set_vector(self, number: int, vector: np.ndarray) -> None:
        """Keep the unit vector of claim ``number`` (its sentence embedding) for semantic scoring."""
        if self._vectors is None:
            self._vectors = np.zeros((max(1024, len(self._ends)), len(vector)), dtype=np.float16)
        if number >= len(self._vectors):
            grown = np.zeros((max(number + 1, 2 * len(self._vectors)), self._vectors.shape[1]), dtype=np.float16)
            grown[:len(self._vectors)] = self._vectors
            self._vectors = grown
        self._vectors[number] = vector

    def vector(self, number: int) -> np.ndarray | None:
        """The vector kept for claim ``number``, or None."""
        if self._vectors is None or number >= len(self._vectors) or not self._vectors[number].any():
            return None
        return self._vectors[number].astype(np.float32)

    def missing_vectors(self) -> list[int]:
        """Numbers of the present claims that have no vector yet."""
        present = np.frombuffer(self._present, dtype=np.uint8).astype(bool)
        if self._vectors is None:
            return np.flatnonzero(present).tolist()
        has = np.zeros(len(present), dtype=bool)
        rows = min(len(present), len(self._vectors))
        has[:rows] = self._vectors[:rows].any(axis=1)
        return np.flatnonzero(present & ~has).tolist()

    def remove(self, number: int) -> None:
        """Forget claim ``number``. Its entries stay, skipped, until :meth:`compact`."""
        if self._present[number]:
            self._present[number] = 0
            self._count -= 1

    def words(self, number: int) -> str:
        """The matching text of claim ``number``."""
        start = self._ends[number - 1] if number else 0
        return self._words[start:self._ends[number]].decode()

    def compact(self) -> np.ndarray:
        """Drop what removed claims left behind and number the others again, in the same
        order; returns the new number of each old one (-1 for a removed claim)."""
        present = np.frombuffer(self._present, dtype=np.uint8).astype(bool)
        renumber = np.cumsum(present) - 1
        renumber[~present] = -1
        ends = np.frombuffer(self._ends, dtype=np.int64)
        lengths = np.diff(ends, prepend=0)
        kept = np.frombuffer(self._words, dtype=np.uint8)[np.repeat(present, lengths)]
        postings = {}
        for term, posting in self._postings.items():
            numbers = renumber[np.frombuffer(posting, dtype=np.int32)]
            numbers = numbers[numbers >= 0]
            if len(numbers):
                postings[term] = _as_int32(numbers)
        new_ends = array("q")
        new_ends.frombytes(np.cumsum(lengths[present]).astype(np.int64).tobytes())
        self._words, self._ends, self._postings = bytearray(kept.tobytes()), new_ends, postings
        if self._vectors is not None:
            rows = present[:len(self._vectors)]
            self._vectors = np.ascontiguousarray(self._vectors[:len(present)][rows])
        self._present = bytearray(b"\x01" * self._count)
        return renumber

    def _pool(self, terms: Iterable[str], size: int, exclude: int | None) -> np.ndarray:
        """Numbers of the stored claims sharing the most (rarest) terms, up to ``size``."""
        found = sorted((len(self._postings[term]), term) for term in terms if term in self._postings)
        common = max(1, COMMON_SHARE * self._count)
        used = [(count, term) for rank, (count, term) in enumerate(found) if rank < _ALWAYS_USED or count <= common]
        if not used:
            return np.empty(0, dtype=np.int64)
        numbers = np.concatenate([np.frombuffer(self._postings[term], dtype=np.int32) for _, term in used])
        weights = np.repeat(
            [math.log(1 + self._count / count) for count, _ in used],
            [count for count, _ in used],
        )
        unique, inverse = np.unique(numbers, return_inverse=True)
        overlap = np.bincount(inverse, weights=weights)
        overlap[np.frombuffer(self._present, dtype=np.uint8)[unique] == 0] = -1.0
        if exclude is not None:
            overlap[unique == exclude] = -1.0
        if len(unique) > size:
            best = np.argpartition(-overlap, size)[:size]
            unique, overlap = unique[best], overlap[best]
        return unique[overlap >= 0]

    def query(self, text: str, k: int, texts: TextsByNumber, *, exclude: int | None = None,
              vector: np.ndarray | None = None) -> list[Candidate]:
        """The ``k`` stored claims most like ``text``, best first, as candidates keyed by number.

        ``texts`` gives the texts of the claims of a list of numbers (None
        for one gone since); it is called once, for at most ``k`` numbers.
        ``exclude`` leaves out one number. Near misses are included, as in
        :meth:`ClaimIndex.query`. With ``vector`` (the query's embedding)
        the pool is ranked and judged on the fused score
        (:func:`corpus.claim_match.fused_score`) against the stored vectors;
        a claim without a vector keeps its word score.
        """
        if not self._count or k <= 0:
            return []
        claim = prepare_claim(text)
        numbers = self._pool(candidate_terms(claim), max(POOL, k), exclude)
        if len(numbers) == 0:
            return []
        scores = similarity_matrix([claim.words], [self.words(number) for number in numbers.tolist()])[0]
        cosines = None
        if vector is not None and self._vectors is not None:
            # Only the pool is scored: a pair the words score below 68 cannot
            # reach the threshold however close the meaning (SEMANTIC_WEIGHT).
            rows = np.minimum(numbers, len(self._vectors) - 1)
            stored = self._vectors[rows].astype(np.float32)
            stored[numbers >= len(self._vectors)] = 0.0
            cosines = stored @ np.asarray(vector, dtype=np.float32)
            has = stored.any(axis=1)
            fused = (1.0 - SEMANTIC_WEIGHT) * scores + SEMANTIC_WEIGHT * 100.0 * np.maximum(cosines, 0.0)
            ranked = np.where(has, fused, scores).astype(np.float32)
        else:
            ranked = scores
        order = np.argsort(-ranked, kind="stable")[:k].tolist()
        best = [int(numbers[position]) for position in order]
        candidates = []
        for number, position, stored_text in zip(best, order, texts(best)):
            if stored_text is None:
                continue
            score = float(scores[position])
            semantic = None
            if cosines is not None and has[position]:
                semantic = float(cosines[position])
            if float(ranked[position]) >= self.threshold:
                verdict = judge(claim, prepare_claim(stored_text), score, self.threshold, semantic=semantic)
            else:
                verdict = MatchVerdict(score=float(ranked[position]), same=False,
                                       **({} if semantic is None else {"lexical": score, "semantic": semantic}))
            candidates.append(Candidate(key=number, text=stored_text, verdict=verdict))
        return candidates


class ClaimIndex:
    """Claims by key, searchable by :meth:`query`.

    Keys are any hashable values the caller uses for claims (span ids,
    ``(article, start, end)`` tuples). Adding a key that is present replaces
    its text. With ``texts`` (a function from a list of keys to their texts,
    such as a database query; keys it leaves out are claims gone since) the
    index keeps no claim text; an unpickled index has no ``texts``: set the
    attribute again.
    """

    def __init__(self, *, threshold: float = DEFAULT_THRESHOLD,
                 texts: Callable[[list[Hashable]], Mapping[Hashable, str]] | None = None) -> None:
        self.claims = NumberedClaimIndex(threshold=threshold)
        self.texts = texts
        self._keys: list[Hashable | None] = []
        self._number_of: dict[Hashable, int] = {}
        self._kept_texts: list[str | None] | None = [] if texts is None else None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "texts": None}

    @property
    def threshold(self) -> float:
        """The score from which candidates are judged the same (guards permitting)."""
        return self.claims.threshold

    @threshold.setter
    def threshold(self, value: float) -> None:
        self.claims.threshold = value

    @classmethod
    def from_claims(cls, claims: Iterable[tuple[Hashable, str]], *, threshold: float = DEFAULT_THRESHOLD,
                    texts: Callable[[list[Hashable]], Mapping[Hashable, str]] | None = None) -> ClaimIndex:
        """An index of ``(key, text)`` pairs, read from any iterator (a store cursor)."""
        index = cls(threshold=threshold, texts=texts)
        for key, text in claims:
            index.add(key, text)
        return index

    def __len__(self) -> int:
        return len(self._number_of)

    def __contains__(self, key: object) -> bool:
        return key in self._number_of

    def add(self, key: Hashable, text: str) -> None:
        """Store claim ``text`` under ``key``, replacing what the key held."""
        if key in self._number_of:
            self.remove(key)
        self._number_of[key] = self.claims.add(text)
        self._keys.append(key)
        if self._kept_texts is not None:
            self._kept_texts.append(text)

    def remove(self, key: Hashable) -> None:
        """Forget the claim stored under ``key``; an unknown key is ignored."""
        number = self._number_of.pop(key, None)
        if number is None:
            return
        self.claims.remove(number)
        self._keys[number] = None
        if self._kept_texts is not None:
            self._kept_texts[number] = None
        # Removed claims are skipped at query time; once they outnumber the
        # others their leftovers are dropped, so the cost stays proportional.
        if self.claims.numbered - len(self.claims) > len(self.claims):
            self._compact()

    def _compact(self) -> None:
        kept = np.flatnonzero(self.claims.compact() >= 0).tolist()
        self._keys = [self._keys[number] for number in kept]
        self._number_of = {key: number for number, key in enumerate(self._keys)}
        if self._kept_texts is not None:
            self._kept_texts = [self._kept_texts[number] for number in kept]

    def _texts_of(self, numbers: list[int]) -> list[str | None]:
        if self._kept_texts is not None:
            return [self._kept_texts[number] for number in numbers]
        keys = [self._keys[number] for number in numbers]
        found = self.texts(keys)
        return [found.get(key) for key in keys]

    def set_vector(self, key: Hashable, vector: np.ndarray) -> None:
        """Keep the embedding of the claim stored under ``key`` (an unknown key is ignored)."""
        number = self._number_of.get(key)
        if number is not None:
            self.claims.set_vector(number, vector)

    def vector(self, key: Hashable) -> np.ndarray | None:
        """The embedding kept for ``key``, or None."""
        number = self._number_of.get(key)
        return None if number is None else self.claims.vector(number)

    def missing_vectors(self) -> list[Hashable]:
        """Keys of the claims that have no embedding yet."""
        return [self._keys[number] for number in self.claims.missing_vectors()]

    def query(self, text: str, k: int = 10, *, exclude: Hashable | None = None,
              vector: np.ndarray | None = None) -> list[Candidate]:
        """The ``k`` stored claims most like ``text``, best first, each with its verdict.

        ``exclude`` leaves out one key (the claim being matched, when it is
        stored too). Candidates below the threshold are included, so the
        caller sees near misses; ``verdict.same`` says which are matches and
        ``verdict.conflict`` which contradict the query. ``vector`` (the
        query's embedding) turns the semantic scorer on.
        """
        found = self.claims.query(text, k, self._texts_of, exclude=self._number_of.get(exclude), vector=vector)
        return [Candidate(self._keys[c.key], c.text, c.verdict) for c in found]
