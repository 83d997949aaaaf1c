"""Label Studio: a JSON list of tasks, each with its spans as annotations.

Import it into a project whose labeling config is :func:`labeling_config`
(the command prints it): a ``Labels`` control named ``label`` on a ``Text``
object named ``text``. Each annotator's spans are one annotation of the task
(Label Studio keeps one annotation per person); the gold layer's is marked
``ground_truth``. A span's attributes and annotator travel in the region's
``meta.text`` lines (``speaker: Anna Reidel-Kova``), which Label Studio shows
as the region's notes. The list is written as a stream, one task at a time.

Each task has an ``id`` (the article's row number in the database, so it is
unique and stable), each annotation an ``id`` (numbered through the
export), ``completed_by`` (a number per annotator, the same in every task:
Label Studio's user ids; the name is in each region's notes and in
``data.meta_annotators``), ``created_at`` and ``updated_at``, as Label
Studio's own JSON export has them: label-studio-sdk's ``Converter`` reads it.
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
        # Shared by the writers of every part of a split, so ids never repeat.
        self._ids = self.context.shared.setdefault("labelstudio", {"annotation": 0, "users": {}})

    def _user(self, annotator: str) -> int:
        users = self._ids["users"]
        return users.setdefault(annotator, len(users) + 1)

    def write(self, article: ExportArticle) -> None:
        """One task for the article."""
        text = article.text
        annotations = []
        by_annotator = sorted(article.spans, key=lambda span: span.annotator)
        for annotator, group in groupby(by_annotator, key=lambda span: span.annotator):
            spans = list(group)
            result = []
            for span in spans:
                notes = [f"annotator: {annotator}"] + [f"{k}: {v}" for k, v in span.attrs.items() if v is not None]
                result.append({
                    "id": span.id, "from_name": FROM_NAME, "to_name": TO_NAME, "type": "labels",
                    "value": {"start": span.start, "end": span.end, "text": text[span.start : span.end],
                              "labels": [span.label]},
                    # ``attrs`` keeps the typed values for `claimdesk ingest`; ``text`` is what Label Studio shows.
                    "meta": {"text": notes, "attrs": {k: v for k, v in span.attrs.items() if v is not None}},
                })
            self._ids["annotation"] += 1
            annotations.append({
                "id": self._ids["annotation"], "completed_by": self._user(annotator), "result": result,
                "ground_truth": annotator == GOLD, "was_cancelled": False,
                "created_at": min(span.created_at for span in spans),
                "updated_at": max(span.updated_at for span in spans),
            })
        data = {"text": text, **{f"meta_{k}": v for k, v in article.meta().items()}}
        data["meta_annotators"] = {str(self._user(name)): name for name in dict.fromkeys(s.annotator for s in by_annotator)}
        task = {"id": article.seq, "data": data, "annotations": annotations}
        self.stream.write((b"\n" if self._first else b",\n") + json.dumps(task, ensure_ascii=False).encode("utf-8"))
        self._first = False

    def finish(self) -> None:
        """Close the list."""
        self.stream.write(b"\n]\n")
