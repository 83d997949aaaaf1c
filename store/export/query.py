"""Which articles and spans an export holds, read a page at a time.

An article is exported when it has at least one selected span, or when it
was marked done (then it is a document with no spans of that kind: a true
negative for training). Spans are selected by status (accepted only, by
default: pending suggestions and rejected ones are not annotations), label,
annotator, and the time of their last change. Articles come in ingest
order, ``PAGE_SIZE`` at a time with keyset paging, so memory stays flat
however large the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


from corpus.records import text_hash
from store.db import StoreError
from store.engine import Database

PAGE_SIZE = 500
GOLD = "gold"  # the annotator name of the reviewed layer


class ExportError(StoreError):
    """An export that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class ExportFilter:
    """What to export. Empty tuples mean "any"."""

    labels: tuple[str, ...] = ()
    annotators: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    done: bool = False
    gold: bool = False
    since: str | None = None
    statuses: tuple[str, ...] = ("accepted",)

    def span_annotators(self) -> tuple[str, ...]:
        """The annotators whose spans are exported (the gold layer is one)."""
        return (GOLD,) if self.gold else self.annotators


def parse_since(value: str) -> str:
    """``--since`` as the UTC timestamp text the database stores, for comparison.

    A date means its midnight UTC; a time without a zone is taken as UTC.
    """
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ExportError(f"--since {value!r} is not a date (use YYYY-MM-DD or an ISO 8601 time)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


@dataclass(slots=True)
class ExportSpan:
    """One exported span (a plain, slotted object: a million of them go by)."""

    id: str
    start: int
    end: int
    label: str
    annotator: str
    origin: str
    status: str
    attrs: dict[str, Any]
    created_at: str
    updated_at: str


@dataclass(slots=True)
class ExportArticle:
    """One exported article with its selected spans in text order."""

    seq: int  # its place in ingest order
    id: str
    outlet: str
    title: str
    url: str | None
    published: str | None
    ingested_at: str
    hash: str
    metadata: dict[str, Any]
    text: str
    spans: list[ExportSpan] = field(default_factory=list)
    part: int = 0  # which file of a split it goes to

    def meta(self) -> dict[str, Any]:
        """The article's identity as exported: id, outlet, title, url,
        published, then its other metadata."""
        meta = {"id": self.id, "outlet": self.outlet, "title": self.title, "url": self.url, "published": self.published}
        meta.update((k, v) for k, v in self.metadata.items() if k not in meta)
        return meta


def _marks(values: tuple[str, ...]) -> str:
    return ", ".join("?" * len(values))


class ExportQuery:
    """The SQL for one export's selection, built once from an :class:`ExportFilter`.

    Every user value goes in as a parameter.
    """

    def __init__(self, flt: ExportFilter) -> None:
        self.filter = flt
        span_where, self.span_params = ["s.status IN (" + _marks(flt.statuses) + ")"], list(flt.statuses)
        if flt.labels:
            span_where.append(f"s.label IN ({_marks(flt.labels)})")
            self.span_params += flt.labels
        if annotators := flt.span_annotators():
            span_where.append(f"s.annotator IN ({_marks(annotators)})")
            self.span_params += annotators
        self.span_where = " AND ".join(span_where)
        done_where, self.done_params = "p.status = 'done'", []
        if flt.annotators:
            done_where += f" AND p.annotator IN ({_marks(flt.annotators)})"
            self.done_params += flt.annotators
        since_span, since_done, since_params = "", "", []
        if flt.since:
            since_span, since_done, since_params = " AND s.updated_at >= ?", " AND p.updated_at >= ?", [flt.since]
        has_span = f"EXISTS (SELECT 1 FROM spans s WHERE s.article_id = a.id AND {self.span_where}{since_span})"
        is_done = f"EXISTS (SELECT 1 FROM progress p WHERE p.article_id = a.id AND {done_where}{{since}})"
        article_where = [f"({has_span} OR {is_done.format(since=since_done)})"]
        self.article_params: list[Any] = [*self.span_params, *since_params, *self.done_params, *since_params]
        if flt.done:
            article_where.append(is_done.format(since=""))
            self.article_params += self.done_params
        if flt.outlets:
            article_where.append(f"o.name IN ({_marks(flt.outlets)})")
            self.article_params += flt.outlets
        self.article_where = " AND ".join(article_where)

    def selection(self) -> tuple[str, list[Any]]:
        """``FROM ... WHERE ...`` over ``articles a JOIN outlets o`` for the selected articles."""
        return (
            f"FROM articles a JOIN outlets o ON o.id = a.outlet_id WHERE {self.article_where}",
            list(self.article_params),
        )

    def count(self, db: Database) -> int:
        """How many articles the export holds."""
        sql, params = self.selection()
        return db.execute(f"SELECT count(*) {sql}", params).fetchone()[0]

    def articles(self, db: Database, *, split_table: str | None = None) -> Iterator[ExportArticle]:
        """The selected articles with their spans, in ingest order, each one's
        text checked against its stored SHA-256 first.

        ``split_table`` names a temporary table (article_id, part) that says
        which file of a split each article goes to.
        """
        sql, params = self.selection()
        part = "0"
        if split_table:
            sql = sql.replace(" WHERE ", f" JOIN {split_table} x ON x.article_id = a.id WHERE ", 1)
            part = "x.part"
        # Each article's spans come as one JSON array built by the database,
        # parsed by one json.loads: far cheaper than a Python row per span.
        items = db.json_arrays(
            ["s.id", "s.start", 's."end"', "s.label", "s.annotator", "s.origin", "s.status", "s.attrs", "s.created_at",
             "s.updated_at"],
            json_items=["s.attrs"],
        )
        spans = f"(SELECT {items} FROM spans s WHERE s.article_id = a.id AND {self.span_where})"
        page_sql = (
            f"SELECT a.rowid, a.id, o.name, a.title, a.url, a.published, a.ingested_at, a.hash, a.metadata, a.text,"
            f" {part}, {spans} {sql} AND a.rowid > ? ORDER BY a.rowid LIMIT {PAGE_SIZE}"
        )
        after = 0
        loads = json.loads
        while True:
            rows = db.execute(page_sql, [*self.span_params, *params, after]).fetchall()
            if not rows:
                return
            after = rows[-1][0]
            for row in rows:
                items = loads(row[11])
                items.sort(key=_text_order)
                article = ExportArticle(
                    seq=row[0], id=row[1], outlet=row[2], title=row[3], url=row[4], published=row[5],
                    ingested_at=row[6], hash=row[7], metadata=loads(row[8]) if row[8] != "{}" else {}, text=row[9],
                    spans=[ExportSpan(*item) for item in items], part=row[10],
                )
                if text_hash(article.text) != article.hash:
                    raise ExportError(
                        f"article {article.id!r}: its stored text does not match its SHA-256 (the database was "
                        "changed outside claimdesk or is damaged); nothing was written under the final name"
                    )
                yield article


def _text_order(item: list[Any]) -> tuple:
    """Spans in text order: start, then the longer first, then by annotator and id."""
    return item[1], -item[2], item[4], item[0]
