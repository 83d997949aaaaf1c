"""Sentences of the corpus that match a claim but carry no claim span yet ("untagged").

A second :class:`corpus.claim_index.ClaimIndex` holds every sentence of
every article, keyed by ``(article_id, start, end)``. Building it means
preparing every sentence for matching (about 90 µs each; a 3 KB article has
some 25 sentences), so it is built only when first needed, grows with the
articles ingested since (articles are never changed or removed, so
everything above the highest indexed rowid is new), and is kept between runs
in the user's own cache folder: a file other people can write to is never
unpickled.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from store.sqlite import sqlite_utils

import corpus.claim_index
import corpus.claim_match
import corpus.claim_text
import corpus.figures
import corpus.numbers
import corpus.sentences
from corpus.claim_index import ClaimIndex
from corpus.claim_match import DEFAULT_THRESHOLD, MatchVerdict
from corpus.claim_text import MIN_WORDS
from corpus.sentences import sentence_bounds
from store.claims import CLAIM_LABEL
from store.db import read_pages

# Longer "sentences" are lists, tables or clutter the splitter could not cut.
MAX_SENTENCE_CHARS = 1000
# Articles read per snapshot while indexing.
_PAGE = 200
# The modules whose code decides what the index holds: a cache made by
# other code is rebuilt.
_INDEX_CODE = (corpus.claim_index, corpus.claim_match, corpus.claim_text, corpus.figures, corpus.numbers,
               corpus.sentences)
_FORMAT = 1

SentenceKey = tuple[str, int, int]


@dataclass(frozen=True, slots=True)
class SentenceMatch:
    """A sentence ``text`` at ``[start, end)`` of an article, and how it compares with the query."""

    article_id: str
    start: int
    end: int
    text: str
    verdict: MatchVerdict


def sentence_cache_path(db_path: Path | str) -> Path:
    """Where the sentence index of the database at ``db_path`` is kept: the user's cache folder."""
    name = hashlib.sha256(str(Path(db_path).resolve()).encode()).hexdigest()[:24]
    return Path(platformdirs.user_cache_dir("claimdesk")) / f"sentences-{name}.pickle"


def _code_version() -> str:
    digest = hashlib.sha256()
    for module in _INDEX_CODE:
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


def matchable_sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` worth matching: long enough to match, short enough to be one sentence."""
    return [
        (start, end) for start, end in sentence_bounds(text)
        if end - start <= MAX_SENTENCE_CHARS and len(text[start:end].split()) >= MIN_WORDS
    ]


class SentenceIndex:
    """Every sentence of the database's articles, searchable by :meth:`search`.

    Not thread-safe (like :class:`ClaimIndex`): one worker owns it, with its
    own connection.
    """

    def __init__(self, db: sqlite_utils.Database, *, cache: Path | None = None,
                 threshold: float = DEFAULT_THRESHOLD) -> None:
        """``cache`` is the file kept between runs (:func:`sentence_cache_path`); None keeps nothing."""
        self.db = db
        self.cache = cache
        self.threshold = threshold
        self.index = ClaimIndex(threshold=threshold)
        self.upto = 0  # the highest article rowid indexed
        self._loaded = cache is None

    def __len__(self) -> int:
        return len(self.index)

    def _identity(self) -> tuple | None:
        """What tells this database from another file at the same path: its first article."""
        return self.db.execute("SELECT id, hash FROM articles ORDER BY rowid LIMIT 1").fetchone()

    def _at(self, rowid: int) -> str | None:
        row = self.db.execute("SELECT id FROM articles WHERE rowid = ?", [rowid]).fetchone()
        return row[0] if row else None

    def _load(self) -> None:
        self._loaded = True
        try:
            stat = self.cache.stat()
            if stat.st_uid != os.getuid() or stat.st_mode & 0o022:
                return  # someone else could have written it: never unpickle
            with self.cache.open("rb") as source:
                saved = pickle.load(source)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            return
        if (
            not isinstance(saved, dict)
            or saved.get("format") != _FORMAT
            or saved.get("code") != _code_version()
            or saved.get("identity") != self._identity()
            or saved.get("last") != self._at(saved.get("upto", 0))
        ):
            return
        self.index, self.upto = saved["index"], saved["upto"]
        self.index.threshold = self.threshold

    def _save(self) -> None:
        folder = self.cache.parent
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        saved = {
            "format": _FORMAT, "code": _code_version(), "identity": self._identity(),
            "upto": self.upto, "last": self._at(self.upto), "index": self.index,
        }
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".sentences-")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(saved, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.cache)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def refresh(self, *, on_progress: Callable[[int], None] | None = None) -> int:
        """Index the articles ingested since the last refresh (all of them the first
        time, unless the cache has them); returns how many articles were added."""
        if not self._loaded:
            self._load()
        added = 0
        pages = read_pages(self.db, "SELECT rowid AS seq, id, text FROM articles WHERE rowid > ?", [self.upto],
                           key="seq", page_size=_PAGE)
        for row in pages:
            text = row["text"]
            for start, end in matchable_sentences(text):
                self.index.add((row["id"], start, end), text[start:end])
            self.upto = row["seq"]
            added += 1
            if on_progress:
                on_progress(added)
        if added and self.cache is not None:
            self._save()
        return added

    def _tagged(self, key: SentenceKey) -> bool:
        article_id, start, end = key
        return self.db.execute(
            f"SELECT 1 FROM spans WHERE article_id = ? AND label = '{CLAIM_LABEL}' AND status = 'accepted'"
            ' AND start < ? AND "end" > ? LIMIT 1',
            [article_id, end, start],
        ).fetchone() is not None

    def search(
        self, text: str, k: int = 10, *, skip_articles: Collection[str] = (), skip: Collection[SentenceKey] = ()
    ) -> list[SentenceMatch]:
        """The ``k`` sentences most like ``text`` that no claim span overlaps yet, best
        first, each with its verdict (near misses included: ``verdict.same`` says
        which match). Sentences of ``skip_articles`` and the keys in ``skip`` are left out."""
        found = []
        for candidate in self.index.query(text, k=3 * k + len(skip)):
            key = candidate.key
            if key[0] in skip_articles or key in skip or self._tagged(key):
                continue
            found.append(SentenceMatch(*key, text=candidate.text, verdict=candidate.verdict))
            if len(found) == k:
                break
        return found
