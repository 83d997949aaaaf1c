"""Review: the queue of articles to review, and the review screen itself.

The review screen is the annotate screen showing every finisher's spans at
once. Each distinct span (a *proposal*) is listed with its agreement — all,
some or one of the finishers marked it — and its decision. Undecided and
rejected proposals are drawn dim, gold spans solid. ``a`` accepts the
proposal under the cursor into gold, ``x`` rejects it; the annotate keys
correct it (a label key relabels, the edge keys move its edges, a selection
tagged adds a gold span of the reviewer's own). Every change is a span of
the annotator ``gold`` written with the reviewer on its event, so undo and
redo work as when annotating. Enter finishes the article's review and opens
the next article in the queue.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Static

from store import Store
from store.models import Label, Span
from store.review import ArticleReview, Proposal, QueueEntry
from tui.app import ClaimdeskApp
from tui.bindings import REVIEW, REVIEW_QUEUE, label_bindings
from tui.messages import ArticleOpened, CursorMoved
from tui.safe_text import plain, visible
from tui.screens.annotate import AnnotateScreen, ShownSpans, SpansReader
from tui.widgets.span_list import SpanList
from tui.widgets.span_paint import PaintedSpan, SpanPainter

if TYPE_CHECKING:
    from collections.abc import Iterator


DECISION_MARKS = {"accepted": "✓", "rejected": "✗", None: "?"}


def describe(proposal: Proposal, finishers: int) -> str:
    """``all 3/3 ✓``: agreement, how many marked it, and the decision."""
    return (f"{proposal.agreement:<4} {len(proposal.annotators)}/{finishers} "
            f"{DECISION_MARKS[proposal.decision]}")


def shown_spans(review: ArticleReview) -> list[Span]:
    """What the document draws: gold spans solid, every other proposal dim
    (as the first annotator marked it)."""
    spans = []
    for proposal in review.proposals:
        if proposal.decision == "accepted":
            spans.append(proposal.gold)
        else:
            spans.append(proposal.spans[proposal.annotators[0]].model_copy(update={"status": "pending"}))
    return sorted([*spans, *review.gold_only], key=lambda s: (s.start, -s.end, s.id))


def review_spans(store: Store, article_id: str) -> ShownSpans:
    """What the review screen shows of an article: the spans it draws, from the review they come from."""
    review = store.review.article(article_id)
    return ShownSpans(shown_spans(review), review)


def next_in_queue(store: Store, leaving: str, step: int = 1) -> tuple[str | None, int]:
    """The article after (or before) ``leaving`` in the review queue — the top of
    the queue when ``leaving`` is no longer in it — and how many others wait."""
    queue = [entry.article_id for entry in store.review.queue()]
    if leaving not in queue:
        return (queue[0] if queue and step > 0 else None), len(queue)
    index = queue.index(leaving) + step
    return (queue[index] if 0 <= index < len(queue) else None), len(queue) - 1


class ReviewList(SpanList):
    """The span list with each proposal's agreement and decision before its text."""

    def __init__(self, labels: list[Label], *, id: str | None = None) -> None:
        super().__init__(labels, id=id)
        self.notes: dict[str, str] = {}

    def set_notes(self, notes: dict[str, str]) -> None:
        """What to show before each span's text, by span id."""
        self.notes = notes

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = self.scroll_offset.y + y
        if row == 0 or row > len(self.spans):
            return super().render_line(y)
        span = self.spans[row - 1]
        base = self.rich_style
        if self._painter is None:
            self._painter = SpanPainter(self.labels, self.background_colors[1])
        label_style = base + self._painter.style((PaintedSpan(span.id, span.start, span.end, span.label,
                                                              span.status == "pending"),))
        line_style = base + self.get_component_rich_style("span-list--current") if span.id in self.current else base
        segments = [
            Segment(f"{span.label[:7]:<7}", label_style),
            Segment(f" {self.notes.get(span.id, 'gold      ✓')} ", line_style + Style(bold=True)),
            Segment(visible(span.text, keep_newlines=False), line_style),
        ]
        return Strip(segments).crop(0, width).adjust_cell_length(width, line_style)


