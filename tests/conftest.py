"""Shared fixtures: temporary databases and the command line run in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import Store


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``both_engines`` (a module's ``pytestmark`` or one test) run
    once on SQLite and once on PostgreSQL, through the ``engine`` fixture;
    ``sqlite_only`` takes one test of such a module back to SQLite alone."""
    if "engine" not in metafunc.fixturenames or metafunc.definition.get_closest_marker("sqlite_only"):
        return
    if metafunc.definition.get_closest_marker("both_engines"):
        metafunc.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server for the whole run (see tests/pg_support.py)."""
    from pg_support import Server

    server = Server()
    yield server
    server.stop()


@pytest.fixture
def engine(request) -> str:
    """``sqlite``, or ``postgresql`` in a ``both_engines`` test's second run."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def db_path(tmp_path: Path, engine: str, request) -> Path | str:
    """Where a database that does not exist yet goes: a file path, or on
    PostgreSQL the URL of an empty database."""
    if engine == "postgresql":
        return request.getfixturevalue("pg_server").new_database()
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
