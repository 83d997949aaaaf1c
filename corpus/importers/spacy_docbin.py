"""spaCy DocBin (``.spacy``): one article a Doc, its spans from every
``doc.spans`` group and ``doc.ents``.

An entity that is also a span of a group (same characters, same label) is
one span, not two. Our own export's ``doc.user_data`` brings the article's
id, outlet, title and other metadata (``meta``) and each span's annotator
and attributes (``span_attrs``, in the order of ``doc.spans["sc"]``).
Needs spaCy (``pip install 'claimdesk[spacy]'``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corpus.importers.spans import place
from corpus.readers.fields import record_from_mapping
from corpus.records import ArticleRecord, ImportedSpan, Rejection, source_name


def read_docbin(path: Path, default_outlet: str, max_bytes: int) -> Iterator[ArticleRecord | Rejection]:
    """Every Doc of a DocBin."""
    try:
        import spacy
        from spacy.tokens import DocBin
    except ImportError:
        yield Rejection(source=source_name(path), message="reading a spaCy DocBin needs spaCy: pip install 'claimdesk[spacy]'")
        return
    try:
        docs = DocBin().from_bytes(path.read_bytes()).get_docs(spacy.blank("xx").vocab)
        docs = list(docs)
    except Exception as err:  # noqa: BLE001 - spaCy raises many kinds for a damaged file
        yield Rejection(source=source_name(path), message=f"not a spaCy DocBin ({type(err).__name__}: {str(err)[:80]})")
        return
    for number, doc in enumerate(docs, 1):
        yield _record(doc, source_name(path, number), default_outlet)


def _record(doc: Any, source: str, default_outlet: str) -> ArticleRecord | Rejection:
    meta = doc.user_data.get("meta") if isinstance(doc.user_data.get("meta"), dict) else {}
    record = record_from_mapping({"text": doc.text, "meta": meta}, source, default_outlet)
    if isinstance(record, Rejection):
        return record
    extra = doc.user_data.get("span_attrs") if isinstance(doc.user_data.get("span_attrs"), (list, tuple)) else ()
    seen: set[tuple[int, int, str]] = set()
    spans: list[ImportedSpan] = []
    groups = [(key, list(group)) for key, group in doc.spans.items()] + [("ents", list(doc.ents))]
    for key, group in groups:
        for n, span in enumerate(group):
            attrs = dict(extra[n]) if key == "sc" and n < len(extra) and isinstance(extra[n], dict) else {}
            annotator = attrs.pop("annotator", None)
            identity = (span.start_char, span.end_char, span.label_)
            if key == "ents" and any(identity == s[:3] for s in seen):
                continue
            seen.add(identity)
            placed = place(doc.text, record.text, span.start_char, span.end_char, span.label_,
                           annotator=annotator if isinstance(annotator, str) else None, attrs=attrs)
            if isinstance(placed, str):
                return Rejection(source=source, message=f"doc.{'ents' if key == 'ents' else f'spans[{key!r}]'}[{n}]: {placed}")
            spans.append(placed)
    record.spans = spans
    return record
