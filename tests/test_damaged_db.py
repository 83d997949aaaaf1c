"""A read-only, full, damaged or set-back database file: every command says in one
line what is wrong and what to do, with no traceback, and nothing already
stored is touched. Real files, real processes (and a real full filesystem
where the test may mount one)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from store import Store
from store.schema import SCHEMA_VERSION


def claimdesk(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args, "--db", str(db)], capture_output=True, text=True, timeout=120
    )


def one_line_error(result: subprocess.CompletedProcess, *words: str) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


def contents(db: Path) -> dict:
    """Everything stored that a person would miss, read with plain sqlite3."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'article_titles%'")]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))) for t in sorted(tables)}
    finally:
        conn.close()


def article_file(folder: Path, name: str, text: str) -> Path:
    path = folder / "Harbour Times" / f"{name}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def filled(tmp_path) -> Path:
    """A database holding two articles, their suggestions and a manual span."""
    db = tmp_path / "team.db"
    first = article_file(tmp_path, "ferry", "Ferry strike ends\n\nWorkers said 40 ferries sail again on Monday.\n")
    second = article_file(tmp_path, "port", "Port reopens\n\nThe minister said the port reopened after 3 days.\n")
    from tui.cli import main

    assert main(["ingest", str(first), str(second), "--db", str(db)]) == 0
    with Store(db) as store:
        store.spans.add("harbour-times/ferry", 0, 5, "claim", "ann")
    return db


def make_read_only(db: Path) -> None:
    if os.geteuid() == 0:  # root writes through file modes: use the immutable flag
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(db)]).returncode != 0:
            pytest.skip("running as root and this filesystem has no immutable flag (chattr +i failed)")
    else:
        db.chmod(0o444)


def undo_read_only(db: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(db)], check=True)
    else:
        db.chmod(0o644)


def test_a_read_only_file_is_one_line_and_reads_still_work(filled, tmp_path):
    new = article_file(tmp_path, "dam", "Dam holds\n\nEngineers said the dam held.\n")
    before = contents(filled)
    make_read_only(filled)
    try:
        one_line_error(claimdesk(filled, "ingest", str(new)), "cannot be written", "read-only", "nothing was changed")
        one_line_error(claimdesk(filled, "labels", "add", "source", "s"), "cannot be written")
        stats = claimdesk(filled, "stats")
        assert stats.returncode == 0, stats.stderr
    finally:
        undo_read_only(filled)
    assert contents(filled) == before


@pytest.mark.parametrize("table", ["spans", "outlets"])
def test_a_dropped_table_is_one_line_and_nothing_is_written(filled, tmp_path, table):
    conn = sqlite3.connect(filled)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute(f"DROP TABLE {table}")
    conn.commit()
    conn.close()
    before = contents(filled)
    new = article_file(tmp_path, "dam", "Dam holds\n\nEngineers said the dam held.\n")
    line = one_line_error(claimdesk(filled, "ingest", str(new)), f"table {table} is missing", "backup")
    assert "nothing was changed" in line
    one_line_error(claimdesk(filled, "stats"), f"table {table} is missing")
    assert contents(filled) == before


@pytest.mark.parametrize("version", range(SCHEMA_VERSION))
def test_a_schema_version_set_back_migrates_again_without_harm(filled, tmp_path, version):
    before = contents(filled)
    conn = sqlite3.connect(filled)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()
    with Store(filled) as store:  # what every command does first
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert contents(filled) == before
    from tui.cli import main

    new = article_file(tmp_path, "dam", "Dam holds\n\nEngineers said the dam held.\n")
    assert main(["ingest", str(new), "--db", str(filled)]) == 0


def _mount_small(tmp_path, name: str, size: str):
    point = tmp_path / name
    point.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command: cannot make a small filesystem to fill")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.strip() or 'not permitted'})")
    return point


@pytest.fixture
def small_disk(tmp_path):
    """A 16 MB tmpfs mounted for the test, or a skip saying why there is none."""
    point = _mount_small(tmp_path, "small", "16m")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


@pytest.fixture
def tiny_disk(tmp_path):
    """A 1 MB tmpfs mounted for the test, or a skip saying why there is none."""
    point = _mount_small(tmp_path, "tiny", "1m")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_a_full_disk_mid_ingest_is_one_line_keeps_what_was_stored_and_a_rerun_finishes(small_disk, tmp_path, filled):
    db = small_disk / "team.db"
    shutil.copy(filled, db)
    before = contents(db)
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (13 * 1024 * 1024))
    records = tmp_path / "many.jsonl"
    with records.open("w") as out:
        for n in range(600):
            text = f"Report {n}. " + " ".join(f"The council said {n * 7 + k} homes were built." for k in range(120))
            out.write(json.dumps({"id": f"r{n}", "outlet": "Wire", "title": f"Report {n}", "text": text}) + "\n")
    # About 4.8 MB of text (and as much again in the WAL) with under 3 MB free: the disk fills part-way through.
    line = one_line_error(claimdesk(db, "ingest", str(records), "--no-suggest"), "is full", "Free some space")
    assert "everything stored before is kept" in line
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    partial = conn.execute("SELECT count(*) FROM articles WHERE id LIKE 'r%'").fetchone()[0]
    conn.close()
    assert 0 < partial < 600
    after = contents(db)
    for table, rows in before.items():
        if table in ("spans", "events", "labels", "outlets", "progress"):
            assert set(rows) <= set(after[table])
    filler.unlink()
    # Room again for the rest: the same command completes it.
    rerun = claimdesk(db, "ingest", str(records), "--no-suggest")
    assert rerun.returncode == 0, rerun.stderr
    assert f"skipped {partial} as duplicates" in rerun.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles WHERE id LIKE 'r%'").fetchone()[0] == 600
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_a_full_disk_mid_export_is_one_line_and_a_rerun_writes_it_whole(tiny_disk, filled, tmp_path):
    filler = tiny_disk / "filler"
    filler.write_bytes(b"\0" * (1024 * 1024 - 8192))
    target = tiny_disk / "dataset.jsonl"
    # The export must hold far more than the 8 KB left: give every article many spans.
    with Store(filled) as store:
        for n in range(300):
            store.spans.add("harbour-times/port", n % 40, n % 40 + 5, "claim", f"ann{n}")
    before = contents(filled)
    line = one_line_error(claimdesk(filled, "export", "--format", "jsonl", "--out", str(target)), "No space left")
    assert "nothing was written under the final name" in line
    assert not target.exists()
    assert contents(filled) == before
    filler.unlink()
    rerun = claimdesk(filled, "export", "--format", "jsonl", "--out", str(target))
    assert rerun.returncode == 0, rerun.stderr
    assert "removed a stale temporary file" in rerun.stdout + rerun.stderr
    assert [p.name for p in tiny_disk.iterdir()] == ["dataset.jsonl"]
    assert len(target.read_text().splitlines()) == 2
