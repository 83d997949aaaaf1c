"""JSON Lines: one article a line, read as a stream."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

from corpus.readers.decode import bom_encoding
from corpus.readers.fields import record_from_mapping
from corpus.records import ArticleRecord, Rejection


def _lines(path: Path) -> Iterator[tuple[int, str | Rejection]]:
    """Numbered lines, decoded one at a time so a bad line costs only itself."""
    with path.open("rb") as raw:
        encoding, skip = bom_encoding(raw.read(4))
        raw.seek(skip)
        if encoding != "utf-8":
            # UTF-16/32 cannot be split on b"\n"; decode as a stream instead.
            stream = io.TextIOWrapper(raw, encoding=encoding, newline=None)
            try:
                for number, line in enumerate(stream, 1):
                    yield number, line
            except UnicodeDecodeError as err:
                yield -1, Rejection(source=str(path), message=f"not valid {encoding.upper()}: {err.reason}")
            return
        for number, data in enumerate(raw, 1):
            try:
                yield number, data.decode("utf-8")
            except UnicodeDecodeError as err:
                yield number, Rejection(
                    source=f"{path}:{number}",
                    message=f"not valid UTF-8 (byte 0x{data[err.start]:02x} at column {err.start + 1})",
                )


def read_jsonl(path: Path, default_outlet: str, max_bytes: int) -> Iterator[ArticleRecord | Rejection]:
    """Every record of a ``.jsonl`` file; blank lines are skipped."""
    blank = True
    for number, line in _lines(path):
        if isinstance(line, str) and not line.strip():
            continue
        blank = False
        if isinstance(line, Rejection):
            yield line
            continue
        source = f"{path}:{number}"
        if len(line) > max_bytes:
            yield Rejection(source=source, message=f"record is over the size limit of {max_bytes:,} bytes (--max-size)")
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as err:
            yield Rejection(source=source, message=f"not valid JSON: {err.msg} at column {err.colno}")
            continue
        yield record_from_mapping(data, source, default_outlet)
    if blank:
        yield Rejection(source=str(path), message="empty file")
