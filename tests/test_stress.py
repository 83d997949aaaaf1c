"""Short form of bench/bench_stress.py: real processes writing one database at
once while another reads it, and one of them killed with SIGKILL mid-run; on
SQLite and on PostgreSQL (where the killed writer's open transaction, and the
team lock it may hold, die with its connection)."""

from __future__ import annotations

import pytest

from bench_support import ENGINES, bench_module, new_database


@pytest.fixture(scope="module")
def stress():
    yield from bench_module("bench_stress")


@pytest.fixture(scope="module", params=ENGINES)
def finished_run(stress, tmp_path_factory, request):
    """8 writers x 50 actions and an exporter; writer0 is killed after 15 actions."""
    folder = tmp_path_factory.mktemp("stress")
    db = new_database(request, request.param, folder, "stress.db")
    result = stress.run(db, writers=8, actions=50, articles=30, kill_after=15, folder=folder)
    return result, stress.verify(result)


def test_every_writer_made_its_actions_without_a_lock_error(finished_run):
    result, _ = finished_run
    assert result.killed == "writer0"
    assert len(result.done["writer0"]) >= 15
    for i in range(1, 8):
        name = f"writer{i}"
        # Each action was done, or found nothing to act on (an undo with nothing left to undo).
        assert [e["kind"] for e in result.other[name] if e["kind"] != "nothing"] == []
        assert len(result.done[name]) + len(result.other[name]) == 50
        assert len(result.done[name]) >= 35


def test_the_database_is_intact_after_a_kill_9(finished_run):
    _, verdict = finished_run
    assert verdict.integrity == "ok"


def test_the_spans_table_equals_the_replay_of_the_events(finished_run):
    _, verdict = finished_run
    assert verdict.replay_differences == []


def test_every_reported_action_is_recorded_exactly_once_and_nothing_else_is(finished_run):
    result, verdict = finished_run
    assert verdict.missing == [] and verdict.doubled == []
    # The killed writer may have committed its in-flight action without reporting it; no one else may.
    assert set(verdict.unreported) <= {"writer0"}
    assert len(verdict.unreported.get("writer0", [])) <= 1


def test_the_exporter_read_consistent_spans_in_short_snapshots(finished_run):
    result, _ = finished_run
    assert result.export["loops"] >= 1
    assert result.export["mismatched"] == 0
    if isinstance(result.db_path, str):
        # PostgreSQL keeps old row versions for the oldest snapshot anyone holds; one
        # snapshot for the whole read would be as old as the run's 400 writes.
        assert result.export["snapshot_age_max"] < 100
    else:
        assert result.export["wal_max"] < 32 * 1024 * 1024
