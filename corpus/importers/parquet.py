"""claimdesk's own Parquet export (see :mod:`store.export.formats.parquet`):
one article a row, its spans a list of structs. Read a row group at a time.

Labels are ClassLabel numbers: their names come from the file's
``huggingface`` schema metadata. Needs pyarrow (``claimdesk[parquet]``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from corpus.importers.spans import place
from corpus.readers.fields import record_from_mapping
from corpus.records import ArticleRecord, ImportedSpan, Rejection, source_name

_SPAN_FIELDS = {"start", "end", "label", "text", "annotator", "token_start", "token_end", "created_at", "updated_at",
                "other_attrs"}


def _iso(value: Any) -> Any:
    return value.isoformat().replace("+00:00", "Z") if isinstance(value, datetime) else value


def read_parquet(path: Path, default_outlet: str, max_bytes: int) -> Iterator[ArticleRecord | Rejection]:
    """Every row of the file."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield Rejection(source=source_name(path), message="reading Parquet needs pyarrow: pip install 'claimdesk[parquet]'")
        return
    try:
        handle = pq.ParquetFile(path)
    except Exception as err:  # noqa: BLE001 - pyarrow raises ArrowInvalid and OSError alike
        yield Rejection(source=source_name(path), message=f"not a Parquet file ({str(err)[:80]})")
        return
    names = handle.schema_arrow.names
    if "text" not in names:
        yield Rejection(source=source_name(path), message="the file has no 'text' column")
        return
    labels: list[str] = []
    raw_meta = (handle.schema_arrow.metadata or {}).get(b"huggingface")
    if raw_meta:
        try:
            labels = json.loads(raw_meta)["info"]["features"]["spans"]["feature"]["label"]["names"]
        except (KeyError, TypeError, ValueError):
            labels = []
    number = 0
    for batch in handle.iter_batches(batch_size=500):
        for row in batch.to_pylist():
            number += 1
            yield _record(row, labels, source_name(path, number), default_outlet)


def _record(row: dict[str, Any], labels: list[str], source: str, default_outlet: str) -> ArticleRecord | Rejection:
    fields = {k: _iso(v) for k, v in row.items() if k not in ("spans", "metadata", "sha256", "ingested_at")}
    if isinstance(row.get("metadata"), str):
        try:
            fields["meta"] = json.loads(row["metadata"])
        except ValueError:
            return Rejection(source=source, message="the 'metadata' cell is not JSON")
    record = record_from_mapping(fields, source, default_outlet)
    if isinstance(record, Rejection):
        return record
    spans: list[ImportedSpan] = []
    for n, item in enumerate(row.get("spans") or []):
        label = item.get("label")
        if isinstance(label, int) and not isinstance(label, bool):
            if not 0 <= label < len(labels):
                return Rejection(source=source, message=f"spans[{n}]: label number {label} has no name in the schema")
            label = labels[label]
        attrs = {k: v for k, v in item.items() if k not in _SPAN_FIELDS and v is not None}
        if item.get("other_attrs"):
            try:
                attrs.update(json.loads(item["other_attrs"]))
            except ValueError:
                return Rejection(source=source, message=f"spans[{n}]: other_attrs is not JSON")
        placed = place(row["text"], record.text, item.get("start"), item.get("end"), label, claimed=item.get("text"),
                       annotator=item.get("annotator"), attrs=attrs)
        if isinstance(placed, str):
            return Rejection(source=source, message=f"spans[{n}]: {placed}")
        spans.append(placed)
    record.spans = spans
    return record
