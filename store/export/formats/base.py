"""What every format writer shares: the context of one export and the
writer interface the export loop drives."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, BinaryIO, ClassVar

from store.export.files import OutputFile, OutputFolder
from store.export.query import ExportArticle, ExportError, ExportSpan
from store.export.tokens import Tokenizer

# Span attributes with a column of their own in tabular formats (CSV, Parquet),
# and the type each column holds; any other attribute goes to ``other_attrs``.
KNOWN_ATTRS: dict[str, type] = {
    "speaker": str, "cluster": str, "value": float, "unit": str,
    "low": float, "high": float, "approx": str, "note": str,
}


@dataclass
class ExportStats:
    """What the export wrote, for the summary line."""

    articles: int = 0
    spans: int = 0
    misaligned: int = 0  # spans whose edges are not spaCy token edges
    dropped: int = 0  # spans a format could not hold (CoNLL overlaps)
    not_entities: int = 0  # spacy: spans in doc.spans only, overlapping an entity of higher priority
    per_part: list[int] = field(default_factory=list)


@dataclass
class ExportContext:
    """Shared by the writers of one export (one per part of a split)."""

    labels: tuple[str, ...]  # every label of the database, in the label set's order
    columns: tuple[str, ...]  # the labels this export is about (all, or --label's)
    stats: ExportStats
    layers: bool = False
    raw_csv: bool = False  # csv: write cells as they are, formulas and all
    shared: dict[str, Any] = field(default_factory=dict)  # state a format keeps across the parts of a split
    tokenizer: Tokenizer = field(default_factory=Tokenizer)


def missing_extra(what: str, module: str, extra: str) -> ExportError:
    """The one-line error for an optional dependency that is not installed."""
    return ExportError(f"{what} needs {module}, which is not installed: pip install 'claimdesk[{extra}]'")


def split_attrs(attrs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Attributes typed for the known columns, and the rest (including known
    names whose value has another type, so nothing is lost)."""
    known: dict[str, Any] = {}
    other: dict[str, Any] = {}
    for name, value in attrs.items():
        kind = KNOWN_ATTRS.get(name)
        if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            known[name] = float(value)
        elif kind is str and isinstance(value, (str, int)) and not isinstance(value, bool):
            known[name] = str(value)
        elif value is not None:
            other[name] = value
    return known, other


def signed32(hex_digest: str) -> int:
    """A signed 32-bit integer from a hex digest, as Prodigy's hashes are."""
    return int.from_bytes(bytes.fromhex(hex_digest[:8]), "big", signed=True)


def task_hash(article: ExportArticle, spans: list[ExportSpan]) -> int:
    """Prodigy-style ``_task_hash``: the text and the annotations on it."""
    content = "\x00".join([article.hash, *(f"{s.start}\x01{s.end}\x01{s.label}\x01{s.annotator}" for s in spans)])
    return signed32(hashlib.sha256(content.encode()).hexdigest())


def single_annotator(spans: list[ExportSpan]) -> str | None:
    """The annotator of all the spans, or None when there are several (or none)."""
    names = {span.annotator for span in spans}
    return names.pop() if len(names) == 1 else None


class FormatWriter(ABC):
    """Writes the articles of one output (one file, or one folder for brat)."""

    name: ClassVar[str]
    suffix: ClassVar[str]  # the extension of the output file; "" for a folder
    folder: ClassVar[bool] = False
    stdout: ClassVar[bool] = False  # whether ``--out -`` is possible
    # What the format cannot carry, said at the end of every export in it ("" when it carries everything).
    left_out: ClassVar[str] = ""

    def __init__(self, output: OutputFile | OutputFolder, context: ExportContext) -> None:
        self.output = output
        self.context = context

    @property
    def stream(self) -> BinaryIO:
        """The output file's byte stream."""
        return self.output.stream

    @abstractmethod
    def write(self, article: ExportArticle) -> None:
        """Write one article with its spans."""

    def finish(self) -> None:
        """Write whatever closes the output (called once, before it is committed)."""
