"""Claims as the matcher sees them, the annotators' decisions on matches, and cluster ids.

A claim is an accepted span labelled ``claim``, whoever made it (gold
included). :meth:`ClaimStore.claims` streams them a page at a time, in the
order they were stored, so a million claims never sit in one snapshot.

Decisions: ``same`` (a confirmed link, which always holds), ``not_same``
(which always holds) and ``none`` (a decision taken back) between two
claims; between a claim and a sentence that carries no claim yet only
``not_same`` and ``none`` (to link a sentence, :meth:`ClaimStore.link_sentence`
tags it as a claim first). Each is a row of the append-only
``claim_decisions`` table and an event (``claim_same``, ``claim_not_same``,
``claim_none``) saying who and when; the latest decision on a pair holds.

Cluster ids are written into each claim's ``attrs["cluster"]`` by
:meth:`ClaimStore.save_clustering`, as ``cluster`` events (annotator
:data:`CLUSTERER`), so the events still replay to the spans table. They do
not raise the span's version: a cluster id is derived, and must not make an
annotator's edit of the same span fail as a conflict. ``claim_leaders``
keeps each cluster's leader, which the next run needs to keep the ids.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from store.engine import Database

from corpus.claim_clusters import ClaimConflict, Clustering
from store import events
from store.db import StoreError, read_pages, write
from store.models import Span
from store.spans import SPAN_COLUMNS, NewSpan, SpanStore

CLAIM_LABEL = "claim"
# The annotator recorded on the events that set cluster ids: the machine,
# not a person (the person is on the event as os_user).
CLUSTERER = "dedup"
# Cluster ids written per transaction: the write lock is held for one chunk.
_SAVE_CHUNK = 1000

Decision = Literal["same", "not_same", "none"]
DECISIONS: tuple[Decision, ...] = ("same", "not_same", "none")

_CLAIMS = (
    'SELECT s.rowid AS seq, s.id, s.article_id, s.start, s."end", s.text, o.name AS outlet, a.title,'
    " s.annotator, {cluster} AS cluster"
    " FROM spans s JOIN articles a ON a.id = s.article_id JOIN outlets o ON o.id = a.outlet_id"
    f" WHERE s.label = '{CLAIM_LABEL}' AND s.status = 'accepted'"
)


@dataclass(frozen=True, slots=True)
class Claim:
    """A tagged claim: ``text`` is the span's text, ``cluster`` its stored cluster id (or None)."""

    span_id: str
    article_id: str
    start: int
    end: int
    text: str
    outlet: str
    title: str
    annotator: str
    cluster: int | None = None
    seq: int = 0  # storage order

    @classmethod
    def from_row(cls, row: Mapping) -> Claim:
        """From a row of the claims query."""
        cluster = row["cluster"]
        # Interned: an article's claims share one copy of its id, title and outlet.
        return cls(
            span_id=row["id"], article_id=sys.intern(row["article_id"]), start=row["start"], end=row["end"],
            text=row["text"], outlet=sys.intern(row["outlet"]), title=sys.intern(row["title"]),
            annotator=sys.intern(row["annotator"]),
            # Only dedup writes cluster ids; anything else there is not one of ours.
            cluster=cluster if type(cluster) is int else None, seq=row["seq"],
        )


@dataclass(frozen=True, slots=True)
class ClaimDecision:
    """A decision in force on a claim and another claim (``other_span``) or an untagged
    ``sentence`` (``(article_id, start, end)``)."""

    span_id: str
    other_span: str | None
    sentence: tuple[str, int, int] | None
    decision: Decision
    annotator: str
    at: str

    def other(self, span_id: str) -> str | None:
        """The claim on the other side from ``span_id``, if the other side is a claim."""
        if self.other_span is None:
            return None
        return self.other_span if span_id == self.span_id else self.span_id


