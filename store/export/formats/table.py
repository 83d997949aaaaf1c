"""CSV: one row a span, with its article's metadata.

Known attributes (speaker, cluster, value, unit, low, high, approx, note)
have columns of their own; any other attribute is in ``other_attrs`` as
JSON. Articles with no selected span have no row.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@`` (or a
tab or carriage return) as a formula, and article text is untrusted: such
text cells get a leading ``'`` (OWASP's advice), which spreadsheets show as
text and ``claimdesk ingest`` takes off again. Numbers (``-3.5``) are left
alone. ``--raw-csv`` writes every cell as it is.
"""

from __future__ import annotations

import csv
import io
import json

from store.export.formats.base import KNOWN_ATTRS, FormatWriter, split_attrs
from store.export.query import ExportArticle

COLUMNS = (
    "article_id", "outlet", "title", "url", "published", "span_id", "start", "end", "label", "text",
    "annotator", "origin", "status", "created_at", "updated_at", *KNOWN_ATTRS, "other_attrs",
)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def neutralise(cell: object) -> object:
    """A text cell a spreadsheet would run as a formula, prefixed with ``'``;
    any other cell unchanged."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) and not _is_number(cell):
        return "'" + cell
    return cell


class CsvWriter(FormatWriter):
    """One CSV row a span."""

    name = "csv"
    suffix = ".csv"
    left_out = ("left out: the article text (a row is a span); `claimdesk ingest` adds these spans to articles "
                "already in the database, so ingest the articles first (jsonl or parquet)")
    stdout = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._text = io.TextIOWrapper(self.stream, encoding="utf-8", newline="", write_through=True)
        self._rows = csv.writer(self._text)
        self._rows.writerow(COLUMNS)

    def write(self, article: ExportArticle) -> None:
        """A row for each of the article's spans."""
        head = (article.id, article.outlet, article.title, article.url or "", article.published or "")
        for span in article.spans:
            known, other = split_attrs(span.attrs)
            self._write_row((
                *head, span.id, span.start, span.end, span.label, article.text[span.start : span.end],
                span.annotator, span.origin, span.status, span.created_at, span.updated_at,
                *(known.get(name, "") for name in KNOWN_ATTRS),
                json.dumps(other, ensure_ascii=False) if other else "",
            ))

    def _write_row(self, row: tuple) -> None:
        self._rows.writerow(row if self.context.raw_csv else [neutralise(cell) for cell in row])

    def finish(self) -> None:
        """Flush the text layer and leave the byte stream open for the commit."""
        self._text.flush()
        self._text.detach()
