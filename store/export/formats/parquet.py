"""Parquet for Hugging Face ``datasets``: one row an article with a list of span structs.

Columns: ``id``, ``outlet``, ``title``, ``url``, ``published`` and
``ingested_at`` (``timestamp[ms, tz=UTC]``; null when the published date is
not a date), ``text``, ``sha256``, ``metadata`` (JSON), ``spans``. Each span:
``start``, ``end``, ``label`` (a ClassLabel over the database's label set, in
its order), ``text``, ``annotator``, ``token_start``/``token_end`` (as in the
JSONL export), ``created_at``/``updated_at`` (timestamps), the known
attributes as typed fields, and ``other_attrs`` (JSON). The ``datasets``
feature types are in the file's schema metadata, so
``Dataset.from_parquet`` shows the labels by name. Rows are written in row
groups of ``ROW_GROUP`` articles: memory stays flat.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from store.export.formats.base import KNOWN_ATTRS, FormatWriter, missing_extra, split_attrs
from store.export.formats.jsonl import span_records
from store.export.query import ExportArticle

ROW_GROUP = 1000
TIMESTAMP = "timestamp[ms, tz=UTC]"


def _value(dtype: str) -> dict[str, str]:
    return {"dtype": dtype, "_type": "Value"}


def features(labels: tuple[str, ...]) -> dict[str, Any]:
    """The ``datasets`` Features of the file, as ``Features.to_dict()`` writes them."""
    span = {
        "start": _value("int32"), "end": _value("int32"), "label": {"names": list(labels), "_type": "ClassLabel"},
        "text": _value("string"), "annotator": _value("string"),
        "token_start": _value("int32"), "token_end": _value("int32"),
        "created_at": _value(TIMESTAMP), "updated_at": _value(TIMESTAMP),
        **{name: _value("float64" if kind is float else "string") for name, kind in KNOWN_ATTRS.items()},
        "other_attrs": _value("string"),
    }
    return {
        "id": _value("string"), "outlet": _value("string"), "title": _value("string"), "url": _value("string"),
        "published": _value(TIMESTAMP), "ingested_at": _value(TIMESTAMP), "text": _value("string"),
        "sha256": _value("string"), "metadata": _value("string"),
        "spans": {"feature": span, "_type": "List"},
    }


def timestamp(value: str | None) -> datetime | None:
    """An ISO 8601 time as an aware UTC datetime (a zone-less one taken as UTC); None if it is not one."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


class ParquetWriter(FormatWriter):
    """A Parquet file readable by pyarrow, pandas and Hugging Face datasets."""

    name = "parquet"
    suffix = ".parquet"

    def __init__(self, *args, **kwargs) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise missing_extra("--format parquet", "pyarrow", "parquet") from None
        super().__init__(*args, **kwargs)
        self._pa = pa
        ts = pa.timestamp("ms", tz="UTC")
        span = pa.struct([
            ("start", pa.int32()), ("end", pa.int32()), ("label", pa.int64()), ("text", pa.string()),
            ("annotator", pa.string()), ("token_start", pa.int32()), ("token_end", pa.int32()),
            ("created_at", ts), ("updated_at", ts),
            *((name, pa.float64() if kind is float else pa.string()) for name, kind in KNOWN_ATTRS.items()),
            ("other_attrs", pa.string()),
        ])
        self._schema = pa.schema(
            [("id", pa.string()), ("outlet", pa.string()), ("title", pa.string()), ("url", pa.string()),
             ("published", ts), ("ingested_at", ts), ("text", pa.string()), ("sha256", pa.string()),
             ("metadata", pa.string()), ("spans", pa.list_(span))],
            metadata={"huggingface": json.dumps({"info": {"features": features(self.context.labels)}})},
        )
        self._label_ids = {label: i for i, label in enumerate(self.context.labels)}
        self._writer = pq.ParquetWriter(self.stream, self._schema, compression="zstd")
        self._rows: list[dict[str, Any]] = []

    def write(self, article: ExportArticle) -> None:
        """Add the article's row; a full row group is written out."""
        spans = []
        for span, record in zip(article.spans, span_records(self.context, article)):
            known, other = split_attrs(span.attrs)
            spans.append({
                "start": span.start, "end": span.end, "label": self._label_ids[span.label], "text": record["text"],
                "annotator": span.annotator, "token_start": record["token_start"], "token_end": record["token_end"],
                "created_at": timestamp(span.created_at), "updated_at": timestamp(span.updated_at),
                **known, "other_attrs": json.dumps(other, ensure_ascii=False) if other else None,
            })
        self._rows.append({
            "id": article.id, "outlet": article.outlet, "title": article.title, "url": article.url,
            "published": timestamp(article.published), "ingested_at": timestamp(article.ingested_at),
            "text": article.text, "sha256": article.hash,
            "metadata": json.dumps(article.metadata, ensure_ascii=False), "spans": spans,
        })
        if len(self._rows) >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            self._writer.write_table(self._pa.Table.from_pylist(self._rows, schema=self._schema))
            self._rows = []

    def finish(self) -> None:
        """Write the last row group and the file footer."""
        self._flush()
        self._writer.close()
