"""``claimdesk config``, ``claimdesk stats`` and ``claimdesk review --queue`` on the command line."""

from __future__ import annotations

import json

import pytest

from corpus.records import ArticleRecord
from store import Store
from store.ingest import Ingester
from store.progress import ProgressStore
from headless_support import assert_runs_without_textual

pytestmark = pytest.mark.both_engines

TEXT = "Aa bb cc dd ee ff gg hh ii jj"


@pytest.fixture
def team_db(db_path):
    with Store(db_path) as store:
        Ingester(store.db).run([ArticleRecord(source="t", id=i, outlet="Wire", text=f"{TEXT} {i}") for i in ("a1", "a2")])
        for start, end, label in [(0, 11, "claim"), (6, 8, "figure"), (21, 29, "quote")]:
            store.spans.add("a1", start, end, label, "ann")
        for start, end, label in [(0, 8, "claim"), (6, 8, "figure"), (24, 29, "quote"), (15, 17, "claim")]:
            store.spans.add("a1", start, end, label, "bob")
        for name in ("ann", "bob"):
            ProgressStore(store.db).mark_done("a1", name)
    return db_path


def test_config_lists_shows_and_sets_overlap(cli, team_db):
    code, out, _ = cli("config")
    assert code == 0
    assert out.splitlines()[0].split()[:2] == ["overlap", "1"]
    assert "lock-minutes" in out
    assert cli("config", "overlap", "2")[1] == "overlap 2\n"
    assert cli("config", "overlap")[1] == "overlap 2\n"
    assert cli("config", "lock-minutes", "20")[1] == "lock-minutes 20\n"


@pytest.mark.parametrize(("value", "message"), [("0", "overlap must be at least 1"), ("two", "takes a whole number")])
def test_config_refuses_bad_values_in_one_line(cli, team_db, value, message):
    code, _, err = cli("config", "overlap", value)
    assert code == 2 and message in err and err.count("\n") == 1


def test_stats_prints_tables_with_the_agreement_figures(cli, team_db):
    code, out, _ = cli("stats")
    assert code == 0
    assert "2 articles, 0 reviewed" in out
    ann = next(line for line in out.splitlines() if line.strip().startswith("ann "))
    assert ann.split()[:6] == ["ann", "1", "3", "1", "1", "1"]  # finished, spans, claim, quote, figure
    assert "ann ~ bob: 1 article, 11 tokens" in out
    # F1 exact 2/7 = .29 and overlap 6/7 = .86 over all labels (see tests/test_agreement.py).
    row = next(line for line in out.splitlines() if line.strip().startswith("all "))
    assert row.split()[1:3] == ["0.29", "0.86"]
    assert "no review is finished yet" in out


def test_stats_json_is_one_object_with_every_section(cli, team_db):
    code, out, _ = cli("stats", "--json")
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"articles", "reviewed", "annotators", "labels", "pairs", "versus_gold"}
    (pair,) = data["pairs"]
    assert (pair["first"], pair["second"]) == ("ann", "bob")
    assert pair["exact"]["f1"] == pytest.approx(2 / 7)
    assert set(pair["labels"]) == {"claim", "quote", "figure"}


def test_review_queue_lists_articles_worst_first(cli, team_db):
    code, out, _ = cli("review", "--queue")
    assert code == 0
    # Six distinct spans; only the figure was marked by both; none decided yet.
    assert out.splitlines()[1].split() == ["a1", "6", "5", "6", "ann,", "bob"]
    data = json.loads(cli("review", "--queue", "--json")[1])
    assert [entry["article_id"] for entry in data] == ["a1"]


def test_team_commands_never_import_textual(team_db):
    db = ["--db", str(team_db)]
    assert_runs_without_textual(["stats", *db], ["config", *db], ["review", "--queue", *db])
