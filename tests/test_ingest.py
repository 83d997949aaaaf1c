"""`claimdesk ingest` on every reader and on each kind of bad input, with its exact outcome."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from store import Store

pytestmark = pytest.mark.both_engines


def stored(db_path: Path) -> dict[str, str]:
    with Store(db_path) as store:
        return {a.id: store.articles.get(a.id).text for a in store.articles.page(limit=1000)}


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_txt_and_md_first_line_is_title_outlet_is_folder(tmp_path, cli, db_path):
    write(tmp_path / "Harbour Times" / "ferry.txt", "\n  Ferry strike ends\n\nWorkers return on Monday.\n")
    write(tmp_path / "Harbour Times" / "port.md", "# Port reopens\n\nShips sail again.\n")
    code, out, _ = cli("ingest", str(tmp_path / "Harbour Times"))
    assert code == 0
    assert "ingested 2 articles" in out
    with Store(db_path) as store:
        ferry = store.articles.get("harbour-times/ferry")
        port = store.articles.get("harbour-times/port")
    assert (ferry.title, ferry.outlet) == ("Ferry strike ends", "Harbour Times")
    assert ferry.text == "\n  Ferry strike ends\n\nWorkers return on Monday.\n"
    assert port.title == "Port reopens"


def test_html_keeps_article_text_and_drops_clutter(tmp_path, cli, db_path):
    page = """<html><head><title>Fallback</title><meta property="og:title" content="Dam holds">
    <meta property="og:site_name" content="Valley Post"><link rel="canonical" href="https://valley.test/dam">
    <meta property="article:published_time" content="2026-03-04T09:15:00Z"><style>p{}</style>
    <script>alert('x')</script></head><body><nav>Home | Sign in</nav>
    <div class="cookie-banner">We use cookies. Accept?</div><article><h1>Dam holds</h1>
    <p>Engineers said the dam <b>held</b> overnight.</p><div class="share-tools">Share this</div>
    <p>Residents may return.</p></article><section class="comments">12 comments</section>
    <footer>Copyright</footer></body></html>"""
    write(tmp_path / "dam.html", page)
    assert cli("ingest", str(tmp_path / "dam.html"))[0] == 0
    with Store(db_path) as store:
        article = store.articles.get("valley-post/dam")
    assert article.text == "Dam holds\n\nEngineers said the dam held overnight.\n\nResidents may return."
    assert (article.title, article.outlet, article.url, article.published) == (
        "Dam holds", "Valley Post", "https://valley.test/dam", "2026-03-04T09:15:00Z")


def test_jsonl_and_csv_fields_and_metadata(tmp_path, cli, db_path):
    write(tmp_path / "a.jsonl", json.dumps({"id": "j1", "text": "Jay text.", "title": "J", "outlet": "Wire",
                                            "url": "https://w.test/1", "published": "2026-01-02", "byline": "A. B."}) + "\n")
    write(tmp_path / "b.csv", "id,text,title,section\nc1,\"Comma, text.\",C,world\n")
    code, out, _ = cli("ingest", str(tmp_path / "a.jsonl"), str(tmp_path / "b.csv"), "--outlet", "Fallback")
    assert code == 0
    with Store(db_path) as store:
        j, c = store.articles.get("j1"), store.articles.get("c1")
    assert (j.outlet, j.url, j.published, j.metadata) == ("Wire", "https://w.test/1", "2026-01-02", {"byline": "A. B."})
    assert (c.text, c.title, c.outlet, c.metadata) == ("Comma, text.", "C", "Fallback", {"section": "world"})


def test_format_flag_overrides_extension(tmp_path, cli, db_path):
    write(tmp_path / "dump.data", json.dumps({"id": "x", "text": "From a .data file."}) + "\n")
    assert cli("ingest", str(tmp_path / "dump.data"), "--format", "jsonl")[0] == 0
    assert stored(db_path) == {"x": "From a .data file."}


def test_invalid_utf8_is_rejected_naming_the_file_and_the_rest_goes_in(tmp_path, cli, db_path):
    bad = write(tmp_path / "news" / "bad.txt", b"caf\xe9 au lait\n")
    write(tmp_path / "news" / "good.txt", "Good text.\n")
    code, out, err = cli("ingest", str(tmp_path / "news"))
    assert code == 1
    assert f"{bad}: not valid UTF-8 (byte 0xe9 at offset 3)" in err
    assert "ingested 1 article," in out and "rejected 1" in out
    assert list(stored(db_path).values()) == ["Good text.\n"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_decoded_and_the_bom_dropped(tmp_path, cli, db_path, codec):
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    write(tmp_path / "w" / "u16.txt", bom + "Grüße aus Köln\n".encode(codec))
    write(tmp_path / "w" / "u8.txt", codecs.BOM_UTF8 + "Ünïcode\n".encode())
    assert cli("ingest", str(tmp_path / "w"))[0] == 0
    assert sorted(stored(db_path).values()) == ["Grüße aus Köln\n", "Ünïcode\n"]


def test_nul_bytes_escapes_crlf_and_nfd_are_cleaned(tmp_path, cli, db_path):
    write(tmp_path / "x" / "nul.txt", b"A\x00B\r\nline two\rthree\n")
    write(tmp_path / "x" / "ansi.txt", "Title \x1b[31mred\x1b[0m \x1b]0;pwned\x07ok [@click=app.quit]x[/x]\n")
    write(tmp_path / "x" / "nfd.txt", "Cafe\u0301 society\n")
    assert cli("ingest", str(tmp_path / "x"))[0] == 0
    texts = stored(db_path)
    assert texts["x/nul"] == "AB\nline two\nthree\n"
    assert texts["x/ansi"] == "Title red ok [@click=app.quit]x[/x]\n"  # markup is kept as text, never interpreted
    assert texts["x/nfd"] == "Caf\u00e9 society\n"


def test_empty_files_are_rejected(tmp_path, cli, db_path):
    write(tmp_path / "e" / "empty.txt", b"")
    write(tmp_path / "e" / "blank.jsonl", b"\n\n")
    code, _, err = cli("ingest", str(tmp_path / "e"))
    assert code == 1
    assert f"{tmp_path / 'e' / 'empty.txt'}: empty file" in err
    assert f"{tmp_path / 'e' / 'blank.jsonl'}: empty file" in err


def test_a_5mb_single_line_file_goes_in_whole(tmp_path, cli, db_path):
    line = ("word " * 1_000_000).strip()
    write(tmp_path / "big" / "one.txt", line)
    assert cli("ingest", str(tmp_path / "big"))[0] == 0
    assert stored(db_path)["big/one"] == line


def test_size_limit_refuses_big_files(tmp_path, cli):
    big = write(tmp_path / "s" / "big.txt", "x" * 2000)
    code, _, err = cli("ingest", str(big), "--max-size", "1000")
    assert code == 1
    assert f"{big}: file is 2,000 bytes, over the size limit of 1,000 (raise it with --max-size)" in err


def test_bad_jsonl_lines_are_reported_with_line_numbers(tmp_path, cli, db_path):
    lines = [
        json.dumps({"id": "ok1", "text": "First."}),
        '{"id": "broken", "text": ',
        json.dumps({"id": "notext", "title": "No text here"}),
        json.dumps({"id": "ok2", "text": "Second."}),
    ]
    path = write(tmp_path / "r.jsonl", "\n".join(lines) + "\n")
    code, out, err = cli("ingest", str(path))
    assert code == 1
    assert f"{path}:2: not valid JSON" in err
    assert f"{path}:3: record has no 'text' field" in err
    assert sorted(stored(db_path)) == ["ok1", "ok2"]
    assert "ingested 2 articles, skipped 0 as duplicates, rejected 2" in out


def test_same_text_is_skipped_and_same_id_with_other_text_is_rejected(tmp_path, cli, db_path):
    write(tmp_path / "1.jsonl", json.dumps({"id": "a", "text": "Original."}) + "\n")
    write(tmp_path / "2.jsonl", json.dumps({"id": "b", "text": "Original."}) + "\n"
          + json.dumps({"id": "a", "text": "Changed!"}) + "\n")
    assert cli("ingest", str(tmp_path / "1.jsonl"))[0] == 0
    code, out, err = cli("ingest", str(tmp_path / "2.jsonl"))
    assert code == 1
    assert "skipped 1 as duplicates" in out
    assert f"{tmp_path / '2.jsonl'}:2: id 'a' is already stored with different text" in err
    assert stored(db_path) == {"a": "Original."}


def test_imported_spans_that_fit_are_stored_and_moved_onto_the_normalised_text(tmp_path, cli, db_path):
    raw = "Intro\r\nThe minister said 100,000 troops.\r\n"
    start = raw.index("100,000 troops")
    record = {"id": "s1", "text": raw, "_annotator_id": "ann-7",
              "spans": [{"start": start, "end": start + 14, "label": "figure", "unit": "troop"},
                        {"start": 7, "end": raw.index(".") + 1, "label": "claim"}]}
    write(tmp_path / "s.jsonl", json.dumps(record) + "\n")
    code, out, _ = cli("ingest", str(tmp_path / "s.jsonl"))
    assert code == 0 and "2 imported spans" in out
    with Store(db_path) as store:
        spans = [s for s in store.spans.for_article("s1") if s.origin == "imported"]
        text = store.articles.get("s1").text
    assert [(s.text, s.label, s.origin, s.annotator, s.attrs) for s in spans] == [
        ("The minister said 100,000 troops.", "claim", "imported", "ann-7", {}),
        ("100,000 troops", "figure", "imported", "ann-7", {"unit": "troop"}),
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)


@pytest.mark.parametrize(
    ("spans", "message"),
    [
        ([{"start": 5, "end": 50, "label": "claim"}], "spans[0] [5, 50) does not fit a text of 10 characters"),
        ([{"start": 3, "end": 4, "label": "claim"}], "spans[0] [3, 4) cannot be mapped onto the normalised text"),
        ([{"start": 0, "end": 2, "label": "a rumour"}], "label 'a rumour' cannot be created"),
        ([{"start": 0, "end": 2}], "spans[0] needs a label"),
    ],
)
def test_imported_spans_that_do_not_fit_reject_the_record(tmp_path, cli, db_path, spans, message):
    # "Cafe\u0301 ok!" is 10 characters raw; [3, 4) takes the e without its accent.
    write(tmp_path / "s.jsonl", json.dumps({"id": "s", "text": "Cafe\u0301 ok!\n", "spans": spans}) + "\n")
    code, _, err = cli("ingest", str(tmp_path / "s.jsonl"))
    assert code == 1
    assert message in err
    assert stored(db_path) == {}


def test_missing_path_is_a_clear_error(tmp_path, cli):
    code, _, err = cli("ingest", str(tmp_path / "nope"))
    assert code == 1
    assert f"{tmp_path / 'nope'}: no such file or folder" in err
