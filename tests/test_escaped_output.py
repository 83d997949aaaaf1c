"""Untrusted strings reach the terminal escaped: shown, never obeyed, never forging a line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from store import Store

CONTROL_BYTES = {b for b in range(0x20) if b != 0x0A} | {0x7F}


def assert_clean(data: bytes) -> None:
    bad = sorted({b for b in data if b in CONTROL_BYTES})
    assert not bad, f"control bytes {bad} in {data[:300]!r}"
    assert "\u009b".encode() not in data and "\u202e".encode() not in data


def run(*args: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui.cli", *args, "--db", str(db)], capture_output=True, timeout=120)


def test_a_file_name_with_escapes_and_a_newline_is_printed_escaped_on_one_line(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    esc = folder / "h16_esc2\x1b[31m.jsonl"
    esc.write_text("{broken\n", encoding="utf-8")
    forged = folder / "evil\nfake.jsonl:9: all is well\x07.jsonl"
    forged.write_text("not json\n", encoding="utf-8")
    (folder / "ok.jsonl").write_text(json.dumps({"id": "ok", "text": "Fine."}) + "\n", encoding="utf-8")
    result = run("ingest", str(folder), db=tmp_path / "t.db")
    assert result.returncode == 1
    assert_clean(result.stdout + result.stderr)
    lines = result.stderr.decode().splitlines()
    assert lines == [
        f"{folder}/evil\\nfake.jsonl:9: all is well\\x07.jsonl:1: not valid JSON: Expecting value at column 1",
        f"{folder}/h16_esc2\\x1b[31m.jsonl:1: not valid JSON: Expecting property name enclosed in double quotes at column 2",
    ]
    with Store(tmp_path / "t.db") as store:
        (source,) = store.db.execute("SELECT source FROM articles").fetchone()
    assert source == f"{folder}/ok.jsonl:1"


def test_the_stored_source_of_an_article_is_escaped(tmp_path, cli, db_path):
    path = tmp_path / "bell\x07\u202ename.jsonl"
    path.write_text(json.dumps({"id": "b", "text": "Bell."}) + "\n", encoding="utf-8")
    assert cli("ingest", str(path))[0] == 0
    with Store(db_path) as store:
        (source,) = store.db.execute("SELECT source FROM articles").fetchone()
    assert source == f"{tmp_path}/bell\\x07\\u202ename.jsonl:1"


def test_a_label_name_with_an_escape_sequence_is_shown_not_obeyed(tmp_path):
    result = run("labels", "add", "cl\x1b]0;x\x07aim", "K", db=tmp_path / "t.db")
    assert result.returncode == 2
    assert_clean(result.stdout + result.stderr)
    assert b"cl\\x1b]0;x\\x07aim" in result.stderr


def test_an_unknown_argument_with_escapes_is_shown_escaped(tmp_path):
    result = run("stats", "--\x1b[2Jwipe", db=tmp_path / "t.db")
    assert result.returncode == 2
    assert_clean(result.stdout + result.stderr)
    assert b"--\\x1b[2Jwipe" in result.stderr


def test_json_written_through_the_escaping_stays_valid_json():
    from corpus.escape import escape_controls

    # json.dumps writes C0 controls as \u00XX itself; DEL, C1 and bidi marks become \u escapes here.
    text = json.dumps({"t": "T\u009b1m\u202e\x7f\x1b"}, ensure_ascii=False)
    shown = escape_controls(text, keep_newlines=True)
    assert_clean(shown.encode())
    assert json.loads(shown) == {"t": "T\u009b1m\u202e\x7f\x1b"}
