"""The claimdesk app: library, annotate and help screens over one database.

The app owns what the screens share: the annotator's name, the label set,
the keymap (applied with ``App.set_keymap``) and the store threads — the
writer, which also reads what the annotate screen needs so that a reload
always sees the write before it; the reader, for library pages and title
searches that may scan a large table; the background thread, for the
Claims screen's clustering; and the matcher's (:mod:`tui.matching`).

Every store job goes through :meth:`ClaimdeskApp.run_job`: a plain function
of the :class:`store.Store` (it reads nothing of a screen) whose result is
applied on the UI thread by the screen that asked, and dropped when that
screen has closed meanwhile.

SIGHUP and SIGTERM end the app cleanly: the position is saved and queued
changes are committed before the process exits (Textual installs no
handler; without one a dropped SSH connection kills the app mid-write).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.message_pump import MessagePump

from store.engine.base import database_target, shown
from store.errors import StoreError
from store.peek import label_keys
from tui.article_hold import ArticleHold
from tui.bindings import APP, ARTICLES, GENERAL, GROUPS, MATCHING, MOVE, REVIEWING, SELECTION, SUGGESTIONS, TAG, TEAM, VIEW
from tui.change_watch import ChangeWatcher
from tui.display_hold import DisplayHold
from tui.keymap import Keymap, key_label, load_keymap
from tui.matching import MatchService
from tui.messages import DatabaseChanged
from tui.safe_text import plain, visible
from tui.screens.library import LibraryScreen
from tui.store_thread import Job, StoreThread

if TYPE_CHECKING:
    from store.models import Label

T = TypeVar("T")
PALETTE_ORDER = (TAG, REVIEWING, SUGGESTIONS, ARTICLES, VIEW, MATCHING, TEAM, GENERAL, SELECTION, MOVE)
HANGUP_CODES = {signal.SIGHUP: 129, signal.SIGTERM: 143}


class ArticleCommands(Provider):
    """Command palette: open an article by title."""

    async def search(self, query: str) -> Hits:
        app = self.app
        assert isinstance(app, ClaimdeskApp)
        query = query.strip()
        if not query:
            return
        try:
            found = await app.reader.submit(lambda store: store.articles.page(title_contains=query, limit=20))
        except StoreError:
            return
        matcher = self.matcher(query)
        for article in found:
            title = f"Open: {article.title} ({article.outlet})"
            # Not matcher.highlight(): it parses markup, and titles are untrusted.
            yield Hit(max(matcher.match(title), 0.1), plain(title), lambda a=article.id: app.open_article(a),
                      help=visible(article.id, keep_newlines=False))


class ActionCommands(Provider):
    """Command palette: every action of the screen below, by its description and
    keys (as people write them: ``alt+>``); with nothing typed, these first,
    then the team's screens and the first articles."""

    def _actions(self) -> list[tuple[str, Callable[[], Any]]]:
        keys: dict[str, list[str]] = {}
        found: dict[str, tuple[str, Callable[[], Any]]] = {}
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            # Textual's own bindings (no id: tab, ctrl+c, scrolling) are not claimdesk's actions.
            if not binding.id or not binding.description or binding.action == "command_palette" or not active.enabled:
                continue
            keys.setdefault(binding.id, []).append(key_label(key))
            found.setdefault(binding.id, (binding.description, lambda a=binding.action, n=active.node:
                                          self.app.call_later(self.app.run_action, a, n)))
        # Tagging first, moving last (the keys an annotator looks up most, first).
        ordered = sorted(found, key=lambda binding_id: (not binding_id.startswith("label."),
                                                        PALETTE_ORDER.index(GROUPS.get(binding_id, GENERAL))))
        return [(f"{found[b][0]} ({' '.join(keys[b])})", found[b][1]) for b in ordered]

    async def discover(self) -> Hits:
        for name, run in self._actions():
            yield DiscoveryHit(name, run)
        for name, action in ScreenCommands.SCREENS:
            yield DiscoveryHit(name, lambda a=action: self.app.call_later(self.app.run_action, a))
        app = self.app
        assert isinstance(app, ClaimdeskApp)
        try:
            first = await app.reader.submit(lambda store: store.articles.page(limit=10))
        except StoreError:
            return
        for article in first:
            yield DiscoveryHit(plain(f"Open: {article.title} ({article.outlet})"),
                               lambda a=article.id: app.open_article(a), help=visible(article.id, keep_newlines=False))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, run in self._actions():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run)


class ScreenCommands(Provider):
    """Command palette: the team's screens, from anywhere (listed with nothing
    typed by :class:`ActionCommands`, so that the order is fixed)."""

    SCREENS = (("Review queue: articles finished by several annotators", "review_queue"),
               ("Team statistics: progress and agreement", "stats"))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action in self.SCREENS:
            if (score := matcher.match(name)) > 0:
                yield Hit(score, matcher.highlight(name), lambda a=action: self.app.call_later(self.app.run_action, a))


