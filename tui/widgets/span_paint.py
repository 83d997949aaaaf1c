"""How spans look in the document: colour where the terminal has it, and a
text attribute per label that survives NO_COLOR and 16-colour terminals.

Each label owns one attribute (claim underline, quote bold, figure italic,
then strike and so on by label position), so overlapping and nested spans
stay apart: a figure inside a quote inside a claim is underlined, bold and
italic at once. The outermost span also tints the background in its label
colour and inner spans colour the text. Pending suggestions are never
tinted, and text under any pending suggestion is dim, so a suggested figure
inside an accepted claim looks unlike an accepted one, without colour too.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from rich.color import Color as RichColor
from rich.style import Style
from textual.color import Color

from store.models import Label

ATTRIBUTES = ("underline", "bold", "italic", "strike", "overline", "underline2")
BLOCK = 512


@dataclass(frozen=True, slots=True)
class PaintedSpan:
    """A span as the document view draws it."""

    id: str
    start: int
    end: int
    label: str
    pending: bool = False


def label_attribute(label: Label) -> str:
    """The text attribute that marks this label without colour."""
    return ATTRIBUTES[label.position % len(ATTRIBUTES)]


class SpanPainter:
    """Styles for runs of text covered by spans, cached by combination."""

    def __init__(self, labels: list[Label], background: Color) -> None:
        self.labels = {label.name: label for label in labels}
        self.background = background
        self._cache: dict[tuple, Style] = {}

    def _tint(self, label: Label, amount: float) -> RichColor:
        colour = Color.parse(label.colour)
        return self.background.blend(colour, amount).rich_color

    def style(self, covering: tuple[PaintedSpan, ...]) -> Style:
        """The style of text covered by ``covering``, outermost span first."""
        key = tuple((span.label, span.pending) for span in covering)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        attributes: dict[str, bool] = {}
        bgcolor = color = None
        accepted = [span for span in covering if not span.pending]
        for span in covering:
            label = self.labels.get(span.label)
            if label is not None:
                attributes[label_attribute(label)] = True
        if accepted:
            outer = self.labels.get(accepted[0].label)
            if outer is not None:
                bgcolor = self._tint(outer, 0.45)
            if len(accepted) > 1 and (inner := self.labels.get(accepted[-1].label)) is not None:
                color = Color.parse(inner.colour).lighten(0.25).rich_color
        if len(accepted) < len(covering):
            attributes["dim"] = True
        style = Style(color=color, bgcolor=bgcolor, **attributes)
        self._cache[key] = style
        return style


class SpanIndex:
    """Spans by position: which spans cover a stretch of text, fast.

    Spans are bucketed by the blocks of text they touch, so a row looks at
    the few spans near it, not at every span of a long article.
    """

    def __init__(self, spans: list[PaintedSpan]) -> None:
        self.spans = sorted(spans, key=lambda s: (s.start, -s.end, s.id))
        self._starts = [span.start for span in self.spans]
        self._blocks: dict[int, list[PaintedSpan]] = {}
        for span in self.spans:
            for block in range(span.start // BLOCK, (span.end - 1) // BLOCK + 1):
                self._blocks.setdefault(block, []).append(span)

    def overlapping(self, start: int, end: int) -> list[PaintedSpan]:
        """Spans that overlap ``[start, end)``, outermost first."""
        found: dict[str, PaintedSpan] = {}
        for block in range(start // BLOCK, max(start, end - 1) // BLOCK + 1):
            for span in self._blocks.get(block, ()):
                if span.start < end and span.end > start:
                    found[span.id] = span
        return sorted(found.values(), key=lambda s: (s.start, -s.end, s.id))

    def at(self, offset: int) -> list[PaintedSpan]:
        """Spans covering ``offset``, outermost first."""
        return self.overlapping(offset, offset + 1)

    def after(self, offset: int) -> PaintedSpan | None:
        """The first span starting after ``offset``."""
        i = bisect.bisect_right(self._starts, offset)
        return self.spans[i] if i < len(self.spans) else None

    def before(self, offset: int) -> PaintedSpan | None:
        """The last span starting before ``offset``."""
        i = bisect.bisect_left(self._starts, offset) - 1
        return self.spans[i] if i >= 0 else None
