"""Where and how the export writes: --force, --out -, temporary files renamed
at the end, interrupted exports, safe brat names, symbolic links, the
SHA-256 check and the optional extras."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus.records import text_hash
from store import Store
from store.db import write
from store.export.files import safe_name
from test_export_fixtures import export_db, own_copy, rows  # noqa: F401  (fixtures)
from tui.cli import main
from headless_support import assert_runs_without_textual

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.both_engines


def _export(db, fmt, out, *extra) -> int:
    return main(["export", "--db", str(db), "-f", fmt, "-o", str(out), "--quiet", *extra])


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_refuses_to_overwrite_without_force(export_db, tmp_path, capsys):
    out = tmp_path / "data.jsonl"
    out.write_text("keep me\n")
    assert _export(export_db, "jsonl", out) == 2
    assert "exists; add --force" in capsys.readouterr().err
    assert out.read_text() == "keep me\n"
    assert _export(export_db, "jsonl", out, "--force") == 0
    assert out.read_text().startswith('{"text":')
    assert _leftovers(tmp_path) == []


def test_split_refuses_when_any_part_exists(export_db, tmp_path, capsys):
    (tmp_path / "d.test.jsonl").write_text("old\n")
    assert _export(export_db, "jsonl", tmp_path / "d.jsonl", "--split", "80,10,10") == 2
    assert "d.test.jsonl exists" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.test.jsonl"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_out_dash_writes_to_standard_output(export_db, capsys, fmt):
    assert _export(export_db, fmt, "-") == 0
    captured = capsys.readouterr()
    if fmt == "jsonl":
        assert all(json.loads(line)["text"] for line in captured.out.splitlines())
    else:
        assert captured.out.startswith("article_id,outlet,title")
    assert "exported 15 articles" in captured.err  # the summary keeps out of the data


def test_out_dash_is_refused_for_other_formats_and_splits(export_db, capsys):
    assert _export(export_db, "conll", "-") == 2
    assert _export(export_db, "jsonl", "-", "--split", "80,20") == 2
    err = capsys.readouterr().err
    assert "not for conll" in err and "not with --split" in err


def test_csv_has_a_row_per_span_with_attributes_in_columns(export_db, tmp_path):
    import csv

    out = tmp_path / "spans.csv"
    assert _export(export_db, "csv", out) == 0
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == count(export_db, "SELECT count(*) FROM spans WHERE status = 'accepted'")
    quote = next(row for row in rows if row["label"] == "quote")
    assert quote["speaker"] and quote["outlet"] and quote["title"]
    assert any(row["value"] == "12.0" and row["unit"] == "%" for row in rows)


def test_doccano_lines_have_text_and_labels(export_db, tmp_path):
    out = tmp_path / "d.jsonl"
    assert _export(export_db, "doccano", out) == 0
    for line in map(json.loads, out.read_text(encoding="utf-8").splitlines()):
        assert line["article_id"] and line["label"]
        for start, end, label in line["label"]:
            assert 0 <= start < end <= len(line["text"]) and label in {"claim", "quote", "figure"}


def test_a_failure_midway_leaves_no_file_and_no_temporary(export_db, tmp_path, monkeypatch, capsys):
    from store.export.formats.jsonl import JsonlWriter

    written = []
    original = JsonlWriter.write

    def failing(self, article):
        if len(written) == 5:
            raise OSError("disk full")
        written.append(article.id)
        original(self, article)

    monkeypatch.setattr(JsonlWriter, "write", failing)
    assert _export(export_db, "jsonl", tmp_path / "half.jsonl") == 2
    assert "disk full" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def count(db, sql: str) -> int:
    return rows(db, sql)[0][0]


def _big_db(path: Path | str, articles: int = 30_000) -> Path | str:
    """A database big enough that exporting it takes a moment."""
    text = "The audit found that 12% of the vests failed, the minister said on Monday. " * 20
    with Store(path) as store, write(store.db) as conn:
        conn.execute("INSERT INTO outlets (name) VALUES ('Wire')")
        conn.executemany(
            "INSERT INTO articles (id, outlet_id, title, hash, length, ingested_at, text) VALUES (?, 1, 't', ?, ?, '', ?)",
            ((f"a{i}", text_hash(f"{i} {text}"), len(text) + len(str(i)) + 1, f"{i} {text}") for i in range(articles)))
        conn.executemany(
            'INSERT INTO spans (id, article_id, start, "end", label, text, annotator, origin, status, created_at,'
            " updated_at) VALUES (?, ?, ?, ?, 'claim', '', 'ana', 'manual', 'accepted', '', '')",
            ((f"s{i}", f"a{i}", len(str(i)) + 1, len(str(i)) + 10) for i in range(articles)))
    return path


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_an_export_killed_midway_leaves_nothing_under_the_final_name(db_path, tmp_path, how):
    db = _big_db(db_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "big.jsonl"
    child = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "export", "--db", str(db), "-f", "jsonl", "-o", str(out), "--quiet"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        temporary = [p for p in out_dir.iterdir() if p.name.endswith(".part")]
        if temporary and temporary[0].stat().st_size > 1_000_000:
            break
        time.sleep(0.01)
    else:
        pytest.fail("the export never got going")
    child.send_signal(how)
    child.wait(timeout=30)
    assert child.returncode != 0, "the export finished before it could be interrupted: make the database bigger"
    assert not out.exists()
    if how == signal.SIGINT:
        assert _leftovers(out_dir) == []  # cleaned up on the way out
        assert "interrupted" in child.stderr.read().decode()


@pytest.mark.parametrize("article_id", ["../x", "/etc/x", "..", "a/../../b", "con\x00", ".hidden", "a" * 300])
def test_brat_names_never_leave_the_folder(article_id):
    name = safe_name(article_id)
    assert "/" not in name and "\x00" not in name and not name.startswith(".") and len(name) < 140
    assert (Path("/out") / f"{name}.txt").resolve().parent == Path("/out")
    assert safe_name(article_id) == name != safe_name(article_id + "b")


def test_brat_files_of_hostile_ids_stay_inside_the_folder(own_copy, tmp_path):
    db = own_copy()
    with Store(db) as store:
        with write(store.db):
            for article_id in ("../escape", "/etc/passwd-ish", "a/b", "a_b"):
                text = f"Hostile {article_id} says 12% failed."
                store.db.execute(
                    "INSERT INTO articles (id, outlet_id, title, hash, length, ingested_at, text)"
                    " VALUES (?, 1, 't', ?, ?, '', ?)", [article_id, text_hash(text), len(text), text])
        for article_id in ("../escape", "/etc/passwd-ish", "a/b", "a_b"):
            store.spans.add(article_id, 0, 7, "claim", "ana")
    out = tmp_path / "brat"
    assert _export(db, "brat", out) == 0
    outside = {p for p in tmp_path.rglob("*") if p.is_file() and out not in p.parents}
    assert outside == set() and not Path("/etc/passwd-ish.txt").exists()
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 2 * 19 + 1 and "a_b.txt" in names  # "a_b" keeps its name; "a/b" gets a hashed one


def test_a_symlink_at_the_temporary_name_is_not_followed(export_db, tmp_path, monkeypatch):
    from store.export import files

    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    planted = tmp_path / ".out.jsonl.planted.part"
    planted.symlink_to(victim)
    monkeypatch.setattr(files, "_temporary_name", lambda final: planted)
    with pytest.raises(FileExistsError):
        files.OutputFile(tmp_path / "out.jsonl", force=False)
    assert victim.read_text() == "precious\n"


def test_force_replaces_a_symlink_itself_not_its_target(export_db, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    link = tmp_path / "out.jsonl"
    link.symlink_to(victim)
    assert _export(export_db, "jsonl", link, "--force") == 0
    assert victim.read_text() == "precious\n" and not link.is_symlink()


def test_force_replaces_a_brat_folder_but_never_another_folder(export_db, tmp_path, capsys):
    out = tmp_path / "brat"
    assert _export(export_db, "brat", out) == 0
    assert _export(export_db, "brat", out, "--force") == 0
    (out / "notes.docx").write_text("mine")
    assert _export(export_db, "brat", out, "--force") == 2
    assert "not replaced even with --force" in capsys.readouterr().err
    assert (out / "notes.docx").exists()


def test_a_text_that_does_not_match_its_hash_stops_the_export(own_copy, tmp_path, capsys):
    db = own_copy()
    with Store(db) as store, write(store.db):
        store.db.execute("UPDATE articles SET text = text || ' ' WHERE id = 'wire-0003'")
    out = tmp_path / "out"
    out.mkdir()
    assert _export(db, "jsonl", out / "x.jsonl") == 2
    assert "article 'wire-0003'" in capsys.readouterr().err
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(("fmt", "module", "extra"), [("spacy", "spacy", "spacy"), ("parquet", "pyarrow", "parquet")])
def test_a_missing_extra_says_how_to_install_it(export_db, tmp_path, capsys, monkeypatch, fmt, module, extra):
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    assert _export(export_db, fmt, tmp_path / f"x.{fmt}") == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith(f"pip install 'claimdesk[{extra}]'") and "Traceback" not in err and len(err.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_export_does_not_import_textual(export_db, tmp_path):
    assert_runs_without_textual(["export", "--db", str(export_db), "-f", "jsonl", "-o", str(tmp_path / "o.jsonl"), "--quiet"])
