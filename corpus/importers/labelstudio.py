"""Label Studio: a JSON list of tasks (its JSON export, or a task list with
``predictions``), one article a task.

The text is ``data.text`` (or the task's only text field). Each annotation
that was not cancelled gives its ``labels`` regions (``value.start``,
``value.end``, ``value.labels``) as spans of its annotator: the name our
export writes in the region's notes (``annotator: ana``) or in
``data.meta_annotators``, else ``completed_by``'s email, else
``labelstudio-<id>``. A task with no annotation brings its predictions as
spans of ``prediction`` (or the model version). A span's attributes come
from the region's ``meta.attrs`` (our export) or its notes' ``key: value``
lines. ``data.meta_id`` and the other ``meta_*`` fields our export writes are
the article's id, outlet, title, url and published date; other data fields
are metadata. Regions of another kind (choices, relations, text areas) are
not read: the task is rejected saying so, not imported without them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corpus.importers.spans import place
from corpus.readers.decode import DecodeError, decode_bytes
from corpus.readers.fields import record_from_mapping
from corpus.records import ArticleRecord, ImportedSpan, Rejection, source_name


def json_items(text: str) -> Iterator[tuple[int, Any]] | str:
    """The items of a JSON list with the line each starts on, or why the text is not one."""
    decoder = json.JSONDecoder()
    index = len(text) - len(text.lstrip())
    if not text[index : index + 1] == "[":
        return "not a JSON list of tasks (a Label Studio export starts with '[')"

    def items() -> Iterator[tuple[int, Any]]:
        position, line = index + 1, 1 + text.count("\n", 0, index + 1)
        while True:
            stripped = len(text) - len(text[position:].lstrip()) if position < len(text) else position
            line += text.count("\n", position, stripped)
            position = stripped
            if text[position : position + 1] == "]":
                return
            item, end = decoder.raw_decode(text, position)
            yield line, item
            line += text.count("\n", position, end)
            position = end
            rest = len(text) - len(text[position:].lstrip())
            line += text.count("\n", position, rest)
            position = rest
            if text[position : position + 1] == ",":
                position += 1
            elif text[position : position + 1] != "]":
                raise json.JSONDecodeError("expected ',' or ']'", text, position)

    return items()


def looks_like_tasks(head: str) -> bool:
    """True when the start of a JSON file is a Label Studio task list."""
    stripped = head.lstrip()
    return stripped.startswith("[") and '"data"' in stripped[:4096]


def _notes(region: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    meta = region.get("meta") if isinstance(region.get("meta"), dict) else {}
    attrs = dict(meta.get("attrs")) if isinstance(meta.get("attrs"), dict) else {}
    annotator = None
    lines = meta.get("text") or []
    for line in lines if isinstance(lines, list) else [lines]:
        key, sep, value = str(line).partition(": ")
        if key == "annotator" and sep:
            annotator = value
        elif sep and key not in attrs and "attrs" not in meta:
            attrs[key] = value
        elif not sep and "attrs" not in meta:
            attrs["note"] = str(line)
    return annotator, attrs


def _who(annotation: dict[str, Any], names: dict[str, str], kind: str) -> str:
    if kind == "predictions":
        return str(annotation.get("model_version") or "prediction")
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        return str(who.get("email") or who.get("id") or "labelstudio")
    if who is not None and str(who) in names:
        return names[str(who)]
    return f"labelstudio-{who}" if who is not None else "labelstudio"


def _text_field(data: dict[str, Any]) -> str | None:
    if isinstance(data.get("text"), str):
        return "text"
    texts = [k for k, v in data.items() if isinstance(v, str) and not k.startswith("meta_")]
    return texts[0] if len(texts) == 1 else None


def task_record(task: Any, source: str, default_outlet: str) -> ArticleRecord | Rejection:
    """One task as an article with its spans."""
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        return Rejection(source=source, message="not a Label Studio task (no 'data' object)")
    data = task["data"]
    field = _text_field(data)
    if field is None:
        return Rejection(source=source, message="the task's data has no 'text' field (claimdesk reads text tasks)")
    names = data.get("meta_annotators") if isinstance(data.get("meta_annotators"), dict) else {}
    fields = {"text": data[field]}
    fields.update((k.removeprefix("meta_"), v) for k, v in data.items() if k.startswith("meta_") and k != "meta_annotators")
    fields.update((k, v) for k, v in data.items() if k != field and not k.startswith("meta_"))
    if "id" not in fields and task.get("id") is not None:
        fields["labelstudio_id"] = task["id"]
    record = record_from_mapping(fields, source, default_outlet)
    if isinstance(record, Rejection):
        return record
    raw = data[field]
    kind = "annotations" if task.get("annotations") else "predictions"
    spans: list[ImportedSpan] = []
    for n, annotation in enumerate(task.get(kind) or []):
        if not isinstance(annotation, dict) or annotation.get("was_cancelled"):
            continue
        who = _who(annotation, names, kind)
        for r, region in enumerate(annotation.get("result") or []):
            where = f"{kind}[{n}].result[{r}]"
            if not isinstance(region, dict):
                return Rejection(source=source, message=f"{where} is not an object")
            value = region.get("value") if isinstance(region.get("value"), dict) else {}
            labels = value.get("labels") or value.get("hypertextlabels")
            if region.get("type") not in ("labels", "hypertextlabels", None) or not isinstance(labels, list):
                return Rejection(source=source, message=(
                    f"{where} is a {region.get('type')!r} region; claimdesk reads only 'labels' regions "
                    "(spans of text), so the task is not imported without it"))
            annotator, attrs = _notes(region)
            for label in labels:
                span = place(raw, record.text, value.get("start"), value.get("end"), label, claimed=value.get("text"),
                             annotator=annotator or who, attrs=attrs, utf16=True)
                if isinstance(span, str):
                    return Rejection(source=source, message=f"{where}: {span}")
                spans.append(span)
    record.spans = spans
    return record


def read_labelstudio(path: Path, default_outlet: str, max_bytes: int) -> Iterator[ArticleRecord | Rejection]:
    """Every task of a Label Studio JSON export."""
    try:
        text = decode_bytes(path.read_bytes())
    except DecodeError as err:
        yield Rejection(source=source_name(path), message=str(err))
        return
    items = json_items(text)
    if isinstance(items, str):
        yield Rejection(source=source_name(path), message=items)
        return
    try:
        for line, task in items:
            yield task_record(task, source_name(path, line), default_outlet)
    except json.JSONDecodeError as err:
        yield Rejection(source=source_name(path, err.lineno), message=f"not valid JSON: {err.msg} at column {err.colno}")
    except RecursionError:
        yield Rejection(source=source_name(path), message="not read: the JSON is nested too deeply")
