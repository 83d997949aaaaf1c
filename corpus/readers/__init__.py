"""Read articles from files and folders: ``.txt``, ``.md``, ``.html``/``.htm``,
``.jsonl`` and ``.csv``.

:func:`read_paths` yields, in a stable order, an :class:`ArticleRecord` for
every article and a :class:`Rejection` (``file:line: what is wrong``) for
every record or file that cannot be read. It streams: only one article (or
one JSONL line, one CSV row) is in memory at a time.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from corpus.file_types import DEFAULT_MAX_BYTES, FORMAT_NAMES, FORMATS
from corpus.importers import IMPORTERS, SKIP, route
from corpus.normalise import normalise_text
from corpus.readers.decode import DecodeError, decode_bytes
from corpus.readers.fields import is_date, one_line, unexpected_error
from corpus.readers.html import extract_html
from corpus.readers.jsonl import read_jsonl
from corpus.readers.table import read_csv
from corpus.records import ArticleRecord, Rejection, source_name
from corpus.titles import FALLBACK_NOTE, pick_title

_SLUG = re.compile(r"[^a-z0-9]+")
# Documents people keep beside their articles that claimdesk cannot read: each
# is reported (with what to do), not skipped without a word.
UNREADABLE_DOCUMENTS = {
    ".pdf": "a PDF; convert it to text first (e.g. pdftotext FILE)",
    ".doc": "a Word document; save it as text or HTML first",
    ".docx": "a Word document; save it as text or HTML first",
    ".odt": "an OpenDocument text; save it as text or HTML first",
    ".rtf": "an RTF document; save it as text first",
    ".epub": "an EPUB book; convert it to HTML or text first",
}


def slug(name: str) -> str:
    """A lower-case, dash-separated form of a name, for article ids."""
    return _SLUG.sub("-", name.lower()).strip("-") or "article"


def _walk(top: Path, fmt: str | None) -> Iterator[Path | Rejection]:
    """Files under ``top`` in name order. Linked folders are followed, but a
    link back to a folder already on the way down (a loop) is reported."""
    seen: dict[tuple[int, int], str] = {}

    def key(path: str) -> tuple[int, int]:
        info = os.stat(path)
        return info.st_dev, info.st_ino

    seen[key(str(top))] = str(top)
    for root, dirs, files in os.walk(top, followlinks=True):
        kept = []
        for name in sorted(d for d in dirs if not d.startswith(".")):
            folder = os.path.join(root, name)
            try:
                ident = key(folder)
            except OSError as err:
                yield Rejection(source=source_name(folder), message=f"cannot read the folder: {err.strerror or err}")
                continue
            if ident in seen and os.path.islink(folder):
                loop = (os.path.realpath(root) + os.sep).startswith(os.path.realpath(folder) + os.sep)
                yield Rejection(
                    source=source_name(folder),
                    message=f"a symbolic link back to {source_name(seen[ident])} (a loop); not followed" if loop
                    else f"a symbolic link to {source_name(seen[ident])}, which is read already; not followed",
                )
                continue
            seen[ident] = folder
            kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.join(root, name)
            suffix = Path(name).suffix.lower()
            if os.path.islink(path) and not os.path.exists(path):
                yield Rejection(source=source_name(path), message=_broken_link(path))
            elif fmt or suffix in FORMATS:
                yield Path(path)
            elif suffix in UNREADABLE_DOCUMENTS:
                yield Rejection(source=source_name(path), message=f"not read: {UNREADABLE_DOCUMENTS[suffix]}")


def _broken_link(path: str) -> str:
    try:
        os.stat(path)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "a symbolic link loop; not followed"
    return "a symbolic link to nothing; not followed"


def discover(paths: Iterable[Path], fmt: str | None) -> Iterator[Path | Rejection]:
    """The files to read: named files as they are, folders searched
    recursively (in name order) for files with a known extension; documents
    claimdesk cannot read (PDF, Word...) and symbolic-link loops are reported."""
    for path in paths:
        if path.is_dir():
            yield from _walk(path, fmt)
        elif path.is_file():
            yield path
        elif os.path.islink(path):
            yield Rejection(source=source_name(path), message=_broken_link(str(path)))
        else:
            yield Rejection(source=source_name(path), message="no such file or folder")


def _read_document(path: Path, fmt: str, outlet: str, max_bytes: int) -> ArticleRecord | Rejection:
    """One ``.txt``, ``.md`` or ``.html`` file: one article."""
    size = path.stat().st_size
    if size > max_bytes:
        return Rejection(
            source=source_name(path), message=f"file is {size:,} bytes, over the size limit of {max_bytes:,} (raise it with --max-size)"
        )
    try:
        raw = decode_bytes(path.read_bytes())
    except DecodeError as err:
        return Rejection(source=source_name(path), message=str(err))
    meta: dict[str, str | None] = {}
    if fmt == "html":
        raw, meta = extract_html(raw)
    text = normalise_text(raw)
    if not text.strip():
        return Rejection(source=source_name(path), message="empty file" if size == 0 else "no article text in the file")
    outlet = one_line(normalise_text(meta.get("outlet") or outlet))
    article_id = f"{slug(outlet)}/{slug(path.stem)}"
    published = meta.get("published")
    notes = []
    title = meta.get("title")
    if not title:
        title, fallback = pick_title(text, markdown=fmt == "md")
        if fallback:
            notes.append(f"{FALLBACK_NOTE} {title!r}: no line reads as a headline "
                         f"(set one: claimdesk articles set {article_id} --title TITLE)")
    if published and not is_date(published):
        # The page's text is what matters: it goes in, without the date, and the user is told.
        notes.append(f"the page's date {published[:40]!r} is not a date; stored without one")
        published = None
    return ArticleRecord(
        source=source_name(path),
        id=article_id,
        title=normalise_text(title),
        outlet=outlet,
        url=meta.get("url"),
        published=published,
        notes=notes,
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
    if fmt is not None and fmt not in FORMAT_NAMES:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMAT_NAMES)}")
    brat_seen: set[Path] = set()
    for found in discover((Path(p) for p in paths), fmt):
        if isinstance(found, Rejection):
            yield found
            continue
        file_fmt = fmt or FORMATS.get(found.suffix.lower())
        if file_fmt is None:
            yield Rejection(source=source_name(found), message=f"unknown file type {found.suffix!r}; name one with --format")
            continue
        default_outlet = outlet or Path(os.path.realpath(found)).parent.name
        try:
            file_fmt = route(found, file_fmt, fmt is not None, brat_seen)  # by content: brat pairs, CoNLL named .txt
            if file_fmt == SKIP:
                continue
            if file_fmt in IMPORTERS:
                yield from IMPORTERS[file_fmt](found, default_outlet, max_bytes)
            elif file_fmt == "jsonl":
                yield from read_jsonl(found, default_outlet, max_bytes)
            elif file_fmt == "csv":
                yield from read_csv(found, default_outlet, max_bytes)
            else:
                yield _read_document(found, file_fmt, default_outlet, max_bytes)
        except OSError as err:
            yield Rejection(source=source_name(found), message=f"cannot read: {err.strerror or err}")
        except Exception as err:  # noqa: BLE001 - one unreadable file must not stop the others
            yield unexpected_error(source_name(found), err)
