"""claimdesk's own CSV export: one row a span, naming its article.

The file holds no article text, so its rows are spans for articles already
in the database (ingest the articles first, e.g. from a jsonl or parquet
export): each row becomes a :class:`SpanRecord` that ingest checks against
the stored text (the row's ``text`` must be what ``[start, end)`` covers).
Cells our export neutralised for spreadsheets (a leading ``'`` before
``=``, ``+``, ``-``, ``@``) are read back without it. Known attribute
columns (speaker, value, ...) and ``other_attrs`` (JSON) are the span's
attributes.
"""

from __future__ import annotations

import json
from typing import Any

from corpus.importers.spans import label_name
from corpus.records import ImportedSpan, Rejection, SpanRecord

REQUIRED = ("article_id", "span_id", "start", "end", "label")
ATTR_COLUMNS = {"speaker": str, "cluster": str, "value": float, "unit": str, "low": float, "high": float,
                "approx": str, "note": str}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def is_span_export(header: list[str]) -> bool:
    """True for the header of claimdesk's CSV export."""
    return all(name in header for name in REQUIRED)


def unneutralise(cell: str) -> str:
    """A cell as it was before the export guarded it against spreadsheets."""
    return cell[1:] if cell.startswith("'") and cell[1:2] and cell[1] in _FORMULA else cell


def span_row(row: dict[str, str], source: str) -> SpanRecord | Rejection:
    """One row as a span of an article already stored."""
    row = {k: unneutralise(v) for k, v in row.items()}
    try:
        start, end = int(row["start"]), int(row["end"])
    except (KeyError, ValueError):
        return Rejection(source=source, message="start and end must be whole numbers")
    if not row.get("article_id") or not row.get("label"):
        return Rejection(source=source, message="the row names no article_id or label")
    attrs: dict[str, Any] = {}
    for name, kind in ATTR_COLUMNS.items():
        if row.get(name):
            try:
                attrs[name] = kind(row[name])
            except ValueError:
                attrs[name] = row[name]
    if row.get("other_attrs"):
        try:
            other = json.loads(row["other_attrs"])
        except ValueError:
            return Rejection(source=source, message="other_attrs is not JSON")
        if isinstance(other, dict):
            attrs.update(other)
    span = ImportedSpan(start=start, end=end, label=label_name(row["label"]), annotator=row.get("annotator") or None,
                        attrs=attrs)
    return SpanRecord(source=source, article_id=row["article_id"], spans=[span], texts=[row.get("text", "")],
                      sources=[source])
