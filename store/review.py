"""Review: the annotators' spans of an article side by side, and the gold layer.

For an article finished by several annotators, every distinct (start, end,
label) that anyone marked is a *proposal*, and its agreement is ``all``
(every finisher marked exactly it), ``some`` or ``one``. The reviewer
accepts or rejects each proposal, or corrects it; the decisions are spans of
the annotator ``gold`` (status accepted or rejected), written through
:class:`store.spans.SpanStore` with the reviewer recorded on every event, so
undo, redo and the audit trail work as for any annotation.

Articles wait in a review queue ordered by disagreement, worst first.
"""

from __future__ import annotations

from typing import Any, Literal

from store.sqlite import sqlite_utils
from pydantic import BaseModel

from store.db import snapshot
from store.models import Span
from store.progress import ProgressStore
from store.spans import NewSpan, SpanStore

# The annotator name of the reviewed layer; the reviewer is recorded on each event.
GOLD = "gold"

Agreement = Literal["all", "some", "one"]


class Proposal(BaseModel):
    """One (start, end, label) marked by at least one finisher, and the gold decision on it."""

    start: int
    end: int
    label: str
    text: str
    annotators: list[str]
    spans: dict[str, Span]  # annotator -> their span
    agreement: Agreement
    gold: Span | None = None  # accepted or rejected in gold; None while undecided

    @property
    def decision(self) -> str | None:
        """``accepted``, ``rejected`` or None (undecided)."""
        return self.gold.status if self.gold else None


class ArticleReview(BaseModel):
    """Everything the reviewer sees of one article."""

    article_id: str
    annotators: list[str]  # who finished it, gold aside
    proposals: list[Proposal]  # in text order
    gold_only: list[Span]  # gold spans no annotator proposed (the reviewer's own or corrected)

    @property
    def undecided(self) -> int:
        """Proposals the reviewer has not accepted or rejected yet."""
        return sum(p.gold is None for p in self.proposals)

    @property
    def disagreement(self) -> float:
        """The share of proposals that not every finisher marked (0 when there are none)."""
        if not self.proposals:
            return 0.0
        return sum(p.agreement != "all" for p in self.proposals) / len(self.proposals)


class QueueEntry(BaseModel):
    """An article waiting for review."""

    article_id: str
    title: str
    annotators: list[str]
    proposals: int
    disagreeing: int  # proposals not marked by everyone
    undecided: int
    disagreement: float


def finishers(db: sqlite_utils.Database, article_id: str) -> list[str]:
    """The annotators who finished the article, in name order (gold aside)."""
    return [
        r[0]
        for r in db.execute(
            "SELECT annotator FROM progress WHERE article_id = ? AND status = 'done' AND annotator != ? ORDER BY annotator",
            [article_id, GOLD],
        )
    ]


def _key(span: Span) -> tuple[int, int, str]:
    return (span.start, span.end, span.label)


def agreement_level(marked_by: int, finished_by: int) -> Agreement:
    """``all`` when every finisher marked the span, ``one`` when one did, else ``some``."""
    if marked_by >= finished_by:
        return "all"
    return "one" if marked_by == 1 else "some"


def article_review(db: sqlite_utils.Database, article_id: str) -> ArticleReview:
    """The finishers' accepted spans grouped into proposals, with the gold decisions."""
    spans = SpanStore(db)
    with snapshot(db):
        names = finishers(db, article_id)
        annotated = [s for s in spans.for_article(article_id, statuses=("accepted",)) if s.annotator in names]
        gold = spans.for_article(article_id, annotator=GOLD)
    grouped: dict[tuple[int, int, str], dict[str, Span]] = {}
    for span in annotated:
        grouped.setdefault(_key(span), {}).setdefault(span.annotator, span)
    gold_by_key = {_key(s): s for s in gold}
    proposals = [
        Proposal(
            start=key[0], end=key[1], label=key[2], text=next(iter(by.values())).text,
            annotators=sorted(by), spans=by, agreement=agreement_level(len(by), len(names)),
            gold=gold_by_key.get(key),
        )
        for key, by in sorted(grouped.items(), key=lambda item: (item[0][0], -item[0][1], item[0][2]))
    ]
    gold_only = [s for s in gold if _key(s) not in grouped and s.status == "accepted"]
    return ArticleReview(article_id=article_id, annotators=names, proposals=proposals, gold_only=gold_only)


def review_queue(db: sqlite_utils.Database, *, min_annotators: int = 2, include_reviewed: bool = False) -> list[QueueEntry]:
    """Articles finished by at least ``min_annotators`` annotators, worst
    disagreement first; articles whose review is finished are left out
    unless ``include_reviewed``."""
    with snapshot(db):
        rows = db.execute(
            "SELECT p.article_id, a.title FROM progress p JOIN articles a ON a.id = p.article_id"
            " WHERE p.status = 'done' AND p.annotator != ?"
            " AND (? OR NOT EXISTS (SELECT 1 FROM progress g WHERE g.article_id = p.article_id"
            "                       AND g.annotator = ? AND g.status = 'done'))"
            " GROUP BY p.article_id, a.title, a.rowid HAVING count(*) >= ? ORDER BY a.rowid",
            [GOLD, include_reviewed, GOLD, min_annotators],
        ).fetchall()
        reviews = [(article_review(db, article_id), title) for article_id, title in rows]
    entries = [
        QueueEntry(
            article_id=review.article_id, title=title, annotators=review.annotators,
            proposals=len(review.proposals), disagreeing=sum(p.agreement != "all" for p in review.proposals),
            undecided=review.undecided, disagreement=review.disagreement,
        )
        for review, title in reviews
    ]
    # Stable sort: equal disagreement keeps ingest order.
    return sorted(entries, key=lambda e: (-e.disagreement, -e.disagreeing))


