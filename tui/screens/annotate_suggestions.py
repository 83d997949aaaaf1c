"""The annotate screen's side of suggestions: pending ones shown beside the
annotator's own spans, and decided with a key.

A suggestion is a suggester's pending span, shared by the team
(:mod:`store.suggestions`). It is drawn dim, listed with a ``?`` after its
label, and the status line names it with its suggester and details when
the cursor is on it. Deciding adds a span of the annotator's own that
points back to it, through the screen's ``change`` like any tag — the saved
mark, conflict notices and the reload work the same, and ``u`` undoes a
decision as it undoes a tag:

- ``a`` accepts the innermost suggestion under the cursor: it becomes the
  annotator's span, with its attributes (a figure's value, a quote's speaker);
- ``x`` rejects it: it is no longer shown to this annotator;
- ``A`` accepts every pending suggestion of the same label as the one under
  the cursor, in this article, as one step (one undo takes them all back);
- ``H`` hides or shows suggestions on this screen (until it is closed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.keys import format_key

from tui.widgets.span_list import span_details

# The actions below, switched off on a screen that shows no suggestions.
ACTIONS = frozenset({"accept_suggestion", "reject_suggestion", "accept_all_suggestions", "toggle_suggestions"})

if TYPE_CHECKING:
    from store import Store
    from store.models import Span
    from tui.app import ClaimdeskApp
    from tui.widgets.document_view import DocumentView


class SuggestionDecisions:
    """Mixed into the annotate screen, before ``Screen``: see the module docstring."""

    app: ClaimdeskApp
    spans: list[Span]
    view: DocumentView
    article_id: str
    SHOWS_SUGGESTIONS = True
    """False on a screen built on this one that shows no suggestions (review)."""
    suggestions_shown = True
    _suggestions: tuple[list[Span], dict[str, Span], frozenset[str]] | None = None  # of which span list, by id, ids

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ACTIONS and not self.SHOWS_SUGGESTIONS:
            return False
        return super().check_action(action, parameters)  # type: ignore[misc]

    def is_suggestion(self, span: Span) -> bool:
        """Whether a span shown here is a pending suggestion, not an annotation."""
        return self.SHOWS_SUGGESTIONS and span.origin == "suggested" and span.status == "pending"

    def _shown_suggestions(self) -> dict[str, Span]:
        # Asked on every cursor move: worked out once per list of spans shown.
        if self._suggestions is None or self._suggestions[0] is not self.spans:
            by_id = {span.id: span for span in self.spans if self.is_suggestion(span)}
            self._suggestions = (self.spans, by_id, frozenset(by_id))
        return self._suggestions[1]

    def suggestion_ids(self) -> frozenset[str]:
        """The ids of the suggestions shown."""
        self._shown_suggestions()
        assert self._suggestions is not None
        return self._suggestions[2]

    def suggestion_under_cursor(self) -> Span | None:
        """The innermost suggestion under the cursor."""
        by_id = self._shown_suggestions()
        covering = [by_id[span.id] for span in self.view.spans_at_cursor() if span.id in by_id]
        return covering[-1] if covering else None

    def suggestion_detail(self) -> str:
        """What the status line says about the suggestion under the cursor."""
        span = self.suggestion_under_cursor()
        if span is None:
            return ""
        details = span_details(span)
        keys = [self._first_key("annotate.accept-suggestion"), self._first_key("annotate.reject-suggestion")]
        hint = f" · {keys[0]} accept, {keys[1]} reject" if all(keys) else ""
        # Most telling first: the line cuts its end when short of room.
        rule = span.attrs.get("rule", "").partition(":")[2]
        why = f" ({rule})" if rule else ""
        return f"{span.label}{' ' + details if details else ''} · by {span.annotator}{why}{hint}"

    def _first_key(self, binding_id: str) -> str:
        keys = self.app.keymap.keys_of(binding_id)
        return format_key(keys[0]) if keys else ""

    def _no_suggestion(self) -> None:
        why = "suggestions are hidden" if not self.suggestions_shown else "no suggestion under the cursor"
        self.notify(why, timeout=2)

    # Decisions (each one change of the annotator's own) ----------------------------

    def action_accept_suggestion(self) -> None:
        """Accept the suggestion under the cursor: it becomes my span, with its attributes."""
        self._decide_suggestion("accept")

    def action_reject_suggestion(self) -> None:
        """Reject the suggestion under the cursor: it is no longer shown to me."""
        self._decide_suggestion("reject")

    def _decide_suggestion(self, verdict: str) -> None:
        suggestion = self.suggestion_under_cursor()
        if suggestion is None:
            self._no_suggestion()
            return
        annotator = self.app.annotator

        def job(store: Store) -> Span | None:
            suggestions = store.suggestions
            # Decided meanwhile (in another terminal of mine): nothing to do twice.
            if suggestion.id not in {s.id for s in suggestions.pending(suggestion.article_id, annotator)}:
                return None
            decide = suggestions.accept if verdict == "accept" else suggestions.reject
            return decide(suggestion, annotator)

        self.change(job, nothing="that suggestion was already decided")

    def action_accept_all_suggestions(self) -> None:
        """Accept every pending suggestion of the label of the one under the cursor,
        in this article, as one step."""
        under = self.suggestion_under_cursor()
        if under is None:
            self._no_suggestion()
            return
        label, article_id, annotator = under.label, self.article_id, self.app.annotator
        count = sum(1 for span in self._shown_suggestions().values() if span.label == label)

        def job(store: Store) -> Span | None:
            accepted = store.suggestions.accept_all(article_id, label, annotator)
            return accepted[0] if accepted else None

        undo = self._first_key("annotate.undo")
        self.change(job, nothing=f"no {label} suggestions left to accept",
                    report=f"accepted {count} {label} suggestion{'s' if count != 1 else ''}"
                         + (f" ({undo} takes them all back)" if undo else ""))

    def action_toggle_suggestions(self) -> None:
        """Hide or show the pending suggestions."""
        self.suggestions_shown = not self.suggestions_shown
        self.notify("suggestions shown" if self.suggestions_shown else "suggestions hidden", timeout=2)
        self.reload_spans()
