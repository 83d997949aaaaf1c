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
from pathlib import Path

from store.engine import Database

from corpus.claim_clusters import ClaimConflict, Clustering, cluster_claims
from corpus.claim_match import DEFAULT_THRESHOLD, Conflict
from store.claim_sentences import SentenceIndex
from store.claims import CLAIM_LABEL, Claim, ClaimStore
from store.index_cache import MATCHING_CODE, code_version, index_cache_path, load_index_cache, save_index_cache
from store.settings import read_int_setting, read_setting, write_setting

# What the leaders cache holds; another format is rebuilt.
_LEADERS_FORMAT = 1

# The latest claim decision the last run took into account.
_DECISIONS_SEEN = "dedup.decisions_seen"
# The semantic model the last run scored with ("" for none): another one
# (or none) reclusters every claim.
_SCORER = "dedup.semantic_model"

# Untagged sentences listed per cluster.
UNTAGGED_PER_CLUSTER = 10

# (phase, done, total or None): "reading", "embedding", "clustering", "saving", "indexing", "untagged".
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
    db: Database,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    sentences: SentenceIndex | None = None,
    progress: ProgressHook | None = None,
    workers: int = 1,
    full: bool = False,
    cache: Path | None = None,
    embedder=None,
) -> DedupReport:
    """Cluster the claims of the database and store the cluster ids; see the module docstring.

    After the first run only the clusters that changes touched are clustered
    again (:func:`recluster`); ``full`` clusters every claim, with the same
    result. ``sentences`` (refreshed here) gives each cluster its untagged
    sentences; without it they are left empty. ``workers`` is rapidfuzz's
    thread count. ``cache`` is a file (:func:`leaders_cache_path`) that keeps
    the leaders prepared for matching between runs; None keeps nothing.
    ``embedder`` (:func:`store.embeddings.open_embedder`) turns the semantic
    scorer on.
    """
    report = progress or (lambda phase, done, total: None)
    changed = recluster(db, threshold=threshold, progress=report, workers=workers, full=full, cache=cache,
                        embedder=embedder)
    return stored_report(db, sentences=sentences, progress=report, changed=changed)


def recluster(
    db: Database,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    progress: ProgressHook | None = None,
    workers: int = 1,
    full: bool = False,
    cache: Path | None = None,
    embedder=None,
) -> int:
    """Bring the stored clusters up to date with the claims; returns how many
    claims got a new cluster id.

    What the last run clustered is kept (``claim_clustered``): a run takes
    the claims added or moved since (open), the claims removed, and the pairs
    decided on since; loads the members of the clusters these touch (and of
    the clusters of the open claims' decided partners), plus every other
    cluster's leader; and clusters that with the last run as ``previous``.
    :func:`corpus.claim_clusters.cluster_claims` matches only open claims,
    against each other and the leaders, so this places every claim as a run
    over all of them does (``full``). Nothing changed: nothing is read.
    ``cache`` keeps the leaders prepared for matching between runs (most of
    what a run with few new claims would otherwise spend).
    """
    store = ClaimStore(db)
    report = progress or (lambda phase, done, total: None)
    decisions = store.decisions()
    links = [(d.span_id, d.other_span) for d in decisions if d.decision == "same"]
    apart = [(d.span_id, d.other_span) for d in decisions if d.decision == "not_same" and d.other_span]
    recent, latest_decision = store.decisions_since(read_int_setting(db, _DECISIONS_SEEN, 0))
    first = not store.has_clustered() and not store.leaders()
    scorer = "" if embedder is None else embedder.model
    if not first and (read_setting(db, _SCORER) or "") != scorer:
        first = True  # the semantic scorer came or went: clustered anew, as by a first run
    open_claims = store.open_claims()
    removed = store.removed_claims()
    if first or full:
        claims = _read_all(store, report)
        clustered = {} if first else dict(db.execute("SELECT span_id, cluster FROM claim_clustered"))
    else:
        if not open_claims and not removed and not recent:
            write_setting(db, _DECISIONS_SEEN, str(latest_decision))
            return 0
        partners = {d.other(key) for d in decisions for key in (d.span_id, d.other_span) if key in open_claims}
        partners.discard(None)
        decided = {key for pair in recent for key in pair}
        touched = {c for c in open_claims.values() if c is not None} | set(removed.values())
        touched |= set(store.clusters_of(partners | decided).values())
        members = store.clustered_in(touched)
        leaders = store.leaders()
        clustered = {**store.clusters_of(leaders.values()), **members}
        report("reading", 0, None)
        claims = dict(sorted(store.get([*members, *open_claims, *leaders.values()]).items(),
                             key=lambda item: item[1].seq))
    previous = None if first else Clustering(
        clusters={key: clustered[key] for key in claims if key in clustered and key not in open_claims},
        leaders=store.leaders(),
    )
    embeddings = None
    if embedder is not None:
        texts = [claim.text for claim in claims.values()]
        report("embedding", 0, len(texts))
        embeddings = embedder.vectors(texts, on_progress=lambda done: report("embedding", done, len(texts)))
    report("clustering", 0, len(claims))
    prepared = _load_prepared(db, cache, claims)
    clustering = cluster_claims(
        ((key, claim.text) for key, claim in claims.items()), threshold=threshold, links=links, not_same=apart,
        previous=previous, workers=workers, prepared=prepared, embeddings=embeddings,
    )
    stored = {key: claim.cluster for key, claim in claims.items()}
    edges = {key: (claim.start, claim.end) for key, claim in claims.items()
             if first or full or key in open_claims or clustered.get(key) != clustering.clusters[key]}
    changed = store.save_clustering(clustering, stored, edges=edges, reset=first or full,
                                    on_progress=lambda done, total: report("saving", done, total))
    store.forget_clustered(removed)
    store.save_conflicts(_merged_conflicts(store, clustering, open_claims, removed, first))
    store.save_cluster_sizes()
    write_setting(db, _DECISIONS_SEEN, str(latest_decision))
    write_setting(db, _SCORER, scorer)
    _save_prepared(db, cache, claims, prepared, clustering)
    return changed


