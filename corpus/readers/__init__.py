"""Read articles from files and folders: ``.txt``, ``.md``, ``.html``/``.htm``,
``.jsonl`` and ``.csv``.

:func:`read_paths` yields, in a stable order, an :class:`ArticleRecord` for
every article and a :class:`Rejection` (``file:line: what is wrong``) for
every record or file that cannot be read. It streams: only one article (or
one JSONL line, one CSV row) is in memory at a time.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from corpus.file_types import DEFAULT_MAX_BYTES, FORMATS
from corpus.normalise import normalise_text
from corpus.readers.decode import DecodeError, decode_bytes
from corpus.readers.fields import first_line
from corpus.readers.html import extract_html
from corpus.readers.jsonl import read_jsonl
from corpus.readers.table import read_csv
from corpus.records import ArticleRecord, Rejection

_SLUG = re.compile(r"[^a-z0-9]+")


def slug(name: str) -> str:
    """A lower-case, dash-separated form of a name, for article ids."""
    return _SLUG.sub("-", name.lower()).strip("-") or "article"


def discover(paths: Iterable[Path], fmt: str | None) -> Iterator[Path | Rejection]:
    """The files to read: named files as they are, folders searched
    recursively (in name order) for files with a known extension."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and (fmt or Path(name).suffix.lower() in FORMATS):
                        yield Path(root) / name
        elif path.is_file():
            yield path
        else:
            yield Rejection(source=str(path), message="no such file or folder")


def _read_document(path: Path, fmt: str, outlet: str, max_bytes: int) -> ArticleRecord | Rejection:
    """One ``.txt``, ``.md`` or ``.html`` file: one article."""
    size = path.stat().st_size
    if size > max_bytes:
        return Rejection(
            source=str(path), message=f"file is {size:,} bytes, over the size limit of {max_bytes:,} (raise it with --max-size)"
        )
    try:
        raw = decode_bytes(path.read_bytes())
    except DecodeError as err:
        return Rejection(source=str(path), message=str(err))
    meta: dict[str, str | None] = {}
    if fmt == "html":
        raw, meta = extract_html(raw)
    text = normalise_text(raw)
    if not text.strip():
        return Rejection(source=str(path), message="empty file" if size == 0 else "no article text in the file")
    title = meta.get("title") or first_line(text)
    if fmt == "md":
        title = title.lstrip("#").strip()
    outlet = normalise_text(meta.get("outlet") or outlet).strip()
    return ArticleRecord(
        source=str(path),
        id=f"{slug(outlet)}/{slug(path.stem)}",
        title=normalise_text(title),
        outlet=outlet,
        url=meta.get("url"),
        published=meta.get("published"),
        text=text,
    )


def read_paths(
    paths: Iterable[Path | str],
    *,
    fmt: str | None = None,
    outlet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[ArticleRecord | Rejection]:
    """Every article under ``paths``.

    ``fmt`` overrides the format guessed from each file's extension. The
    outlet of an article is the one its record or page names, else
    ``outlet``, else the name of the folder holding the file. File articles
    get the id ``<outlet-slug>/<file-stem>``; JSONL and CSV records keep the
    ``id`` they carry.
    """
    if fmt is not None and fmt not in set(FORMATS.values()):
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(sorted(set(FORMATS.values())))}")
    for found in discover((Path(p) for p in paths), fmt):
        if isinstance(found, Rejection):
            yield found
            continue
        file_fmt = fmt or FORMATS.get(found.suffix.lower())
        if file_fmt is None:
            yield Rejection(source=str(found), message=f"unknown file type {found.suffix!r}; name one with --format")
            continue
        default_outlet = outlet or found.resolve().parent.name
        try:
            if file_fmt == "jsonl":
                yield from read_jsonl(found, default_outlet, max_bytes)
            elif file_fmt == "csv":
                yield from read_csv(found, default_outlet, max_bytes)
            else:
                yield _read_document(found, file_fmt, default_outlet, max_bytes)
        except OSError as err:
            yield Rejection(source=str(found), message=f"cannot read: {err.strerror or err}")
