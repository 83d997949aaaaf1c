"""The side panel listing an article's spans: label, text, a quote's
speaker, a figure's value. The spans under the cursor are highlighted.
Pending suggestions are listed too, dim and with a ``?`` after their label
(so they read apart without colour), and counted apart in the title.

A Line API list, so an article with thousands of spans costs one row per
screen line. It takes no focus: the keys act on the document.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store.models import Label, Span
from tui.safe_text import visible
from tui.widgets.span_paint import SpanPainter, PaintedSpan


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, (int, float)) else str(value)


def span_details(span: Span) -> str:
    """What the list says about a span besides its text: speaker, value, note."""
    attrs = span.attrs
    parts = []
    if attrs.get("speaker"):
        parts.append(f"— {attrs['speaker']}")
    # A figure's qualifier ("well over") is part of its value.
    qualifier = f"{attrs['approx']} " if attrs.get("approx") else ""
    if attrs.get("value") is not None:
        parts.append(f"= {qualifier}{_number(attrs['value'])}")
    elif attrs.get("low") is not None:
        parts.append(f"= {qualifier}{_number(attrs['low'])}–{_number(attrs.get('high'))}")
    if attrs.get("unit") and parts and parts[-1].startswith("="):
        parts[-1] += f" {attrs['unit']}"
    if attrs.get("note"):
        parts.append(f"({attrs['note']})")
    return " ".join(parts)


class SpanList(ScrollView):
    """One row per span, in text order."""

    COMPONENT_CLASSES = {"span-list--current", "span-list--title"}
    DEFAULT_CSS = """
    SpanList { width: 38; background: $panel; border-left: vkey $primary 50%; overflow-x: hidden;
               scrollbar-size-vertical: 1; }
    SpanList > .span-list--current { text-style: reverse; }
    SpanList > .span-list--title { text-style: bold; }
    """

    def __init__(self, labels: list[Label], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.labels = labels
        self.spans: list[Span] = []
        self.suggested: frozenset[str] = frozenset()
        self.note = ""
        self.current: frozenset[str] = frozenset()
        self._painter: SpanPainter | None = None

    def set_spans(self, spans: list[Span], *, suggested: frozenset[str] = frozenset(), note: str = "") -> None:
        """Show these spans; ``suggested`` are the ids of pending suggestions
        among them, ``note`` ends the title line."""
        self.spans, self.suggested, self.note = spans, suggested, note
        self.virtual_size = Size(self.scrollable_content_region.width, len(spans) + 1)
        self.refresh()

    def set_current(self, span_ids: frozenset[str]) -> None:
        """Highlight the spans under the cursor (and bring the first into view)."""
        if span_ids == self.current:
            return
        rows = [i + 1 for i, span in enumerate(self.spans) if span.id in span_ids | self.current]
        self.current = span_ids
        for row in rows:
            self.refresh_line(row)
        shown = [i + 1 for i, span in enumerate(self.spans) if span.id in span_ids]
        if shown:
            top, height = self.scroll_offset.y, self.scrollable_content_region.height
            if not top <= shown[0] < top + height:
                self.scroll_to(y=max(0, shown[0] - height // 2), animate=False)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._painter = None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = self.scroll_offset.y + y
        base = self.rich_style
        if row == 0:
            own = len(self.spans) - len(self.suggested)
            title = f" {own} span{'s' if own != 1 else ''}"
            title += f" · {len(self.suggested)} suggested" if self.suggested else ""
            title += f" · {self.note}" if self.note else ""
            return Strip([Segment(title, base + self.get_component_rich_style("span-list--title"))]).adjust_cell_length(width, base)
        if row > len(self.spans):
            return Strip.blank(width, base)
        span = self.spans[row - 1]
        if self._painter is None:
            self._painter = SpanPainter(self.labels, self.background_colors[1])
        label_style = base + self._painter.style((PaintedSpan(span.id, span.start, span.end, span.label, span.status == "pending"),))
        line_style = base + self.get_component_rich_style("span-list--current") if span.id in self.current else base
        details = span_details(span)
        name = f"{span.label[:6]}?" if span.id in self.suggested else span.label[:7]
        segments = [
            Segment(f"{name:<7}", label_style),
            Segment(" ", line_style),
            Segment(visible(span.text, keep_newlines=False), line_style),
        ]
        if details:
            segments.insert(2, Segment(visible(details, keep_newlines=False) + " ", line_style + Style(italic=True)))
        return Strip(segments).crop(0, width).adjust_cell_length(width, line_style)
