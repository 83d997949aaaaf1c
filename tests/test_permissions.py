"""A new database is writable by the group when the umask says so, and
every event names the real operating-system user."""

from __future__ import annotations

import os
import pwd
import stat
from pathlib import Path

import pytest

from store import Store
from store.events import history


@pytest.fixture
def umask_002():
    previous = os.umask(0o002)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _ingest_one(store: Store) -> None:
    store.db.execute("INSERT INTO outlets (name) VALUES ('o')")
    store.db.execute(
        "INSERT INTO articles (id, outlet_id, title, hash, length, ingested_at, text)"
        " VALUES ('a1', 1, 't', 'h', 5, '2026-01-01', 'hello')"
    )


def test_database_wal_and_shm_are_group_writable_under_umask_002(tmp_path: Path, umask_002):
    path = tmp_path / "team.db"
    with Store(path) as store:
        _ingest_one(store)
        store.spans.add("a1", 0, 5, "claim", "ann")
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert wal.exists() and shm.exists()
        assert (_mode(path), _mode(wal), _mode(shm)) == (0o664, 0o664, 0o664)


def test_umask_022_keeps_the_database_private_to_the_owner_for_writing(tmp_path: Path):
    previous = os.umask(0o022)
    try:
        path = tmp_path / "mine.db"
        Store(path).close()
    finally:
        os.umask(previous)
    assert _mode(path) == 0o644


def test_an_existing_file_keeps_its_mode(tmp_path: Path, umask_002):
    path = tmp_path / "kept.db"
    Store(path).close()
    path.chmod(0o660)
    Store(path).close()
    assert _mode(path) == 0o660


def test_events_record_the_os_user_from_the_uid_not_from_USER(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("USER", "somebody-else")
    monkeypatch.setenv("LOGNAME", "somebody-else")
    with Store(tmp_path / "who.db") as store:
        _ingest_one(store)
        store.spans.add("a1", 0, 5, "claim", "ann")
        (event,) = history(store.db, "a1")
    assert event.annotator == "ann"
    assert event.os_user == pwd.getpwuid(os.getuid()).pw_name
