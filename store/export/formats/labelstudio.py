"""Label Studio: a JSON list of tasks, each with its spans as annotations.

Import it into a project whose labeling config is :func:`labeling_config`
(the command prints it): a ``Labels`` control named ``label`` on a ``Text``
object named ``text``. Each annotator's spans are one annotation of the task
(Label Studio keeps one annotation per person); the gold layer's is marked
``ground_truth``. A span's attributes and annotator travel in the region's
``meta.text`` lines (``speaker: Anna Reidel-Kova``), which Label Studio shows
as the region's notes. The list is written as a stream, one task at a time.
"""

from __future__ import annotations

import json
from itertools import groupby
from xml.sax.saxutils import quoteattr

from store.export.formats.base import FormatWriter
from store.export.query import GOLD, ExportArticle

FROM_NAME, TO_NAME = "label", "text"


def labeling_config(labels: tuple[str, ...]) -> str:
    """The Label Studio labeling config for these labels."""
    choices = "".join(f"<Label value={quoteattr(label)}/>" for label in labels)
    return f'<View><Labels name="{FROM_NAME}" toName="{TO_NAME}">{choices}</Labels><Text name="{TO_NAME}" value="$text"/></View>'


class LabelStudioWriter(FormatWriter):
    """A Label Studio task list."""

    name = "labelstudio"
    suffix = ".json"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stream.write(b"[")
        self._first = True

    def write(self, article: ExportArticle) -> None:
        """One task for the article."""
        text = article.text
        annotations = []
        by_annotator = sorted(article.spans, key=lambda span: span.annotator)
        for annotator, spans in groupby(by_annotator, key=lambda span: span.annotator):
            result = []
            for span in spans:
                notes = [f"annotator: {annotator}"] + [f"{k}: {v}" for k, v in span.attrs.items() if v is not None]
                result.append({
                    "id": span.id, "from_name": FROM_NAME, "to_name": TO_NAME, "type": "labels",
                    "value": {"start": span.start, "end": span.end, "text": text[span.start : span.end],
                              "labels": [span.label]},
                    "meta": {"text": notes},
                })
            annotations.append({"result": result, "ground_truth": annotator == GOLD})
        task = {"data": {"text": text, **{f"meta_{k}": v for k, v in article.meta().items()}},
                "annotations": annotations}
        self.stream.write((b"\n" if self._first else b",\n") + json.dumps(task, ensure_ascii=False).encode("utf-8"))
        self._first = False

    def finish(self) -> None:
        """Close the list."""
        self.stream.write(b"\n]\n")
