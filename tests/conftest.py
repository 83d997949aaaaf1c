"""Shared fixtures: temporary databases and the command line run in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a database that does not exist yet."""
    return tmp_path / "test.db"


@pytest.fixture
def store(db_path: Path):
    """An open, empty, migrated store."""
    with Store(db_path) as opened:
        yield opened


@pytest.fixture
def demo_store(tmp_path: Path):
    """A store holding the bundled demo corpus."""
    from tui.commands.demo import load_demo

    with load_demo(tmp_path / "demo.db") as opened:
        yield opened


@pytest.fixture
def cli(db_path: Path, capsys):
    """Run ``claimdesk ARGS --db <db_path>`` in-process; returns (code, stdout, stderr)."""
    from tui.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main([*args, "--db", str(db_path)])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture(autouse=True)
def _words_only_matching(monkeypatch):
    """Tests match by words alone, whether or not a semantic model is installed on this
    machine; the semantic tests name the model they use (tests/test_semantic.py)."""
    monkeypatch.setenv("CLAIMDESK_SEMANTIC_MODEL", "off")