class ClaimdeskApp(App, inherit_bindings=False):
    """The annotator: see the module docstring. (Textual's own ctrl+q and
    ctrl+c bindings have no ids, so a keymap could not move them: ours replace them.)"""

    TITLE = "claimdesk"
    CSS_PATH = "app.tcss"
    BINDINGS = APP
    # Only claimdesk's own commands: Textual's (Keys, Maximize, Screenshot,
    # Theme) would come first and are not what an annotator is looking for.
    COMMANDS = {ActionCommands, ArticleCommands, ScreenCommands}

    def __init__(self, db_path: Path | str, annotator: str, keymap: str | Keymap = "default",
                 *, user_keymap: Path | None = None) -> None:
        self.db_path = database_target(db_path)
        # The database as messages name it: a URL's password is never shown.
        self.db_shown = shown(self.db_path)
        self.annotator = annotator
        # The full label set (colours, order) comes from the writer thread.
        self.labels: list[Label] | None = None
        db_keys = label_keys(self.db_path)
        if isinstance(keymap, Keymap):
            self.keymap, self.keymap_name = keymap, "custom"
        else:
            self.keymap = load_keymap(keymap, user_file=user_keymap, labels=db_keys)
            self.keymap_name = keymap
        super().__init__()
        self._annotate_screen_type: type | None = None
        self.writer = StoreThread(self.db_path, "claimdesk-writer")
        self.reader = StoreThread(self.db_path, "claimdesk-reader")
        # Long jobs a screen waits for (clustering the claims) that must hold up neither: started when first used.
        self.background = StoreThread(self.db_path, "claimdesk-background")
        self.matching = MatchService(self.db_path)
        self.changes = ChangeWatcher(self.db_path, self._tell_screen_of_change)
        self.article_hold = ArticleHold(self)
        self._signals: list[int] = []
        self.hung_up = False

    def on_mount(self) -> None:
        self.set_keymap(dict(self.keymap.keys))
        # The store threads take jobs now but run them once the first frame is
        # drawn: loading SQLite tooling beside it would hold the frame back.
        self.writer.start(held=True)
        self.reader.start(held=True)
        self.call_after_refresh(self._release_store)
        self.run_job(self.writer, lambda store: store.labels.all(), self._got_labels, on_error=lambda error: None)
        if not self.is_headless:
            loop = asyncio.get_running_loop()
            for signum in HANGUP_CODES:
                loop.add_signal_handler(signum, self.hang_up, signum)
                self._signals.append(signum)
        self.push_screen(LibraryScreen())
        self.resume()
        self._show_changed_guidelines()

    def _release_store(self) -> None:
        self.writer.release()
        self.reader.release()
        self.changes.start()

    def _tell_screen_of_change(self) -> None:
        """Someone committed a change: tell the screen on show."""
        if self.is_running and self.screen_stack:
            self.screen.post_message(DatabaseChanged())

    def on_unmount(self) -> None:
        # Screens have saved their positions by now; let the writer commit them.
        loop = asyncio.get_running_loop()
        for signum in self._signals:
            loop.remove_signal_handler(signum)
        self.changes.stop()
        self.writer.stop()
        self.reader.stop()
        self.background.stop(timeout=0)  # it only reads, or writes what the next run writes again
        self.matching.stop()

    def hang_up(self, signum: int) -> None:
        """The terminal went away (SIGHUP) or we were told to stop (SIGTERM): exit cleanly."""
        if (screen := self.annotate_screen()) is not None:
            screen.save_position()
        self.hung_up = True
        self.exit(return_code=HANGUP_CODES.get(signum, 1))

    def leave_now(self) -> None:
        """After a hang-up, once ``run()`` has returned: end the process at once.

        Every change is committed and the writer has stopped; the
        interpreter's teardown would take a few hundred milliseconds more,
        and a hung-up session should be gone within a second.
        """
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass  # the terminal is gone
        os._exit(self.return_code or 1)

    # Jobs -----------------------------------------------------------------------

    def run_job(self, thread: StoreThread, job: Job[T], on_done: Callable[[T], Any] | None = None,
                *, on_error: Callable[[Exception], Any] | None = None, owner: MessagePump | None = None) -> None:
        """Run ``job`` in a store thread and hand its result to ``on_done`` on
        the UI thread; errors go to ``on_error``, else to a notification.

        ``job`` is a plain function of the store: it reads nothing of a screen
        and returns everything the screen shows. With an ``owner`` (the screen
        or widget that shows the result), the result is dropped if the owner
        has closed meanwhile; an error is then only notified."""

        def finished(result: Any, error: BaseException | None) -> None:
            gone = owner is not None and not owner.is_attached
            if error is None:
                if on_done is not None and not gone:
                    on_done(result)
            elif on_error is not None and not gone:
                on_error(error)
            elif self.is_running:
                self.notify(visible(str(error)), severity="error", timeout=8, markup=False)

        thread.call(job, finished)

    def reporter(self, thread: StoreThread, owner: MessagePump, show: Callable[..., Any]) -> Callable[..., None]:
        """A progress callback for a job in ``thread``: each call runs ``show`` with
        its arguments on the UI thread, unless ``owner`` has closed meanwhile."""

        def shown(*args: Any) -> None:
            if owner.is_attached:
                show(*args)

        return thread.report_to_loop(shown)

    @property
    def store_threads(self) -> tuple[StoreThread, ...]:
        """Every thread that runs store jobs."""
        return (self.writer, self.reader, self.background, self.matching.thread)

    async def settled(self) -> None:
        """Wait until every store thread is idle at once, every result handed
        over (for tests): a result handed over counts any job it submits first,
        so this waits for exactly what the jobs led to."""
        while busy := next((thread for thread in self.store_threads if thread.busy), None):
            await busy.idle()

    def _got_labels(self, labels: list[Label]) -> None:
        self.labels = labels

    def with_labels(self, then: Callable[[list[Label]], None]) -> None:
        """Call ``then`` with the label set, at once or as soon as the store has it."""
        if self.labels is not None:
            then(self.labels)
            return

        def got(labels: list[Label]) -> None:
            self._got_labels(labels)
            then(labels)

        self.run_job(self.writer, lambda store: store.labels.all(), got)

    # Navigation -----------------------------------------------------------------

    def resume(self) -> None:
        """Reopen the article (and cursor) where this annotator left off."""
        annotator = self.annotator

        def reopen(progress) -> None:
            if progress is not None:
                self.open_article(progress.article_id, progress.cursor)

        self.run_job(self.writer, lambda store: store.progress.resume(annotator), reopen,
                     on_error=lambda error: None)

    def annotate_screen(self):
        """The annotate screen when it is the one shown, else None."""
        # The annotate screen's module loads with the first article, not at start.
        module = sys.modules.get("tui.screens.annotate")
        return self.screen if module is not None and isinstance(self.screen, module.AnnotateScreen) else None

    def open_article(self, article_id: str, cursor: int | None = None) -> None:
        """Show an article on the annotate screen."""
        if (screen := self.annotate_screen()) is not None:
            screen.open(article_id, cursor)
            return
        def show(labels: list[Label]) -> None:
            if self._annotate_screen_type is None:
                from tui.screens.annotate import annotate_screen_class

                self._annotate_screen_type = annotate_screen_class(labels)
            # One frame with the text instead of four on the way to it (the screen releases the hold).
            self.push_screen(self._annotate_screen_type(article_id, cursor, hold=DisplayHold(self)))

        self.with_labels(show)

    def open_next_unfinished(self, after_article_id: str | None) -> None:
        """Open the article the team's assignment gives this annotator next
        (fewer finishers than the overlap asks for, preferably one nobody
        else has open), leaving ``after_article_id``; if any."""
        annotator = self.annotator

        def next_for(store) -> str | None:
            return store.assignment.next_for(annotator, leaving=after_article_id)

        def go(article_id: str | None) -> None:
            if article_id is None:
                self.notify("No article left for you: each is done by you or by enough others.", timeout=4)
                if self.annotate_screen() is not None:
                    self.pop_screen()
            else:
                self.open_article(article_id)

        self.run_job(self.writer, next_for, go)

    def _show_changed_guidelines(self) -> None:
        """Show the guidelines if they changed since this annotator last saw them."""
        annotator = self.annotator

        def unseen(store) -> str | None:
            return store.settings.unseen_guidelines(annotator)

        def show(text: str | None) -> None:
            if text is not None:
                from tui.screens.guidelines import GuidelinesScreen

                self.push_screen(GuidelinesScreen(text, changed=True))

        self.run_job(self.writer, unseen, show, on_error=lambda error: None)

    def action_guidelines(self) -> None:
        """Show the team's annotation guidelines."""
        from tui.screens.guidelines import GuidelinesScreen

        if isinstance(self.screen, GuidelinesScreen):
            return

        self.run_job(self.writer, lambda store: store.settings.guidelines(),
                     lambda text: self.push_screen(GuidelinesScreen(text)))

    def action_review_queue(self) -> None:
        """Show the articles waiting for review, the most disagreement first."""
        from tui.screens.review import ReviewQueueScreen

        if not isinstance(self.screen, ReviewQueueScreen):
            self.push_screen(ReviewQueueScreen())

    def action_stats(self) -> None:
        """Show the team's progress and agreement."""
        from tui.screens.stats import StatsScreen

        if not isinstance(self.screen, StatsScreen):
            self.push_screen(StatsScreen())

    def action_claims(self) -> None:
        """Show the claims of the corpus in clusters across outlets."""
        from tui.screens.claims import ClaimsScreen

        if not isinstance(self.screen, ClaimsScreen):
            self.push_screen(ClaimsScreen())

    def action_help(self) -> None:
        """Show the keys (or close the list)."""
        from tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        else:
            self.push_screen(HelpScreen())
