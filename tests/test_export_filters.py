"""Export filters (--label, --annotator, --outlet, --done, --gold, --since)
and --split."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from corpus.records import text_hash
from store import Store
from store.db import write
from test_export_fixtures import export_db, export_db_on, own_copy  # noqa: F401  (fixtures)
from tui.cli import main

pytestmark = pytest.mark.both_engines


def _export(db, out, *extra) -> int:
    return main(["export", "--db", str(db), "-f", "jsonl", "-o", str(out), "--quiet", *extra])


def _lines(db, tmp_path, *extra):
    out = tmp_path / "f.jsonl"
    assert _export(db, out, "--force", *extra) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def own_db(own_copy):
    """A copy of the export database a test may change."""
    return own_copy()


def test_label_filter_keeps_only_that_label(export_db, tmp_path):
    lines = _lines(export_db, tmp_path, "--label", "quote")
    assert len(lines) == 2 and {s["label"] for line in lines for s in line["spans"]} == {"quote"}
    both = _lines(export_db, tmp_path, "--label", "quote", "--label", "figure")
    assert {s["label"] for line in both for s in line["spans"]} == {"quote", "figure"}


def test_unknown_label_is_a_clear_error(export_db, tmp_path, capsys):
    assert _export(export_db, tmp_path / "x.jsonl", "--label", "claims") == 2
    assert "unknown label 'claims'" in capsys.readouterr().err
    assert not (tmp_path / "x.jsonl").exists()


def test_outlet_filter(export_db, tmp_path):
    lines = _lines(export_db, tmp_path, "--outlet", "Northgate Wire")
    assert lines and {line["meta"]["outlet"] for line in lines} == {"Northgate Wire"}


def test_gold_exports_the_reviewed_layer_only(export_db, tmp_path, capsys):
    lines = _lines(export_db, tmp_path, "--gold")
    assert len(lines) == 1 and lines[0]["_annotator_id"] == "gold" and len(lines[0]["spans"]) == 3
    assert _export(export_db, tmp_path / "y.jsonl", "--gold", "--annotator", "ana") == 2
    assert "cannot be combined" in capsys.readouterr().err


def test_done_keeps_finished_articles_even_without_spans(own_db, tmp_path):
    with Store(own_db) as store:
        ids = [a.id for a in store.articles.page(limit=3)]
        with write(store.db):
            store.db.execute("DELETE FROM spans WHERE article_id = ?", [ids[2]])
            for article_id, who in ((ids[0], "ana"), (ids[2], "ben")):
                store.db.execute(
                    "INSERT INTO progress (article_id, annotator, status, cursor, updated_at)"
                    " VALUES (?, ?, 'done', 0, '2026-03-01T00:00:00.000+00:00')", [article_id, who])
            store.db.execute(
                "INSERT INTO progress (article_id, annotator, status, cursor, updated_at)"
                " VALUES (?, 'ana', 'open', 0, '2026-03-01T00:00:00.000+00:00')", [ids[1]])
    done = {line["meta"]["id"]: line for line in _lines(own_db, tmp_path, "--done")}
    assert set(done) == {ids[0], ids[2]}
    assert done[ids[2]]["spans"] == []  # finished with no span: a true negative
    assert {line["meta"]["id"] for line in _lines(own_db, tmp_path, "--done", "--annotator", "ana")} == {ids[0]}


def test_since_keeps_articles_whose_spans_changed_since(own_db, tmp_path):
    with Store(own_db) as store, write(store.db):
        store.db.execute("UPDATE spans SET updated_at = '2026-01-01T00:00:00.000+00:00'")
        article = store.articles.page(limit=1)[0].id
        store.db.execute(
            "UPDATE spans SET updated_at = '2026-03-04T12:00:00.000+00:00' WHERE article_id = ? AND annotator = 'ben'",
            [article])
    lines = _lines(own_db, tmp_path, "--since", "2026-03-04")
    assert [line["meta"]["id"] for line in lines] == [article]
    assert {s["annotator"] for s in lines[0]["spans"]} == {"ana", "ben", "gold"}  # the whole article comes along
    assert _export(own_db, tmp_path / "none.jsonl", "--since", "2026-03-04T12:00:01+00:00") == 1  # nothing since
    assert not (tmp_path / "none.jsonl").exists()
    with pytest.raises(SystemExit) as stop:
        main(["export", "--db", str(own_db), "-f", "jsonl", "-o", str(tmp_path / "z"), "--since", "soon"])
    assert stop.value.code == 2


def _split(db, tmp_path, seed, name="s.jsonl", ratios="50,25,25"):
    assert _export(db, tmp_path / name, "--split", ratios, "--seed", str(seed)) == 0
    parts = {}
    for part in ("train", "dev", "test"):
        path = tmp_path / name.replace(".jsonl", f".{part}.jsonl")
        parts[part] = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return parts


def test_split_is_by_article_stratified_by_outlet_and_deterministic(own_db, tmp_path):
    with Store(own_db) as store, write(store.db):
        # 40 more articles in two outlets, each with a span, for proportions to show.
        outlets = [store.db.execute("INSERT INTO outlets (name) VALUES (?) RETURNING id", [n]).fetchone()[0]
                   for n in ("A", "B")]
        for i in range(40):
            text = f"Article number {i} says 12% of vests failed."
            store.db.execute(
                "INSERT INTO articles (id, outlet_id, title, hash, length, ingested_at, text)"
                " VALUES (?, ?, ?, ?, ?, '2026-03-01', ?)",
                [f"x{i}", outlets[i % 2], f"t{i}", text_hash(text), len(text), text])
            store.db.execute(
                "INSERT INTO spans (id, article_id, start, \"end\", label, text, annotator, origin, status,"
                " created_at, updated_at) VALUES (?, ?, 0, 7, 'claim', 'Article', 'ana', 'manual', 'accepted', '', '')",
                [f"s{i}", f"x{i}"])
    first = _split(own_db, tmp_path, 7)
    again = _split(own_db, tmp_path, 7, name="again.jsonl")
    other = _split(own_db, tmp_path, 8, name="other.jsonl")
    ids = {part: [line["meta"]["id"] for line in lines] for part, lines in first.items()}
    assert ids == {part: [line["meta"]["id"] for line in lines] for part, lines in again.items()}
    assert ids != {part: [line["meta"]["id"] for line in lines] for part, lines in other.items()}
    every = [article for part in ids.values() for article in part]
    assert len(every) == len(set(every)) == 55  # 15 demo articles with spans + 40; none in two parts
    for outlet in ("A", "B"):
        counts = Counter(part for part, lines in first.items() for line in lines if line["meta"]["outlet"] == outlet)
        assert counts == {"train": 10, "dev": 5, "test": 5}


def test_a_split_is_the_same_on_both_engines(request, tmp_path_factory, tmp_path):
    """The same database on SQLite and on PostgreSQL: the same seed puts every
    article in the same part (the order is SHA-256 on both, computed by each)."""
    parts = {}
    for engine in ("sqlite", "postgresql"):
        folder = tmp_path / engine
        folder.mkdir()
        split = _split(export_db_on(engine, request, tmp_path_factory), folder, 3)
        parts[engine] = {part: [line["meta"]["id"] for line in lines] for part, lines in split.items()}
    assert parts["sqlite"] == parts["postgresql"]
    assert all(parts["sqlite"].values())  # 15 articles in three parts: none empty


def test_two_way_split_and_bad_ratios(export_db, tmp_path, capsys):
    assert _export(export_db, tmp_path / "t.jsonl", "--split", "80,20") == 0
    assert (tmp_path / "t.train.jsonl").exists() and (tmp_path / "t.test.jsonl").exists()
    assert not (tmp_path / "t.dev.jsonl").exists()
    with pytest.raises(SystemExit) as stop:
        _export(export_db, tmp_path / "u.jsonl", "--split", "80,x")
    assert stop.value.code == 2 and "give two or three numbers" in capsys.readouterr().err
