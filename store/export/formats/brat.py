"""brat standoff: a folder with ``NAME.txt`` (the article text) and
``NAME.ann`` (its spans) per article, and ``annotation.conf``.

``NAME`` comes from the article id through :func:`store.export.files.safe_name`,
so no id can write outside the folder. Offsets are character offsets into
the ``.txt`` file, as brat counts them. A span that crosses a line break is
written as one fragment per line (brat's discontinuous-span syntax), its
text the fragments joined by a space. The annotator and the attributes of a
span are in an ``AnnotatorNotes`` line. Each annotator's span is a line of
its own, even where two annotators marked the same text.
"""

from __future__ import annotations

from store.export.files import OutputFolder, safe_name
from store.export.formats.base import FormatWriter
from store.export.query import ExportArticle


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of ``text[start:end]`` between line breaks, empty pieces left out."""
    pieces, piece_start = [], start
    for i in range(start, end + 1):
        if i == end or text[i] == "\n":
            if i > piece_start:
                pieces.append((piece_start, i))
            piece_start = i + 1
    return pieces


def _note(value: object) -> str:
    return " ".join(str(value).split())


class BratWriter(FormatWriter):
    """A brat standoff folder."""

    name = "brat"
    suffix = ""
    left_out = "left out: the article id, outlet, title and metadata (brat names a document by its file)"
    folder = True

    def write(self, article: ExportArticle) -> None:
        """The article's ``.txt`` and ``.ann`` files."""
        assert isinstance(self.output, OutputFolder)
        name = safe_name(article.id)
        with self.output.create(f"{name}.txt") as txt:
            txt.write(article.text.encode("utf-8"))
        lines = []
        number = 0
        for span in article.spans:
            pieces = fragments(article.text, span.start, span.end)
            if not pieces:
                continue
            number += 1
            where = ";".join(f"{s} {e}" for s, e in pieces)
            covered = " ".join(article.text[s:e] for s, e in pieces)
            lines.append(f"T{number}\t{span.label} {where}\t{covered}")
            notes = [f"annotator={span.annotator}"] + [f"{k}={_note(v)}" for k, v in span.attrs.items() if v is not None]
            lines.append(f"#{number}\tAnnotatorNotes T{number}\t{'; '.join(notes)}")
        with self.output.create(f"{name}.ann") as ann:
            ann.write("".join(line + "\n" for line in lines).encode("utf-8"))

    def finish(self) -> None:
        """The entity types for brat's server."""
        assert isinstance(self.output, OutputFolder)
        conf = "[entities]\n" + "".join(f"{label}\n" for label in self.context.labels)
        conf += "\n[relations]\n\n[events]\n\n[attributes]\n"
        with self.output.create("annotation.conf") as handle:
            handle.write(conf.encode("utf-8"))