class ReviewScreen(AnnotateScreen):
    """One article's proposals and its gold layer; see the module docstring."""

    BINDINGS = REVIEW
    BACK_TO = "queue"  # Esc goes back to the review queue (the library is under it)
    SHOWS_SUGGESTIONS = False  # its dim spans are undecided proposals

    def __init__(self, article_id: str, cursor: int | None = None) -> None:
        super().__init__(article_id, cursor)
        self.review: ArticleReview | None = None
        self.targets: dict[str, Proposal | Span] = {}

    @property
    def reviewer(self) -> str:
        """Who reviews: the app's annotator name."""
        return self.app.annotator

    def side_panels(self) -> Iterator[Widget]:
        """The span list, with agreement and decisions."""
        self.span_list = ReviewList(self.app.labels, id="span-list")
        yield self.span_list

    def spans_reader(self) -> SpansReader:
        """Every finisher's proposals and the gold layer, with the review they come from."""
        return review_spans

    def _adopt(self) -> None:
        # The review read with the spans shown (kept on the UI thread, with them).
        review = self.spans_source
        if not isinstance(review, ArticleReview) or review.article_id != self.article_id:
            return
        self.review = review
        targets: dict[str, Proposal | Span] = {}
        notes = {}
        for proposal in review.proposals:
            shown = proposal.gold if proposal.decision == "accepted" else proposal.spans[proposal.annotators[0]]
            targets[shown.id] = proposal
            notes[shown.id] = describe(proposal, len(review.annotators))
        for span in review.gold_only:
            targets[span.id] = span
        self.targets = targets
        self.span_list.set_notes(notes)
        self.span_list.refresh()
        undecided = f"{review.undecided} to decide" if review.undecided else "all decided"
        self.status.show(outlet=f"{', '.join(review.annotators)} · {undecided}",
                         annotator=f"reviewing as {self.reviewer}")
        self._describe_cursor()

    @on(ArticleOpened)
    def review_opened(self) -> None:
        self._adopt()

    def show_spans(self, shown: ShownSpans, changed: Span | None = None) -> None:
        super().show_spans(shown, changed)
        self._adopt()

    @on(CursorMoved)
    def review_cursor_moved(self) -> None:
        self._describe_cursor()

    def _describe_cursor(self) -> None:
        target = self._target()
        if isinstance(target, Proposal):
            note = f"{target.label}: {target.agreement} ({', '.join(target.annotators)}) · {target.decision or 'undecided'}"
        elif isinstance(target, Span):
            note = f"{target.label}: gold, added in review"
        else:
            note = ""
        self.status.show(note=note)

    def _target(self) -> Proposal | Span | None:
        span = self.span_under_cursor()
        return self.targets.get(span.id) if span is not None else None

    # Decisions ------------------------------------------------------------------

    def action_accept(self) -> None:
        """Put the proposal under the cursor into gold."""
        target = self._target()
        if not isinstance(target, Proposal):
            self.notify("already gold" if target else "no span under the cursor", timeout=2)
            return
        article_id, reviewer = self.article_id, self.reviewer
        self.change(lambda store: store.review.accept(reviewer, article_id, target))

    def action_reject(self) -> None:
        """Keep the proposal under the cursor out of gold (a gold span of your own is removed)."""
        target = self._target()
        article_id, reviewer = self.article_id, self.reviewer
        if isinstance(target, Proposal):
            self.change(lambda store: store.review.reject(reviewer, article_id, target))
        elif isinstance(target, Span):
            self.change(lambda store: store.spans.delete(target.id, target.version, reviewer))
        else:
            self.notify("no span under the cursor", timeout=2)

    def action_delete_span(self) -> None:
        """In review, deleting is rejecting."""
        self.action_reject()

    def action_tag(self, label: str) -> None:
        """Tag the selection into gold; with none, give the span under the cursor
        this label (a proposal is corrected: rejected as marked, relabelled in gold)."""
        if self.article is None:
            return
        article_id, reviewer = self.article_id, self.reviewer
        selection = self.view.selection
        target = None if selection is not None else self._target()
        if isinstance(target, Proposal):
            if target.label == label:
                self.action_accept()
            else:
                self.change(lambda store: store.review.correct(reviewer, article_id, target, label=label))
            return
        if isinstance(target, Span):
            if target.label != label:
                self.change(lambda store: store.spans.update(target.id, target.version, reviewer, label=label))
            return
        where = selection or self.default_target(label)
        if where is None:
            self.notify("select what to tag", timeout=3)
            return
        self.view.action_clear_selection()
        same = next((p for p in (self.review.proposals if self.review else [])
                     if (p.start, p.end, p.label) == (*where, label)), None)
        if same is not None:
            self.change(lambda store: store.review.accept(reviewer, article_id, same))
        else:
            self.change(lambda store: store.review.add(reviewer, article_id, where[0], where[1], label))

    def action_move_edge(self, edge: str, step: int) -> None:
        """Move an edge of the span under the cursor by a word (a proposal is corrected in gold)."""
        target = self._target()
        if not isinstance(target, Proposal):
            super().action_move_edge(edge, step)  # a gold span of the reviewer's own: changed in place
            return
        moved = self.moved_edges(target.start, target.end, edge, step)
        if moved is None:
            return
        start, end = moved
        article_id, reviewer = self.article_id, self.reviewer
        self.change(lambda store: store.review.correct(reviewer, article_id, target, start=start, end=end))

    def action_edit_attributes(self) -> None:
        """Edit a gold span's attributes (accept a proposal first)."""
        target = self._target()
        if isinstance(target, Proposal) and target.decision != "accepted":
            self.notify("accept it first (a), then edit its attributes", timeout=3)
            return
        super().action_edit_attributes()

    # Articles -------------------------------------------------------------------

    def _open_next(self, result: tuple[str | None, int]) -> None:
        next_id, waiting = result
        if next_id is None:
            self.notify("The review queue is empty.", timeout=4)
            self.action_queue()
        else:
            self.notify(f"{waiting} article{'s' if waiting != 1 else ''} left to review", timeout=2)
            self.open(next_id)

    def action_mark_done(self) -> None:
        """Finish this article's review and open the next in the queue."""
        if self.article is None:
            return
        article_id, reviewer = self.article_id, self.reviewer

        def job(store: Store) -> tuple[str | None, int]:
            store.review.finish(reviewer, article_id)
            return next_in_queue(store, article_id)

        self.app.run_job(self.app.writer, job, self._open_next, owner=self)

    def action_next_unfinished(self) -> None:
        """The next article in the review queue."""
        article_id = self.article_id
        self.app.run_job(self.app.writer, lambda store: next_in_queue(store, article_id), self._open_next, owner=self)

    def action_article(self, step: int) -> None:
        """The next (1) or previous (-1) article in the review queue."""
        article_id = self.article_id

        def go(result: tuple[str | None, int]) -> None:
            if result[0] is None:
                self.notify("no more articles to review that way", timeout=2)
            else:
                self.open(result[0])

        self.app.run_job(self.app.writer, lambda store: next_in_queue(store, article_id, step), go, owner=self)

    def action_queue(self) -> None:
        """Back to the review queue."""
        self.app.pop_screen()

    def action_library(self) -> None:
        """Back to the review queue (the library is under it)."""
        self.action_queue()


