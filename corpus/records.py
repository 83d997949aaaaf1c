"""What readers hand to the store: articles ready to keep, or reasons to reject."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from corpus.escape import escape_controls


class ImportedSpan(BaseModel):
    """An annotation that came with the article, in stored-text offsets."""

    start: int
    end: int
    label: str
    annotator: str | None = None
    attrs: dict[str, Any] = Field(default_factory=dict)


class ArticleRecord(BaseModel):
    """One article, its text already normalised (see :mod:`corpus.normalise`)."""

    source: str  # "file" or "file:line" (see source_name), for messages
    id: str | None = None
    title: str = ""
    outlet: str = ""
    url: str | None = None
    published: str | None = None
    text: str
    metadata: dict[str, Any] = Field(default_factory=dict)
    spans: list[ImportedSpan] = Field(default_factory=list)
    annotator: str | None = None
    notes: list[str] = Field(default_factory=list)  # said on ingest; the article still goes in

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the stored text, encoded as UTF-8."""
        return text_hash(self.text)


class Rejection(BaseModel):
    """A record or file that could not be read, with where and why."""

    source: str
    message: str

    def __str__(self) -> str:
        # One line whatever the parts hold (both are escaped already when made with source_name).
        return f"{escape_controls(self.source)}: {escape_controls(self.message)}"


def source_name(path: Path | str, line: int | None = None) -> str:
    """``file`` or ``file:line`` as messages and the database show it: the file
    name with its control characters escaped (a newline or an escape sequence
    in a file name can neither forge a line nor reach a terminal)."""
    name = escape_controls(str(path))
    return name if line is None else f"{name}:{line}"


def text_hash(text: str) -> str:
    """Hex SHA-256 of ``text`` as UTF-8: the identity of an article's content."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SpanRecord(BaseModel):
    """Annotations for an article already in the database (claimdesk's CSV
    export holds spans, not article text): offsets into its stored text,
    with the text each span says it covers, checked on ingest."""

    source: str
    article_id: str
    spans: list[ImportedSpan] = Field(default_factory=list)
    texts: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)  # "file:line" of each span, for messages
