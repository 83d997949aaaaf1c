"""Which article an annotator works on next, and who has which article open.

Each article is meant to be finished by ``overlap`` annotators (a team
setting, default 1). ``next`` gives an annotator an article with fewer
finishers than that, which they have not finished themselves, preferring
articles nobody else has open. Having an article open holds a soft lock: a
row in ``article_locks`` that the app refreshes while the annotator works
and that expires after some idle minutes, so an abandoned terminal does not
hold an article forever.

The choice and the lock are made in one ``BEGIN IMMEDIATE`` transaction: two
annotators pressing ``N`` at the same moment are served one after the
other, and with overlap 1 they get different articles.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from store.sqlite import sqlite_utils

from store.db import StoreError, write
from store.review import GOLD
from store.settings import read_int_setting, write_setting

OVERLAP_KEY = "overlap"
IDLE_MINUTES_KEY = "lock_idle_minutes"
DEFAULT_OVERLAP = 1
DEFAULT_IDLE_MINUTES = 10


def overlap(db: sqlite_utils.Database) -> int:
    """How many annotators should finish each article."""
    return read_int_setting(db, OVERLAP_KEY, DEFAULT_OVERLAP)


def set_overlap(db: sqlite_utils.Database, k: int) -> None:
    """Set how many annotators should finish each article (at least 1)."""
    if k < 1:
        raise StoreError(f"overlap must be at least 1 (got {k})")
    write_setting(db, OVERLAP_KEY, str(k))


def idle_minutes(db: sqlite_utils.Database) -> int:
    """After how many idle minutes an open article stops holding its soft lock."""
    return read_int_setting(db, IDLE_MINUTES_KEY, DEFAULT_IDLE_MINUTES)


def set_idle_minutes(db: sqlite_utils.Database, minutes: int) -> None:
    """Set the soft-lock expiry (at least 1 minute)."""
    if minutes < 1:
        raise StoreError(f"the lock expiry must be at least 1 minute (got {minutes})")
    write_setting(db, IDLE_MINUTES_KEY, str(minutes))


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    # The same form as store.events.now(), so stamps compare as strings.
    return moment.isoformat(timespec="milliseconds")


# Articles the annotator may take: fewer than :k finishers (gold does not
# count: it is the review, not an annotation), not finished by :me, not the
# one being left.
_ELIGIBLE = """
    a.id != :leaving
    AND NOT EXISTS (SELECT 1 FROM progress p
                    WHERE p.article_id = a.id AND p.annotator = :me AND p.status = 'done')
    AND (SELECT count(*) FROM progress p
         WHERE p.article_id = a.id AND p.status = 'done' AND p.annotator != :gold) < :k
