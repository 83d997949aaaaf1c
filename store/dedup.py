"""Corpus-wide deduplication: every claim clustered, cluster ids stored, conflicts found.

:func:`dedup` reads every claim (:meth:`store.claims.ClaimStore.claims`),
clusters them with :func:`corpus.claim_clusters.cluster_claims` under the
annotators' decisions (confirmed links and "not the same" always hold) and
the previous run's ids, stores the ids that changed, and, given a
:class:`store.claim_sentences.SentenceIndex`, lists for each cluster the
sentences that match its leader but carry no claim yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from store.sqlite import sqlite_utils

from corpus.claim_clusters import cluster_claims
from corpus.claim_match import DEFAULT_THRESHOLD, Conflict
from store.claim_sentences import SentenceIndex
from store.claims import Claim, ClaimStore

# Untagged sentences listed per cluster.
UNTAGGED_PER_CLUSTER = 10

# (phase, done, total or None): "reading", "clustering", "saving", "indexing", "untagged".
ProgressHook = Callable[[str, int, "int | None"], None]


@dataclass(frozen=True, slots=True)
class Untagged:
    """A sentence that matches a cluster's claim and carries no claim span."""

    article_id: str
    start: int
    end: int
    text: str
    score: float


@dataclass(frozen=True, slots=True)
class ClaimCluster:
    """One claim and its repeats: ``members`` in the order they were tagged."""

    id: int
    members: list[Claim]
    untagged: list[Untagged] = field(default_factory=list)

    @property
    def outlets(self) -> list[str]:
        """The distinct outlets of the members, sorted."""
        return sorted({member.outlet for member in self.members})


@dataclass(frozen=True, slots=True)
class ClaimConflictReport:
    """Two claims whose words match but whose figures (or polarity) disagree.

    ``figures`` pairs each disagreeing figure as written in ``a`` with the one in ``b``.
    """

    a: Claim
    b: Claim
    kind: Conflict
    score: float
    figures: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class DedupReport:
    """What a run found: clusters, most outlets first, and conflicts, best-scoring first."""

    clusters: list[ClaimCluster]
    conflicts: list[ClaimConflictReport]
    changed: int  # claims whose stored cluster id changed
    overruled: list[tuple[Claim, Claim]]  # "not the same" decisions that confirmed links overrule

    @property
    def claims(self) -> int:
        """How many claims were clustered."""
        return sum(len(cluster.members) for cluster in self.clusters)


def _sorted_clusters(clusters: list[ClaimCluster]) -> list[ClaimCluster]:
    return sorted(clusters, key=lambda c: (-len(c.outlets), -len(c.members), c.id))


def dedup(
    db: sqlite_utils.Database,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    sentences: SentenceIndex | None = None,
    progress: ProgressHook | None = None,
    workers: int = 1,
) -> DedupReport:
    """Cluster every claim of the database and store the cluster ids; see the module docstring.

    ``sentences`` (refreshed here) gives each cluster its untagged sentences;
    without it they are left empty. ``workers`` is rapidfuzz's thread count.
    """
    store = ClaimStore(db)
    report = progress or (lambda phase, done, total: None)
    claims: dict[str, Claim] = {}
    for claim in store.claims():
        claims[claim.span_id] = claim
        if len(claims) % 1000 == 0:
            report("reading", len(claims), None)
    stored = {key: claim.cluster for key, claim in claims.items()}
    decisions = store.decisions()
    links = [(d.span_id, d.other_span) for d in decisions if d.decision == "same"]
    apart = [(d.span_id, d.other_span) for d in decisions if d.decision == "not_same" and d.other_span]
    report("clustering", 0, len(claims))
    clustering = cluster_claims(
        ((key, claim.text) for key, claim in claims.items()), threshold=threshold, links=links, not_same=apart,
        previous=store.previous_clustering(stored), workers=workers,
    )
    changed = store.save_clustering(clustering, stored, on_progress=lambda done, total: report("saving", done, total))
    clusters = [
        ClaimCluster(id=cluster, members=[claims[key] for key in keys])
        for cluster, keys in clustering.members().items()
    ]
    if sentences is not None:
        sentences.refresh(on_progress=lambda done: report("indexing", done, None))
        dismissed: dict[str, set] = defaultdict(set)
        for decision in decisions:
            if decision.sentence is not None:
                dismissed[decision.span_id].add(decision.sentence)
        for done, cluster in enumerate(clusters, 1):
            _find_untagged(cluster, clustering.leaders[cluster.id], claims, sentences, dismissed)
            if done % 100 == 0:
                report("untagged", done, len(clusters))
    conflicts = [
        ClaimConflictReport(a=claims[c.a], b=claims[c.b], kind=c.kind, score=c.score, figures=c.figures)
        for c in clustering.conflicts
    ]
    overruled = [(claims[a], claims[b]) for a, b in clustering.unmet]
    return DedupReport(clusters=_sorted_clusters(clusters), conflicts=conflicts, changed=changed, overruled=overruled)


def _find_untagged(
    cluster: ClaimCluster, leader: str, claims: dict[str, Claim], sentences: SentenceIndex, dismissed: dict[str, set]
) -> None:
    skip = set().union(*(dismissed.get(member.span_id, ()) for member in cluster.members))
    for match in sentences.search(claims[leader].text, UNTAGGED_PER_CLUSTER, skip=skip):
        if match.verdict.same:
            cluster.untagged.append(
                Untagged(match.article_id, match.start, match.end, match.text, round(match.verdict.score, 1))
            )
