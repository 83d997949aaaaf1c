"""Group every claim of a corpus into clusters of the same claim, with ids that stay put.

Single-link grouping over matching pairs chains: A matches B, B matches C,
and soon a thousand unrelated claims share a cluster. Here every cluster has
a leader, its first claim, and a claim joins a cluster only when it matches
the leader (:func:`corpus.claim_match.judge` says ``same``), so no member is
further than one match from the leader. Claims are taken in input order; a
claim that matches no leader leads a new cluster.

Candidate pairs come from prefix blocking: each claim is filed under its
:data:`PREFIX_TERMS` rarest candidate terms (:func:`corpus.claim_text.candidate_terms`)
and the claims sharing a term are paired, all in numpy; rapidfuzz then
scores the pairs (``cpdist``). A claim joins the best leader among the
clusters of its matching neighbours, so it needs no pair with the leader
itself to find the cluster.

Decisions of the annotators always hold: claims joined by a confirmed link
share a cluster, claims marked "not the same" never do (when links force
such a pair together anyway, the pair is returned in ``unmet``). With a
``previous`` clustering, claims keep their cluster; a cluster keeps its id
while it keeps members (and the smaller id when links merge two); new claims
join existing clusters or open new ones with fresh ids. Only the claims not
placed from ``previous`` are matched, against each other and the clusters'
leaders, so clustering the members of the clusters a change touches plus
every leader gives the same result as clustering the whole corpus.
"""

from __future__ import annotations

from collections import defaultdict
from array import array
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

from corpus.claim_match import (
    DEFAULT_THRESHOLD, SEMANTIC_WEIGHT, Conflict, fused_score, judge, pair_similarities, similarity,
)
from corpus.claim_text import ClaimText, candidate_terms, prepare_claim

# How many of its rarest terms file a claim into blocks. More finds more
# pairs and makes more pairs to score; 5 found 99.8% of the exhaustive pairs
# on 20,000 synthetic claims (bench/bench_cluster.py).
PREFIX_TERMS = 5
# Blocks bigger than this (a term most claims share) are not paired out.
MAX_BLOCK = 400
# Pairs scored per rapidfuzz call, which bounds the memory of the texts list.
_SCORE_CHUNK = 500_000
# Candidate pairs made, scored and mostly dropped at a time: the bound on
# the memory pair generation takes.
_PAIR_CHUNK = 5_000_000


@dataclass(frozen=True, slots=True)
class ClaimConflict:
    """Two claims whose words match but whose figures or polarity do not."""

    a: Hashable
    b: Hashable
    kind: Conflict
    score: float
    figures: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Clustering:
    """Claims grouped into clusters.

    ``clusters`` maps every claim key to its cluster id; ``leaders`` maps a
    cluster id to the key of the claim the others matched. ``conflicts``
    holds, for each pair of clusters (or one cluster) where they occur, the
    best-scoring conflicting pair. ``unmet`` lists "not the same" decisions
    that confirmed links overrule.
    """

    clusters: dict[Hashable, int]
    leaders: dict[int, Hashable]
    conflicts: list[ClaimConflict] = field(default_factory=list)
    unmet: list[tuple[Hashable, Hashable]] = field(default_factory=list)

    def members(self) -> dict[int, list[Hashable]]:
        """Cluster id to its claim keys, in the order the claims were given."""
        grouped: dict[int, list[Hashable]] = defaultdict(list)
        for key, cluster in self.clusters.items():
            grouped[cluster].append(key)
        return dict(grouped)


