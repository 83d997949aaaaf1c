"""The team's numbers: progress and pace per annotator, counts per label, and
agreement between annotators and with gold.

Spans counted are accepted ones (pending suggestions are nobody's work yet).
Agreement between two annotators is measured on the articles both finished;
with gold, on the articles whose review is finished. The figures themselves
come from :mod:`corpus.agreement`.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from store.sqlite import sqlite_utils
from pydantic import BaseModel

from corpus.agreement import Agreement, Document, compare
from corpus.sentences import token_bounds
from corpus.span_metrics import Span as SpanTuple
from corpus.span_metrics import SpanScores
from store.db import snapshot
from store.review import GOLD

# A pause between two of an annotator's events longer than this is a break,
# not work: it does not count towards their active time.
ACTIVE_GAP_S = 5 * 60
# Pace over less active time than this would be noise (two tags a second apart).
MIN_ACTIVE_S = 60


class AnnotatorStats(BaseModel):
    """One annotator's progress and pace."""

    annotator: str
    finished: int
    spans: int
    spans_by_label: dict[str, int]
    active_hours: float
    pace: float | None  # spans per active hour; None before a minute of active time


class LabelStats(BaseModel):
    """How often a label is used."""

    label: str
    spans: int  # by annotators
    gold: int


class Scores(BaseModel):
    """Span agreement of ``first`` measured against ``second``; the figures are
    None where neither marked a span (nothing to agree on is not agreement)."""

    matched: int
    first: int
    second: int
    precision: float | None
    recall: float | None
    f1: float | None

    @classmethod
    def of(cls, scores: SpanScores) -> Scores:
        """From :class:`corpus.span_metrics.SpanScores`."""
        if scores.predicted == scores.gold == 0:
            return cls(matched=0, first=0, second=0, precision=None, recall=None, f1=None)
        return cls(matched=scores.matched, first=scores.predicted, second=scores.gold,
                   precision=scores.precision, recall=scores.recall, f1=scores.f1)


class LabelAgreement(BaseModel):
    """Agreement on one label."""

    exact: Scores
    overlap: Scores
    kappa: float | None


class PairStats(BaseModel):
    """Agreement between two annotators (or an annotator and gold)."""

    first: str
    second: str
    articles: int
    tokens: int
    exact: Scores
    overlap: Scores
    kappa: float | None
    labels: dict[str, LabelAgreement]

    @classmethod
    def of(cls, first: str, second: str, agreement: Agreement) -> PairStats:
        """From :class:`corpus.agreement.Agreement`."""
        return cls(
            first=first, second=second, articles=agreement.documents, tokens=agreement.tokens,
            exact=Scores.of(agreement.exact_total), overlap=Scores.of(agreement.overlap_total), kappa=agreement.kappa,
            labels={
                label: LabelAgreement(exact=Scores.of(agreement.exact[label]), overlap=Scores.of(agreement.overlap[label]),
                                      kappa=agreement.kappa_by_label[label])
                for label in agreement.exact
            },
        )


class TeamStats(BaseModel):
    """Everything ``claimdesk stats`` reports."""

    articles: int
    reviewed: int
    annotators: list[AnnotatorStats]
    labels: list[LabelStats]
    pairs: list[PairStats]
    versus_gold: list[PairStats]


def _annotators(db: sqlite_utils.Database) -> list[str]:
    """People who annotated: anyone who finished an article or has accepted spans
    they made or imported (a reviewer who only opened articles is not one)."""
    rows = db.execute(
        "SELECT annotator FROM progress WHERE status = 'done' AND annotator != :gold"
        " UNION SELECT annotator FROM spans WHERE status = 'accepted' AND origin != 'suggested' AND annotator != :gold"
        " ORDER BY 1",
        {"gold": GOLD},
    )
    return [r[0] for r in rows]