class ClaimStore:
    """Claims, decisions on matches and cluster ids; every write commits at once."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.spans = SpanStore(db)
        self._claims_sql = _CLAIMS.format(cluster=db.json_int("s.attrs", "cluster"))

    def claims(self, *, page_size: int = 2000) -> Iterator[Claim]:
        """Every claim, in the order the spans were stored, read a page at a time."""
        for row in read_pages(self.db, self._claims_sql, key="seq", page_size=page_size):
            yield Claim.from_row(row)

    def get(self, span_ids: Iterable[str]) -> dict[str, Claim]:
        """The claims among ``span_ids`` (others are left out), by span id."""
        wanted = list(dict.fromkeys(span_ids))
        found: dict[str, Claim] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            sql = f"{self._claims_sql} AND s.id IN ({', '.join('?' * len(chunk))})"
            found.update((row["id"], Claim.from_row(row)) for row in self.db.query(sql, chunk))
        return found

    def _claim_span(self, span_id: str) -> Span:
        span = self.spans.get(span_id)
        if span is None or span.label != CLAIM_LABEL:
            raise StoreError(f"span {span_id!r} is not a claim (it was deleted or relabelled)")
        return span

    def _recorded(self, event_id: str) -> ClaimDecision | None:
        rows = list(self.db.query(
            "SELECT d.*, e.annotator, e.at FROM claim_decisions d JOIN events e ON e.id = d.event_id"
            " WHERE d.event_id = ?", [event_id],
        ))
        return _decision_from(rows[0]) if rows else None

    def _record(self, span: Span, other: tuple, decision: Decision, annotator: str, event_id: str) -> ClaimDecision:
        self.db.execute(
            "INSERT INTO claim_decisions (event_id, span_id, other_span, other_article, other_start, other_end, decision)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [event_id, span.id, *other, decision],
        )
        events.record(self.db, annotator=annotator, action=f"claim_{decision}", article_id=span.article_id,
                      event_id=event_id)
        return self._recorded(event_id)

    def decide(
        self, span_id: str, other_span: str, decision: Decision, annotator: str, *, event_id: str | None = None
    ) -> ClaimDecision:
        """Record that two claims are the same (a confirmed link), not the same, or
        undecided again. A retry with the same ``event_id`` records nothing more."""
        if decision not in DECISIONS:
            raise StoreError(f"unknown decision {decision!r} (known: {', '.join(DECISIONS)})")
        if span_id == other_span:
            raise StoreError("a claim cannot be linked with itself")
        first, second = sorted((span_id, other_span))
        event_id = event_id or events.new_id()
        with write(self.db):
            if (done := self._recorded(event_id)) is not None:
                return done
            span = self._claim_span(first)
            self._claim_span(second)
            return self._record(span, (second, None, None, None), decision, annotator, event_id)

    def decide_sentence(
        self, span_id: str, article_id: str, start: int, end: int, decision: Decision, annotator: str,
        *, event_id: str | None = None,
    ) -> ClaimDecision:
        """Record that a sentence carrying no claim is not the same as the claim
        (``not_same``), or take that back (``none``)."""
        if decision == "same":
            raise StoreError("to link a sentence, tag it as a claim (ClaimStore.link_sentence)")
        if decision not in DECISIONS:
            raise StoreError(f"unknown decision {decision!r} (known: {', '.join(DECISIONS)})")
        event_id = event_id or events.new_id()
        with write(self.db):
            if (done := self._recorded(event_id)) is not None:
                return done
            span = self._claim_span(span_id)
            return self._record(span, (None, article_id, start, end), decision, annotator, event_id)

    def link_sentence(self, span_id: str, article_id: str, start: int, end: int, annotator: str) -> Span:
        """Tag the sentence ``[start, end)`` of an article as the annotator's claim and
        link it with the claim ``span_id``, in one transaction; returns the new span."""
        with write(self.db):
            self._claim_span(span_id)
            tagged = self.spans.add_many(
                [NewSpan(article_id=article_id, start=start, end=end, label=CLAIM_LABEL)], annotator
            )[0]
            self.decide(span_id, tagged.id, "same", annotator)
        return tagged

    def decisions(self, span_id: str | None = None) -> list[ClaimDecision]:
        """The decisions in force (``none`` left out), oldest first; only those
        naming ``span_id`` on either side when it is given."""
        where, params = "", []
        if span_id is not None:
            where, params = " WHERE span_id = ? OR other_span = ?", [span_id, span_id]
        rows = self.db.query(
            "SELECT d.*, e.annotator, e.at FROM ("
            "  SELECT *, row_number() OVER (PARTITION BY span_id, other_span, other_article, other_start, other_end"
            f"   ORDER BY seq DESC) AS latest FROM claim_decisions{where}"
            ") d JOIN events e ON e.id = d.event_id WHERE d.latest = 1 AND d.decision <> 'none' ORDER BY d.seq",
            params,
        )
        return [_decision_from(row) for row in rows]

    def leaders(self) -> dict[int, str]:
        """The stored leader of every cluster: cluster id to span id."""
        return dict(self.db.execute("SELECT cluster, span_id FROM claim_leaders"))

    def previous_clustering(self, stored: Mapping[str, int | None]) -> Clustering | None:
        """The clustering of the last run, to pass as ``previous`` to
        :func:`corpus.claim_clusters.cluster_claims`; ``stored`` maps span ids to the
        cluster ids read with the claims. None when no run has stored anything."""
        clusters = {span_id: cluster for span_id, cluster in stored.items() if cluster is not None}
        leaders = self.leaders()
        if not clusters and not leaders:
            return None
        return Clustering(clusters=clusters, leaders=leaders)

    def save_clustering(
        self,
        clustering: Clustering,
        stored: Mapping[str, int | None],
        *,
        edges: Mapping[str, tuple[int, int]] | None = None,
        reset: bool = False,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Write the cluster ids that changed since ``stored``, the leaders, and what
        this run clustered (``claim_clustered``: each claim's cluster and the
        ``edges`` it had, for the claims whose row changed); returns how many
        claims got a new id. ``reset`` forgets every earlier run's rows first.

        Written a chunk of claims per transaction, one ``executemany`` each for
        the spans, their events and the run's rows, so annotators are never held
        up for long. A claim that was deleted, relabelled or rejected meanwhile
        is left alone; its other attributes are kept as they are now.
        """
        edges = edges or {}
        changed = [(key, cluster) for key, cluster in clustering.clusters.items() if stored.get(key) != cluster]
        rows = [(key, clustering.clusters[key], *edges[key]) for key in
                dict.fromkeys([*(key for key, _ in changed), *edges]) if key in clustering.clusters and key in edges]
        batch = events.new_id()
        written = 0
        if reset:
            with write(self.db):
                self.db.execute("DELETE FROM claim_clustered")
        for start in range(0, max(len(changed), len(rows)), _SAVE_CHUNK):
            with write(self.db):
                written += self._set_clusters(changed[start:start + _SAVE_CHUNK], batch)
                self.db.executemany(
                    'INSERT INTO claim_clustered (span_id, cluster, start, "end") VALUES (?, ?, ?, ?) ON CONFLICT (span_id)'
                    ' DO UPDATE SET cluster = excluded.cluster, start = excluded.start, "end" = excluded."end"',
                    rows[start:start + _SAVE_CHUNK],
                )
            if on_progress:
                on_progress(min(start + _SAVE_CHUNK, len(changed)), len(changed))
        with write(self.db):
            now = self.leaders()
            gone = [(cluster,) for cluster in now if cluster not in clustering.leaders]
            moved = [(cluster, key) for cluster, key in clustering.leaders.items() if now.get(cluster) != key]
            self.db.executemany("DELETE FROM claim_leaders WHERE cluster = ?", gone)
            self.db.executemany("INSERT INTO claim_leaders (cluster, span_id) VALUES (?, ?)"
                                " ON CONFLICT (cluster) DO UPDATE SET span_id = excluded.span_id", moved)
        return written

    def forget_clustered(self, span_ids: Iterable[str]) -> None:
        """Drop claims that are no longer claims from what the last run clustered."""
        with write(self.db):
            self.db.executemany("DELETE FROM claim_clustered WHERE span_id = ?", [(k,) for k in span_ids])

    def _set_clusters(self, chunk: list[tuple[str, int]], batch: str) -> int:
        """Set the cluster ids of a chunk of claims: one read, one ``executemany`` for
        the spans and one for their ``cluster`` events."""
        if not chunk:
            return 0
        wanted = dict(chunk)
        cursor = self.db.execute(
            f"SELECT {SPAN_COLUMNS} FROM spans WHERE id IN ({', '.join('?' * len(wanted))})", list(wanted)
        )
        names = [d[0] for d in cursor.description]
        updates, changes = [], []
        stamp = events.now()
        for values in cursor.fetchall():
            row = dict(zip(names, values))
            attrs = json.loads(row["attrs"])
            cluster = wanted[row["id"]]
            if row["label"] != CLAIM_LABEL or row["status"] != "accepted" or attrs.get("cluster") == cluster:
                continue
            before = json.dumps(row, ensure_ascii=False)
            attrs["cluster"] = cluster
            row["attrs"] = json.dumps(attrs, ensure_ascii=False, sort_keys=True)
            updates.append((row["attrs"], row["id"]))
            changes.append(events.change_row(
                annotator=CLUSTERER, action="cluster", span_id=row["id"], article_id=row["article_id"],
                before=before, after=json.dumps(row, ensure_ascii=False), at=stamp, batch=batch,
            ))
        self.db.executemany("UPDATE spans SET attrs = ? WHERE id = ?", updates)
        events.record_many(self.db, changes)
        return len(updates)

    # What the last run clustered (see store/dedup.py).

    def open_claims(self) -> dict[str, int | None]:
        """Claims the last run did not cluster as they are now: new ones (None) and
        ones whose edges moved since (the cluster they were in)."""
        return dict(self.db.execute(
            "SELECT s.id, c.cluster FROM spans s LEFT JOIN claim_clustered c ON c.span_id = s.id"
            f" WHERE s.label = '{CLAIM_LABEL}' AND s.status = 'accepted'"
            ' AND (c.span_id IS NULL OR c.start <> s.start OR c."end" <> s."end")'
        ))

    def removed_claims(self) -> dict[str, int]:
        """Claims the last run clustered that are claims no more: span id to cluster."""
        return dict(self.db.execute(
            "SELECT c.span_id, c.cluster FROM claim_clustered c WHERE NOT EXISTS (SELECT 1 FROM spans s"
            f" WHERE s.id = c.span_id AND s.label = '{CLAIM_LABEL}' AND s.status = 'accepted')"
        ))

    def clustered_in(self, clusters: Iterable[int]) -> dict[str, int]:
        """The claims the last run put in ``clusters``: span id to cluster."""
        return self._clustered_where("cluster", clusters)

    def clusters_of(self, span_ids: Iterable[str]) -> dict[str, int]:
        """The cluster the last run put each of ``span_ids`` in (those it clustered)."""
        return self._clustered_where("span_id", span_ids)

    def _clustered_where(self, column: str, values: Iterable) -> dict[str, int]:
        """Span id to cluster of the clustered claims whose ``column`` is one of ``values``
        (asked 500 at a time, below SQLite's limit on parameters)."""
        wanted = list(dict.fromkeys(values))
        found: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            found.update(self.db.execute(
                f"SELECT span_id, cluster FROM claim_clustered WHERE {column} IN ({', '.join('?' * len(chunk))})", chunk
            ))
        return found

    def stored_conflicts(self, *, kinds: tuple[str, ...] | None = None, limit: int | None = None) -> list[ClaimConflict]:
        """The conflicting pairs the runs so far found (of ``kinds``, at most ``limit``), best-scoring first."""
        where = f" WHERE kind IN ({', '.join('?' * len(kinds))})" if kinds else ""
        limit = 2**62 if limit is None else limit
        return [
            ClaimConflict(a, b, kind, score, tuple(tuple(pair) for pair in json.loads(figures)))
            for a, b, kind, score, figures in self.db.execute(
                f"SELECT a, b, kind, score, figures FROM claim_conflicts{where} ORDER BY score DESC, a, b LIMIT ?",
                [*(kinds or ()), limit],
            )
        ]

    def conflict_counts(self) -> dict[str, int]:
        """How many stored conflicting pairs there are of each kind."""
        return dict(self.db.execute("SELECT kind, count(*) FROM claim_conflicts GROUP BY kind"))

    def save_conflicts(self, conflicts: Iterable[ClaimConflict]) -> None:
        """Replace the stored conflicting pairs."""
        with write(self.db):
            self.db.execute("DELETE FROM claim_conflicts")
            self.db.executemany(
                "INSERT INTO claim_conflicts (a, b, kind, score, figures) VALUES (?, ?, ?, ?, ?) ON CONFLICT (a, b)"
                " DO UPDATE SET kind = excluded.kind, score = excluded.score, figures = excluded.figures",
                [(c.a, c.b, c.kind, float(c.score), json.dumps(c.figures, ensure_ascii=False)) for c in conflicts],
            )

    def save_cluster_sizes(self) -> None:
        """Count again each stored cluster's outlets and members."""
        with write(self.db):
            self.db.execute("DELETE FROM claim_cluster_sizes")
            self.db.execute(
                "INSERT INTO claim_cluster_sizes (cluster, outlets, members)"
                " SELECT c.cluster, count(DISTINCT a.outlet_id), count(*) FROM claim_clustered c"
                " JOIN spans s ON s.id = c.span_id JOIN articles a ON a.id = s.article_id GROUP BY c.cluster"
            )

    def decisions_since(self, seq: int) -> tuple[list[tuple[str, str]], int]:
        """The claim pairs decided on after decision ``seq`` and the latest seq."""
        rows = self.db.execute(
            "SELECT seq, span_id, other_span FROM claim_decisions WHERE seq > ? AND other_span IS NOT NULL", [seq]
        ).fetchall()
        latest = self.db.execute("SELECT coalesce(max(seq), 0) FROM claim_decisions").fetchone()[0]
        return [(a, b) for _, a, b in rows], latest

    def has_clustered(self) -> bool:
        """True once a run has stored what it clustered."""
        return self.db.execute("SELECT 1 FROM claim_clustered LIMIT 1").fetchone() is not None


def _decision_from(row: Mapping) -> ClaimDecision:
    article = row["other_article"]
    return ClaimDecision(
        span_id=row["span_id"], other_span=row["other_span"],
        sentence=None if article is None else (article, row["other_start"], row["other_end"]),
        decision=row["decision"], annotator=row["annotator"], at=row["at"],
    )
