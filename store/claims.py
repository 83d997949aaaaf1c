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

import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from store.sqlite import sqlite_utils

from corpus.claim_clusters import Clustering
from store import events
from store.db import StoreError, read_pages, write
from store.models import Span
from store.spans import NewSpan, SpanStore

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
    " s.annotator, json_extract(s.attrs, '$.cluster') AS cluster"
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
            cluster=cluster if type(cluster) is int else None,
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

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.spans = SpanStore(db)

    def claims(self, *, page_size: int = 2000) -> Iterator[Claim]:
        """Every claim, in the order the spans were stored, read a page at a time."""
        for row in read_pages(self.db, _CLAIMS, key="seq", page_size=page_size):
            yield Claim.from_row(row)

    def get(self, span_ids: Iterable[str]) -> dict[str, Claim]:
        """The claims among ``span_ids`` (others are left out), by span id."""
        wanted = list(dict.fromkeys(span_ids))
        found: dict[str, Claim] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            sql = f"{_CLAIMS} AND s.id IN ({', '.join('?' * len(chunk))})"
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
        on_progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Write the cluster ids that changed since ``stored`` and the leaders; returns
        how many claims got a new id.

        Written a chunk of claims per transaction, so annotators are never
        held up for long. A claim that was deleted, relabelled or rejected
        meanwhile is left alone; its other attributes are kept as they are now.
        """
        changed = [(key, cluster) for key, cluster in clustering.clusters.items() if stored.get(key) != cluster]
        batch = events.new_id()
        written = 0
        for start in range(0, len(changed), _SAVE_CHUNK):
            with write(self.db):
                for span_id, cluster in changed[start:start + _SAVE_CHUNK]:
                    written += self._set_cluster(span_id, cluster, batch)
            if on_progress:
                on_progress(min(start + _SAVE_CHUNK, len(changed)), len(changed))
        with write(self.db):
            now = self.leaders()
            gone = [(cluster,) for cluster in now if cluster not in clustering.leaders]
            moved = [(cluster, key) for cluster, key in clustering.leaders.items() if now.get(cluster) != key]
            self.db.conn.executemany("DELETE FROM claim_leaders WHERE cluster = ?", gone)
            self.db.conn.executemany("INSERT OR REPLACE INTO claim_leaders (cluster, span_id) VALUES (?, ?)", moved)
        return written

    def _set_cluster(self, span_id: str, cluster: int, batch: str) -> int:
        span = self.spans.get(span_id)
        if span is None or span.label != CLAIM_LABEL or span.status != "accepted" or span.attrs.get("cluster") == cluster:
            return 0
        after = span.model_copy(update={"attrs": {**span.attrs, "cluster": cluster}})
        self.db.execute("UPDATE spans SET attrs = ? WHERE id = ?", [after.to_row()["attrs"], span_id])
        events.record(self.db, annotator=CLUSTERER, action="cluster", article_id=span.article_id,
                      before=span, after=after, batch=batch)
        return 1


def _decision_from(row: Mapping) -> ClaimDecision:
    article = row["other_article"]
    return ClaimDecision(
        span_id=row["span_id"], other_span=row["other_span"],
        sentence=None if article is None else (article, row["other_start"], row["other_end"]),
        decision=row["decision"], annotator=row["annotator"], at=row["at"],
    )