def _active_seconds(db: sqlite_utils.Database) -> dict[str, float]:
    """Per annotator, the time between their consecutive events, breaks left out."""
    gap = db.seconds_between("lag(at) OVER (PARTITION BY annotator ORDER BY seq)", "at")
    rows = db.execute(
        "SELECT annotator, sum(CASE WHEN gap <= :gap THEN gap ELSE 0 END) FROM ("
        f"  SELECT annotator, {gap} AS gap"
        "  FROM events) AS gaps GROUP BY annotator",
        {"gap": ACTIVE_GAP_S},
    )
    return {annotator: seconds or 0.0 for annotator, seconds in rows}


def _finished(db: sqlite_utils.Database) -> dict[str, set[str]]:
    """Per annotator (gold included: its reviewed articles), the articles they finished."""
    done: dict[str, set[str]] = {}
    for article_id, annotator in db.execute("SELECT article_id, annotator FROM progress WHERE status = 'done'"):
        done.setdefault(annotator, set()).add(article_id)
    return done


def _span_counts(db: sqlite_utils.Database) -> dict[tuple[str, str], int]:
    return {
        (annotator, label): n
        for annotator, label, n in db.execute(
            "SELECT annotator, label, count(*) FROM spans WHERE status = 'accepted' GROUP BY annotator, label"
        )
    }


class _Articles:
    """Tokens and accepted spans of the articles being compared, each read once."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._tokens: dict[str, list[tuple[int, int]]] = {}
        self._spans: dict[str, dict[str, list[SpanTuple]]] = {}

    def _load(self, article_id: str) -> None:
        with snapshot(self.db):  # a short read per article, not one long one over all
            text = self.db.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()[0]
            by_annotator: dict[str, list[SpanTuple]] = {}
            for annotator, start, end, label in self.db.execute(
                'SELECT annotator, start, "end", label FROM spans WHERE article_id = ? AND status = \'accepted\'',
                [article_id],
            ):
                by_annotator.setdefault(annotator, []).append((start, end, label))
        self._tokens[article_id] = token_bounds(text)
        self._spans[article_id] = by_annotator

    def documents(self, articles: set[str], first: str, second: str) -> Iterator[Document]:
        """Each article as ``first`` and ``second`` marked it."""
        for article_id in sorted(articles):
            if article_id not in self._tokens:
                self._load(article_id)
            spans = self._spans[article_id]
            yield Document(self._tokens[article_id], spans.get(first, []), spans.get(second, []))


def team_stats(db: sqlite_utils.Database) -> TeamStats:
    """Compute every figure from the database as it is now."""
    with snapshot(db):
        names = _annotators(db)
        labels = [r[0] for r in db.execute("SELECT name FROM labels ORDER BY position, name")]
        finished = _finished(db)
        counts = _span_counts(db)
        active = _active_seconds(db)
        article_count = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    people = []
    for name in names:
        by_label = {label: counts.get((name, label), 0) for label in labels}
        total = sum(by_label.values())
        hours = active.get(name, 0.0) / 3600
        people.append(AnnotatorStats(
            annotator=name, finished=len(finished.get(name, ())), spans=total, spans_by_label=by_label,
            active_hours=round(hours, 3), pace=total / hours if hours * 3600 >= MIN_ACTIVE_S else None,
        ))
    label_stats = [
        LabelStats(label=label, spans=sum(counts.get((n, label), 0) for n in names), gold=counts.get((GOLD, label), 0))
        for label in labels
    ]
    articles = _Articles(db)
    pairs = []
    for first, second in combinations(names, 2):
        shared = finished.get(first, set()) & finished.get(second, set())
        if shared:
            pairs.append(PairStats.of(first, second, compare(articles.documents(shared, first, second), labels)))
    reviewed = finished.get(GOLD, set())
    versus_gold = []
    for name in names:
        shared = finished.get(name, set()) & reviewed
        if shared:
            versus_gold.append(PairStats.of(name, GOLD, compare(articles.documents(shared, name, GOLD), labels)))
    return TeamStats(articles=article_count, reviewed=len(reviewed), annotators=people, labels=label_stats,
                     pairs=pairs, versus_gold=versus_gold)
