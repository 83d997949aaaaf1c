"""End to end in a real terminal: claimdesk under tmux, driven by keys.

Open the first demo article, search a word, select its sentence with ``s``,
tag it with ``c``, quit with ctrl+q, and find the claim in the database.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid

import pytest

from pty_app import REPO
from store import Store
from tui.commands.demo import load_demo

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed: the end-to-end test needs a real terminal multiplexer"),
]

SENTENCE = "Acting minister Dana Ilvesto told reporters that cancelling the contract with Halvard Dynamics is on the table."


class Tmux:
    """One tmux server of our own, so the test never touches the user's sessions."""

    def __init__(self) -> None:
        self.socket = f"claimdesk-test-{uuid.uuid4().hex[:8]}"

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=10)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "e2e").stdout

    def wait_for(self, text: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.screen():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{text!r} never showed; the screen was:\n{self.screen()}")
            time.sleep(0.1)

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "e2e", *keys)

    def alive(self) -> bool:
        return self.run("has-session", "-t", "e2e").returncode == 0


def test_search_select_sentence_tag_quit_and_the_claim_is_stored(tmp_path):
    db = tmp_path / "demo.db"
    load_demo(db).close()
    command = (
        f"cd {REPO} && env TERM=xterm-256color XDG_CONFIG_HOME={tmp_path} PYTHONPATH={REPO} "
        f"{sys.executable} -c 'import sys; from tui.cli import main; sys.exit(main())' --db {db} --annotator e2e"
    )
    tmux = Tmux()
    assert tmux.run("new-session", "-d", "-s", "e2e", "-x", "80", "-y", "24", command).returncode == 0
    try:
        tmux.wait_for("claimdesk library · 17 articles")  # the first page is in
        tmux.keys("Enter")
        tmux.wait_for("article 1 of 17")
        tmux.keys("/")
        tmux.wait_for("esc close")  # the footer while the search bar has the keys
        tmux.keys("-l", "the table")
        tmux.wait_for(" the table\n")  # typed into the search bar
        tmux.keys("Escape")
        # The footer shows the document's keys again once the search has closed
        # (a key sent right after Esc would read as alt+key, as in any terminal app).
        tmux.wait_for("esc library")
        tmux.keys("s")
        tmux.wait_for(f"sel {len(SENTENCE)}")
        tmux.keys("c")
        tmux.wait_for("e2e · claim · saved")  # the cursor is on the new claim, committed
        tmux.keys("C-q")
        deadline = time.monotonic() + 10
        while tmux.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not tmux.alive(), f"claimdesk did not quit; the screen was:\n{tmux.screen()}"
    finally:
        tmux.run("kill-server")
    with Store(db) as store:
        claims = [span for span in store.spans.for_article("the-ostel-courier/acting-minister-orders-contract-review")
                  if span.annotator == "e2e"]
    assert [(span.label, span.text) for span in claims] == [("claim", SENTENCE)]