"""
# Others holding a live lock on the article; one who has finished it is done
# with it even if their app has not let go yet.
_HOLDERS = """(SELECT count(*) FROM article_locks l
               WHERE l.article_id = a.id AND l.annotator != :me AND l.seen_at >= :cutoff
               AND NOT EXISTS (SELECT 1 FROM progress p WHERE p.article_id = a.id
                               AND p.annotator = l.annotator AND p.status = 'done'))"""

# At the start of a session: the article this annotator started and left
# unfinished most recently. Not when pressing N on an article, or N would
# bounce between two unfinished articles.
_RESUME = f"""SELECT a.id FROM progress mine JOIN articles a ON a.id = mine.article_id
    WHERE mine.annotator = :me AND mine.status = 'open' AND {_ELIGIBLE} AND {_HOLDERS} = 0
    ORDER BY mine.updated_at DESC LIMIT 1"""

# Then in order of preference; the first that yields an article wins.
_PREFERENCES = (
    # 1. One that others finished but that still needs finishers (completes overlap sets for review).
    f"""SELECT a.id FROM articles a
        WHERE a.id IN (SELECT article_id FROM progress WHERE status = 'done' AND annotator != :gold)
        AND {_ELIGIBLE} AND {_HOLDERS} = 0
        ORDER BY (SELECT count(*) FROM progress p WHERE p.article_id = a.id AND p.status = 'done') DESC, a.rowid
        LIMIT 1""",
    # 2. Nobody has it open: the first in ingest order.
    f"SELECT a.id FROM articles a WHERE {_ELIGIBLE} AND {_HOLDERS} = 0 ORDER BY a.rowid LIMIT 1",
    # 3. Everything left is open somewhere: the one with the fewest people on it.
    f"SELECT a.id FROM articles a WHERE {_ELIGIBLE} ORDER BY {_HOLDERS}, a.rowid LIMIT 1",
)


class Assigner:
    """Hands out articles and keeps the soft locks of open articles.

    ``clock`` returns the current UTC time; tests pass their own.
    """

    def __init__(self, db: sqlite_utils.Database, *, clock: Callable[[], datetime] = _utc_now) -> None:
        self.db = db
        self.clock = clock

    def overlap(self) -> int:
        """How many annotators should finish each article."""
        return overlap(self.db)

    def set_overlap(self, k: int) -> None:
        """Set how many annotators should finish each article (at least 1)."""
        set_overlap(self.db, k)

    def idle_minutes(self) -> int:
        """After how many idle minutes an open article stops holding its soft lock."""
        return idle_minutes(self.db)

    def set_idle_minutes(self, minutes: int) -> None:
        """Set the soft-lock expiry (at least 1 minute)."""
        set_idle_minutes(self.db, minutes)

    def _cutoff(self) -> str:
        return _stamp(self.clock() - timedelta(minutes=idle_minutes(self.db)))

    def next_for(self, annotator: str, *, leaving: str | None = None) -> str | None:
        """The id of the article ``annotator`` should work on next, now locked
        for them; None when no article needs them. ``leaving`` (the article
        they are on) is released and not offered again; without it, an article
        they left unfinished comes first."""
        with write(self.db):
            cutoff = self._cutoff()
            self.db.execute("DELETE FROM article_locks WHERE seen_at < ?", [cutoff])
            if leaving is not None:
                self._release(leaving, annotator)
            params = {"me": annotator, "leaving": leaving or "", "k": overlap(self.db), "gold": GOLD, "cutoff": cutoff}
            for sql in _PREFERENCES if leaving else (_RESUME, *_PREFERENCES):
                row = self.db.execute(sql, params).fetchone()
                if row is not None:
                    self._hold(row[0], annotator)
                    return row[0]
        return None

    def _hold(self, article_id: str, annotator: str) -> None:
        stamp = _stamp(self.clock())
        self.db.execute(
            "INSERT INTO article_locks (article_id, annotator, taken_at, seen_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (article_id, annotator) DO UPDATE SET seen_at = excluded.seen_at",
            [article_id, annotator, stamp, stamp],
        )

    def _release(self, article_id: str, annotator: str) -> None:
        self.db.execute("DELETE FROM article_locks WHERE article_id = ? AND annotator = ?", [article_id, annotator])

    def touch(self, article_id: str, annotator: str) -> None:
        """Take or refresh the soft lock: the annotator is working on this article now.

        The app calls this when an article is opened and, at most every
        minute or so, while the annotator keeps working in it.
        """
        with write(self.db):
            self._hold(article_id, annotator)

    def release(self, article_id: str, annotator: str) -> None:
        """Drop the soft lock: the annotator left the article or finished it."""
        with write(self.db):
            self._release(article_id, annotator)

    def open_now(self) -> dict[str, list[str]]:
        """Who has which article open right now (live locks only): article id to annotators."""
        holders: dict[str, list[str]] = {}
        for article_id, annotator in self.db.execute(
            "SELECT article_id, annotator FROM article_locks WHERE seen_at >= ? ORDER BY article_id, taken_at",
            [self._cutoff()],
        ):
            holders.setdefault(article_id, []).append(annotator)
        return holders
