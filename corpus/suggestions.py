"""Every suggester over one article: figures, quotes and claim sentences.

``suggest`` is the one entry point the store and the app call. Each
suggestion names the suggester and version that made it (``"figures@1"``),
which the store records as the suggestion's annotator, so a new version of
a suggester never mixes with the output of an old one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from corpus import claim_candidates, figures, quotes
from corpus.sentences import sentence_bounds


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A proposed span ``article[start:end]`` with its label and attributes.

    ``label`` is ``"figure"``, ``"quote"`` or ``"claim"``. ``attrs`` holds
    a figure's ``value``, ``low``, ``high``, ``unit`` and ``approx``; a
    quote's ``speaker``; a claim's ``score``. ``suggester`` is
    ``"name@version"``; ``rule`` says why it was suggested, as
    ``"<label>:<rule>"`` (``"figure:currency"``, ``"quote:speaker-after"``,
    ``"claim:figure"``), for the status line and for counting by rule.
    """

    start: int
    end: int
    label: str
    attrs: dict[str, Any] = field(hash=False)
    suggester: str
    rule: str = ""


def _tag(module: Any) -> str:
    return f"{module.NAME}@{module.VERSION}"


def suggest(
    text: str, *, include_dates: bool = False, claim_limit: int = claim_candidates.DEFAULT_LIMIT
) -> list[Suggestion]:
    """All suggestions for ``text``, ordered by start, then end, then label.

    ``include_dates`` makes dates and years figures too; ``claim_limit`` is
    the most claim sentences proposed for the article.
    """
    found_figures = figures.find_figures(text, include_dates=include_dates)
    sentences = sentence_bounds(text)
    suggestions = [
        Suggestion(
            f.start, f.end, "figure",
            {"value": f.value, "low": f.low, "high": f.high, "unit": f.unit, "approx": f.approx},
            _tag(figures),
            f"figure:{f.rule}",
        )
        for f in found_figures
    ]
    suggestions += [
        Suggestion(q.start, q.end, "quote", {"speaker": q.speaker}, _tag(quotes), f"quote:{q.rule}")
        for q in quotes.find_quotes(text, sentences=sentences)
    ]
    # Claims are scored on real figures only: a date does not make a claim.
    claim_figures = found_figures if not include_dates else [f for f in found_figures if f.unit not in ("date", "time")]
    suggestions += [
        Suggestion(c.start, c.end, "claim", {"score": c.score}, _tag(claim_candidates), f"claim:{c.rule}")
        for c in claim_candidates.find_claim_candidates(
            text, limit=claim_limit, figures=claim_figures, sentences=sentences
        )
    ]
    suggestions.sort(key=lambda s: (s.start, s.end, s.label))
    return suggestions
