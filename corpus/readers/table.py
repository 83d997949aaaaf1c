"""CSV with a header row: one article a row.

The rows are parsed strictly, a row at a time, over lines this module
numbers itself: a quote that is never closed (or closed in the wrong place)
is an error naming the line where it opened, and reading resumes on the
line after it, so it cannot swallow the rows that follow into one article.
"""

from __future__ import annotations

import csv
import io
import sys
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from corpus.importers.span_csv import is_span_export, span_row
from corpus.readers.decode import bom_encoding
from corpus.readers.fields import record_from_mapping, unexpected_error
from corpus.records import ArticleRecord, Rejection, source_name


class _Lines:
    """The file's lines, numbered, with the ones read for the current row kept
    so that they can be read again after a broken row."""

    def __init__(self, stream: io.TextIOBase) -> None:
        self.stream = stream
        self.again: deque[str] = deque()
        self.row: list[str] = []  # the lines of the row being parsed
        self.first = 1  # the number of the row's first line
        self.next_number = 1

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.again.popleft() if self.again else next(self.stream)
        self.row.append(line)
        self.next_number += 1
        return line

    def start_row(self) -> None:
        self.row = []
        self.first = self.next_number

    def retry_after(self, number: int) -> None:
        """Read the broken row's lines after line ``number`` again."""
        self.again.extendleft(reversed(self.row[number - self.first + 1 :]))
        self.next_number = number + 1


def quote_opened_at(lines: list[str], first: int) -> int | None:
    """The number of the line where the row's last quoted field opened (the one
    left open, or that closed where a delimiter should follow); None when no
    quote opens."""
    opened, in_quote, field_start = None, False, True
    for number, line in enumerate(lines, first):
        i = 0
        while i < len(line):
            char = line[i]
            if in_quote:
                if char == '"':
                    if line.startswith('"', i + 1):
                        i += 2
                        continue
                    in_quote = False
            elif char == '"' and field_start:
                in_quote, opened = True, number
            field_start = not in_quote and char in ",\r\n"
            i += 1
    return opened


def read_csv(path: Path, default_outlet: str, max_bytes: int) -> Iterator[ArticleRecord | Rejection]:
    """Every row of a ``.csv`` file; the header names the fields."""
    csv.field_size_limit(min(max_bytes, sys.maxsize))
    with path.open("rb") as raw:
        encoding, skip = bom_encoding(raw.read(4))
        raw.seek(skip)
        lines = _Lines(io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline=""))
        header: list[str] | None = None
        reader = csv.reader(lines, strict=True)
        while True:
            lines.start_row()
            try:
                cells = next(reader)
            except StopIteration:
                break
            except UnicodeDecodeError as err:
                yield Rejection(source=source_name(path, lines.next_number), message=f"not valid {encoding.upper()}: {err.reason}")
                return
            except csv.Error as err:
                quoted = quote_opened_at(lines.row, lines.first)
                opened = lines.first if quoted is None else quoted
                if "field larger than field limit" in str(err):
                    message = f"a field is over the size limit of {max_bytes:,} bytes (--max-size)"
                elif "unexpected end of data" in str(err) or "EOF" in str(err):
                    message = "a quoted field opened on this line is never closed; close the quote (\"), or double it (\"\") inside a field"
                elif quoted is None:
                    message = f"malformed CSV: {err}"
                else:
                    message = (
                        f"malformed CSV ({err}): the quoted field opened on this line is not closed where it "
                        'should be; close the quote ("), or double it ("") inside a field'
                    )
                yield Rejection(source=source_name(path, opened), message=message)
                if header is None:
                    return
                lines.retry_after(opened)
                reader = csv.reader(lines, strict=True)
                continue
            if not cells:
                continue  # a blank line
            source = source_name(path, lines.first)
            if header is None:
                header = cells
                spans_only = is_span_export(header)  # claimdesk's own CSV export: spans, not articles
                if "text" not in header:
                    yield Rejection(source=source, message="the header has no 'text' column")
                    return
                continue
            if len(cells) > len(header):
                yield Rejection(source=source, message="row has more cells than the header")
                continue
            row = {name: value for name, value in zip(header, cells) if value != ""}
            try:
                yield span_row(row, source) if spans_only else record_from_mapping(row, source, default_outlet)
            except Exception as err:  # noqa: BLE001 - one bad row must not stop the file
                yield unexpected_error(source, err)
        if header is None:
            yield Rejection(source=source_name(path), message="empty file")
