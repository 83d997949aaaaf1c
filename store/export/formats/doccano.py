"""doccano's sequence-labelling JSONL: ``{"text": ..., "label": [[start, end, label], ...]}``.

doccano keeps every other key of a line as the example's metadata, so the
article's id, outlet, title, url and published date come along. doccano has
no annotator per label: spans that several annotators marked alike are
written once.
"""

from __future__ import annotations

import json

from store.export.formats.base import FormatWriter
from store.export.query import ExportArticle


class DoccanoWriter(FormatWriter):
    """doccano sequence-labelling JSONL."""

    name = "doccano"
    suffix = ".jsonl"
    left_out = ("left out: doccano has no annotator or attribute per label (spans several annotators marked "
                "alike are written once)")

    def write(self, article: ExportArticle) -> None:
        """One line for the article."""
        labels = list(dict.fromkeys((span.start, span.end, span.label) for span in article.spans))
        line = {"text": article.text, "label": [list(label) for label in labels]}
        line.update((f"article_{k}" if k == "id" else k, v) for k, v in article.meta().items() if k not in line)
        self.stream.write(json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n")
