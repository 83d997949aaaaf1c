"""The article text: word-wrapped, spans drawn, a cursor and a selection.

A Line API widget: :meth:`DocumentView.render_line` draws one screen row
from the :class:`DocumentLayout`, and rows are cached by everything that
shows on them, so a cursor move redraws two rows and writes only those to
the terminal. Textual's TextArea needs over a second to mount a couple of
megabytes with soft wrap; this opens a 1 MB article in tens of
milliseconds (see bench/bench_document.py).

The view knows nothing of the store: it shows what the screen gives it
(:meth:`load`, :meth:`set_spans`) and posts :class:`CursorMoved` when the
cursor or the selection changes.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store.models import Label
from tui.bindings import DOCUMENT
from tui.messages import CursorMoved
from tui.widgets.document_layout import MIN_WIDTH, DocumentLayout, char_cells
from tui.widgets.span_paint import PaintedSpan, SpanIndex, SpanPainter


class DocumentView(ScrollView, can_focus=True):
    """A read-only view of one article for annotating."""

    BINDINGS = DOCUMENT
    COMPONENT_CLASSES = {"document-view--cursor", "document-view--selection", "document-view--match"}
    DEFAULT_CSS = """
    DocumentView {
        background: $surface;
        color: $foreground;
        overflow-y: scroll;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        padding: 0 1;
    }
    DocumentView > .document-view--cursor { text-style: reverse bold; }
    DocumentView > .document-view--selection { text-style: reverse; }
    DocumentView > .document-view--match { background: $warning 50%; text-style: bold; }
    """

    def __init__(self, labels: list[Label], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.labels = labels
        self.layout_ = DocumentLayout("")
        self.layout_.wrap(MIN_WIDTH)  # one empty row: keys pressed before the article arrives move nowhere
        self.spans = SpanIndex([])
        self.cursor = 0
        self.anchor: int | None = None
        self.select_mode = False
        self.snap = True
        self.match: tuple[int, int] | None = None
        self._goal_column: int | None = None
        self._generation = 0
        self._strips: LRUCache[tuple, Strip] = LRUCache(1024)
        self._painted: dict[int, tuple] = {}  # screen row -> the row state it was last painted with
        self._cuts: dict[int, int] = {}  # row -> where the cursor was: its next paint splits there
        self._painter: SpanPainter | None = None
        self._dragging = False

    # What the screen gives the view -------------------------------------------

    def load(self, text: str, spans: list[PaintedSpan], cursor: int = 0) -> None:
        """Show a new article with its spans, the cursor at ``cursor``."""
        self.layout_ = DocumentLayout(text)
        self.spans = SpanIndex(spans)
        self.anchor, self.select_mode, self.match = None, False, None
        self.cursor = self.layout_.cell_start(min(max(cursor, 0), self.layout_.last_offset()))
        self._relayout()
        self.scroll_to(y=max(0, self.layout_.row_of(self.cursor) - self.scrollable_content_region.height // 3),
                       animate=False)
        self._moved()

    def set_spans(self, spans: list[PaintedSpan]) -> None:
        """Replace the spans shown (after a change in the store)."""
        self.spans = SpanIndex(spans)
        self._invalidate()

    def set_match(self, match: tuple[int, int] | None) -> None:
        """Highlight a search match (or none)."""
        if match != self.match:
            self.match = match
            self._invalidate()

    @property
    def text(self) -> str:
        return self.layout_.text

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected text as ``[start, end)``, snapped to words when snapping is on."""
        if self.anchor is None:
            return None
        start, end = min(self.anchor, self.cursor), self.layout_.cell_end(max(self.anchor, self.cursor))
        end = min(end, len(self.text))
        if self.snap:
            start, end = self.layout_.snap(start, end)
        return (start, end) if start < end else None

    def spans_at_cursor(self) -> list[PaintedSpan]:
        """Spans covering the cursor, outermost first."""
        return self.spans.at(self.cursor)

    # Moving -----------------------------------------------------------------

    def move_to(self, offset: int, *, extend: bool = False, keep_goal: bool = False) -> None:
        """Put the cursor at ``offset``; ``extend`` grows the selection from where it was."""
        before = (self.cursor, self.selection)
        if extend and self.anchor is None:
            self.anchor = self.cursor
        elif not extend and not self.select_mode:
            self.anchor = None
        self.cursor = self.layout_.cell_start(min(max(offset, 0), self.layout_.last_offset()))
        if not keep_goal:
            self._goal_column = None
        if (self.cursor, self.selection) == before:
            return
        self._refresh_change()
        self._scroll_to_cursor()
        self._moved()

    def action_move(self, where: str, extend: bool = False) -> None:
        """Move the cursor by a unit: see the bindings in tui/bindings.py."""
        layout, cursor = self.layout_, self.cursor
        if where in ("up", "down", "page_up", "page_down"):
            if self._goal_column is None:
                self._goal_column = layout.column_of(cursor)
            height = max(1, self.scrollable_content_region.height)
            step = {"up": -1, "down": 1, "page_up": -height, "page_down": height}[where]
            row = layout.row_of(cursor) + step
            if where.startswith("page"):
                self.scroll_to(y=self.scroll_y + step, animate=False)
            self.move_to(layout.offset_at(row, self._goal_column), extend=extend, keep_goal=True)
            return
        target = {
            "left": lambda: cursor - 1,
            "right": lambda: layout.cell_end(cursor),
            "word_next": lambda: layout.next_word(cursor),
            "word_previous": lambda: layout.previous_word(cursor),
            "sentence_next": lambda: layout.next_sentence(cursor),
            "sentence_previous": lambda: layout.previous_sentence(cursor),
            "paragraph_next": lambda: layout.next_paragraph(cursor),
            "paragraph_previous": lambda: layout.previous_paragraph(cursor),
            "start": lambda: 0,
            "end": lambda: layout.last_offset(),
        }[where]()
        self.move_to(target, extend=extend)

    def action_select_mode(self) -> None:
        """Drop an anchor: movement extends the selection until Esc or a tag."""
        self.select_mode = not self.select_mode
        self.anchor = self.cursor if self.select_mode else None
        self._refresh_change()
        self._moved()

    def action_select_sentence(self) -> None:
        """Select the sentence under the cursor."""
        sentence = self.layout_.sentence_at(self.cursor)
        if sentence is not None:
            self.select_range(*sentence)

    def select_range(self, start: int, end: int) -> None:
        """Select ``[start, end)``, the cursor on its last character."""
        self.select_mode = False
        self.anchor = start
        self.cursor = self.layout_.cell_start(max(start, end - 1))
        self._refresh_change()
        self._scroll_to_cursor()
        self._moved()

    def action_clear_selection(self) -> None:
        """Drop the selection (and leave select mode)."""
        if self.anchor is None and not self.select_mode:
            return
        self.anchor, self.select_mode = None, False
        self._refresh_change()
        self._moved()

    @property
    def selecting(self) -> bool:
        """Whether there is a selection (or select mode) for Esc to clear."""
        return self.anchor is not None or self.select_mode

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # With nothing to clear, Esc goes on to the screen (back to the library).
        if action == "clear_selection" and not self.selecting:
            return False
        return True

    def action_toggle_snap(self) -> None:
        """Turn snapping of the selection to word boundaries on or off."""
        self.snap = not self.snap
        self._refresh_change()
        self.notify(f"Selection snaps to words: {'on' if self.snap else 'off'}", timeout=2)
        self._moved()

    def _moved(self) -> None:
        self.post_message(CursorMoved(self.cursor, self.selection))

    # Scrolling and repainting -------------------------------------------------

    def _relayout(self) -> None:
        width = max(1, self.scrollable_content_region.width)
        self.layout_.wrap(width)
        self.virtual_size = Size(width, self.layout_.row_count)
        self._invalidate()

    def _invalidate(self) -> None:
        self._generation += 1
        self._cuts.clear()
        self._strips.clear()
        self._painter = None
        self.refresh()

    def _refresh_change(self) -> None:
        """Repaint only the visible rows whose look changed.

        Each row is painted from :meth:`_row_state`, and the state it was
        last painted with is kept per screen row, so the rows to repaint are
        exactly those whose state differs now. Working out by hand which rows
        a move touches missed some (a cursor at a wrap point showed on two
        rows, and the stale one was never repainted)."""
        top = self.scroll_offset.y
        for y in range(self.scrollable_content_region.height):
            row = top + y
            old, new = self._painted.get(y), self._row_state(row)
            if old == new:
                continue
            if old is not None and len(old) == len(new) == 5 and old[:2] == new[:2] and old[3:] == new[3:]:
                # Only the cursor came or went: repaint its cells, not the
                # row (the row is cut there so the terminal gets only them).
                if old[2] is not None:
                    self._cuts[row] = old[2]
                for cursor in (old[2], new[2]):
                    if cursor is not None:
                        self._refresh_cells(row, cursor)
            else:
                self.refresh_line(row)

    def _refresh_cells(self, row: int, offset: int) -> None:
        layout = self.layout_
        char = layout.display[offset] if offset < len(layout.display) else "\n"
        cells = 1 if char == "\n" else max(1, char_cells(char))
        self.refresh(Region(layout.column_of(offset), row - self.scroll_offset.y, cells, 1))

    def _scroll_to_cursor(self) -> None:
        row = self.layout_.row_of(self.cursor)
        height = max(1, self.scrollable_content_region.height)
        top = self.scroll_offset.y
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False)

    def on_resize(self, event: events.Resize) -> None:
        if self.layout_.width != max(1, self.scrollable_content_region.width):
            self._relayout()
            self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._painter = None
        self._strips.clear()

    # Drawing -----------------------------------------------------------------

    def _styles(self) -> tuple[SpanPainter, Style, Style, Style]:
        if self._painter is None:
            self._painter = SpanPainter(self.labels, self.background_colors[1])
        return (
            self._painter,
            self.get_component_rich_style("document-view--cursor", partial=True),
            self.get_component_rich_style("document-view--selection", partial=True),
            self.get_component_rich_style("document-view--match", partial=True),
        )

    def _row_state(self, row: int) -> tuple:
        """Everything that shows on ``row``: rows with equal states look the same."""
        layout = self.layout_
        if row >= layout.row_count:
            return (row, self._generation)
        start, end = layout.row_span(row)
        # A row that ends its line also shows the newline, where the cursor
        # can sit; a wrapped row's end offset is the next row's first.
        stop = end + 1 if layout.ends_line(row) else end
        cursor = self.cursor if start <= self.cursor < stop else None
        return (row, self._generation, cursor, _clip(self.selection, start, stop), _clip(self.match, start, stop))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = self.scroll_offset.y + y
        state = self._row_state(row)
        self._painted[y] = state
        cut = self._cuts.pop(row, None)
        strip = self._strips.get((state, width, cut))
        if strip is None:
            base = self.rich_style
            if row >= self.layout_.row_count:
                strip = Strip.blank(width, base)
            else:
                start, end = self.layout_.row_span(row)
                _row, _generation, cursor, selection, match = state
                strip = self._render_row(start, end, cursor, selection, match, base, cut)
                strip = strip.adjust_cell_length(width, base)
                if cut is None:
                    # Each segment costs its escape sequences: one run of one style is one segment.
                    strip = strip.simplify()
            self._strips[state, width, cut] = strip
        return strip

    def _render_row(self, start: int, end: int, cursor: int | None, selection: tuple[int, int] | None,
                    match: tuple[int, int] | None, base: Style, cut: int | None = None) -> Strip:
        painter, cursor_style, selection_style, match_style = self._styles()
        spans = self.spans.overlapping(start, end)
        points = {start, end}
        for span in spans:
            points.update((max(span.start, start), min(span.end, end)))
        for pair in (selection, match):
            if pair:
                points.update((min(pair[0], end), min(pair[1], end)))
        layout = self.layout_
        for at in (cursor, cut):
            if at is not None and start <= at < end:
                points.update((at, min(layout.cell_end(at), end)))
        display, unsent = layout.display, layout.unsent
        segments = []
        ordered = sorted({start} | {min(layout.cell_boundary(point), end) for point in points})
        for a, b in zip(ordered, ordered[1:]):
            covering = tuple(s for s in spans if s.start <= a and s.end >= b)
            style = base + painter.style(covering)
            selected = selection is not None and selection[0] <= a < selection[1]
            if match is not None and match[0] <= a < match[1]:
                style += match_style
            if selected:
                style += selection_style
            if cursor is not None and a == cursor:
                style += _cursor_within(cursor_style, selected)
            text = display[a:b]
            segments.append(Segment(text.translate(unsent) if unsent else text, style))
        if cursor is not None and cursor >= end:
            selected = selection is not None and selection[0] <= cursor < selection[1]
            segments.append(Segment(" ", base + _cursor_within(cursor_style, selected)))
        return Strip(segments)

    # Mouse -------------------------------------------------------------------

    def _offset_at(self, event: events.MouseEvent) -> int:
        region = self.scrollable_content_region
        row = self.scroll_offset.y + event.y - (region.y - self.region.y)
        return self.layout_.offset_at(row, event.x - (region.x - self.region.x))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        self.focus()
        self.select_mode = False
        self.move_to(self._offset_at(event))
        self.anchor = self.cursor
        self._dragging = True
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            self.move_to(self._offset_at(event), extend=True)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if not self._dragging:
            return
        self._dragging = False
        self.release_mouse()
        if self.anchor == self.cursor:
            self.action_clear_selection()


def _clip(pair: tuple[int, int] | None, start: int, stop: int) -> tuple[int, int] | None:
    if pair is None or pair[1] <= start or pair[0] >= stop:
        return None
    return max(pair[0], start), min(pair[1], stop)


def _cursor_within(cursor_style: Style, selected: bool) -> Style:
    """Inside a (reversed) selection the cursor is the one cell not reversed,
    so it shows without colour too."""
    return cursor_style + Style(reverse=False) if selected else cursor_style

