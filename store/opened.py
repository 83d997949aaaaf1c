"""An open claimdesk database: :class:`Store`.

The store is the one object the rest of the code holds: every part of the
database (articles, spans, labels, progress, suggestions, claims, review,
assignment, settings, events) is an attribute of it, and the jobs that span
several parts (ingest, dedup, export, the claim index, team statistics) are
its methods. The parts beyond the first four are made when first used, so
opening a store stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.articles import ArticleStore
from store.engine import database_target, open_database
from store.labels import LabelStore
from store.progress import ProgressStore
from store.schema import migrate
from store.spans import SpanStore

if TYPE_CHECKING:
    from store.engine.base import ChangeFeed
    from corpus.records import ArticleRecord, Rejection, SpanRecord
    from store.assignment import Assigner
    from store.claim_matches import ClaimMatcher
    from store.claim_sentences import SentenceIndex
    from store.claims import ClaimStore
    from store.dedup import DedupReport, ProgressHook, StoredClusters
    from store.events import EventLog
    from store.export import ExportFilter, ExportReport
    from store.ingest import IngestReport
    from store.review import ReviewStore
    from store.settings import Settings
    from store.stats import TeamStats
    from store.suggestions import SuggestionStore


class Store:
    """An open claimdesk database: articles, spans, labels and progress over one connection."""

    def __init__(self, path: Path | str, *, create: bool = True, allow_network_fs: bool | None = None) -> None:
        """``allow_network_fs`` overrides the refusal of a database on a network
        filesystem (default: the environment variable CLAIMDESK_ALLOW_NETWORK_FS)."""
        self.path = database_target(path)
        self.db = open_database(self.path, create=create, allow_network_fs=allow_network_fs)
        try:
            migrate(self.db, self.db.name)
        except BaseException:
            self.db.close()
            raise
        self.articles = ArticleStore(self.db)
        self.spans = SpanStore(self.db)
        self.labels = LabelStore(self.db)
        self.progress = ProgressStore(self.db)

    def changes(self) -> ChangeFeed:
        """A feed that wakes when anyone commits a change (see :class:`store.engine.base.ChangeFeed`);
        it holds a connection of its own: close it when done."""
        return self.db.changes()

    # The other parts, over the same connection, each made when first used --------

    @cached_property
    def suggestions(self) -> SuggestionStore:
        """The suggesters' pending spans and the decisions on them."""
        from store.suggestions import SuggestionStore

        return SuggestionStore(self.db)

    @cached_property
    def claims(self) -> ClaimStore:
        """Claims, the decisions linking them, their clusters and conflicts."""
        from store.claims import ClaimStore

        return ClaimStore(self.db)

    @cached_property
    def review(self) -> ReviewStore:
        """The review queue and the gold layer (the reviewer is an argument of each change)."""
        from store.review import ReviewStore

        return ReviewStore(self.db)

    @cached_property
    def assignment(self) -> Assigner:
        """Which article an annotator gets next, the soft locks, and the team's overlap and lock expiry."""
        from store.assignment import Assigner

        return Assigner(self.db)

    @cached_property
    def settings(self) -> Settings:
        """Team settings kept in the database, the guidelines among them."""
        from store.settings import Settings

        return Settings(self.db)

    @cached_property
    def events(self) -> EventLog:
        """The append-only log of every change."""
        from store.events import EventLog

        return EventLog(self.db)

    # Jobs over several parts --------------------------------------------------------

    def team_stats(self) -> TeamStats:
        """Progress and agreement of the whole team, as the database is now."""
        from store.stats import team_stats

        return team_stats(self.db)

    def ingest(self, items: Iterable[ArticleRecord | SpanRecord | Rejection], *,
               on_batch: Callable[[IngestReport], None] | None = None, suggest: bool = False) -> IngestReport:
        """Store the articles and spans of ``items`` (see :class:`store.ingest.Ingester`)."""
        from store.ingest import Ingester

        return Ingester(self.db, on_batch=on_batch, suggest=suggest).run(items)

    def sentence_index(self, *, threshold: float | None = None) -> SentenceIndex:
        """The index of the corpus's untagged sentences, kept between runs in the user's cache folder."""
        from store.claim_sentences import SentenceIndex, sentence_cache_path

        options = {} if threshold is None else {"threshold": threshold}
        return SentenceIndex(self.db, cache=sentence_cache_path(self.path), **options)

    def claim_matcher(self, *, embedder: Any = None) -> ClaimMatcher:
        """The claim index with the sentence index beside it, both kept between runs;
        ``embedder`` (:func:`store.embeddings.open_embedder`) turns the semantic scorer on."""
        from store.claim_matches import ClaimMatcher, claim_cache_path

        return ClaimMatcher(self.db, sentences=self.sentence_index(), cache=claim_cache_path(self.path),
                            embedder=embedder)

    def dedup(self, *, threshold: float | None = None, untagged: bool = True, progress: ProgressHook | None = None,
              embedder: Any = None) -> DedupReport:
        """Cluster the claims and store the cluster ids (see :func:`store.dedup.dedup`); ``untagged``
        gives each cluster the untagged sentences that match it."""
        from store.dedup import dedup, leaders_cache_path

        options = {} if threshold is None else {"threshold": threshold}
        sentences = self.sentence_index(threshold=threshold) if untagged else None
        return dedup(self.db, sentences=sentences, progress=progress, cache=leaders_cache_path(self.path),
                     embedder=embedder, **options)

    def clusters_page(self, *, offset: int = 0, recluster_first: bool = False,
                      progress: ProgressHook | None = None) -> StoredClusters:
        """What the Claims screen shows (see :func:`store.dedup.clusters_page`)."""
        from store.dedup import clusters_page, leaders_cache_path

        return clusters_page(self.db, cache=leaders_cache_path(self.path), offset=offset,
                             recluster_first=recluster_first, progress=progress)

    def export_empty(self, flt: ExportFilter) -> str | None:
        """Why an export with ``flt`` would select nothing, or None when it selects something."""
        from store.export.empty import explain_empty

        return explain_empty(self.db, flt)

    def export_count(self, flt: ExportFilter) -> int:
        """How many articles an export with ``flt`` writes."""
        from store.export.query import ExportQuery

        return ExportQuery(flt).count(self.db)

    def export(self, fmt: str, out: Path, flt: ExportFilter, **options: Any) -> ExportReport:
        """Write the selected articles as ``fmt`` to ``out`` (see :func:`store.export.export`)."""
        from store.export import export

        return export(self.db, fmt, out, flt, **options)

    def close(self) -> None:
        """Close the connection (every change is already committed)."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
