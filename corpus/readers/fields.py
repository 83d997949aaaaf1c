"""Turning one JSON or CSV record into an :class:`ArticleRecord`.

JSONL and CSV share the field names: ``text`` (required), ``id``, ``title``,
``outlet``, ``url``, ``published``; JSONL may also carry Prodigy/spaCy-style
``spans`` and ``_annotator_id``, and a ``meta`` object (as our own export
writes it) whose keys fill the same fields. Every other field is kept as
metadata.
"""

from __future__ import annotations

from typing import Any

from corpus.normalise import map_span, normalise_text
from corpus.records import ArticleRecord, ImportedSpan, Rejection

ARTICLE_FIELDS = ("id", "title", "outlet", "url", "published")
# Keys of an exported span that are derived, not attributes to keep.
_DERIVED_SPAN_KEYS = {"start", "end", "label", "token_start", "token_end", "text", "annotator"}


def _as_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return normalise_text(str(value)).strip()
    return None


def _spans(raw_text: str, text: str, value: Any) -> list[ImportedSpan] | str:
    """The imported spans on the stored text, or the reason they cannot be kept."""
    if not isinstance(value, list):
        return "field 'spans' must be a list of {start, end, label}"
    spans: list[ImportedSpan] = []
    for n, item in enumerate(value):
        if not isinstance(item, dict):
            return f"spans[{n}] is not an object"
        start, end, label = item.get("start"), item.get("end"), item.get("label")
        if not (isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool)):
            return f"spans[{n}] needs integer start and end"
        if not isinstance(label, str) or not label.strip():
            return f"spans[{n}] needs a label"
        mapped = map_span(raw_text, text, start, end)
        if mapped is None:
            if not 0 <= start < end <= len(raw_text):
                return f"spans[{n}] [{start}, {end}) does not fit a text of {len(raw_text)} characters"
            return f"spans[{n}] [{start}, {end}) cannot be mapped onto the normalised text"
        claimed = item.get("text")
        if isinstance(claimed, str) and normalise_text(claimed) != text[mapped[0] : mapped[1]]:
            return f"spans[{n}] says its text is {claimed[:40]!r} but [{start}, {end}) covers {raw_text[start:end][:40]!r}"
        attrs = {k: v for k, v in item.items() if k not in _DERIVED_SPAN_KEYS and v is not None}
        annotator = item.get("annotator") if isinstance(item.get("annotator"), str) else None
        spans.append(ImportedSpan(start=mapped[0], end=mapped[1], label=label.strip().lower(), annotator=annotator, attrs=attrs))
    return spans


def record_from_mapping(data: Any, source: str, default_outlet: str) -> ArticleRecord | Rejection:
    """Validate one JSON object or CSV row and normalise its text."""
    if not isinstance(data, dict):
        return Rejection(source=source, message="record is not a JSON object")
    raw_text = data.get("text")
    if raw_text is None:
        return Rejection(source=source, message="record has no 'text' field")
    if not isinstance(raw_text, str):
        return Rejection(source=source, message="field 'text' must be a string")
    text = normalise_text(raw_text)
    if not text.strip():
        return Rejection(source=source, message="field 'text' is empty")
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    fields = {name: _as_text(data.get(name, meta.get(name))) for name in ARTICLE_FIELDS}
    metadata = {
        k: v
        for k, v in data.items()
        if k not in ARTICLE_FIELDS and k not in {"text", "spans", "_annotator_id", "meta", "tokens"} and not k.startswith("_")
    }
    metadata.update({k: v for k, v in meta.items() if k not in ARTICLE_FIELDS})
    spans: list[ImportedSpan] = []
    if data.get("spans"):
        result = _spans(raw_text, text, data["spans"])
        if isinstance(result, str):
            return Rejection(source=source, message=result)
        spans = result
    annotator = _as_text(data.get("_annotator_id"))
    return ArticleRecord(
        source=source,
        id=fields["id"],
        title=fields["title"] or first_line(text),
        outlet=fields["outlet"] or default_outlet,
        url=fields["url"],
        published=fields["published"],
        text=text,
        metadata=metadata,
        spans=spans,
        annotator=annotator,
    )


def first_line(text: str) -> str:
    """The first non-blank line, stripped and cut at 200 characters: a title."""
    for line in text.split("\n", 20):
        if line.strip():
            return line.strip()[:200]
    return ""
