"""Importers for the files other annotation tools (and claimdesk's own
exports) write: Label Studio JSON, doccano JSONL, brat standoff, CoNLL,
spaCy DocBin, and claimdesk's CSV and Parquet.

Each reader is a pure function of a file that yields
:class:`~corpus.records.ArticleRecord` (with their spans) or
:class:`~corpus.records.Rejection` (``file:line: why``); nothing here
touches the database. :func:`route` decides how a file is read, from
``--format`` or from its name and content, so a CoNLL file named ``.txt``
or a ``.txt`` with a brat ``.ann`` beside it is not taken for an article.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from corpus.records import ArticleRecord, Rejection, source_name

Reader = Callable[[Path, str, int], Iterator[ArticleRecord | Rejection]]
SKIP = "skip"


def _brat(path: Path, default_outlet: str, max_bytes: int) -> Iterator[ArticleRecord | Rejection]:
    from corpus.importers.brat import read_brat

    txt, ann = path.with_suffix(".txt"), path.with_suffix(".ann")
    if not txt.is_file():
        yield Rejection(source=source_name(ann), message=f"a brat .ann file with no {txt.name} beside it")
    elif not ann.is_file():
        yield Rejection(source=source_name(txt), message=f"read as brat, but there is no {ann.name} beside it")
    else:
        yield read_brat(txt, ann, default_outlet, max_bytes)


def _labelstudio(path: Path, default_outlet: str, max_bytes: int) -> Iterator[ArticleRecord | Rejection]:
    from corpus.importers.labelstudio import read_labelstudio

    yield from read_labelstudio(path, default_outlet, max_bytes)


def _conll(path: Path, default_outlet: str, max_bytes: int) -> Iterator[ArticleRecord | Rejection]:
    from corpus.importers.conll import read_conll

    yield from read_conll(path, default_outlet, max_bytes)


def _spacy(path: Path, default_outlet: str, max_bytes: int) -> Iterator[ArticleRecord | Rejection]:
    from corpus.importers.spacy_docbin import read_docbin

    yield from read_docbin(path, default_outlet, max_bytes)


def _parquet(path: Path, default_outlet: str, max_bytes: int) -> Iterator[ArticleRecord | Rejection]:
    from corpus.importers.parquet import read_parquet

    yield from read_parquet(path, default_outlet, max_bytes)


IMPORTERS: dict[str, Reader] = {
    "brat": _brat, "labelstudio": _labelstudio, "conll": _conll, "spacy": _spacy, "parquet": _parquet,
}


def _head(path: Path, size: int = 8192) -> str:
    try:
        with path.open("rb") as handle:
            return handle.read(size).decode("utf-8", errors="replace")
    except OSError:
        return ""


def route(path: Path, fmt: str, explicit: bool, brat_seen: set[Path]) -> str:
    """The format to read ``path`` as (:data:`SKIP` for the second file of a
    brat pair), given the format its name or ``--format`` says."""
    if fmt == "doccano":
        return "jsonl"  # the JSONL reader takes doccano's labels itself
    suffix = path.suffix.lower()
    if fmt == "brat" or (not explicit and suffix in (".txt", ".ann") and path.with_suffix(".ann").is_file()):
        if suffix not in (".txt", ".ann"):
            return SKIP if suffix == ".conf" else fmt
        key = path.with_suffix("").resolve()
        if key in brat_seen:
            return SKIP
        brat_seen.add(key)
        return "brat"
    if not explicit and fmt == "txt":
        from corpus.importers.conll import looks_like_conll

        if looks_like_conll(_head(path)):
            return "conll"
    return fmt
