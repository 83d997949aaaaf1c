"""At home over SSH: a hang-up or TERM ends the app cleanly and fast, with
every change in the database; an idle app writes nothing to the terminal."""

from __future__ import annotations

import signal
import time

import pytest

from store import Store
from store.progress import ProgressStore
from pty_app import PtyApp, claimdesk_command
from tui_support import make_db

pytestmark = pytest.mark.slow


def wait_for_span(db, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with Store(db) as store:
            spans = store.spans.for_article("a1", annotator="ann")
        if spans:
            return spans
        time.sleep(0.05)
    raise TimeoutError("the tag never reached the database")


@pytest.fixture
def db(tmp_path):
    path = make_db(tmp_path / "t.db")
    with Store(path) as store:
        ProgressStore(store.db).open("a1", "ann")  # the app resumes on a1
    return path


def start(db, tmp_path) -> PtyApp:
    app = PtyApp(claimdesk_command("--db", str(db), "--annotator", "ann"), env={"XDG_CONFIG_HOME": str(tmp_path)})
    app.wait_for("armour deal would")
    return app


def test_idle_app_writes_nothing_and_sighup_exits_within_a_second_with_the_change_saved(db, tmp_path):
    app = start(db, tmp_path)
    try:
        app.wait_quiet(0.5)
        before = app.written
        time.sleep(5)
        assert app.written - before == 0, "the idle app wrote to the terminal"
        app.send("sc")  # select the sentence under the cursor and tag it a claim
        [span] = wait_for_span(db)
        app.send("www")  # then move on; the hang-up saves where the cursor is
        time.sleep(0.3)
        sent = time.monotonic()
        app.signal(signal.SIGHUP)
        app.process.wait(5)
        assert time.monotonic() - sent < 1.0
        assert app.process.returncode == 129
    finally:
        app.close()
    with Store(db) as store:
        assert [s.id for s in store.spans.for_article("a1", annotator="ann")] == [span.id]
        assert ProgressStore(store.db).get("a1", "ann").cursor > 0


@pytest.mark.parametrize("how", ["SIGTERM", "terminal closed"])
def test_terminate_or_dropped_terminal_exits_within_a_second(db, tmp_path, how):
    app = start(db, tmp_path)
    try:
        app.send("sq")
        wait_for_span(db)
        sent = time.monotonic()
        if how == "SIGTERM":
            app.signal(signal.SIGTERM)
        else:
            app.hang_up_terminal()
        app.process.wait(5)
        assert time.monotonic() - sent < 1.0
    finally:
        app.close()
    with Store(db) as store:
        assert [s.label for s in store.spans.for_article("a1", annotator="ann")] == ["quote"]
