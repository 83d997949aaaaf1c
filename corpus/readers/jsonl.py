"""JSON Lines: one article a line, read as a stream."""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corpus.importers.doccano import adapt as adapt_doccano
from corpus.readers.decode import bom_encoding
from corpus.readers.fields import record_from_mapping, unexpected_error
from corpus.records import ArticleRecord, Rejection, source_name


class _NotJSON(ValueError):
    """A value that Python's parser accepts but JSON does not."""


def _no_constant(name: str) -> Any:
    raise _NotJSON(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotJSON(f"{text[:20]} is too large for a JSON number")
    return value


def parse_json(line: str) -> Any:
    """One JSON value, strictly: no NaN or Infinity (they could not be written
    back as JSON), no number too large to be finite."""
    return json.loads(line, parse_constant=_no_constant, parse_float=_finite)


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
                yield -1, Rejection(source=source_name(path), message=f"not valid {encoding.upper()}: {err.reason}")
            return
        for number, data in enumerate(raw, 1):
            try:
                yield number, data.decode("utf-8")
            except UnicodeDecodeError as err:
                yield number, Rejection(
                    source=source_name(path, number),
                    message=f"not valid UTF-8 (byte 0x{data[err.start]:02x} at column {err.start + 1})",
                )


def _record(line: str, source: str, default_outlet: str) -> ArticleRecord | Rejection:
    try:
        data = parse_json(line)
    except json.JSONDecodeError as err:
        return Rejection(source=source, message=f"not valid JSON: {err.msg} at column {err.colno}")
    except _NotJSON as err:
        return Rejection(source=source, message=f"not valid JSON: {err}")
    except RecursionError:
        return Rejection(source=source, message="not read: the JSON is nested too deeply")
    except ValueError as err:  # e.g. an integer of over 4,300 digits
        return Rejection(source=source, message=f"not read: {err}")
    data = adapt_doccano(data)  # doccano's [[start, end, label]] as spans; unknown annotation shapes refused
    if isinstance(data, str):
        return Rejection(source=source, message=data)
    return record_from_mapping(data, source, default_outlet)


def read_jsonl(path: Path, default_outlet: str, max_bytes: int) -> Iterator[ArticleRecord | Rejection]:
    """Every record of a ``.jsonl`` file; blank lines are skipped. Whatever is
    wrong with one line (even something the parser was never meant to meet)
    rejects that line alone."""
    blank = True
    for number, line in _lines(path):
        if isinstance(line, str) and not line.strip():
            continue
        blank = False
        if isinstance(line, Rejection):
            yield line
            continue
        source = source_name(path, number)
        if len(line) > max_bytes:
            yield Rejection(source=source, message=f"record is over the size limit of {max_bytes:,} bytes (--max-size)")
            continue
        try:
            yield _record(line, source, default_outlet)
        except Exception as err:  # noqa: BLE001 - one bad record must not stop the file
            yield unexpected_error(source, err)
    if blank:
        yield Rejection(source=source_name(path), message="empty file")
