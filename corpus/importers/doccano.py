"""doccano's sequence-labelling JSONL, read line by line with our own JSONL.

A doccano line is ``{"text": ..., "label": [[start, end, "LABEL"], ...]}``
(older exports and the relation project write ``entities``: a list of
``{"start_offset", "end_offset", "label"}`` objects or of triples). Other keys
are the example's metadata; ``article_id`` (as our doccano export writes
the id) is the article's id. :func:`adapt` turns such a line into the
Prodigy-style ``spans`` our JSONL reader takes, and refuses a line whose
annotation fields have a shape claimdesk does not read (a text
classification ``label``, relations), rather than keeping them as metadata
and saying nothing.
"""

from __future__ import annotations

from typing import Any

# Fields that carry annotations in the tools we know: present, they must be read or refused.
ANNOTATION_FIELDS = ("label", "labels", "entities", "relations", "annotations", "predictions", "ents", "ner_tags",
                     "cats")


def _triples(value: Any, name: str) -> list[dict[str, Any]] | str:
    spans = []
    for n, item in enumerate(value):
        if isinstance(item, (list, tuple)) and len(item) == 3:
            start, end, label = item
        elif isinstance(item, dict) and "start_offset" in item:
            start, end, label = item.get("start_offset"), item.get("end_offset"), item.get("label")
        elif isinstance(item, dict) and "start" in item:
            start, end, label = item.get("start"), item.get("end"), item.get("label")
        else:
            return (f"{name}[{n}] is {str(item)[:40]!r}: claimdesk reads span labels as [start, end, \"LABEL\"] "
                    "or {start_offset, end_offset, label}")
        spans.append({"start": start, "end": end, "label": label})
    return spans


def adapt(data: Any) -> dict[str, Any] | str:
    """The line with doccano's labels as ``spans`` (and ``article_id`` as
    ``id``), unchanged when it has none; or why its annotations cannot be read."""
    if not isinstance(data, dict):
        return data
    present = [name for name in ANNOTATION_FIELDS if data.get(name) not in (None, [], {})]
    if not present:
        return data
    if "spans" in data and data.get("spans"):
        others = [name for name in present if name not in ("label", "labels")]
        if others:
            return f"field {others[0]!r} holds annotations claimdesk does not read beside 'spans'; remove it or convert it"
        return data
    adapted = dict(data)
    spans: list[dict[str, Any]] = []
    for name in present:
        value = data[name]
        if name in ("label", "labels", "entities") and isinstance(value, list):
            found = _triples(value, name)
            if isinstance(found, str):
                return found
            spans += found
            del adapted[name]
        elif name in ("label", "labels"):
            return (f"field {name!r} is {str(value)[:40]!r}, a document label (text classification); claimdesk "
                    "reads span labels [[start, end, \"LABEL\"], ...]")
        else:
            return f"field {name!r} holds annotations claimdesk does not read here (use --format for its tool's file)"
    adapted["spans"] = spans
    if "id" not in adapted and "article_id" in adapted:
        adapted["id"] = adapted.pop("article_id")
    return adapted
