"""CSV with a header row: one article a row."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from corpus.readers.decode import bom_encoding
from corpus.readers.fields import record_from_mapping
from corpus.records import ArticleRecord, Rejection


def read_csv(path: Path, default_outlet: str, max_bytes: int) -> Iterator[ArticleRecord | Rejection]:
    """Every row of a ``.csv`` file; the header names the fields."""
    csv.field_size_limit(min(max_bytes, sys.maxsize))
    with path.open("rb") as raw:
        encoding, skip = bom_encoding(raw.read(4))
        raw.seek(skip)
        stream = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
        reader = csv.DictReader(stream)
        try:
            if reader.fieldnames is None:
                yield Rejection(source=str(path), message="empty file")
                return
            if "text" not in reader.fieldnames:
                yield Rejection(source=f"{path}:1", message="the header has no 'text' column")
                return
            for row in reader:
                source = f"{path}:{reader.line_num}"
                if None in row:
                    yield Rejection(source=source, message="row has more cells than the header")
                    continue
                yield record_from_mapping({k: v for k, v in row.items() if v != ""}, source, default_outlet)
        except UnicodeDecodeError as err:
            yield Rejection(source=f"{path}:{reader.line_num + 1}", message=f"not valid {encoding.upper()}: {err.reason}")
        except csv.Error as err:
            yield Rejection(source=f"{path}:{reader.line_num}", message=f"malformed CSV: {err}")
