"""Turning one JSON or CSV record into an :class:`ArticleRecord`.

JSONL and CSV share the field names: ``text`` (required), ``id``, ``title``,
``outlet``, ``url``, ``published``; JSONL may also carry Prodigy/spaCy-style
``spans`` and ``_annotator_id``, and a ``meta`` object (as our own export
writes it) whose keys fill the same fields. Every other field is kept as
metadata.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from corpus.escape import escape_controls, has_controls
from corpus.normalise import map_span, normalise_text
from corpus.records import ArticleRecord, ImportedSpan, Rejection

ARTICLE_FIELDS = ("id", "title", "outlet", "url", "published")
# Keys of an exported span that are derived, not attributes to keep.
_DERIVED_SPAN_KEYS = {"start", "end", "label", "token_start", "token_end", "text", "annotator"}


_TYPE_NAMES = {bool: "true/false", list: "a list", dict: "an object"}
_DATE_ONLY = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


class FieldError(ValueError):
    """A field of a record that cannot be kept as it is; the message says why."""


def _as_text(value: Any, name: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        # One line: a newline in a title or an outlet would start a line of its own wherever it is printed.
        return one_line(normalise_text(str(value)))
    raise FieldError(f"field {name!r} must be a string, not {_TYPE_NAMES.get(type(value), type(value).__name__)}")


def one_line(text: str) -> str:
    """``text`` with every run of white space (newlines too) made one space, and stripped."""
    return " ".join(text.split())


def _checked_id(value: Any) -> str | None:
    """An id is kept exactly: one holding control characters would lose them
    when normalised and collide with the id without them."""
    text = value if isinstance(value, str) else None
    if text is not None and (has_controls(text) or "\u2028" in text or "\u2029" in text):
        raise FieldError(f"field 'id' holds control characters ({escape_controls(text)[:60]!r}); ids must be plain text")
    return _as_text(value, "id")


def is_date(text: str) -> bool:
    """True for an ISO 8601 date or time (``2026-03-04``, ``2026-03-04T09:15:00Z``, ``2026-03``,
    ``2026``) or an RFC 2822 one as RSS feeds write them (``Tue, 04 Mar 2026 09:15:00 GMT``)."""
    if _DATE_ONLY.fullmatch(text):
        return text.count("-") < 2 or _valid_iso(text)
    return _valid_iso(text) or _valid_rfc2822(text) or any(_valid_format(text, f) for f in _WRITTEN_DATES)


# Dates as an English page writes them: "4 March 2026", "March 4, 2026", "Mar 4, 2026".
_WRITTEN_DATES = ("%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y")


def _valid_format(text: str, fmt: str) -> bool:
    try:
        datetime.strptime(text, fmt)
    except ValueError:
        return False
    return True


def _valid_iso(text: str) -> bool:
    try:
        datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        return False
    return True


def _valid_rfc2822(text: str) -> bool:
    try:
        return parsedate_to_datetime(text) is not None
    except (TypeError, ValueError, IndexError):
        return False


def checked_published(value: str | None) -> str | None:
    """``value`` if it is a date (see :func:`is_date`); else a :class:`FieldError`."""
    if value is not None and not is_date(value):
        raise FieldError(
            f"field 'published' is not a date: {value[:40]!r} (write it as ISO 8601, e.g. 2026-03-04 or 2026-03-04T09:15:00Z)"
        )
    return value


def unexpected_error(source: str, err: BaseException) -> Rejection:
    """The one line for a record that failed in a way no check foresaw."""
    if isinstance(err, RecursionError):
        return Rejection(source=source, message="not read: the record is nested too deeply")
    detail = escape_controls(str(err))[:160]
    return Rejection(source=source, message=f"not read: {type(err).__name__}" + (f": {detail}" if detail else ""))


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
        annotator = item.get("annotator")
        annotator = one_line(normalise_text(annotator)) or None if isinstance(annotator, str) else None
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
    try:
        fields = {
            name: _checked_id(data.get(name, meta.get(name))) if name == "id" else _as_text(data.get(name, meta.get(name)), name)
            for name in ARTICLE_FIELDS
        }
        checked_published(fields["published"])
    except FieldError as err:
        return Rejection(source=source, message=str(err))
    metadata = {
        k: v
        for k, v in data.items()
        if k not in ARTICLE_FIELDS and k not in {"text", "spans", "_annotator_id", "meta", "tokens"} and not k.startswith("_")
    }
    metadata.update({k: v for k, v in meta.items() if k not in ARTICLE_FIELDS})
    try:  # the metadata is stored as JSON: it must be JSON (no NaN) and not too deep to write
        json.dumps(metadata, allow_nan=False)
    except ValueError:
        return Rejection(source=source, message="metadata holds NaN or Infinity, which JSON cannot store")
    except RecursionError:
        return Rejection(source=source, message="not read: the metadata is nested too deeply")
    spans: list[ImportedSpan] = []
    if data.get("spans"):
        result = _spans(raw_text, text, data["spans"])
        if isinstance(result, str):
            return Rejection(source=source, message=result)
        spans = result
    try:
        annotator = _as_text(data.get("_annotator_id"), "_annotator_id")
    except FieldError:
        annotator = None  # as before: an annotator that is not a name is the importer's
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
