"""A check shared by the tests of every headless command: it runs without Textual."""

from __future__ import annotations

import subprocess
import sys


def assert_runs_without_textual(*commands: list[str], env: dict[str, str] | None = None) -> None:
    """Run each ``claimdesk`` command line, in order, in one fresh interpreter: each
    must succeed, and Textual must never have been imported (headless commands
    start fast on a server)."""
    code = (
        "import contextlib, io, sys; from tui.cli import main\n"
        f"for args in {[list(c) for c in commands]!r}:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        assert main(args) == 0, args\n"
        "assert 'textual' not in sys.modules, 'textual was imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
