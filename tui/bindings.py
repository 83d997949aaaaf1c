"""Every user-facing key binding of the app, each with an id.

The ids are the entries of ``keymaps/default.toml``, which also gives each
binding its default keys; other keymaps remap them by id through
``App.set_keymap``. The help screen lists these tables, so what it shows is
generated from the bindings themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from tui.keymap import default_keys

if TYPE_CHECKING:
    from store.models import Label

MOVE = "Move"
SELECTION = "Select"
TAG = "Tag and edit spans"
ARTICLES = "Articles"
VIEW = "View"
MATCHING = "Claim matches"
SUGGESTIONS = "Suggestions (drawn dim, listed as label?)"
TEAM = "Team"
REVIEWING = "Review"
GENERAL = "General"

# Binding id to its group on the help screen. (Textual's own Binding.group
# would also merge the keys of a group into one footer entry, which hides
# what each key does.)
GROUPS: dict[str, str] = {}


def bind(binding_id: str, action: str, description: str, group: str, *, show: bool = False,
         priority: bool = False) -> Binding:
    """A binding with its id and the default keys from ``keymaps/default.toml``."""
    GROUPS[binding_id] = group
    return Binding(default_keys()[binding_id], action, description, show=show, priority=priority, id=binding_id)


APP = [
    bind("app.quit", "quit", "Quit", GENERAL, show=True, priority=True),
    bind("app.help", "help", "Keys", GENERAL, show=True),
    bind("app.guidelines", "guidelines", "Guidelines", GENERAL),
    bind("app.command-palette", "command_palette", "Commands", GENERAL, priority=True),
    bind("app.claims", "claims", "Claims across outlets", VIEW),
]

LIBRARY_TABLE = [
    bind("library.cursor-up", "cursor_up", "Up", MOVE),
    bind("library.cursor-down", "cursor_down", "Down", MOVE),
    bind("library.page-up", "page_up", "Page up", MOVE),
    bind("library.page-down", "page_down", "Page down", MOVE),
    bind("library.first", "first", "First article", MOVE),
    bind("library.last", "last", "Last article", MOVE),
    bind("library.open", "open", "Open", ARTICLES, show=True),
]

LIBRARY = [
    bind("library.search", "search", "Search titles", VIEW, show=True),
    bind("library.filter-outlet", "filter_outlet", "Outlet", VIEW, show=True),
    bind("library.filter-status", "filter_status", "Status", VIEW, show=True),
    bind("library.clear-filters", "clear_filters", "Clear filters", VIEW),
    bind("library.next-unfinished", "next_unfinished", "Next unfinished", ARTICLES, show=True),
    bind("library.review-queue", "app.review_queue", "Review queue", TEAM),
    bind("library.stats", "app.stats", "Team stats", TEAM),
    bind("library.edit-details", "edit_details", "Edit title/outlet", ARTICLES),
]

DOCUMENT = [
    bind("annotate.cursor-left", "move('left')", "Left", MOVE),
    bind("annotate.cursor-right", "move('right')", "Right", MOVE),
    bind("annotate.cursor-up", "move('up')", "Up", MOVE),
    bind("annotate.cursor-down", "move('down')", "Down", MOVE),
    bind("annotate.word-next", "move('word_next')", "Next word", MOVE),
    bind("annotate.word-previous", "move('word_previous')", "Previous word", MOVE),
    bind("annotate.sentence-next", "move('sentence_next')", "Next sentence", MOVE),
    bind("annotate.sentence-previous", "move('sentence_previous')", "Previous sentence", MOVE),
    bind("annotate.paragraph-next", "move('paragraph_next')", "Next paragraph", MOVE),
    bind("annotate.paragraph-previous", "move('paragraph_previous')", "Previous paragraph", MOVE),
    bind("annotate.page-up", "move('page_up')", "Page up", MOVE),
    bind("annotate.page-down", "move('page_down')", "Page down", MOVE),
    bind("annotate.document-start", "move('start')", "Start of article", MOVE),
    bind("annotate.document-end", "move('end')", "End of article", MOVE),
    bind("annotate.select-left", "move('left', True)", "Extend left", SELECTION),
    bind("annotate.select-right", "move('right', True)", "Extend right", SELECTION),
    bind("annotate.select-up", "move('up', True)", "Extend up", SELECTION),
    bind("annotate.select-down", "move('down', True)", "Extend down", SELECTION),
    bind("annotate.select-word-next", "move('word_next', True)", "Extend a word", SELECTION),
    bind("annotate.select-word-previous", "move('word_previous', True)", "Extend a word back", SELECTION),
    bind("annotate.select-mode", "select_mode", "Select", SELECTION, show=True),
    bind("annotate.select-sentence", "select_sentence", "Sentence", SELECTION, show=True),
    bind("annotate.clear-selection", "clear_selection", "Clear selection", SELECTION),
    bind("annotate.toggle-snap", "toggle_snap", "Snap to words on/off", SELECTION),
]

ANNOTATE = [
    bind("annotate.delete-span", "delete_span", "Delete span", TAG, show=True),
    bind("annotate.span-end-next", "move_edge('end', 1)", "Span end a word right", TAG),
    bind("annotate.span-end-previous", "move_edge('end', -1)", "Span end a word left", TAG),
    bind("annotate.span-start-previous", "move_edge('start', -1)", "Span start a word left", TAG),
    bind("annotate.span-start-next", "move_edge('start', 1)", "Span start a word right", TAG),
    bind("annotate.span-next", "jump_span(1)", "Next span", MOVE),
    bind("annotate.span-previous", "jump_span(-1)", "Previous span", MOVE),
    bind("annotate.edit-attributes", "edit_attributes", "Attributes", TAG),
    bind("annotate.undo", "undo", "Undo", TAG, show=True),
    bind("annotate.redo", "redo", "Redo", TAG),
    bind("annotate.search", "search", "Search", VIEW, show=True),
    bind("annotate.article-next", "article(1)", "Next article", ARTICLES),
    bind("annotate.article-previous", "article(-1)", "Previous article", ARTICLES),
    bind("annotate.next-unfinished", "next_unfinished", "Next unfinished", ARTICLES),
    bind("annotate.mark-done", "mark_done", "Done, next", ARTICLES, show=True),
    bind("annotate.toggle-span-list", "toggle_span_list", "Span list", VIEW),
    bind("annotate.toggle-matches", "toggle_matches", "Matches panel", MATCHING),
    bind("annotate.library", "library", "Library", ARTICLES),
    bind("annotate.back", "back", "Back: the library", ARTICLES),
    bind("annotate.accept-suggestion", "accept_suggestion", "Accept the suggestion", SUGGESTIONS),
    bind("annotate.reject-suggestion", "reject_suggestion", "Reject the suggestion", SUGGESTIONS),
    bind("annotate.accept-all-suggestions", "accept_all_suggestions",
         "Accept all suggestions of its label", SUGGESTIONS),
    bind("annotate.toggle-suggestions", "toggle_suggestions", "Hide or show suggestions", SUGGESTIONS),
]

MATCHES = [
    bind("matches.cursor-up", "cursor_up", "Previous match", MOVE),
    bind("matches.cursor-down", "cursor_down", "Next match", MOVE),
    bind("matches.open", "open", "Open match", MATCHING, show=True),
    bind("matches.link", "link", "Link: same claim", MATCHING, show=True),
    bind("matches.not-same", "not_same", "Not the same", MATCHING, show=True),
    bind("matches.back", "back", "Close: back to the text", MATCHING, show=True),
]

CLAIMS_LIST = [
    bind("claims.cursor-up", "cursor_up", "Up", MOVE),
    bind("claims.cursor-down", "cursor_down", "Down", MOVE),
    bind("claims.page-up", "page_up", "Page up", MOVE),
    bind("claims.page-down", "page_down", "Page down", MOVE),
    bind("claims.first", "first", "First", MOVE),
    bind("claims.last", "last", "Last", MOVE),
]

CLAIMS = [
    bind("claims.open", "open", "Open", ARTICLES, show=True),
    bind("claims.refresh", "refresh", "Cluster again", VIEW, show=True),
    bind("claims.close", "close", "Close", GENERAL, show=True),
]

# The review screen is the annotate screen with these on top (Enter finishes
# the review instead of marking the article done; a and x decide proposals).
REVIEW = [
    bind("review.accept", "accept", "Accept", REVIEWING, show=True),
    bind("review.reject", "reject", "Reject", REVIEWING, show=True),
    bind("review.finish", "mark_done", "Reviewed, next", REVIEWING, show=True),
    bind("review.queue", "queue", "Queue", REVIEWING, show=True),
]

REVIEW_QUEUE = [
    bind("review-queue.open", "open", "Review", ARTICLES, show=True),
    bind("review-queue.refresh", "refresh", "Refresh", VIEW, show=True),
    bind("review-queue.close", "close", "Close", GENERAL, show=True),
]

STATS = [
    bind("stats.refresh", "refresh", "Refresh", VIEW, show=True),
    bind("stats.close", "close", "Close", GENERAL, show=True),
    bind("stats.scroll-down", "scroll('down')", "Scroll down", MOVE),
    bind("stats.scroll-up", "scroll('up')", "Scroll up", MOVE),
]

SEARCH = [
    bind("search.next", "next_match", "Next match", VIEW, show=True),
    bind("search.close", "close", "Close search", VIEW, show=True),
]

ATTRIBUTES = [
    bind("attributes.save", "save", "Save", GENERAL, show=True),
    bind("attributes.cancel", "cancel", "Cancel", GENERAL, show=True),
]

ARTICLE_DETAILS = [
    bind("article-details.save", "save", "Save", GENERAL, show=True),
    bind("article-details.cancel", "cancel", "Cancel", GENERAL, show=True),
]

HELP = [
    bind("help.close", "close", "Close", GENERAL, show=True),
    bind("help.scroll-up", "scroll_up", "Scroll up", MOVE),
    bind("help.scroll-down", "scroll_down", "Scroll down", MOVE),
    bind("help.page-up", "page_up", "Page up", MOVE),
    bind("help.page-down", "page_down", "Page down", MOVE),
]

GUIDELINES = [
    bind("guidelines.close", "close", "Close", GENERAL, show=True),
    bind("guidelines.scroll-up", "scroll_up", "Scroll up", MOVE),
    bind("guidelines.scroll-down", "scroll_down", "Scroll down", MOVE),
    bind("guidelines.page-up", "page_up", "Page up", MOVE),
    bind("guidelines.page-down", "page_down", "Page down", MOVE),
]


def label_bindings(labels: list[Label]) -> list[Binding]:
    """One binding per label with a key: it tags the selection (or relabels the span under the cursor)."""
    bindings = []
    for label in labels:
        if label.key:
            GROUPS[f"label.{label.name}"] = TAG
            bindings.append(Binding(label.key, f"tag('{label.name}')", label.name.capitalize(),
                                    show=label.position < 3, id=f"label.{label.name}"))
    return bindings


# The screens of the help page, each with the binding tables active on it.
SCREEN_TABLES: dict[str, list[list[Binding]]] = {
    "Annotate": [DOCUMENT, ANNOTATE],
    "Search bar": [SEARCH],
    "Matches panel (m on the annotate screen)": [MATCHES],
    "Claims (clusters across outlets)": [CLAIMS_LIST, CLAIMS],
    "Library": [LIBRARY_TABLE, LIBRARY],
    "Review (the annotate keys, and these)": [REVIEW],
    "Review queue": [REVIEW_QUEUE],
    "Team stats": [STATS],
    "Everywhere": [APP],
    "Attribute editor": [ATTRIBUTES],
    "Title and outlet editor": [ARTICLE_DETAILS],
    "Help": [HELP],
    "Guidelines": [GUIDELINES],
}
