"""The hostile-input corpus (tests/data/hostile/) in one ingest, with good files
between the bad ones: each bad one gets exactly its one `file:line:` line, every
good one goes in, the hostile text that is accepted is stored clean, and no
control byte (below 0x20 but newline, DEL, ESC, C1) reaches stdout or stderr."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from store import Store

HOSTILE = Path(__file__).parent / "data" / "hostile"

# File (relative to the corpus folder) and line → what its one line must say.
REJECTED = {
    "01-huge-int.jsonl:1": "not read: Exceeds the limit (4300 digits) for integer string conversion",
    "02-nan.jsonl:1": "not valid JSON: NaN is not a JSON number",
    "03-infinity.jsonl:1": "not valid JSON: 1e999 is too large for a JSON number",
    "04-title-list.jsonl:1": "field 'title' must be a string, not a list",
    "05-bad-date.jsonl:1": "field 'published' is not a date: 'not a date'",
    "06-id-controls.jsonl:1": "field 'id' holds control characters ('sto\\\\x1bry')",
    "07-unterminated.csv:2": "quoted field opened on this line",
    "08-broken.jsonl:1": "not valid JSON: Expecting value",
    "09-span-out-of-range.jsonl:1": "spans[0] [0, 99) does not fit a text of 6 characters",
    "10-latin1.txt": "not valid UTF-8 (byte 0xe9 at offset 3)",
    "11-bad-utf16.txt": "not valid UTF-16",
    "12-report.pdf": "not read: a PDF; convert it to text first",
    "13-empty.txt": "empty file",
    "14-no-text.jsonl:1": "record has no 'text' field",
    "15-more-cells.csv:2": "row has more cells than the header",
    "16-not-an-object.jsonl:1": "record is not a JSON object",
    "30-deep.jsonl:2": "not read: the JSON is nested too deeply",
    "31-esc\\x1b[31mred.jsonl:1": "not valid JSON",
    "32-forged\\nx.jsonl:1: fine\\x07.jsonl:1": "not valid JSON",
    "33-loop": "a symbolic link back to",
    "34-self.txt": "a symbolic link loop; not followed",
    "35-dangling.txt": "a symbolic link to nothing; not followed",
}
CONTROL_BYTES = {*range(0x20)} - {0x0A} | {0x7F}


def build_corpus(folder: Path) -> list[str]:
    """The committed cases, the generated ones, and a good file after each; the good ids."""
    shutil.copytree(HOSTILE, folder)
    (folder / "30-deep.jsonl").write_text(
        json.dumps({"id": "30-before", "text": "Before the deep line."}) + "\n"
        + '{"text": "deep", "x": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
        + json.dumps({"id": "30-after", "text": "After the deep line."}) + "\n")
    (folder / "31-esc\x1b[31mred.jsonl").write_text("{not json\n")
    (folder / "32-forged\nx.jsonl:1: fine\x07.jsonl").write_text("nor this\n")
    (folder / "33-loop").symlink_to(folder, target_is_directory=True)
    (folder / "34-self.txt").symlink_to(folder / "34-self.txt")
    (folder / "35-dangling.txt").symlink_to(folder / "nowhere.txt")
    depth = 50_000
    (folder / "36-deep.html").write_text(
        "<html><body>" + "<div>" * depth + "<p>Deep in the divs.</p>" + "</div>" * depth + "</body></html>")
    (folder / "37-huge-line.txt").write_text("Huge line\n\n" + "All on one line. " * 300_000 + "\n")
    good = ["07-unterminated.csv:q2", "07-unterminated.csv:q3", "30-before", "30-after"]
    for name in sorted(os.listdir(folder)):
        stem = name.split(".")[0].split("-")[0]
        good_file = folder / f"{stem}-zz-good.txt"
        if not good_file.exists() and stem.isdigit():
            good_file.write_text(f"Good {stem}\n\nA good article, number {stem}.\n")
            good.append(f"hostile/{stem}-zz-good")
    return good


def test_every_hostile_input_gets_its_one_line_and_every_good_file_goes_in(tmp_path):
    folder = tmp_path / "hostile"
    good = build_corpus(folder)
    db = tmp_path / "h.db"
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", "ingest", "--no-suggest", "--outlet", "hostile", "--db", str(db), str(folder)],
        capture_output=True, timeout=300,
    )
    output = result.stdout + result.stderr
    bad = sorted({byte for byte in output if byte in CONTROL_BYTES} | ({0x1B} if b"\x1b" in output else set()))
    assert not bad, f"control bytes {bad} reached the terminal"
    assert "\u009b".encode() not in output and "\u202e".encode() not in output
    assert result.returncode == 1
    lines = result.stderr.decode("utf-8").splitlines()
    assert "Traceback" not in result.stderr.decode()
    for where, message in REJECTED.items():
        matching = [line for line in lines if line.startswith(f"{folder}/{where}: ")]
        assert len(matching) == 1, f"{where}: expected one line, got {matching}"
        assert message in matching[0], matching[0]
    assert len(lines) == len(REJECTED), "\n".join(lines)

    with Store(db) as store:
        ids = {a.id for a in store.articles.page(limit=10_000)}
        for wanted in good:
            if wanted.startswith("07-"):
                wanted = wanted.split(":")[1]
            assert wanted in ids, wanted
        texts = {a.id: store.articles.get(a.id) for a in store.articles.page(limit=10_000)}
    assert texts["hostile/20-escapes"].text == (
        "Escapes\n\nRed alert, title  and a bell and NUL here.\n")
    assert texts["hostile/21-bidi"].text == "Bidi\n\nThe file is called gnp.exe and isolated text.\n"
    assert texts["surrogate"].text == "A lone  surrogate and a C1  CSI."
    assert texts["surrogate"].title == "T"
    assert texts["hostile/36-deep"].text == "Deep in the divs."
    assert len(texts["hostile/37-huge-line"].text) > 5_000_000
    assert f"rejected {len(REJECTED)}" in result.stdout.decode()
