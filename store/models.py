"""What the store hands out: pydantic models, never raw rows."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, Field

Origin = Literal["manual", "suggested", "imported"]
Status = Literal["accepted", "pending", "rejected"]


class Label(BaseModel):
    """A span label, with the key that applies it and its colour."""

    name: str
    key: str | None
    colour: str
    position: int


class ArticleSummary(BaseModel):
    """An article without its text: what lists show. ``seq`` is its place in
    ingest order, the key pages are read by."""

    seq: int
    id: str
    outlet: str
    title: str
    length: int
    url: str | None = None
    published: str | None = None


class Article(ArticleSummary):
    """An article with its stored text (offsets index into ``text``)."""

    text: str
    hash: str
    metadata: dict[str, Any] = Field(default_factory=dict)


class Span(BaseModel):
    """One annotation: ``text == article.text[start:end]`` when it was made."""

    id: str
    article_id: str
    start: int
    end: int
    label: str
    text: str
    annotator: str
    origin: Origin = "manual"
    status: Status = "accepted"
    attrs: dict[str, Any] = Field(default_factory=dict)
    created_at: str
    updated_at: str
    version: int = 1

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Span:
        """Build from a ``spans`` row (attrs stored as JSON)."""
        data = dict(row)
        if isinstance(data.get("attrs"), str):
            data["attrs"] = json.loads(data["attrs"])
        return cls(**data)

    def to_row(self) -> dict[str, Any]:
        """The ``spans`` row for this span."""
        row = self.model_dump()
        row["attrs"] = json.dumps(self.attrs, ensure_ascii=False, sort_keys=True)
        return row


class Event(BaseModel):
    """One recorded change: who, when, what, the span before and after."""

    seq: int
    id: str
    at: str
    annotator: str
    os_user: str
    article_id: str | None
    span_id: str | None
    action: str
    target: str | None = None
    batch: str | None = None
    before: Span | None = None
    after: Span | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Event:
        """Build from an ``events`` row (span snapshots stored as JSON)."""
        data = dict(row)
        for key in ("before", "after"):
            data[key] = Span.from_row(json.loads(data[key])) if data.get(key) else None
        return cls(**data)
