"""Short form of bench/bench_parallel_ingest.py: six real `claimdesk ingest`
processes at once on one database, naming outlets it does not hold yet,
while an annotator process keeps adding spans; on SQLite and on PostgreSQL. Latencies are the bench's
business; here every process must succeed and every article go in."""

from __future__ import annotations

import pytest

from bench_support import ENGINES, bench_module, new_database


@pytest.fixture(scope="module")
def bench():
    yield from bench_module("bench_parallel_ingest")


@pytest.fixture(scope="module", params=ENGINES)
def finished_run(bench, tmp_path_factory, request):
    """The run on SQLite, and on PostgreSQL (where the integrity check is amcheck's, see bench/engines.py)."""
    folder = tmp_path_factory.mktemp("parallel")
    db = new_database(request, request.param, folder, "parallel.db")
    return bench.run(folder, ingests=6, articles=30, baseline_writes=0, db=db)


def test_six_ingests_naming_new_outlets_all_succeed(finished_run):
    for code, out, err in zip(finished_run.ingest_codes, finished_run.ingest_stdout, finished_run.ingest_stderr):
        assert (code, err) == (0, ""), err
        assert "ingested 30 articles" in out


def test_every_article_is_stored_and_each_outlet_and_label_once(bench, finished_run):
    assert finished_run.articles_stored == finished_run.articles_expected == 6 * 30 + 1
    assert finished_run.outlets == sorted([*bench.NEW_OUTLETS, "Seed Wire"])
    assert finished_run.labels.count(bench.NEW_LABEL) == 1
    assert sum("labels created: source" in out for out in finished_run.ingest_stdout) == 1


def test_the_annotator_was_never_told_the_database_is_busy(bench, finished_run):
    assert finished_run.during["latencies"], "the annotator made no write while the ingests ran"
    assert finished_run.during["errors"] == []
    assert bench.busy_reports(finished_run) == []


def test_the_database_is_intact_and_its_spans_replay(finished_run):
    assert finished_run.integrity == "ok"
    assert finished_run.replay_differences == []
