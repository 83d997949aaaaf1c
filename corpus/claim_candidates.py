"""Candidate claim sentences: the sentences a fact-checker is most likely to tag.

Each sentence of an article gets a score from what it carries:

* figures (from :mod:`corpus.figures`) — the strongest sign of a checkable
  statement;
* a reported statement of fact — ``X said (that) …``, ``according to X``,
  ``X told reporters …`` — written in the narrator's voice rather than
  inside quotation marks;
* an assertion about causes or outcomes (``because``, ``led to``,
  ``killed``, ``rose``, ``found``, ``confirmed``…).

Sentences that are questions, mostly a direct quotation (opinion and
colour far more often than fact), very short, or only about what will
happen (``will meet on Thursday``) lose points. The best ``limit``
sentences with a positive score are returned, best first.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from corpus.figures import Figure, find_figures
from corpus.sentences import sentence_bounds

NAME = "claims"
VERSION = 2
DEFAULT_LIMIT = 6

# Cue words are looked up in sets of lower-case words: one simple word
# pattern per sentence is much faster than a long alternation of words.
_REPORTED_WORDS = frozenset(
    "said says told announced confirmed reported estimated estimates found showed show shows disclosed"
    " admitted denied warned concluded ruled wrote revealed recorded counted".split()
)
_REPORTED_PHRASES = ("according to", "put the")
_OUTCOME_WORDS = frozenset(
    """
    because caused causes blamed resulted after since killed killing died destroyed injured injuring flooded
    flooding collapsed failed fell fallen rose risen grew grown increased decreased dropped doubled halved cut
    cost costs lost saved raised spent paid fined charged closed opened built hit struck forced stranding
    stranded carried received reached approved certified agreed signed won resigned dismissed sold bought
    ordered employs employed never first highest lowest largest biggest deadliest record
    """.split()
)
_OUTCOME_PHRASES = ("due to", "as a result", "led to", "leads to")
_FUTURE_WORDS = frozenset("will would could may might should".split())
_FUTURE_PHRASES = ("plans to", "plan to", "is due to", "are due to")
_LOWER_WORD = re.compile(r"[a-z]+")
_QUOTED = re.compile(r'"[^"\n]*"|“[^”\n]*”|„[^“\n]*“|«[^»\n]*»')
_OPENING_QUOTE = re.compile(r'^["“„«]')


@dataclass(frozen=True, slots=True)
class ClaimCandidate:
    """A sentence ``text == article[start:end]`` proposed as a claim, with its score."""

    start: int
    end: int
    score: float
    text: str
    rule: str = ""  # the strongest sign it carries: "figure", "reported", "outcome" or "lead"


def _score(sentence: str, figures: int, is_lead: bool) -> float:
    # Inside quotation marks people mostly give opinions; the reporter's own
    # sentences carry the facts. Count what is said outside the marks.
    has_marks = any(mark in sentence for mark in '"“„«')
    quoted = sum(len(m.group()) for m in _QUOTED.finditer(sentence)) if has_marks else 0
    unquoted = (_QUOTED.sub(" ", sentence) if has_marks else sentence).lower()
    words = _LOWER_WORD.findall(unquoted)
    present = set(words)
    score = 0.0
    if figures:
        score += 2.0 + 0.5 * min(figures - 1, 2)
    if not _REPORTED_WORDS.isdisjoint(present) or any(p in unquoted for p in _REPORTED_PHRASES):
        score += 1.5
    outcome_hits = sum(map(_OUTCOME_WORDS.__contains__, words)) + sum(p in unquoted for p in _OUTCOME_PHRASES)
    score += min(outcome_hits, 3) * 0.6
    if is_lead:
        score += 0.5
    if sentence.rstrip().endswith("?"):
        score -= 2.0
    if has_marks and (_OPENING_QUOTE.match(sentence) or quoted > 0.6 * len(sentence)):
        score -= 2.0
    if len(words) + figures < 6:
        score -= 1.0
    future = not _FUTURE_WORDS.isdisjoint(present) or any(p in unquoted for p in _FUTURE_PHRASES)
    if future and not figures and outcome_hits == 0:
        score -= 1.0
    return round(score, 3)


def find_claim_candidates(
    text: str,
    *,
    limit: int = DEFAULT_LIMIT,
    figures: Sequence[Figure] | None = None,
    sentences: Sequence[tuple[int, int]] | None = None,
) -> list[ClaimCandidate]:
    """The ``limit`` likeliest claim sentences of ``text``, best first.

    ``figures`` and ``sentences`` (``sentence_bounds(text)``) may be passed
    when they are already known, to save finding them again. Ties keep text
    order.
    """
    if limit <= 0:
        return []
    if figures is None:
        figures = find_figures(text)
    figure_starts = sorted(f.start for f in figures)
    scored: list[ClaimCandidate] = []
    if sentences is None:
        sentences = sentence_bounds(text)
    for index, (start, end) in enumerate(sentences):
        count = bisect.bisect_left(figure_starts, end) - bisect.bisect_left(figure_starts, start)
        sentence = text[start:end]
        score = _score(sentence, count, is_lead=index == 0)
        if score > 0:
            scored.append(ClaimCandidate(start, end, score, sentence))
    scored.sort(key=lambda c: (-c.score, c.start))
    return [
        ClaimCandidate(c.start, c.end, c.score, c.text, _main_sign(c, c.start == sentences[0][0], figure_starts))
        for c in scored[:limit]
    ]


def _main_sign(candidate: ClaimCandidate, is_lead: bool, figure_starts: list[int]) -> str:
    """The strongest reason a sentence was proposed, in the order ``_score`` weighs them."""
    if bisect.bisect_left(figure_starts, candidate.end) > bisect.bisect_left(figure_starts, candidate.start):
        return "figure"
    unquoted = _QUOTED.sub(" ", candidate.text).lower()
    words = set(_LOWER_WORD.findall(unquoted))
    if not _REPORTED_WORDS.isdisjoint(words) or any(p in unquoted for p in _REPORTED_PHRASES):
        return "reported"
    if not _OUTCOME_WORDS.isdisjoint(words) or any(p in unquoted for p in _OUTCOME_PHRASES):
        return "outcome"
    return "lead" if is_lead else "other"
