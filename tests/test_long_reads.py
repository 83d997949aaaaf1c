"""A long reader walks the database in short snapshots, so other processes'
writes do not pile up in the WAL while it runs."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from store import Store
from store import db as store_db
from store.db import checkpoint, read_pages, snapshot, write

ROWS = 60


def _fill(store: Store, rows: int = ROWS) -> None:
    with write(store.db):
        store.db.execute("INSERT INTO outlets (name) VALUES ('o')")
        store.db.conn.executemany(
            "INSERT INTO articles (id, outlet_id, title, hash, length, ingested_at, text) VALUES (?, 1, 't', ?, 1, 'now', 'x')",
            [(f"a{i:04d}", f"h{i}") for i in range(rows)],
        )


def test_read_pages_sees_every_row_once_while_another_process_writes(tmp_path: Path):
    path = tmp_path / "r.db"
    with Store(path) as reader, Store(path) as writer:
        _fill(reader)
        seen = []
        for n, row in enumerate(read_pages(reader.db, "SELECT id, title FROM articles", key="id", page_size=7)):
            seen.append(row["id"])
            if n % 10 == 0:  # between pages the other process changes what is still ahead
                with write(writer.db):
                    writer.db.execute("UPDATE articles SET title = 'changed' WHERE id = 'a0119'")
        assert seen == sorted(set(seen))
        assert seen[:ROWS] == [f"a{i:04d}" for i in range(ROWS)]


def test_a_snapshot_sees_one_state_even_when_a_write_commits_inside_it(tmp_path: Path):
    path = tmp_path / "s.db"
    with Store(path) as reader, Store(path) as writer:
        _fill(reader, 3)
        with snapshot(reader.db):
            before = reader.db.execute("SELECT count(*) FROM articles").fetchone()[0]
            with write(writer.db):
                writer.db.execute("DELETE FROM articles WHERE id = 'a0000'")
            assert reader.db.execute("SELECT count(*) FROM articles").fetchone()[0] == before == 3
        assert reader.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def _wal_after_reading(path: Path, *, short: bool) -> int:
    """Read every article page by page while another connection writes 20 KB
    per page; returns the WAL's size at the end."""
    with Store(path) as reader, Store(path) as writer:
        writer.db.execute("PRAGMA wal_autocheckpoint=50")
        blob = "x" * 20_000

        def one_write(i: int) -> None:
            with write(writer.db):
                writer.db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [f"k{i % 3}", blob + str(i)])

        if short:
            for i, _ in enumerate(read_pages(reader.db, "SELECT id FROM articles", key="id", page_size=1)):
                one_write(i)
        else:
            with snapshot(reader.db):
                for i, _ in enumerate(reader.db.query("SELECT id FROM articles ORDER BY id")):
                    one_write(i)
            checkpoint(reader.db)
        one_write(ROWS)  # the next write after a complete checkpoint restarts the WAL
        return os.path.getsize(f"{path}-wal")


def test_short_snapshots_keep_the_wal_small_where_one_long_snapshot_lets_it_grow(tmp_path: Path):
    for name in ("short.db", "long.db"):
        with Store(tmp_path / name) as store:
            _fill(store)
    short = _wal_after_reading(tmp_path / "short.db", short=True)
    long = _wal_after_reading(tmp_path / "long.db", short=False)
    assert long > ROWS * 20_000  # every write piled up behind the open snapshot
    assert short < long / 3


def _wal_sequence(path: Path) -> int:
    """The WAL header's checkpoint sequence number, which goes up each time the WAL starts over."""
    with open(f"{path}-wal", "rb") as wal:
        return int.from_bytes(wal.read(16)[12:16], "big")


def _writes_with_a_busy_reader(path: Path, writes: int, *, until_restart: bool = False) -> list[tuple[int, int]]:
    """Write 20 KB at a time while another thread reads in back-to-back short
    snapshots; returns the WAL's (size, checkpoint sequence) after each write.
    ``until_restart`` stops five writes after the first that starts the WAL over."""
    with Store(path) as store:
        _fill(store, 3)
    reading, done = threading.Event(), threading.Event()

    def read_constantly() -> None:
        with Store(path) as reader:
            while not done.is_set():
                with snapshot(reader.db):
                    reader.db.execute("SELECT count(*) FROM settings").fetchone()
                    reading.set()
                    time.sleep(0.001)

    thread = threading.Thread(target=read_constantly)
    thread.start()
    seen: list[tuple[int, int]] = []
    try:
        assert reading.wait(30)
        with Store(path) as writer:
            writer.db.execute("PRAGMA wal_autocheckpoint=20")
            restarted_at = None
            for i in range(writes):
                if restarted_at is not None and i == restarted_at + 5:
                    break
                with write(writer.db):
                    writer.db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [f"k{i % 5}", "x" * 20_000])
                seen.append((os.path.getsize(f"{path}-wal"), _wal_sequence(path)))
                if until_restart and restarted_at is None and seen[-1][1] != seen[0][1]:
                    restarted_at = i
    finally:
        done.set()
        thread.join()
    return seen


def test_a_writer_restarts_a_wal_that_busy_readers_keep_from_restarting(tmp_path: Path, monkeypatch):
    # No "without the trim it never starts over" half: SQLite itself starts the WAL
    # over whenever every reader began after a complete checkpoint, which back-to-back
    # readers allow now and then, at moments that depend on the machine's timing.
    monkeypatch.setattr(store_db, "WAL_TRIM_INTERVAL_S", 0.0)
    monkeypatch.setattr(store_db, "WAL_TRIM_SIZE", 200_000)
    # Waits for the restart, not for a size: on a busy machine a try may miss
    # the reader's gaps (each waits 50 ms), and the next write tries again.
    trimmed = _writes_with_a_busy_reader(tmp_path / "on.db", 2_000, until_restart=True)
    restart = next((n for n, (_, sequence) in enumerate(trimmed) if sequence != trimmed[0][1]), None)
    assert restart is not None, "the WAL never started over"
    # Started over: the next writes go to the top of the file, which stops growing.
    assert len(trimmed) == restart + 5
    assert max(size for size, _ in trimmed[restart:]) == trimmed[restart - 1][0]