def review_screen_class(labels: list[Label]) -> type[ReviewScreen]:
    """The review screen with a key binding for each label of the database."""
    return type("ReviewScreen", (ReviewScreen,), {"BINDINGS": label_bindings(labels)})


class ReviewQueueScreen(Screen):
    """Articles finished by several annotators, the most disagreement first."""

    BINDINGS = REVIEW_QUEUE
    DEFAULT_CSS = """
    ReviewQueueScreen #queue-header { height: 1; background: $panel; padding: 0 1; }
    ReviewQueueScreen DataTable { height: 1fr; }
    """
    AUTO_FOCUS = "DataTable"

    app: ClaimdeskApp

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[QueueEntry] = []

    def compose(self) -> ComposeResult:
        yield Static(id="queue-header")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="queue-table")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name in ("Disagree", "Spans", "To decide", "Annotators", "Title"):
            table.add_column(name, key=name.lower())
        self.action_refresh()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        """Read the queue again (in the reader thread)."""
        self.app.run_job(self.app.reader, lambda store: store.review.queue(), self.show, owner=self)

    def show(self, entries: list[QueueEntry]) -> None:
        """Fill the table."""
        self.entries = entries
        table = self.query_one(DataTable)
        table.clear()
        for entry in entries:
            table.add_row(
                Text(f"{entry.disagreement:>4.0%} ({entry.disagreeing})", justify="right"),
                Text(str(entry.proposals), justify="right"),
                Text(str(entry.undecided), justify="right"),
                plain(", ".join(entry.annotators)),
                plain(entry.title),
                key=entry.article_id,
            )
        header = (f"{len(entries)} article{'s' if len(entries) != 1 else ''} to review, most disagreement first"
                  if entries else "Nothing to review: no article is finished by two annotators yet.")
        self.query_one("#queue-header", Static).update(header)

    def action_open(self) -> None:
        """Review the article under the cursor."""
        table = self.query_one(DataTable)
        if not self.entries or not 0 <= table.cursor_row < len(self.entries):
            return
        article_id = self.entries[table.cursor_row].article_id
        self.app.with_labels(lambda labels: self.app.push_screen(review_screen_class(labels)(article_id)))

    @on(DataTable.RowSelected)
    def row_chosen(self) -> None:
        self.action_open()

    def action_close(self) -> None:
        """Back to the library."""
        self.app.pop_screen()


class ReviewingApp(ClaimdeskApp):
    """The app opened by ``claimdesk review``: the review queue over the library,
    instead of the article the annotator was last on."""

    # Textual resolves a relative CSS_PATH against the subclass's own module.
    CSS_PATH = Path(inspect.getfile(ClaimdeskApp)).parent / str(ClaimdeskApp.CSS_PATH)

    def resume(self) -> None:
        self.push_screen(ReviewQueueScreen())
