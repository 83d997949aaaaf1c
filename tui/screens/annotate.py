"""The annotate screen: read an article, select, tag, fix, undo.

The document view moves the cursor and keeps the selection; this screen
turns keys into changes through the store (in the writer thread, each one
committed at once) and shows the result. Extension points for later
features:

- :meth:`AnnotateScreen.spans_reader` decides which spans show: it gives
  the job that reads them, a plain function of the store and the article
  (a review mode shows every annotator's; pending suggestions show beside
  the annotator's own, see :mod:`tui.screens.annotate_suggestions`);
- :meth:`AnnotateScreen.side_panels` yields the panels beside the text (a
  matches panel goes here) and :class:`tui.messages.SpansChanged` /
  :class:`tui.messages.ArticleOpened` tell them what happened;
- :meth:`AnnotateScreen.change` runs any store change with saving state,
  conflict handling and a reload; new keys add bindings to
  ``tui.bindings.ANNOTATE`` and an ``action_`` method here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from rich.style import Style
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget

from corpus.figures import find_figures
from corpus.numbers import find_numbers
from store import SpanConflict, Store, StoreError
from store.models import Article, Label, Span
from tui.bindings import ANNOTATE, label_bindings
from tui.screens.annotate_suggestions import SuggestionDecisions
from tui.screens.claim_matching import ClaimMatching
from tui.safe_text import visible
from tui.messages import ArticleOpened, CursorMoved, SearchChanged, SearchClosed, SearchNext, SpansChanged
from tui.widgets.document_view import DocumentView
from tui.widgets.key_footer import FooterItem, KeyFooter
from tui.widgets.matches_panel import MatchesPanel
from tui.widgets.search_bar import SearchBar
from tui.display_hold import DisplayHold
from tui.widgets.span_list import SpanList
from tui.widgets.span_paint import PaintedSpan, label_attribute
from tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from tui.app import ClaimdeskApp

SAVE_CURSOR_AFTER_S = 1.0
NARROW = 100  # below this many columns the span list folds away


def painted(spans: list[Span]) -> list[PaintedSpan]:
    """The spans as the document view draws them."""
    return [PaintedSpan(s.id, s.start, s.end, s.label, s.status == "pending") for s in spans]


@dataclass(frozen=True)
class ShownSpans:
    """The spans a screen shows of an article, read in one job, and what they were
    worked out from when the screen needs that too (the review screen: the review)."""

    spans: list[Span]
    source: Any = None


SpansReader = Callable[[Store, str], ShownSpans]


def annotator_spans(store: Store, article_id: str, *, annotator: str, suggestions: bool) -> ShownSpans:
    """``annotator``'s own spans of the article and, with ``suggestions``, the
    suggestions pending for them, in text order."""
    own = store.spans.for_article(article_id, annotator=annotator, statuses=("accepted",))
    pending = store.suggestions.pending(article_id, annotator) if suggestions else []
    return ShownSpans(sorted([*own, *pending], key=lambda s: (s.start, -s.end, s.id)))


def figure_attrs(text: str, start: int, end: int) -> dict[str, Any]:
    """A figure's value, range, unit and qualifier, when ``text[start:end]`` reads as one."""
    for figure in find_figures(text[start:end]):
        attrs = {"value": figure.value, "low": figure.low, "high": figure.high, "unit": figure.unit,
                 "approx": figure.approx}
        return {k: v for k, v in attrs.items() if v is not None}
    return {}


