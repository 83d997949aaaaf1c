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
VERSION = 1
DEFAULT_LIMIT = 6

_REPORTED = re.compile(
    r"\b(?:said|says|told|according\s+to|announced|confirmed|reported|estimated|estimates|found|showed|show"
    r"|shows|disclosed|admitted|denied|warned|concluded|ruled|wrote|revealed|recorded|counted|put\s+the)\b",
    re.IGNORECASE,
)
_OUTCOME = re.compile(
    r"\b(?:because|due\s+to|as\s+a\s+result|led\s+to|leads\s+to|caused|causes|blamed|resulted|after|since"
    r"|killed|killing|died|destroyed|injured|injuring|flooded|flooding|collapsed|failed|fell|fallen|rose|risen"
    r"|grew|grown|increased|decreased|dropped|doubled|halved|cut|cost|costs|lost|saved|raised|spent|paid"
    r"|fined|charged|closed|opened|built|hit|struck|forced|stranding|stranded|carried|received|reached"
    r"|approved|certified|agreed|signed|won|resigned|dismissed|sold|bought|ordered|employs|employed"
    r"|never|first|highest|lowest|largest|biggest|deadliest|record)\b",
    re.IGNORECASE,
)
_FUTURE_ONLY = re.compile(r"\b(?:will|would|could|may|might|should|plans?\s+to|is\s+due\s+to|are\s+due\s+to)\b", re.IGNORECASE)
_QUOTED = re.compile(r'"[^"\n]*"|“[^”\n]*”|„[^“\n]*“|«[^»\n]*»')
_OPENING_QUOTE = re.compile(r'^["“„«]')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class ClaimCandidate:
    """A sentence ``text == article[start:end]`` proposed as a claim, with its score."""

    start: int
    end: int
    score: float
    text: str


def _score(sentence: str, figures: int, is_lead: bool) -> float:
    words = len(_WORD.findall(sentence))
    quoted = sum(len(m.group()) for m in _QUOTED.finditer(sentence))
    # Inside quotation marks people mostly give opinions; the reporter's own
    # sentences carry the facts. Count what is said outside the marks.
    unquoted = _QUOTED.sub(" ", sentence)
    score = 0.0
    if figures:
        score += 2.0 + 0.5 * min(figures - 1, 2)
    if _REPORTED.search(unquoted):
        score += 1.5
    outcome_hits = len(_OUTCOME.findall(unquoted))
    score += min(outcome_hits, 3) * 0.6
    if is_lead:
        score += 0.5
    if sentence.rstrip().endswith("?"):
        score -= 2.0
    if _OPENING_QUOTE.match(sentence) or quoted > 0.6 * len(sentence):
        score -= 2.0
    if words < 6:
        score -= 1.0
    if _FUTURE_ONLY.search(unquoted) and not figures and outcome_hits == 0:
        score -= 1.0
    return round(score, 3)


def find_claim_candidates(
    text: str, *, limit: int = DEFAULT_LIMIT, figures: Sequence[Figure] | None = None
) -> list[ClaimCandidate]:
    """The ``limit`` likeliest claim sentences of ``text``, best first.

    ``figures`` may pass the article's figures when they are already known,
    to save finding them again. Ties keep text order.
    """
    if limit <= 0:
        return []
    if figures is None:
        figures = find_figures(text)
    figure_starts = sorted(f.start for f in figures)
    scored: list[ClaimCandidate] = []
    for index, (start, end) in enumerate(sentence_bounds(text)):
        count = bisect.bisect_left(figure_starts, end) - bisect.bisect_left(figure_starts, start)
        sentence = text[start:end]
        score = _score(sentence, count, is_lead=index == 0)
        if score > 0:
            scored.append(ClaimCandidate(start, end, score, sentence))
    scored.sort(key=lambda c: (-c.score, c.start))
    return scored[:limit]
