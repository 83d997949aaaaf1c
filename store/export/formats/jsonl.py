"""JSONL in the Prodigy and spaCy convention: one article a line.

Each line: ``text``; ``spans`` with ``start``, ``end`` (character offsets,
end-exclusive), ``label``, ``token_start`` and ``token_end`` (the first and
last — inclusive, as in Prodigy — of the tokens ``spacy.blank("en")`` makes
of the text), ``text`` (the covered text), ``annotator`` and every attribute
of the span (``cluster``, ``speaker``, ``value``, ``unit``, ...); ``meta``
(id, outlet, title, url, published, then the article's other metadata);
``_input_hash`` (the text), ``_task_hash`` (the text and its spans) and
``_annotator_id``.

Several annotators: one line per article holds the selected spans of every
annotator, each span naming its own; ``_annotator_id`` is that annotator
when the line has one (always so with ``--annotator NAME`` or ``--gold``),
else null. ``claimdesk ingest`` reads the file back, span annotators and
attributes included.
"""

from __future__ import annotations

import json
from typing import Any

from store.export.formats.base import ExportContext, FormatWriter, signed32, single_annotator, task_hash
from store.export.query import ExportArticle

_encode = json.JSONEncoder(ensure_ascii=False).encode
# Span keys an attribute may not overwrite.
SPAN_KEYS = frozenset({"start", "end", "label", "token_start", "token_end", "text", "annotator"})


def span_records(context: ExportContext, article: ExportArticle) -> list[dict[str, Any]]:
    """The article's spans as JSONL span objects (token indices included)."""
    text = article.text
    tokens = context.tokenizer.span_tokens(text, [(span.start, span.end) for span in article.spans])
    records = []
    misaligned = 0
    for span, found in zip(article.spans, tokens):
        if found is None:
            first = last = None
            misaligned += 1
        else:
            first, last, aligned = found
            misaligned += not aligned
        record = {"start": span.start, "end": span.end, "label": span.label, "token_start": first,
                  "token_end": last, "text": text[span.start : span.end], "annotator": span.annotator}
        attrs = span.attrs
        if attrs:
            if SPAN_KEYS.isdisjoint(attrs) and None not in attrs.values():
                record.update(attrs)
            else:
                record.update((k, v) for k, v in attrs.items() if k not in SPAN_KEYS and v is not None)
        records.append(record)
    context.stats.misaligned += misaligned
    return records


class JsonlWriter(FormatWriter):
    """Prodigy/spaCy JSONL."""

    name = "jsonl"
    suffix = ".jsonl"
    stdout = True

    def write(self, article: ExportArticle) -> None:
        """One line for the article."""
        line = {
            "text": article.text,
            "spans": span_records(self.context, article),
            "meta": article.meta(),
            "_input_hash": signed32(article.hash),
            "_task_hash": task_hash(article, article.spans),
            "_annotator_id": single_annotator(article.spans),
        }
        self.stream.write((_encode(line) + "\n").encode("utf-8"))