def candidate_pairs(claims: list[ClaimText], *, chunk: int = _PAIR_CHUNK) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Index pairs ``(i, j)``, ``i < j``, of claims that share one of their rarest terms.

    Each claim is filed under its :data:`PREFIX_TERMS` rarest terms (fewest
    claims, then the term itself, so the order is the same everywhere);
    claims filed under one term, in blocks of at most :data:`MAX_BLOCK`, are
    paired. Yields ``(left, right)`` arrays of about ``chunk`` pairs, each
    without repeats; a pair sharing two terms may come in two chunks.
    """
    vocabulary: dict[str, int] = {}
    owners, terms = array("i"), array("i")
    for index, claim in enumerate(claims):
        for term in candidate_terms(claim):
            owners.append(index)
            terms.append(vocabulary.setdefault(term, len(vocabulary)))
    del vocabulary
    owner = np.frombuffer(owners, dtype=np.int32).astype(np.int64)
    term = np.frombuffer(terms, dtype=np.int32).astype(np.int64)
    del owners, terms
    frequency = np.bincount(term)
    # Rank of each term within its claim, rarest first.
    order = np.lexsort((term, frequency[term], owner))
    owner, term = owner[order], term[order]
    first_of_claim = np.r_[0, np.flatnonzero(np.diff(owner)) + 1]
    rank = np.arange(len(owner)) - np.repeat(first_of_claim, np.diff(np.r_[first_of_claim, len(owner)]))
    keep = (rank < PREFIX_TERMS) & (frequency[term] <= MAX_BLOCK) & (frequency[term] > 1)
    owner, term = owner[keep], term[keep]
    del order, rank, keep, first_of_claim
    # Blocks: claims filed under one term, in claim order.
    order = np.lexsort((owner, term))
    owner, term = owner[order], term[order]
    starts = np.r_[0, np.flatnonzero(np.diff(term)) + 1]
    sizes = np.diff(np.r_[starts, len(term)])
    size = np.repeat(sizes, sizes)
    position = np.arange(len(term)) - np.repeat(starts, sizes)
    count = len(claims)
    pending, pending_size = [], 0
    active = np.flatnonzero(size > 1)
    step = 1
    while len(active):
        active = active[position[active] + step < size[active]]
        pending.append(owner[active] * count + owner[active + step])
        pending_size += len(active)
        step += 1
        if pending_size >= chunk or not len(active):
            codes = np.unique(np.concatenate(pending))
            pending, pending_size = [], 0
            if len(codes):
                yield codes // count, codes % count


def matching_pairs(
    claims: list[ClaimText], threshold: float, *, workers: int = 1, needed: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """``(left, right, scores, scored)``: candidate pairs whose words reach ``threshold``.

    ``scored`` is how many candidate pairs were scored. ``needed`` (one bool
    per claim) keeps only the pairs with a needed claim on one side at least.
    The guards are not applied here.
    """
    kept_codes, kept_scores, scored = [], [], 0
    for left, right in candidate_pairs(claims):
        if needed is not None:
            wanted = needed[left] | needed[right]
            left, right = left[wanted], right[wanted]
        scores = score_pairs(claims, left, right, workers=workers)
        close = scores >= threshold
        kept_codes.append(left[close] * len(claims) + right[close])
        kept_scores.append(scores[close])
        scored += len(left)
    if not kept_codes:
        empty = np.empty(0, np.int64)
        return empty, empty, np.empty(0, np.float32), 0
    codes, first = np.unique(np.concatenate(kept_codes), return_index=True)
    return codes // len(claims), codes % len(claims), np.concatenate(kept_scores)[first], scored


def score_pairs(claims: list[ClaimText], left: np.ndarray, right: np.ndarray, *, workers: int = 1) -> np.ndarray:
    """Word similarity of ``claims[left[k]]`` and ``claims[right[k]]`` for every k."""
    scores = np.empty(len(left), dtype=np.float32)
    for start in range(0, len(left), _SCORE_CHUNK):
        stop = start + _SCORE_CHUNK
        scores[start:stop] = pair_similarities(
            [claims[i].words for i in left[start:stop]],
            [claims[j].words for j in right[start:stop]],
            workers=workers,
        )
    return scores


class _Links:
    """Union-find over claim indices for the confirmed links."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def root(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: int, b: int) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def cluster_claims(
    claims: Iterable[tuple[Hashable, str]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    links: Iterable[tuple[Hashable, Hashable]] = (),
    not_same: Iterable[tuple[Hashable, Hashable]] = (),
    previous: Clustering | None = None,
    workers: int = 1,
    prepared: dict[Hashable, ClaimText] | None = None,
    embeddings: np.ndarray | None = None,
) -> Clustering:
    """Cluster ``(key, text)`` claims; see the module docstring.

    ``links`` are confirmed matches and ``not_same`` pairs the annotators
    kept apart, both by claim key; pairs naming an unknown key are ignored.
    ``previous`` is the clustering of an earlier run, whose ids are kept.
    ``prepared`` holds claims already prepared (:func:`prepare_claim` of
    their text, by key) and gets those prepared here.
    ``embeddings`` (row i: the unit vector of the i-th claim, from
    :mod:`corpus.semantic`) turn the semantic scorer on: pairs are scored
    with :func:`corpus.claim_match.fused_score`.
    """
    keys: list[Hashable] = []
    texts: list[ClaimText] = []
    for key, text in claims:
        keys.append(key)
        claim = prepared.get(key) if prepared is not None else None
        if claim is None:
            claim = prepare_claim(text)
            if prepared is not None:
                prepared[key] = claim
        texts.append(claim)
    clusterer = _Clusterer(keys, texts, threshold, workers)
    clusterer.embeddings = embeddings
    return clusterer.run(links, not_same, previous)