def clusters_page(db: Database, *, cache: Path | None = None, offset: int = 0,
                  recluster_first: bool = False, progress: ProgressHook | None = None) -> StoredClusters:
    """What the Claims screen shows: a page of the stored clusters (the conflicts
    with the first page). Clusters first when asked to (``recluster_first``), or
    when no run ever stored any and the database holds claims; ``cache`` is the
    leaders' file (:func:`leaders_cache_path`)."""
    if not recluster_first and offset == 0:
        page = stored_clusters(db)
        never_clustered = not page.clustered and db.execute(
            f"SELECT 1 FROM spans WHERE label = '{CLAIM_LABEL}' AND status = 'accepted' LIMIT 1").fetchone()
        if not never_clustered:
            return page
    elif not recluster_first:
        return stored_clusters(db, offset=offset, conflicts=False)
    recluster(db, progress=progress, cache=cache)
    return stored_clusters(db)


def leaders_cache_path(db_path: Path | str) -> Path:
    """Where the prepared leaders of the database at ``db_path`` are kept: the user's cache folder."""
    return index_cache_path(db_path, "leaders")


def _cache_check(db: Database) -> dict:
    identity = db.execute("SELECT id, hash FROM articles ORDER BY rowid LIMIT 1").fetchone()
    return {"format": _LEADERS_FORMAT, "code": code_version(MATCHING_CODE), "identity": identity}


def _load_prepared(db: Database, cache: Path | None, claims: dict[str, Claim]) -> dict | None:
    """The claims of ``claims`` the cache holds prepared, with the same edges."""
    if cache is None:
        return None
    saved = load_index_cache(cache, _cache_check(db)) or {}
    held = saved.get("leaders", {})
    return {key: entry[2] for key, claim in claims.items()
            if (entry := held.get(key)) is not None and entry[0] == claim.start and entry[1] == claim.end}


def _save_prepared(db: Database, cache: Path | None, claims: dict[str, Claim], prepared: dict | None,
                   clustering: Clustering) -> None:
    """Keep every leader prepared: a run loads them all (and prepared them or took them from the cache)."""
    if cache is None or prepared is None:
        return
    leaders = {key: (claims[key].start, claims[key].end, prepared[key])
               for key in clustering.leaders.values() if key in prepared}
    save_index_cache(cache, {**_cache_check(db), "leaders": leaders})


def _read_all(store: ClaimStore, report: ProgressHook) -> dict[str, Claim]:
    claims: dict[str, Claim] = {}
    for claim in store.claims():
        claims[claim.span_id] = claim
        if len(claims) % 1000 == 0:
            report("reading", len(claims), None)
    return claims


def _merged_conflicts(
    store: ClaimStore, clustering: Clustering, open_claims: dict, removed: dict, first: bool
) -> list[ClaimConflict]:
    """The conflicts found now, and those found before between claims still as they
    were and still apart: the best-scoring pair per two clusters."""
    cluster_of = dict(store.db.execute("SELECT span_id, cluster FROM claim_clustered"))
    kept = [] if first else [
        c for c in store.stored_conflicts()
        if c.a not in open_claims and c.b not in open_claims and c.a not in removed and c.b not in removed
    ]
    best: dict[tuple[int, int], ClaimConflict] = {}
    for conflict in sorted([*clustering.conflicts, *kept], key=lambda c: -c.score):
        ca, cb = cluster_of.get(conflict.a), cluster_of.get(conflict.b)
        if ca is None or cb is None or ca == cb:
            continue
        best.setdefault((min(ca, cb), max(ca, cb)), conflict)
    return list(best.values())


