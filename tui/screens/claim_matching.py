"""The annotate screen's side of the Matches panel (toggle ``m``).

When a claim is tagged, or the cursor rests on one, the claim is matched in
the matcher's thread (:class:`tui.matching.MatchService`): first against
the other claims (milliseconds), then against the untagged sentences (the
first time, after the sentence index is built or loaded). Each answer is
shown when it comes, unless a newer question was asked meanwhile; typing
never waits for it. The panel's keys come back here as messages and go to
the store through the writer thread, like every other change.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from tui.safe_text import visible
from tui.widgets.matches_panel import MatchesPanel

if TYPE_CHECKING:
    from store import Store
    from store.claim_matches import ClaimMatch, ClaimMatcher, UntaggedMatch
    from store.claims import Claim
    from tui.app import ClaimdeskApp

CLAIM = "claim"
# Narrower than this, the span list folds away while the Matches panel shows.
ROOM_FOR_BOTH = 150
# The cursor must rest this long on a claim before it is matched.
REST_S = 0.15
# Claims or articles indexed between two progress notes in the panel.
_PROGRESS_EVERY = 1000


class ClaimMatching:
    """Mixed into the annotate screen, before ``Screen``: the Matches panel's behaviour."""

    app: ClaimdeskApp
    matches_panel: MatchesPanel
    _matches_asked = 0  # the latest question; older answers are dropped
    _matches_stale: threading.Event | None = None  # set when the latest question is overtaken
    _matches_timer = None

    def claim_under_cursor(self) -> str | None:
        """The span id of the innermost claim under the cursor, of the annotations this
        screen shows (a suggested claim is not one until it is accepted)."""
        claims = {span.id for span in self.own_spans() if span.label == CLAIM}
        covering = [span.id for span in self.view.spans_at_cursor() if span.id in claims]
        return covering[-1] if covering else None

    def action_toggle_matches(self) -> None:
        """Show the Matches panel and go into it; from inside it, hide it."""
        panel = self.matches_panel
        if panel.display and panel.has_focus:
            self.close_matches()
            return
        if not panel.display:
            panel.display = True
            self.refresh_bindings()  # the footer's way back
            if self.size.width < ROOM_FOR_BOTH:
                self.span_list.display = False
            self.match_claim(self.claim_under_cursor(), again=True)
        panel.focus()

    def close_matches(self) -> None:
        """Hide the Matches panel and give the keys back to the text."""
        self.matches_panel.display = False
        self._fold_span_list()
        self.view.focus()
        self.refresh_bindings()  # the footer's way back

    def on_matches_panel_back(self, event: MatchesPanel.Back) -> None:
        self.close_matches()

    # When to match ------------------------------------------------------------------

    def on_cursor_moved(self, event) -> None:
        if not self.matches_panel.display:
            return
        if self._matches_timer is not None:
            self._matches_timer.stop()
        self._matches_timer = self.set_timer(REST_S, lambda: self.match_claim(self.claim_under_cursor()))

    def on_spans_changed(self, event) -> None:
        if not self.matches_panel.display:
            return
        changed = next((s.id for s in self.spans if s.id == event.changed_span_id and s.label == CLAIM), None)
        self.match_claim(changed or self.claim_under_cursor(), again=True)

    def on_database_changed(self, event) -> None:
        # Someone tagged, untagged or linked a claim: the shown matches may have changed.
        panel = self.matches_panel
        if panel.display and panel.subject is not None:
            self.match_claim(panel.subject.span_id, again=True, quietly=True)

    def on_article_opened(self, event) -> None:
        if self.matches_panel.display:
            self.match_claim(self.claim_under_cursor())

    def match_claim(self, span_id: str | None, *, again: bool = False, quietly: bool = False) -> None:
        """Ask for the matches of the claim ``span_id`` and show them when they come.

        With no claim, the panel keeps the last claim's matches; the same
        claim is asked again only when ``again`` (after a change). ``quietly``
        keeps the matches shown until the new ones come (a change by someone
        else: nothing the annotator did should flicker)."""
        panel = self.matches_panel
        if span_id is None:
            if panel.subject is None:
                panel.clear("Put the cursor on a claim, or tag one, to see where else it ran.")
            return
        if panel.subject is not None and panel.subject.span_id == span_id and not again:
            return
        self._matches_asked += 1
        asked = self._matches_asked
        # The matcher's thread skips a question already overtaken: it is told so, it reads nothing of the screen.
        if self._matches_stale is not None:
            self._matches_stale.set()
        stale = self._matches_stale = threading.Event()
        if not quietly:
            panel.asking()
        service = self.app.matching
        tell = self.app.reporter(service.thread, panel, lambda note: panel.post_message(MatchesPanel.Note(note)))
        noting = partial(progress_note, tell)

        def find_claims(matcher: ClaimMatcher) -> tuple[Claim | None, list[ClaimMatch]]:
            if stale.is_set():
                return None, []
            matcher.sync(on_progress=noting("claims"))
            claim = matcher.claims.get([span_id]).get(span_id)
            return claim, matcher.claim_matches(claim) if claim else []

        def find_untagged(claim: Claim):
            def work(matcher: ClaimMatcher) -> list[UntaggedMatch] | None:
                if stale.is_set():
                    return None
                return matcher.untagged_matches(claim, on_progress=noting("articles for untagged sentences"))
            return work

        def show_claims(found: tuple[Claim | None, list[ClaimMatch]]) -> None:
            claim, claims = found
            if asked != self._matches_asked:
                return
            if claim is None:
                panel.clear("That claim is no longer tagged.")
                return
            panel.show_claims(claim, claims)
            self.app.run_job(service.thread, service.job(find_untagged(claim)),
                             lambda untagged: panel.show_untagged(claim, untagged) if untagged is not None else None,
                             owner=panel)

        self.app.run_job(service.thread, service.job(find_claims), show_claims, owner=panel)

    # The panel's keys ----------------------------------------------------------------

    def _decide(self, subject: Claim, work, done: str) -> None:
        """Run a decision in the writer thread, then match the claim again."""

        def finished(_) -> None:
            self.notify(done, timeout=3, markup=False)
            self.match_claim(subject.span_id, again=True)

        self.app.run_job(self.app.writer, work, finished, owner=self)

    def on_matches_panel_linked(self, event: MatchesPanel.Linked) -> None:
        subject, match, annotator = event.subject, event.match, self.app.annotator
        if _is_claim(match):
            undo = match.decision == "same"

            def link(store: Store) -> None:
                store.claims.decide(subject.span_id, match.claim.span_id, "none" if undo else "same", annotator)

            self._decide(subject, link, "link taken back" if undo else f"linked with {visible(match.claim.outlet)}")
            return

        def tag_and_link(store: Store) -> None:
            store.claims.link_sentence(subject.span_id, match.article_id, match.start, match.end, annotator)

        self._decide(subject, tag_and_link, f"tagged as a claim in {visible(match.outlet)} and linked")

    def on_matches_panel_not_same(self, event: MatchesPanel.NotSame) -> None:
        subject, match, annotator = event.subject, event.match, self.app.annotator
        undo = match.decision == "not_same" if _is_claim(match) else match.dismissed
        decision = "none" if undo else "not_same"

        def decide(store: Store) -> None:
            claims = store.claims
            if _is_claim(match):
                claims.decide(subject.span_id, match.claim.span_id, decision, annotator)
            else:
                claims.decide_sentence(subject.span_id, match.article_id, match.start, match.end, decision, annotator)

        self._decide(subject, decide, "decision taken back" if undo else "marked not the same")

    def on_matches_panel_opened(self, event: MatchesPanel.Opened) -> None:
        match = event.match
        place = match.claim if _is_claim(match) else match
        self.view.focus()
        self.app.open_article(place.article_id, place.start)


def progress_note(tell: Callable[[str], None], what: str) -> Callable[[int], None]:
    """A progress callback for the matcher: every so many ``what`` indexed, ``tell`` how far it got."""

    def note(done: int) -> None:
        if done % _PROGRESS_EVERY == 0:
            tell(f"Indexing {what}: {done:,}…")

    return note


def _is_claim(match: ClaimMatch | UntaggedMatch) -> bool:
    """A tagged claim (rather than an untagged sentence)."""
    return hasattr(match, "claim")