class AnnotateScreen(SuggestionDecisions, ClaimMatching, Screen):
    """One article at a time, with its spans; see the module docstring."""

    BINDINGS = ANNOTATE
    DEFAULT_CSS = """
    AnnotateScreen #panes { height: 1fr; }
    AnnotateScreen DocumentView { width: 1fr; }
    """
    AUTO_FOCUS = "DocumentView"

    app: ClaimdeskApp

    def __init__(self, article_id: str, cursor: int | None = None, *, hold: DisplayHold | None = None) -> None:
        super().__init__()
        self.article_id = article_id
        self._hold = hold  # released once the first article's text is in the view
        self.article: Article | None = None
        self.spans: list[Span] = []
        self.spans_source: Any = None  # what the spans shown were worked out from (see ShownSpans)
        self._start_cursor = cursor
        self._span_list_wanted: bool | None = None  # None: shown when wide enough
        self._search_origin = 0
        self._search: re.Pattern[str] | None = None
        self._save_timer = None
        self._saved_cursor: int | None = None
        self._unsaved = 0
        self._selecting = False
        self._edge_mark: tuple[int, int] | None = None

    # Layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Kept as attributes: the position is saved on unmount, after the children have gone.
        self.status = StatusLine(id="status")
        self.view = DocumentView(self.app.labels, id="document")
        self.span_list = SpanList(self.app.labels, id="span-list")
        self.matches_panel = MatchesPanel(id="matches")
        self.matches_panel.display = False
        yield self.status
        with Horizontal(id="panes"):
            yield self.view
            yield from self.side_panels()
        yield SearchBar(id="search")
        yield KeyFooter(id="footer")

    # Where Esc leads when there is no selection to clear (the review screen: its queue).
    BACK_TO = "library"

    def footer_items(self) -> list[FooterItem]:
        """The footer, most important first: the label keys, each in its label's
        style, the suggestion keys, the panels, then the rest; the way back and
        ``?`` always show."""
        # The Matches panel's and the search bar's own keys, while they have the focus.
        items = [FooterItem((("matches.open", "open"),)), FooterItem((("matches.link", "link"),)),
                 FooterItem((("matches.not-same", "not same"),)), FooterItem((("search.next", "next"),))]
        for label in self.app.labels or []:
            if label.key:
                style = Style(color=label.colour, **{label_attribute(label): True})
                items.append(FooterItem(((f"label.{label.name}", label.name),), styles={f"label.{label.name}": style}))
        items += [
            FooterItem((("review.accept", "accept"), ("review.reject", "reject")), group="proposal"),
            FooterItem((("annotate.accept-suggestion", "accept"), ("annotate.reject-suggestion", "reject")),
                       group="suggestion"),
            FooterItem((("annotate.toggle-span-list", "spans"), ("annotate.toggle-matches", "matches"),
                        ("app.claims", "claims")), group="panels"),
            FooterItem((("annotate.select-mode", "select"),), extra=True),
            FooterItem((("annotate.select-sentence", "sentence"),), extra=True),
            FooterItem((("annotate.undo", "undo"),), extra=True),
            FooterItem((("annotate.delete-span", "delete"),), extra=True),
            FooterItem((("annotate.span-end-previous", "end"), ("annotate.span-end-next", "end")), group="end", extra=True),
            FooterItem((("annotate.search", "search"),), extra=True),
            FooterItem((("annotate.mark-done", "done, next"),), extra=True),
            FooterItem((("review.finish", "reviewed, next"),), extra=True),
            FooterItem((("matches.back", "close"), ("search.close", "close"), ("annotate.clear-selection", "clear"),
                        ("annotate.back", "close panel" if self.matches_panel.display else self.BACK_TO)),
                       one_of=True, end=True),
            FooterItem((("app.help", "more"),), end=True),
        ]
        return items

    def side_panels(self) -> Iterator[Widget]:
        """The panels to the right of the text."""
        yield self.span_list
        yield self.matches_panel

    def on_mount(self) -> None:
        self._fold_span_list()  # before the first layout: folding it later lays out and draws again
        self.status.show(annotator=self.app.annotator)
        self.open(self.article_id, self._start_cursor)

    def on_resize(self) -> None:
        self._fold_span_list()

    def _fold_span_list(self) -> None:
        wanted = self._span_list_wanted
        self.span_list.display = wanted if wanted is not None else self.app.size.width >= NARROW

    def action_toggle_span_list(self) -> None:
        """Show or hide the span list (it folds away by itself below 100 columns)."""
        self._span_list_wanted = not self.span_list.display
        self._fold_span_list()

    # Opening articles -----------------------------------------------------------

    def spans_reader(self) -> SpansReader:
        """How the spans this screen shows are read: a plain function of the store
        and the article id, made here from what the screen shows now and run in
        the writer thread: the annotator's own spans and the suggestions pending
        for them (none while hidden)."""
        return partial(annotator_spans, annotator=self.app.annotator,
                       suggestions=self.SHOWS_SUGGESTIONS and self.suggestions_shown)

    def take_spans(self, shown: ShownSpans) -> None:
        """Keep what a job read (on the UI thread, before it is drawn)."""
        self.spans = shown.spans
        self.spans_source = shown.source

    def own_spans(self) -> list[Span]:
        """The spans shown that are annotations (not suggestions): the ones the tag and edit keys act on."""
        return [span for span in self.spans if not self.is_suggestion(span)]

    def open(self, article_id: str, cursor: int | None = None) -> None:
        """Show an article; without ``cursor``, where this annotator left it."""
        self.save_position()
        annotator, read_spans = self.app.annotator, self.spans_reader()

        def job(store: Store):
            article = store.articles.get(article_id)
            if article is None:
                raise StoreError(f"no article with id {article_id!r}")
            progress = store.progress
            before = progress.get(article_id, annotator)
            progress.open(article_id, annotator)
            shown = read_spans(store, article_id)
            return article, shown, before, store.articles.position(article_id), store.articles.count()

        def show(result) -> None:
            article, shown, before, position, total = result
            self.article, self.article_id = article, article.id
            self.take_spans(shown)
            start = cursor if cursor is not None else (before.cursor if before else 0)
            self._saved_cursor = start
            self.view.load(article.text, painted(self.spans), start)
            self._list_spans()
            done = " · done" if before and before.status == "done" else ""
            self.status.show(position=f"article {position:,} of {total:,}{done}", outlet=article.outlet)
            self.app.article_hold.opened(article.id)
            self.post_message(ArticleOpened(article.id))
            self._release_hold()

        def failed(error: Exception) -> None:
            self._release_hold()  # the message must show now, not when the hold times out
            self.notify(visible(str(error)), severity="error", timeout=8, markup=False)

        self.app.run_job(self.app.writer, job, show, on_error=failed, owner=self)

    def _release_hold(self) -> None:
        if self._hold is not None:
            self._hold.release()
            self._hold = None

    def show_spans(self, shown: ShownSpans, changed: Span | None = None) -> None:
        """Redraw after the spans changed."""
        self.take_spans(shown)
        self.view.set_spans(painted(self.spans))
        self._list_spans()
        self._update_current()
        self.post_message(SpansChanged(self.article_id, changed.id if changed else None))

    def _list_spans(self) -> None:
        self.span_list.set_spans(self.spans, suggested=self.suggestion_ids(),
                                 note="" if self.suggestions_shown or not self.SHOWS_SUGGESTIONS else "suggestions hidden")

    # Changing spans -------------------------------------------------------------

    def change(self, job: Callable[[Store], Span | None], *, move_cursor: bool = False,
               nothing: str = "", report: str = "", then: Callable[[Span], None] | None = None) -> None:
        """Run a store change in the writer thread, then reload and show the spans.

        ``job`` returns the span it changed (or None, reported as ``nothing``;
        else ``report`` is, when given); ``move_cursor`` puts the cursor
        on that span afterwards; ``then`` is called with it once it shows.
        """
        article_id, read_spans = self.article_id, self.spans_reader()
        self._unsaved += 1
        self.app.article_hold.active()
        self.status.show(saved=False)

        def run(store: Store):
            return job(store), read_spans(store, article_id)

        def done(result) -> None:
            self._saved_one()
            span, shown = result
            if article_id != self.article_id:
                return
            self.show_spans(shown, span)
            if span is None and nothing:
                self.notify(nothing, timeout=3)
            elif span is not None and report:
                self.notify(report, timeout=3)
            if span is not None and move_cursor:
                self.view.move_to(span.start)
            if span is not None and then is not None:
                then(span)

        def failed(error: Exception) -> None:
            self._saved_one()
            # Store errors quote ids and text, which are untrusted: no markup, no control characters.
            self.notify(visible(str(error)), severity="warning" if isinstance(error, SpanConflict) else "error",
                        timeout=6, markup=False)
            if isinstance(error, SpanConflict):
                self.reload_spans()

        self.app.run_job(self.app.writer, run, done, on_error=failed, owner=self)

    def _saved_one(self) -> None:
        self._unsaved -= 1
        self.status.show(saved=self._unsaved == 0)

    def reload_spans(self) -> None:
        """Read the spans again (after another session changed them)."""
        article_id, read_spans = self.article_id, self.spans_reader()
        self.app.run_job(self.app.writer, lambda store: read_spans(store, article_id),
                         lambda shown: self.show_spans(shown) if article_id == self.article_id else None, owner=self)

    def span_under_cursor(self) -> Span | None:
        """The innermost span under the cursor (of mine: suggestions are decided with their own keys)."""
        by_id = {span.id: span for span in self.own_spans()}
        covering = [by_id[span.id] for span in self.view.spans_at_cursor() if span.id in by_id]
        return covering[-1] if covering else None

    def default_target(self, label: str) -> tuple[int, int] | None:
        """What a label key tags with nothing selected: the number under the
        cursor for figures, else the sentence under the cursor."""
        view = self.view
        if label != "figure":
            return view.layout_.sentence_at(view.cursor)
        layout, cursor = view.layout_, view.cursor
        start, end = layout.line_span(layout.line_of(cursor))
        line = view.text[start:end]
        for found in (*find_figures(line), *find_numbers(line)):
            if found.start <= cursor - start < found.end:
                return start + found.start, start + found.end
        return None

    def action_tag(self, label: str) -> None:
        """Tag the selection with ``label``; with none, relabel the span under the
        cursor, or tag the sentence (the number, for figures) under it."""
        if self.article is None:
            return
        view, annotator, article_id = self.view, self.app.annotator, self.article_id
        selection = view.selection
        if selection is not None:
            target = selection
            view.action_clear_selection()
        else:
            target = self.default_target(label)
            covering = [s for s in self.own_spans() if s.start <= view.cursor < s.end]
            if target and any(s.label == label and s.start <= target[0] and target[1] <= s.end for s in covering):
                self.notify(f"already tagged {label}", timeout=2)
                return
            under = self.span_under_cursor()
            strictly_inside = target is not None and under is not None and (
                under.start <= target[0] and target[1] <= under.end and target != (under.start, under.end))
            if under is not None and not strictly_inside:
                if under.label == label:
                    self.notify(f"already tagged {label}", timeout=2)
                    return
                self.change(lambda store: store.spans.update(under.id, under.version, annotator, label=label))
                return
            if target is None:
                self.notify("no number under the cursor" if label == "figure" else "no sentence here", timeout=3)
                return
        if any(s.start == target[0] and s.end == target[1] and s.label == label for s in self.own_spans()):
            self.notify(f"already tagged {label}", timeout=2)
            return
        attrs = figure_attrs(view.text, *target) if label == "figure" else {}
        self.change(lambda store: store.spans.add(article_id, target[0], target[1], label, annotator, attrs=attrs))

    def action_delete_span(self) -> None:
        """Remove the span under the cursor."""
        span = self.span_under_cursor()
        if span is None:
            self.notify("no span under the cursor", timeout=2)
            return
        annotator = self.app.annotator
        self.change(lambda store: store.spans.delete(span.id, span.version, annotator))

    def action_move_edge(self, edge: str, step: int) -> None:
        """Move the start or end of the span under the cursor by a word."""
        span = self.span_under_cursor()
        if span is None:
            self.notify("no span under the cursor", timeout=2)
            return
        moved = self.moved_edges(span.start, span.end, edge, step)
        if moved is None:
            return
        start, end = moved
        annotator = self.app.annotator
        self.change(lambda store: store.spans.update(span.id, span.version, annotator, start=start, end=end),
                    then=lambda changed: self._mark_edge(changed, edge))

    def _mark_edge(self, span: Span, edge: str) -> None:
        """Say which edge moved and where the span now ends (or starts), and mark
        its word at that edge until the cursor moves."""
        piece = self.view.text[span.start:span.end]
        words = piece.split()
        cut = "…" if len(words) > 3 else ""
        if edge == "end":
            note = f"{span.label} now ends “{cut}{' '.join(words[-3:])}”"
        else:
            note = f"{span.label} now starts “{' '.join(words[:3])}{cut}”"
        if edge == "end":
            last = piece.rstrip().rsplit(maxsplit=1)[-1] if words else piece
            self._edge_mark = (span.start + piece.rstrip().rindex(last), span.end)
        else:
            first = piece.lstrip().split(maxsplit=1)[0] if words else piece
            self._edge_mark = (span.start, span.start + piece.index(first) + len(first))
        self.view.add_class("-edge-mark")  # drawn in reverse video (app.tcss): seen without colour too
        self.view.set_match(self._edge_mark)
        self.status.show(note=note)

    def _unmark_edge(self) -> None:
        if self._edge_mark is not None:
            self.view.remove_class("-edge-mark")
            if self.view.match == self._edge_mark:
                self.view.set_match(None)
            self._edge_mark = None
            self.status.show(note="")

    def moved_edges(self, start: int, end: int, edge: str, step: int) -> tuple[int, int] | None:
        """``(start, end)`` with one edge moved a word, or None (with a notice) when it cannot move."""
        layout = self.view.layout_
        new_start, new_end = start, end
        if edge == "end":
            new_end = layout.word_edge(end, step, "end")
        else:
            new_start = layout.word_edge(start, step, "start")
        if not new_start < new_end or (new_start, new_end) == (start, end):
            self.notify("the span cannot get any shorter" if new_start >= new_end else "no word further", timeout=2)
            return None
        return new_start, new_end

    def action_jump_span(self, step: int) -> None:
        """Move the cursor to the next (1) or previous (-1) span."""
        spans = self.view.spans
        found = spans.after(self.view.cursor) if step > 0 else spans.before(self.view.cursor)
        if found is None:
            self.notify("no more spans that way", timeout=2)
        else:
            self.view.move_to(found.start)

    def action_edit_attributes(self) -> None:
        """Edit the attributes (speaker, value, note) of the span under the cursor."""
        from tui.screens.attributes import AttributesScreen

        span = self.span_under_cursor()
        if span is None:
            self.notify("no span under the cursor", timeout=2)
            return
        annotator = self.app.annotator

        def save(attrs: dict[str, Any] | None) -> None:
            if attrs is not None and attrs != span.attrs:
                self.change(lambda store: store.spans.update(span.id, span.version, annotator, attrs=attrs))

        self.app.push_screen(AttributesScreen(span), save)

    def action_undo(self) -> None:
        """Undo my latest change to this article (also one made before a restart)."""
        article_id, annotator = self.article_id, self.app.annotator
        self.change(lambda store: store.spans.undo(article_id, annotator), move_cursor=True, nothing="nothing to undo")

    def action_redo(self) -> None:
        """Redo the change undone last."""
        article_id, annotator = self.article_id, self.app.annotator
        self.change(lambda store: store.spans.redo(article_id, annotator), move_cursor=True, nothing="nothing to redo")

    # Cursor, search -------------------------------------------------------------

    @on(CursorMoved)
    def cursor_moved(self, event: CursorMoved) -> None:
        selection = event.selection
        self._unmark_edge()
        if self.view.selecting != self._selecting:
            # Esc now clears the selection, or goes back: the footer says which.
            self._selecting = self.view.selecting
            self.refresh_bindings()
        self.status.show(selection=selection[1] - selection[0] if selection else 0)
        self._update_current()
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_CURSOR_AFTER_S, self.save_position)
        self.app.article_hold.active()

    def _update_current(self) -> None:
        covering = self.view.spans_at_cursor()
        self.span_list.set_current(frozenset(span.id for span in covering))
        # In words too: the span list folds away on narrow terminals, and colour may be off.
        suggested = self.suggestion_ids()
        self.status.show(under=" › ".join(span.label + ("?" if span.id in suggested else "") for span in covering),
                         suggestion=self.suggestion_detail())

    def save_position(self) -> None:
        """Remember the cursor, so the next start comes back here."""
        if self.article is None:
            return
        cursor, article_id, annotator = self.view.cursor, self.article_id, self.app.annotator
        if cursor == self._saved_cursor:
            return
        self._saved_cursor = cursor
        self.app.run_job(self.app.writer, lambda store: store.progress.save_cursor(article_id, annotator, cursor))

    def on_unmount(self) -> None:
        self.save_position()
        if self.article is not None:
            self.app.article_hold.left(self.article_id)

    def on_screen_resume(self) -> None:
        # Back from a screen above, which may have opened another article.
        if self.article is not None:
            self.app.article_hold.opened(self.article_id)

    def action_search(self) -> None:
        """Open the search bar."""
        self._search_origin = self.view.cursor
        self._search = None
        self.query_one(SearchBar).open()

    @on(SearchChanged)
    def search_changed(self, event: SearchChanged) -> None:
        self._search = re.compile(re.escape(event.query), re.IGNORECASE) if event.query else None
        self._go_to_match(self._search_origin)

    @on(SearchNext)
    def search_next(self) -> None:
        self._go_to_match(self.view.cursor + 1)

    @on(SearchClosed)
    def search_closed(self) -> None:
        self.view.set_match(None)
        self.status.show(note="")
        self.view.focus()

    def _go_to_match(self, offset: int) -> None:
        view = self.view
        if self._search is None:
            view.set_match(None)
            self.status.show(note="")
            return
        found = self._search.search(view.text, offset) or self._search.search(view.text, 0)
        if found is None:
            view.set_match(None)
            self.status.show(note="no match")
            return
        self.status.show(note="" if found.start() >= offset else "search wrapped")
        view.set_match(found.span())
        view.move_to(found.start())

    # Articles -------------------------------------------------------------------

    def action_article(self, step: int) -> None:
        """Open the next (1) or previous (-1) article."""
        article_id = self.article_id
        self.app.run_job(self.app.writer, lambda store: store.articles.neighbour(article_id, step),
                         lambda found: self.open(found.id) if found else self.notify(
                             "this is the last article" if step > 0 else "this is the first article", timeout=2),
                         owner=self)

    def action_next_unfinished(self) -> None:
        """Open the next article I have not finished."""
        self.app.open_next_unfinished(self.article_id)

    def action_mark_done(self) -> None:
        """Mark this article done and open the next one I have not finished."""
        if self.article is None:
            return
        article_id, annotator, cursor = self.article_id, self.app.annotator, self.view.cursor
        self._saved_cursor = cursor
        self.app.run_job(self.app.writer, lambda store: store.progress.mark_done(article_id, annotator, cursor),
                         lambda _: self.app.open_next_unfinished(article_id), owner=self)

    def action_library(self) -> None:
        """Back to the library."""
        self.app.pop_screen()

    def action_back(self) -> None:
        """Esc: one level back. A selection is cleared first (by the document
        view); an open panel closes; else back to the library."""
        if self.view.selecting:
            self.view.action_clear_selection()
        elif self.matches_panel.display:
            self.close_matches()
        else:
            self.action_library()


def annotate_screen_class(labels: list[Label]) -> type[AnnotateScreen]:
    """The annotate screen with a key binding for each label of the database
    (the label set is read when the app starts)."""
    return type("AnnotateScreen", (AnnotateScreen,), {"BINDINGS": label_bindings(labels)})
