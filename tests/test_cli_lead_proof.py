"""The command line as a lead meets it: a filter that matches nothing, bad
split weights, a closed pipe, spreadsheet formulas in CSV cells, and a
progress bar only when a person is watching."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from store import Store
from store.ingest import Ingester
from corpus.records import ArticleRecord, ImportedSpan
from test_export_fixtures import export_db  # noqa: F401  (fixture)
from pty_app import run_with_stderr
from tui.cli import main

pytestmark = pytest.mark.both_engines


def _export(db, out, *extra) -> int:
    return main(["export", "--db", str(db), "-f", "jsonl", "-o", str(out), "--quiet", *extra])


@pytest.mark.parametrize(("extra", "said"), [
    (("--annotator", "an1"), "no spans by 'an1'; annotators: ana, ben, gold"),
    (("--label", "quote", "--annotator", "ben"), "no article matches all the filters together"),
    (("--outlet", "Nowhere Post"), "no articles of outlet 'Nowhere Post'"),
    (("--since", "2099-01-01"), "no spans changed on or after 2099-01-01"),
])
def test_a_filter_that_matches_nothing_says_so_and_what_exists_and_exits_1(export_db, tmp_path, capsys, extra, said):
    out = tmp_path / "x.jsonl"
    assert _export(export_db, out, *extra) == 1
    err = capsys.readouterr().err
    assert said in err and err.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize(("ratios", "said"), [
    ("50,60,10", "must add up to 100, not 120"),
    ("0,50,50", "positive share"),
    ("-10,60,50", "positive share"),
    ("8,1,1", "must add up to 100, not 10"),
])
def test_split_weights_must_be_positive_and_add_up_to_100(export_db, tmp_path, capsys, ratios, said):
    with pytest.raises(SystemExit) as stop:
        _export(export_db, tmp_path / "s.jsonl", f"--split={ratios}")
    assert stop.value.code == 2 and said in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


@pytest.fixture
def pipe_filling_db(db_path):
    """Articles whose export is far more than a pipe holds (64 KiB), so the export
    is still writing when the reader goes away, however fast the machine."""
    sentence = "The audit found that 12% of the vests failed, the minister said on Monday."
    with Store(db_path) as store:
        Ingester(store.db).run([
            ArticleRecord(source="t", id=f"a{i}", outlet="Wire", text=f"{i} " + f"{sentence} " * 20,
                          spans=[ImportedSpan(start=len(str(i)) + 1, end=len(str(i)) + 1 + len(sentence),
                                              label="claim", annotator="ana")])
            for i in range(1000)
        ])
    return db_path


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_closed_pipe_ends_the_export_quietly_with_exit_0(pipe_filling_db, fmt):
    child = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "export", "--db", str(pipe_filling_db), "-f", fmt, "-o", "-"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    child.stdout.read(10)  # what `head -c 10` takes, then it goes away
    child.stdout.close()
    err = child.stderr.read()
    assert child.wait(timeout=60) == 0
    assert err == b""


@pytest.fixture
def formula_db(db_path):
    path = db_path
    text = "=HYPERLINK(\"http://x\") said the post.\n@SUM(A1) too; -3 is a number; +1 more."
    with Store(path, create=True) as store:
        Ingester(store.db).run([ArticleRecord(source="t", id="=cmd|' /C calc'!A0", title="+title", outlet="-outlet",
                                              text=text)])
        store.spans.add("=cmd|' /C calc'!A0", 0, 22, "claim", "ana", attrs={"note": "@me", "value": -3})
        store.spans.add("=cmd|' /C calc'!A0", 38, 46, "quote", "ana", attrs={"speaker": "-3"})
    return path


def _rows(db, tmp_path, *extra):
    out = tmp_path / "t.csv"
    assert main(["export", "--db", str(db), "-f", "csv", "-o", str(out), "--quiet", "--force", *extra]) == 0
    return list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))


def test_csv_cells_a_spreadsheet_would_run_get_a_leading_quote(formula_db, tmp_path):
    first, second = _rows(formula_db, tmp_path)
    assert first["article_id"] == "'=cmd|' /C calc'!A0"
    assert first["title"] == "'+title" and first["outlet"] == "'-outlet"
    assert first["text"] == "'=HYPERLINK(\"http://x\")"
    assert first["note"] == "'@me"
    assert first["value"] == "-3.0"  # a number stays a number
    assert second["text"] == "'@SUM(A1)" and second["speaker"] == "-3"


def test_raw_csv_writes_cells_as_they_are(formula_db, tmp_path):
    first, second = _rows(formula_db, tmp_path, "--raw-csv")
    assert first["article_id"] == "=cmd|' /C calc'!A0" and first["text"] == "=HYPERLINK(\"http://x\")"
    assert second["text"] == "@SUM(A1)"


def _ingest_on(db_path, tmp_path, stderr_tty: bool) -> tuple[bytes, bytes]:
    source = tmp_path / "a.jsonl"
    source.write_text("".join(json.dumps({"text": f"Article {i} says 12% failed."}) + "\n" for i in range(37)))
    return run_with_stderr([sys.executable, "-m", "tui.cli", "ingest", str(source), "--db", str(db_path),
                    "--no-suggest"], stderr_tty)


def test_ingest_shows_a_bar_with_total_and_time_left_on_a_terminal(db_path, tmp_path):
    out, err = _ingest_on(db_path, tmp_path, stderr_tty=True)
    assert b"ingesting" in err and b"/37" in err and b"left" in err
    assert b"ingested 37 articles" in out


def test_ingest_is_quiet_when_stderr_is_piped(db_path, tmp_path):
    out, err = _ingest_on(db_path, tmp_path, stderr_tty=False)
    assert err == b"" and b"ingested 37 articles" in out


def test_export_shows_a_bar_with_the_article_total_on_a_terminal(export_db, tmp_path):
    with Store(export_db) as store:
        total = store.db.execute(
            "SELECT count(DISTINCT article_id) FROM spans WHERE status = 'accepted'").fetchone()[0]
    command = [sys.executable, "-m", "tui.cli", "export", "--db", str(export_db), "-f", "jsonl",
               "-o", str(tmp_path / "o.jsonl")]
    out, err = run_with_stderr(command, stderr_tty=True)
    assert b"exporting" in err and f"/{total}".encode() in err and b"left" in err
    out, err = run_with_stderr([*command[:-1], str(tmp_path / "p.jsonl")], stderr_tty=False)
    assert err == b"" and b"exported" in out
