"""The JSONL export: its fields, several annotators, and the round trip
through ``claimdesk ingest`` into a fresh database."""

from __future__ import annotations

import json

import pytest

from test_export_fixtures import EMOJI_ID, export_db, rows  # noqa: F401  (fixture)
from tui.cli import main

pytestmark = pytest.mark.both_engines


def _lines(db, tmp_path, *extra):
    out = tmp_path / "out.jsonl"
    assert main(["export", "--db", str(db), "-f", "jsonl", "-o", str(out), "--quiet", "--force", *extra]) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def _spans(db) -> set[tuple]:
    found = rows(db, "SELECT article_id, start, \"end\", label, annotator, attrs, text FROM spans"
                     " WHERE status = 'accepted'")
    return {(a, s, e, label, who, json.dumps(json.loads(attrs), sort_keys=True), text)
            for a, s, e, label, who, attrs, text in found}


def _articles(db) -> set[tuple]:
    return set(rows(db,
        "SELECT a.id, o.name, a.title, a.url, a.published, a.hash, a.metadata FROM articles a"
        " JOIN outlets o ON o.id = a.outlet_id WHERE a.id IN (SELECT article_id FROM spans WHERE status = 'accepted')"
    ))


def test_round_trip_through_ingest_keeps_every_span_attribute_and_article(export_db, db_path, tmp_path, capsys):
    out = tmp_path / "round.jsonl"
    assert main(["export", "--db", str(export_db), "-f", "jsonl", "-o", str(out), "--quiet"]) == 0
    fresh = db_path  # an empty database of the same engine
    assert main(["ingest", str(out), "--db", str(fresh), "--quiet"]) == 0
    assert "rejected 0" in capsys.readouterr().out
    assert _spans(fresh) == _spans(export_db)
    assert _articles(fresh) == _articles(export_db)


def test_a_line_has_the_prodigy_fields_and_spans_name_their_annotator(export_db, tmp_path):
    lines = _lines(export_db, tmp_path)
    line = lines[0]
    assert set(line) == {"text", "spans", "meta", "_input_hash", "_task_hash", "_annotator_id"}
    assert set(line["meta"]) >= {"id", "outlet", "title", "url", "published"}
    assert {s["annotator"] for s in line["spans"]} == {"ana", "ben", "gold"}
    assert line["_annotator_id"] is None  # several annotators on the line
    for span in line["spans"]:
        assert span["text"] == line["text"][span["start"] : span["end"]]
        assert span["token_start"] <= span["token_end"]
    assert all(isinstance(line[k], int) and -(2**31) <= line[k] < 2**31 for k in ("_input_hash", "_task_hash"))


def test_claims_carry_cluster_quotes_speaker_figures_value_and_unit(export_db, tmp_path):
    spans = [s for line in _lines(export_db, tmp_path) for s in line["spans"]]
    assert all("cluster" in s for s in spans if s["label"] == "claim" and s["annotator"] == "ana")
    assert all(s.get("speaker") for s in spans if s["label"] == "quote")
    assert any(s.get("value") == 12 and s.get("unit") == "%" for s in spans if s["label"] == "figure")


def test_one_annotator_gives_prodigy_lines_with_annotator_id(export_db, tmp_path):
    lines = _lines(export_db, tmp_path, "--annotator", "ben")
    assert lines and all(line["_annotator_id"] == "ben" for line in lines)
    assert {s["annotator"] for line in lines for s in line["spans"]} == {"ben"}
    ana = {line["meta"]["id"]: line for line in _lines(export_db, tmp_path, "--annotator", "ana")}
    for line in lines:
        other = ana[line["meta"]["id"]]
        assert line["_input_hash"] == other["_input_hash"]  # same text
        assert line["_task_hash"] != other["_task_hash"]  # other annotations


def test_pending_and_rejected_suggestions_are_not_exported(export_db, tmp_path):
    spans = [(line["meta"]["id"], s["start"], s["end"]) for line in _lines(export_db, tmp_path) for s in line["spans"]]
    first = _lines(export_db, tmp_path)[0]["meta"]["id"]
    assert (first, 0, 3) not in spans and (first, 4, 9) not in spans


def test_offsets_are_code_points_after_an_emoji(export_db, tmp_path):
    line = next(line for line in _lines(export_db, tmp_path) if line["meta"]["id"] == EMOJI_ID)
    figure = next(s for s in line["spans"] if s["label"] == "figure")
    assert line["text"].startswith("🙂") and figure["text"] == "12%"
    assert line["text"].index("12%") == figure["start"]
