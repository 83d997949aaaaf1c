"""The soft lock on the article this annotator has open (see store/assignment.py).

Taken when an article opens, refreshed at most once a minute while the
annotator works in it (moves the cursor or changes a span), let go when they
leave it. A terminal left alone stops refreshing, so its lock expires after
the team's idle minutes and ``N`` hands the article to someone else. The
lock only steers assignment: a failure to write it is not worth a notice.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store import Store
    from tui.app import ClaimdeskApp

TOUCH_EVERY_S = 60.0


class ArticleHold:
    """The app's one open article and when its lock was last refreshed."""

    def __init__(self, app: ClaimdeskApp, *, clock=time.monotonic) -> None:
        self.app = app
        self.clock = clock
        self.article_id: str | None = None
        self._touched = 0.0

    def opened(self, article_id: str) -> None:
        """The annotator opened (or came back to) ``article_id``: hold it, let go of the one before."""
        leaving = self.article_id if self.article_id != article_id else None
        self.article_id = article_id
        self._touch(leaving)

    def active(self) -> None:
        """The annotator did something in the open article: refresh its lock if it is getting old."""
        if self.article_id is not None and self.clock() - self._touched >= TOUCH_EVERY_S:
            self._touch(None)

    def left(self, article_id: str) -> None:
        """The annotator left ``article_id`` (closed its screen)."""
        if article_id != self.article_id:
            return  # already holding another one
        self.article_id = None
        annotator = self.app.annotator

        def release(store: Store) -> None:
            store.assignment.release(article_id, annotator)

        self.app.run_job(self.app.writer, release, on_error=lambda error: None)

    def _touch(self, leaving: str | None) -> None:
        self._touched = self.clock()
        article_id, annotator = self.article_id, self.app.annotator

        def touch(store: Store) -> None:
            assigner = store.assignment
            if leaving is not None:
                assigner.release(leaving, annotator)
            assigner.touch(article_id, annotator)

        self.app.run_job(self.app.writer, touch, on_error=lambda error: None)