# Clusters the Claims screen reads at a time, and conflicts of each kind it
# lists: a screenful or two, since laying out an option list costs more per
# option than reading it.
PAGE_SIZE = 20
CONFLICTS_SHOWN = 10


@dataclass(frozen=True, slots=True)
class StoredClusters:
    """What the Claims screen shows: a page of the stored clusters that repeat
    (most outlets first) and the stored conflicts, without clustering anything."""

    clustered: bool  # False until a run has stored anything
    claims: int  # claims the stored clusters hold
    repeated: int  # clusters of more than one claim
    alone: int  # claims in a cluster of their own
    page: list[ClaimCluster]
    conflicts: list[ClaimConflictReport]  # the best-scoring figure conflicts and contradictions (CONFLICTS_SHOWN of each)
    conflict_counts: dict[str, int]  # how many are stored of each kind
    cluster_of: dict[str, int]  # cluster id of each claim of the page and the conflicts


def stored_clusters(db: Database, *, offset: int = 0, limit: int | None = None,
                    conflicts: bool = True) -> StoredClusters:
    """Clusters ``offset`` to ``offset + limit`` (default :data:`PAGE_SIZE`) of those
    that repeat, most outlets first, as the last run stored them, and
    (``conflicts``) the stored conflicts."""
    store = ClaimStore(db)
    limit = PAGE_SIZE if limit is None else limit
    claims, repeated, alone = db.execute(
        "SELECT coalesce(sum(members), 0), coalesce(sum(CASE WHEN members > 1 THEN 1 ELSE 0 END), 0),"
        " coalesce(sum(CASE WHEN members = 1 THEN 1 ELSE 0 END), 0)"
        " FROM claim_cluster_sizes"
    ).fetchone()
    ids = [row[0] for row in db.execute(
        "SELECT cluster FROM claim_cluster_sizes WHERE members > 1"
        " ORDER BY outlets DESC, members DESC, cluster LIMIT ? OFFSET ?", [limit, offset]
    )]
    members = store.clustered_in(ids)
    found = [] if not conflicts else [
        *store.stored_conflicts(kinds=("figure",), limit=CONFLICTS_SHOWN),
        *store.stored_conflicts(kinds=("negation", "direction"), limit=CONFLICTS_SHOWN),
    ]
    wanted = [*members, *(key for c in found for key in (c.a, c.b))]
    loaded = store.get(wanted)
    grouped: dict[int, list[Claim]] = {cluster: [] for cluster in ids}
    for claim in sorted((loaded[key] for key in members if key in loaded), key=lambda c: c.seq):
        grouped[members[claim.span_id]].append(claim)
    cluster_of = store.clusters_of(wanted)
    return StoredClusters(
        clustered=store.has_clustered(), claims=claims, repeated=repeated, alone=alone,
        page=[ClaimCluster(id=cluster, members=grouped[cluster]) for cluster in ids],
        conflicts=[
            ClaimConflictReport(a=loaded[c.a], b=loaded[c.b], kind=c.kind, score=c.score, figures=c.figures)
            for c in found if c.a in loaded and c.b in loaded
        ],
        conflict_counts=store.conflict_counts() if conflicts else {},
        cluster_of=cluster_of,
    )


def stored_report(
    db: Database,
    *,
    sentences: SentenceIndex | None = None,
    progress: ProgressHook | None = None,
    changed: int = 0,
) -> DedupReport:
    """The clusters and conflicts as the last run stored them, without clustering."""
    store = ClaimStore(db)
    report = progress or (lambda phase, done, total: None)
    claims = _read_all(store, report)
    grouped: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims.values():
        if claim.cluster is not None:
            grouped[claim.cluster].append(claim)
    clusters = [ClaimCluster(id=cluster, members=members) for cluster, members in grouped.items()]
    decisions = store.decisions()
    if sentences is not None:
        leaders = store.leaders()
        sentences.refresh(on_progress=lambda done: report("indexing", done, None))
        dismissed: dict[str, set] = defaultdict(set)
        for decision in decisions:
            if decision.sentence is not None:
                dismissed[decision.span_id].add(decision.sentence)
        for done, cluster in enumerate(clusters, 1):
            leader = leaders.get(cluster.id)
            _find_untagged(cluster, leader if leader in claims else cluster.members[0].span_id, claims, sentences,
                           dismissed)
            if done % 100 == 0:
                report("untagged", done, len(clusters))
    conflicts = [
        ClaimConflictReport(a=claims[c.a], b=claims[c.b], kind=c.kind, score=c.score, figures=c.figures)
        for c in store.stored_conflicts() if c.a in claims and c.b in claims
    ]
    overruled = [
        (claims[d.span_id], claims[d.other_span]) for d in decisions
        if d.decision == "not_same" and d.other_span and d.span_id in claims and d.other_span in claims
        and claims[d.span_id].cluster is not None and claims[d.span_id].cluster == claims[d.other_span].cluster
    ]
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