class _Clusterer:
    def __init__(self, keys: list[Hashable], claims: list[ClaimText], threshold: float, workers: int) -> None:
        self.keys, self.claims, self.threshold, self.workers = keys, claims, threshold, workers
        self.index = {key: i for i, key in enumerate(keys)}
        self.cluster_of: list[int | None] = [None] * len(keys)
        self.members: dict[int, set[int]] = defaultdict(set)
        self.leader: dict[int, int] = {}
        self.embeddings: np.ndarray | None = None

    def _pair_score(self, i: int, j: int) -> float:
        """The score of claims ``i`` and ``j``: words, blended with their cosine when there are embeddings."""
        lexical = similarity(self.claims[i], self.claims[j])
        if self.embeddings is None:
            return lexical
        return fused_score(lexical, float(self.embeddings[i] @ self.embeddings[j]))

    def _match(self, scope: list[int]) -> None:
        """Matching pairs among the claims of ``scope`` (indices, ascending) with an
        open claim on one side at least (two placed claims stay as they are), and
        every claim's matching neighbours as compressed rows."""
        local = np.array(scope, dtype=np.int64)
        open_ = np.array([self.cluster_of[i] is None for i in scope], dtype=bool)
        # With embeddings a pair needs fewer shared words: as few as a cosine of 1 allows.
        floor = self.threshold if self.embeddings is None else (self.threshold - 100.0 * SEMANTIC_WEIGHT) / (1.0 - SEMANTIC_WEIGHT)
        left, right, self.scores, _ = matching_pairs([self.claims[i] for i in scope], floor,
                                                     workers=self.workers, needed=open_)
        self.left, self.right = local[left], local[right]
        if self.embeddings is not None:
            cosines = np.einsum("ij,ij->i", self.embeddings[self.left], self.embeddings[self.right])
            fused = (1.0 - SEMANTIC_WEIGHT) * self.scores + SEMANTIC_WEIGHT * 100.0 * np.maximum(cosines, 0.0)
            close = fused >= self.threshold
            self.left, self.right, self.scores = self.left[close], self.right[close], fused[close].astype(np.float32)
        source = np.concatenate([self.left, self.right]).astype(np.int32)
        order = np.argsort(source, kind="stable")
        self.neighbour = np.concatenate([self.right, self.left]).astype(np.int32)[order]
        self.neighbour_score = np.concatenate([self.scores, self.scores])[order]
        self.row = np.searchsorted(source[order], np.arange(len(self.keys) + 1))

    def _place(self, item: int, cluster: int) -> None:
        self.cluster_of[item] = cluster
        self.members[cluster].add(item)
        self.leader.setdefault(cluster, item)

    def _unplace(self, item: int) -> None:
        cluster = self.cluster_of[item]
        self.cluster_of[item] = None
        self.members[cluster].discard(item)
        if self.leader.get(cluster) == item:
            del self.leader[cluster]
            if self.members[cluster]:
                self.leader[cluster] = min(self.members[cluster])

    def run(self, links, not_same, previous: Clustering | None) -> Clustering:
        known = [(self.index[a], self.index[b]) for a, b in links if a in self.index and b in self.index]
        apart_pairs = [(self.index[a], self.index[b]) for a, b in not_same if a in self.index and b in self.index]
        groups = _Links(len(self.keys))
        for a, b in known:
            groups.join(a, b)
        apart: dict[int, set[int]] = defaultdict(set)
        unmet = []
        for a, b in apart_pairs:
            if groups.root(a) == groups.root(b):
                unmet.append((self.keys[a], self.keys[b]))
            else:
                apart[a].add(b)
                apart[b].add(a)
        next_id = self._restore(previous, groups, apart)
        # Claims placed again keep their clusters whatever they match now: only
        # the open claims are matched, against the leaders and each other. So a
        # run over the touched clusters and the leaders alone (store.dedup)
        # places every claim as a run over the whole corpus does.
        self._match(sorted({i for i, c in enumerate(self.cluster_of) if c is None} | set(self.leader.values())))
        for item in range(len(self.keys)):
            if self.cluster_of[item] is not None:
                continue
            root = groups.root(item)
            cluster = self.cluster_of[root] if root != item else None
            if cluster is None:
                cluster = self._best_cluster(item, apart)
            if cluster is None:
                cluster, next_id = next_id, next_id + 1
            self._place(item, cluster)
        return Clustering(
            clusters={key: self.cluster_of[i] for i, key in enumerate(self.keys)},
            leaders={cluster: self.keys[item] for cluster, item in sorted(self.leader.items())},
            conflicts=self._conflicts(),
            unmet=unmet,
        )

    def _restore(self, previous: Clustering | None, groups: _Links, apart: dict[int, set[int]]) -> int:
        """Put known claims back in their clusters; returns the next free id."""
        if previous is None:
            return 1
        for cluster, key in previous.leaders.items():
            if key in self.index and previous.clusters.get(key) == cluster:
                self._place(self.index[key], cluster)
        # The other members in input order, so that a cluster whose leader
        # is gone is led by its first remaining claim.
        for item, key in enumerate(self.keys):
            if self.cluster_of[item] is None and key in previous.clusters:
                self._place(item, previous.clusters[key])
        # Links made since: the linked clusters merge into the smaller id.
        for item in range(len(self.keys)):
            root = groups.root(item)
            here, there = self.cluster_of[item], self.cluster_of[root]
            if here is not None and there is not None and here != there:
                keep, drop = min(here, there), max(here, there)
                for member in sorted(self.members[drop]):
                    self._unplace(member)
                    self._place(member, keep)
        # "Not the same" decided since: of the two, the one that is not the
        # leader leaves (the later one when neither leads), with the claims
        # linked to it, and is placed again like a new claim.
        for a, b in sorted((a, b) for a in apart for b in apart[a] if a < b):
            cluster = self.cluster_of[a]
            if cluster is None or cluster != self.cluster_of[b]:
                continue
            leaving = groups.root(a if self.leader[cluster] == b else b)
            for member in sorted(self.members[cluster]):
                if groups.root(member) == leaving:
                    self._unplace(member)
        used = [*previous.clusters.values(), *previous.leaders]
        return max(used, default=0) + 1

    def _best_cluster(self, item: int, apart: dict[int, set[int]]) -> int | None:
        claim = self.claims[item]
        start, stop = self.row[item], self.row[item + 1]
        near = dict(zip(self.neighbour[start:stop].tolist(), self.neighbour_score[start:stop].tolist()))
        candidates = {self.cluster_of[j] for j in near if self.cluster_of[j] is not None}
        ranked = []
        for cluster in candidates:
            leader = self.leader[cluster]
            score = near.get(leader)
            if score is None:
                score = self._pair_score(item, leader)
            if score >= self.threshold:
                ranked.append((-score, cluster, leader))
        for negative_score, cluster, leader in sorted(ranked):
            if apart.get(item) and apart[item] & self.members[cluster]:
                continue
            if judge(claim, self.claims[leader], -negative_score, self.threshold).same:
                return cluster
        return None

    def _conflicts(self) -> list[ClaimConflict]:
        """The best-scoring conflicting pair between each two clusters."""
        cluster_of = np.array(self.cluster_of, dtype=np.int64)
        apart = cluster_of[self.left] != cluster_of[self.right]
        left, right, scores = self.left[apart], self.right[apart], self.scores[apart]
        order = np.argsort(-scores, kind="stable")
        found: dict[tuple[int, int], ClaimConflict] = {}
        for i, j, score in zip(left[order].tolist(), right[order].tolist(), scores[order].tolist()):
            ci, cj = self.cluster_of[i], self.cluster_of[j]
            slot = (min(ci, cj), max(ci, cj))
            if slot in found:
                continue
            verdict = judge(self.claims[i], self.claims[j], score, self.threshold)
            if verdict.conflict is not None:
                found[slot] = ClaimConflict(self.keys[i], self.keys[j], verdict.conflict, score, verdict.figures)
        return list(found.values())


def adjusted_rand_index(truth: Mapping[Hashable, Hashable], found: Mapping[Hashable, Hashable]) -> float:
    """The adjusted Rand index of two clusterings of the same items (1 = identical)."""
    def pairs(count: int) -> int:
        return count * (count - 1) // 2

    together: dict[tuple[Hashable, Hashable], int] = defaultdict(int)
    rows: dict[Hashable, int] = defaultdict(int)
    columns: dict[Hashable, int] = defaultdict(int)
    for item, label in truth.items():
        together[label, found[item]] += 1
        rows[label] += 1
        columns[found[item]] += 1
    index = sum(pairs(n) for n in together.values())
    row_sum = sum(pairs(n) for n in rows.values())
    column_sum = sum(pairs(n) for n in columns.values())
    expected = row_sum * column_sum / pairs(len(truth)) if len(truth) > 1 else 0.0
    maximum = (row_sum + column_sum) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)
