"""Short form of bench/bench_faults.py: `kill -9` of real ingest, suggest, dedup,
review and export processes at a random point, then the engine's integrity
check, the replay check, and a re-run that must complete the rest exactly
once; on SQLite and on PostgreSQL (where the killed client's transaction must
leave nothing behind and its advisory locks must not stop the re-run)."""

from __future__ import annotations

import pytest

from bench_support import ENGINES, bench_module, new_database


@pytest.fixture(scope="module")
def faults():
    yield from bench_module("bench_faults")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", ["ingest", "suggest", "dedup", "review", "export"])
def test_a_kill_9_leaves_the_database_intact_and_a_rerun_completes_the_rest(faults, tmp_path, request, case, engine):
    folder = tmp_path / case
    outcome = faults.run_case(case, folder, seed=7, articles=60,
                              new_db=lambda name: new_database(request, engine, folder, f"{name}.db"))
    assert outcome.integrity == "ok"
    assert outcome.foreign_keys == []
    assert outcome.replay_differences == []
    assert outcome.problems == []
    assert (outcome.rerun_code, outcome.rerun_stderr) == (0, "")
    if case in ("ingest", "suggest", "review", "export"):  # killed at an event that comes before the end
        assert outcome.killed


# A process killed while it holds the team lock (a write) or the bulk writers'
# turn (an ingest batch): SQLite's lock and the -bulk.lock flock, PostgreSQL's
# advisory locks, all belong to the process or its connection and die with it.
_HOLDER = """
import pathlib, sys, time
from store import Store
from store.engine import is_url

db, marker, mode = sys.argv[1:]
with Store(db if is_url(db) else pathlib.Path(db)) as store:
    with store.db.bulk_write() if mode == "bulk" else store.db.write():
        store.spans.add("a1", 0, 5, "claim", "ghost")
        pathlib.Path(marker).write_text("holding")
        time.sleep(600)
"""


def _article(n: int):
    from corpus.records import ArticleRecord

    return ArticleRecord(source="faults", id=f"a{n}", outlet="Wire", title=f"A {n}", text=f"Article {n} says 12 things.")


@pytest.mark.both_engines
@pytest.mark.parametrize("mode", ["write", "bulk"])
def test_a_writer_killed_holding_the_lock_leaves_nothing_and_the_next_writer_gets_in(store, db_path, tmp_path, mode):
    import signal
    import subprocess
    import sys
    import time

    store.ingest([_article(1)])
    marker = tmp_path / "holding"
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(db_path), str(marker), mode],
                              stderr=subprocess.PIPE, text=True)
    while not marker.exists():
        assert holder.poll() is None, holder.stderr.read()
        time.sleep(0.01)
    holder.send_signal(signal.SIGKILL)
    holder.communicate()

    # The next bulk writer and the next person both get in (a lock left behind
    # would make them wait 30 s and fail with "the database is busy").
    assert store.ingest([_article(2)]).ingested == 1
    store.spans.add("a2", 0, 7, "claim", "ann")
    # The killed writer's span and its event were never committed.
    assert store.spans.for_article("a1", annotator="ghost") == []
    assert [e for e in store.events.history("a1") if e.annotator == "ghost"] == []
    assert [s.text for s in store.spans.for_article("a2", annotator="ann")] == ["Article"]


@pytest.mark.both_engines
@pytest.mark.parametrize("mode", ["write", "bulk"])
def test_a_writer_stuck_holding_the_lock_makes_the_next_one_fail_in_one_line(store, db_path, tmp_path, mode,
                                                                             monkeypatch):
    import signal
    import subprocess
    import sys
    import time

    from store import StoreError
    from store import db as sqlite_engine
    from store.engine import postgres as postgres_engine

    store.ingest([_article(1)])
    marker = tmp_path / "holding"
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(db_path), str(marker), mode],
                              stderr=subprocess.PIPE, text=True)
    try:
        while not marker.exists():
            assert holder.poll() is None, holder.stderr.read()
            time.sleep(0.01)
        # The holder sleeps for 600 s: any wait shorter than that runs out.
        monkeypatch.setattr(sqlite_engine, "WRITE_WAIT_S", 0.5)
        monkeypatch.setattr(postgres_engine, "WRITE_WAIT_S", 0.5)
        with pytest.raises(StoreError) as raised:
            if mode == "bulk":
                store.ingest([_article(2)])
            else:
                store.spans.add("a1", 0, 7, "claim", "ann")
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.communicate()
    message = str(raised.value)
    assert message.startswith("the database is busy") and "\n" not in message, message
    # Once the holder is gone the same write goes through, on the same connection.
    store.spans.add("a1", 0, 7, "claim", "ann")


def test_a_postgresql_connection_ended_by_the_server_gives_one_line_errors_and_no_half_write(pg_server):
    """An administrator's pg_terminate_backend, or a server restart, mid-session."""
    import psycopg

    from store import Store, StoreError

    url = pg_server.new_database()
    with Store(url) as store:
        store.ingest([_article(1)])
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [store.db.conn.info.backend_pid])
        for attempt in (lambda: store.spans.add("a1", 0, 7, "claim", "ann"),
                        lambda: store.spans.for_article("a1"),
                        lambda: store.ingest([_article(2)])):
            with pytest.raises(StoreError) as raised:
                attempt()
            assert "the connection to the server failed" in str(raised.value)
            assert "\n" not in str(raised.value)
    with Store(url) as store:  # a new connection: nothing of the failed writes is there
        assert store.spans.for_article("a1", annotator="ann") == []
        assert store.articles.get("a2") is None


_STALLED_HOLDER = """
import os, pathlib, signal, sys
import store.engine.postgres as postgres
from store import Store

postgres.STALLED_TRANSACTION_S = 1.5  # the server's patience with this session (300 s in use)
db, marker = sys.argv[1:]
with Store(db) as store:
    with store.db.write():
        store.spans.add("a1", 0, 5, "claim", "ghost")
        pathlib.Path(marker).write_text("holding")
        os.kill(os.getpid(), signal.SIGSTOP)  # a suspended laptop, a hung process: alive, silent, holding the lock
"""


def test_a_postgresql_writer_that_stalls_holding_the_team_lock_holds_up_nobody_for_good(pg_server, tmp_path):
    import signal
    import subprocess
    import sys
    import time

    from store import Store

    url = pg_server.new_database()
    with Store(url) as store:
        store.ingest([_article(1)])
    marker = tmp_path / "holding"
    holder = subprocess.Popen([sys.executable, "-c", _STALLED_HOLDER, url, str(marker)],
                              stderr=subprocess.PIPE, text=True)
    try:
        while not (marker.exists() and "\nState:\tT" in open(f"/proc/{holder.pid}/status").read()):
            assert holder.poll() is None, holder.stderr.read()
            time.sleep(0.01)
        with Store(url) as store:  # waits for the lock (up to 30 s) until the server ends the stalled session
            span = store.spans.add("a1", 0, 7, "claim", "ann")
            assert [(s.id, s.annotator) for s in store.spans.for_article("a1")] == [(span.id, "ann")]
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.communicate()
