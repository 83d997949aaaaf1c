"""Sentences of the corpus that match a claim but carry no claim span yet ("untagged").

A :class:`corpus.claim_index.NumberedClaimIndex` holds every sentence of
every article. Beside it the index keeps, per sentence, only the article's
rowid and the sentence's offsets (12 bytes); the texts of the few sentences
a search returns are read back from the articles. Building it means
preparing every sentence for matching (about 90 µs each; a 3 KB article has
some 25 sentences), so it is built only when first needed, grows with the
articles ingested since (articles are never changed or removed, so
everything above the highest indexed rowid is new), and is kept between runs
in the user's own cache folder (:mod:`store.index_cache`).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from store.engine import Database

import corpus.sentences
from corpus.claim_index import NumberedClaimIndex
from corpus.claim_match import DEFAULT_THRESHOLD, MatchVerdict
from corpus.claim_text import MIN_WORDS
from corpus.sentences import sentence_bounds
from store.claims import CLAIM_LABEL
from store.db import read_pages
from store.index_cache import MATCHING_CODE, code_version, index_cache_path, load_index_cache, save_index_cache

# Longer "sentences" are lists, tables or clutter the splitter could not cut.
MAX_SENTENCE_CHARS = 1000
# Articles read per snapshot while indexing.
_PAGE = 200
_INDEX_CODE = (*MATCHING_CODE, corpus.sentences)
_FORMAT = 2

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
    return index_cache_path(db_path, "sentences")


def matchable_sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` worth matching: long enough to match, short enough to be one sentence."""
    return [
        (start, end) for start, end in sentence_bounds(text)
        if end - start <= MAX_SENTENCE_CHARS and len(text[start:end].split()) >= MIN_WORDS
    ]


class SentenceIndex:
    """Every sentence of the database's articles, searchable by :meth:`search`.

    Not thread-safe (like :class:`corpus.claim_index.ClaimIndex`): one
    worker owns it, with its own connection.
    """

    def __init__(self, db: Database, *, cache: Path | None = None,
                 threshold: float = DEFAULT_THRESHOLD) -> None:
        """``cache`` is the file kept between runs (:func:`sentence_cache_path`); None keeps nothing."""
        self.db = db
        self.cache = cache
        self.threshold = threshold
        self.index = NumberedClaimIndex(threshold=threshold)
        # Where each sentence of the index is, by its number.
        self._rowids, self._starts, self._ends = array("q"), array("i"), array("i")
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
        saved = load_index_cache(self.cache, {"format": _FORMAT, "code": code_version(_INDEX_CODE),
                                              "identity": self._identity()})
        if saved is None or saved.get("last") != self._at(saved.get("upto", 0)):
            return
        self.index, self.upto = saved["index"], saved["upto"]
        self._rowids, self._starts, self._ends = saved["rowids"], saved["starts"], saved["ends"]
        self.index.threshold = self.threshold

    def _save(self) -> None:
        save_index_cache(self.cache, {
            "format": _FORMAT, "code": code_version(_INDEX_CODE), "identity": self._identity(),
            "upto": self.upto, "last": self._at(self.upto), "index": self.index,
            "rowids": self._rowids, "starts": self._starts, "ends": self._ends,
        })

    def refresh(self, *, on_progress: Callable[[int], None] | None = None) -> int:
        """Index the articles ingested since the last refresh (all of them the first
        time, unless the cache has them); returns how many articles were added."""
        if not self._loaded:
            self._load()
        added = 0
        pages = read_pages(self.db, "SELECT rowid AS seq, text FROM articles WHERE rowid > ?", [self.upto],
                           key="seq", page_size=_PAGE)
        for row in pages:
            text = row["text"]
            for start, end in matchable_sentences(text):
                self.index.add(text[start:end])
                self._rowids.append(row["seq"])
                self._starts.append(start)
                self._ends.append(end)
            self.upto = row["seq"]
            added += 1
            if on_progress:
                on_progress(added)
        if added and self.cache is not None:
            self._save()
        return added

    def _read(self, numbers: list[int]) -> dict[int, tuple[str, str]]:
        """``(article id, sentence text)`` of the sentences ``numbers``, in one query."""
        if not numbers:
            return {}
        # SQLite's substr counts characters, as Python's offsets do.
        places = ", ".join("(?, ?, ?, ?)" for _ in numbers)
        wanted = [value for number in numbers
                  for value in (number, self._rowids[number], self._starts[number] + 1,
                                self._ends[number] - self._starts[number])]
        rows = self.db.execute(
            f"WITH wanted(number, seq, first, size) AS (VALUES {places})"
            " SELECT number, a.id, substr(a.text, first, size) FROM wanted JOIN articles a ON a.rowid = seq",
            wanted,
        )
        return {number: (article_id, text) for number, article_id, text in rows}

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
        read: dict[int, tuple[str, str]] = {}

        def texts(numbers: list[int]) -> list[str | None]:
            read.update(self._read(numbers))
            return [read[number][1] if number in read else None for number in numbers]

        found = []
        for candidate in self.index.query(text, 3 * k + len(skip), texts):
            number = candidate.key
            key = (read[number][0], self._starts[number], self._ends[number])
            if key[0] in skip_articles or key in skip or self._tagged(key):
                continue
            found.append(SentenceMatch(*key, text=candidate.text, verdict=candidate.verdict))
            if len(found) == k:
                break
        return found
