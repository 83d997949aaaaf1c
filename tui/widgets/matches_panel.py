"""The Matches panel: where else the claim under the cursor ran.

Two lists, best first: claims tagged in other articles (outlet, title,
score, text, and what sets each apart — linked, a figure conflict, a
contradiction, marked "not the same") and sentences of other articles that
match but carry no claim yet ("untagged"). Every marker is a word, so
nothing depends on colour.

The panel only shows and posts: :class:`MatchesPanel.Opened`,
:class:`MatchesPanel.Linked`, :class:`MatchesPanel.NotSame` and
:class:`MatchesPanel.Back` go to the screen, which talks to the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.bindings import MATCHES
from tui.safe_text import visible

if TYPE_CHECKING:
    from corpus.claim_match import MatchVerdict
    from store.claim_matches import ClaimMatch, UntaggedMatch
    from store.claims import Claim

Match = Union["ClaimMatch", "UntaggedMatch"]
# Before the panel is laid out, titles are cut to this many characters.
TITLE_CHARS = 36
INDENT = "    "


def _one_line(text: str) -> str:
    return visible(text, keep_newlines=False)


def _score(score: float) -> str:
    return f"{score:.0f}"


def claim_marker(match: ClaimMatch) -> str:
    """What sets a claim match apart, in words."""
    if match.decision == "same":
        return "LINKED"
    if match.decision == "not_same":
        return "not the same"
    return conflict_marker(match.verdict) or "same claim" + _why(match.verdict)


def untagged_marker(match: UntaggedMatch) -> str:
    """What sets an untagged sentence apart, in words: a conflict first."""
    if match.dismissed:
        return "untagged, not the same"
    conflict = conflict_marker(match.verdict)
    return f"{conflict} (untagged)" if conflict else "untagged"


def _why(verdict: MatchVerdict) -> str:
    """Why a pair matched, when it is not the words alone: " (by meaning, alias)"."""
    words = {"semantic": "by meaning", "alias": "alias"}
    shown = [words[reason] for reason in verdict.reasons if reason in words]
    return f" ({', '.join(shown)})" if shown else ""


def conflict_marker(verdict: MatchVerdict) -> str | None:
    """How two claims contradict each other, or None."""
    if verdict.conflict == "figure":
        # verdict.figures pairs (the claim's figure, the match's): the match's first, as it is the one listed.
        figures = "; ".join(f"{_one_line(theirs)} vs {_one_line(ours)}" for ours, theirs in verdict.figures)
        return f"FIGURES DIFFER: {figures}"
    if verdict.conflict == "negation":
        return "CONTRADICTS: one is negated"
    if verdict.conflict == "direction":
        return "CONTRADICTS: opposite directions"
    if verdict.conflict == "roles":
        return "CONTRADICTS: roles swapped"
    return None


def _entry(marker: str, score: float, outlet: str, title: str, text: str, room: int) -> Text:
    title = _one_line(title)
    if len(title) > room:
        title = title[:room - 1] + "…"
    entry = Text(end="")
    entry.append(f"{_score(score):>3} ", "bold")
    # Upper case marks what needs a look (a link, a conflict); reverse video repeats it without colour.
    entry.append(marker, "bold reverse" if marker[:4].isupper() else "bold")
    entry.append(f"  {_one_line(outlet)}\n", "italic")
    entry.append(f"{INDENT}{title}\n", "dim")
    entry.append(f"{INDENT}{_one_line(text)}")
    return entry


def _heading(text: str) -> Option:
    return Option(Text(text, style="bold underline", end=""), disabled=True)


class MatchesPanel(OptionList, inherit_bindings=False):
    """The matches of one claim; see the module docstring."""

    BINDINGS = MATCHES
    DEFAULT_CSS = """
    /* The scrollbar always shows: OptionList measures wrapped options once, and a
       scrollbar that comes and goes would change the width under them. */
    MatchesPanel { width: 44; height: 1fr; background: $panel; border: none; border-left: vkey $primary 50%;
                   overflow-y: scroll; scrollbar-size-vertical: 1; padding: 0; }
    MatchesPanel:focus { border: none; border-left: vkey $accent; }
    """

    class Opened(Message):
        """Open the article of this match at the match."""

        def __init__(self, match: Match) -> None:
            super().__init__()
            self.match = match

    class Linked(Message):
        """Link the claim with this match (or take the link back)."""

        def __init__(self, subject: Claim, match: Match) -> None:
            super().__init__()
            self.subject = subject
            self.match = match

    class NotSame(Message):
        """Mark this match "not the same" as the claim (or take that back)."""

        def __init__(self, subject: Claim, match: Match) -> None:
            super().__init__()
            self.subject = subject
            self.match = match

    class Back(Message):
        """Close the panel and return to the text."""

    class Note(Message):
        """Show a note (how far the matcher's index has got, while it works)."""

        def __init__(self, note: str) -> None:
            super().__init__()
            self.note = note

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.subject: Claim | None = None
        self.claims: list[ClaimMatch] = []
        self.untagged: list[UntaggedMatch] | None = None
        self.note = ""
        self.waiting = False  # a question is out: progress notes are welcome
        self._matches: dict[str, Match] = {}

    # What to show ---------------------------------------------------------------

    def show_note(self, note: str) -> None:
        """Say something instead of (or, with a subject, below) the matches:
        "no claim under the cursor", "indexing sentences…"."""
        self.note = note
        self._rebuild()

    def clear(self, note: str) -> None:
        """Show no claim's matches, only ``note``."""
        self.subject, self.claims, self.untagged, self.waiting = None, [], None, False
        self.show_note(note)

    def asking(self) -> None:
        """A claim's matches have been asked for: progress notes may come until they arrive."""
        self.waiting = True

    def show_claims(self, subject: Claim, claims: list[ClaimMatch]) -> None:
        """The claim matched and its claim matches; the untagged ones are still coming."""
        keep = subject == self.subject and self.untagged is not None
        self.subject, self.claims, self.note = subject, claims, ""
        if not keep:
            self.untagged = None
        self._rebuild()

    def show_untagged(self, subject: Claim, untagged: list[UntaggedMatch]) -> None:
        """The untagged sentences that match ``subject`` (ignored if another claim is shown now)."""
        if subject != self.subject:
            return
        self.untagged, self.note, self.waiting = untagged, "", False
        self._rebuild()

    def _title_room(self) -> int:
        """How many characters of a title fit on its line."""
        width = self.scrollable_content_region.width
        return max(10, width - len(INDENT) - 1) if width else TITLE_CHARS

    def on_resize(self) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        room = self._title_room()
        chosen = self.highlighted_option.id if self.highlighted_option is not None else None
        options: list[Option] = []
        self._matches = {}
        if self.subject is None:
            options.append(_heading("Matches"))
        else:
            subject = Text(end="")
            subject.append("Matches of ", "bold")
            subject.append(_one_line(self.subject.text), "italic")
            options.append(Option(subject, disabled=True))
            options.append(_heading(f"Claims in other articles: {len(self.claims)}"))
            for match in self.claims:
                key = f"claim-{match.claim.span_id}"
                self._matches[key] = match
                options.append(Option(_entry(claim_marker(match), match.verdict.score, match.claim.outlet,
                                             match.claim.title, match.claim.text, room), id=key))
            if not self.claims:
                options.append(Option(Text("  none yet", style="dim", end=""), disabled=True))
            if self.untagged is None:
                options.append(_heading("Untagged sentences: searching…"))
            else:
                options.append(_heading(f"Untagged sentences: {len(self.untagged)}"))
                for match in self.untagged:
                    key = f"sentence-{match.article_id}-{match.start}-{match.end}"
                    self._matches[key] = match
                    options.append(Option(_entry(untagged_marker(match), match.verdict.score, match.outlet, match.title, match.text,
                                                 room), id=key))
        if self.note:
            options.append(Option(Text(_one_line(self.note), style="italic", end=""), disabled=True))
        self.set_options(options)
        if chosen in self._matches:
            self.highlighted = self.get_option_index(chosen)
        elif self._matches:
            self.action_first()

    @property
    def selected(self) -> Match | None:
        """The match under the panel's cursor."""
        option = self.highlighted_option
        return None if option is None or option.disabled else self._matches.get(option.id)

    def on_matches_panel_note(self, event: Note) -> None:
        event.stop()
        if self.waiting:  # a note that comes after the answer is stale
            self.show_note(event.note)

    # Keys -------------------------------------------------------------------------

    def _post_with_selected(self, message_type: type[Message]) -> None:
        match = self.selected
        if match is None or self.subject is None:
            self.app.bell()
            return
        self.post_message(message_type(self.subject, match))

    def action_open(self) -> None:
        """Open the selected match's article at the match."""
        if (match := self.selected) is None:
            self.app.bell()
            return
        self.post_message(self.Opened(match))

    def action_link(self) -> None:
        """Link the claim with the selected match (again: take the link back)."""
        self._post_with_selected(self.Linked)

    def action_not_same(self) -> None:
        """Mark the selected match "not the same" (again: take it back)."""
        self._post_with_selected(self.NotSame)

    def action_back(self) -> None:
        """Close the panel: back to the text (``m`` opens it again)."""
        self.post_message(self.Back())

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()
