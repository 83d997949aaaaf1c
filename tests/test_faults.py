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