class Reviewer:
    """Builds the gold layer: every change is a gold span written with the
    reviewer recorded on its event."""

    def __init__(self, db: sqlite_utils.Database, reviewer: str) -> None:
        self.db = db
        self.reviewer = reviewer
        self.spans = SpanStore(db)

    def _decide(self, article_id: str, proposal: Proposal, status: Literal["accepted", "rejected"]) -> Span:
        if proposal.gold is not None:
            if proposal.gold.status == status:
                return proposal.gold
            return self.spans.update(proposal.gold.id, proposal.gold.version, self.reviewer, status=status)
        attrs = _merged_attrs(proposal)
        return self.spans.add(
            article_id, proposal.start, proposal.end, proposal.label, GOLD,
            status=status, attrs=attrs, acting=self.reviewer,
        )

    def accept(self, article_id: str, proposal: Proposal) -> Span:
        """Put the proposal in gold (keeping the annotators' attributes)."""
        return self._decide(article_id, proposal, "accepted")

    def reject(self, article_id: str, proposal: Proposal) -> Span:
        """Record that the proposal is not gold."""
        return self._decide(article_id, proposal, "rejected")

    def correct(self, article_id: str, proposal: Proposal, *, start: int | None = None, end: int | None = None,
                label: str | None = None) -> Span:
        """Reject the proposal as marked and put the corrected span in gold instead
        (one change: one undo takes both back)."""
        with self.spans.batch():
            self.reject(article_id, proposal)
            return self.add(
                article_id, proposal.start if start is None else start, proposal.end if end is None else end,
                proposal.label if label is None else label, attrs=_merged_attrs(proposal),
            )

    def add(self, article_id: str, start: int, end: int, label: str, *, attrs: dict[str, Any] | None = None) -> Span:
        """A gold span nobody proposed."""
        return self.spans.add(article_id, start, end, label, GOLD, attrs=attrs, acting=self.reviewer)

    def accept_agreed(self, review: ArticleReview) -> list[Span]:
        """Put every undecided proposal that all finishers marked in gold, as one
        change (one undo takes them all back), written in bulk."""
        agreed = [p for p in review.proposals if p.gold is None and p.agreement == "all"]
        return self.spans.add_many(
            [NewSpan(article_id=review.article_id, start=p.start, end=p.end, label=p.label, attrs=_merged_attrs(p))
             for p in agreed],
            GOLD, acting=self.reviewer,
        ) if agreed else []

    def finish(self, article_id: str) -> None:
        """The article's review is done: it leaves the queue and counts for agreement with gold."""
        ProgressStore(self.db).mark_done(article_id, GOLD)


def _merged_attrs(proposal: Proposal) -> dict[str, Any]:
    """The attributes the annotators gave (speaker, value, ...); where they
    differ, the first annotator's in name order wins."""
    merged: dict[str, Any] = {}
    for name in reversed(proposal.annotators):
        merged.update(proposal.spans[name].attrs)
    return merged


class ReviewStore:
    """The review queue and the gold layer of one database; the reviewer is
    an argument of each change (see :class:`Reviewer`)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def queue(self, *, min_annotators: int = 2, include_reviewed: bool = False) -> list[QueueEntry]:
        """The articles waiting for review, worst disagreement first (see :func:`review_queue`)."""
        return review_queue(self.db, min_annotators=min_annotators, include_reviewed=include_reviewed)

    def article(self, article_id: str) -> ArticleReview:
        """The finishers' proposals for an article, with the gold decisions (see :func:`article_review`)."""
        return article_review(self.db, article_id)

    def accept(self, reviewer: str, article_id: str, proposal: Proposal) -> Span:
        """Put the proposal in gold."""
        return Reviewer(self.db, reviewer).accept(article_id, proposal)

    def reject(self, reviewer: str, article_id: str, proposal: Proposal) -> Span:
        """Record that the proposal is not gold."""
        return Reviewer(self.db, reviewer).reject(article_id, proposal)

    def correct(self, reviewer: str, article_id: str, proposal: Proposal, *, start: int | None = None,
                end: int | None = None, label: str | None = None) -> Span:
        """Reject the proposal as marked and put the corrected span in gold (one change)."""
        return Reviewer(self.db, reviewer).correct(article_id, proposal, start=start, end=end, label=label)

    def add(self, reviewer: str, article_id: str, start: int, end: int, label: str, *,
            attrs: dict[str, Any] | None = None) -> Span:
        """A gold span nobody proposed."""
        return Reviewer(self.db, reviewer).add(article_id, start, end, label, attrs=attrs)

    def accept_agreed(self, reviewer: str, review: ArticleReview) -> list[Span]:
        """Put every undecided proposal all finishers marked in gold, as one change."""
        return Reviewer(self.db, reviewer).accept_agreed(review)

    def finish(self, reviewer: str, article_id: str) -> None:
        """The article's review is done: it leaves the queue."""
        Reviewer(self.db, reviewer).finish(article_id)
