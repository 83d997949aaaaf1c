"""Records a parser was never meant to meet: each costs one `file:line:` line, the rest goes in."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from store import Store

pytestmark = pytest.mark.both_engines


def stored(db_path: Path) -> dict[str, str]:
    with Store(db_path) as store:
        return {a.id: store.articles.get(a.id).text for a in store.articles.page(limit=1000)}


def jsonl(path: Path, *lines: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def good(n: int) -> str:
    return json.dumps({"id": f"good{n}", "text": f"Good article number {n}."})


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('{"text": "x", "deep": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ('{"id": "big", "text": "x", "n": ' + "9" * 5000 + "}", "not read: Exceeds the limit (4300 digits)"),
        ('{"id": "nan", "text": "x", "score": NaN}', "not valid JSON: NaN is not a JSON number"),
        ('{"id": "inf", "text": "x", "score": 1e999}', "not valid JSON: 1e999 is too large for a JSON number"),
        ('{"id": "t", "text": "x", "title": ["a", "list"]}', "field 'title' must be a string, not a list"),
        ('{"id": "p", "text": "x", "published": "not a date"}', "field 'published' is not a date: 'not a date'"),
    ],
    ids=["deep", "huge-int", "nan", "infinity", "list-title", "bad-date"],
)
def test_one_bad_jsonl_record_is_one_line_and_the_rest_goes_in(tmp_path, cli, db_path, bad, message):
    first = jsonl(tmp_path / "a.jsonl", good(1))
    second = jsonl(tmp_path / "b.jsonl", good(2), bad, good(3))
    code, out, err = cli("ingest", str(first), str(second))
    assert code == 1
    assert err.splitlines() == [f"{second}:2: " + err.splitlines()[0].split(": ", 1)[1]]
    assert message in err
    assert "Traceback" not in err
    assert sorted(stored(db_path)) == ["good1", "good2", "good3"]
    assert "ingested 3 articles" in out


def test_metadata_is_stored_as_valid_json(tmp_path, cli, db_path):
    path = jsonl(tmp_path / "m.jsonl", json.dumps({"id": "m", "text": "Meta.", "score": 0.5, "tags": ["a"]}))
    assert cli("ingest", str(path))[0] == 0
    with Store(db_path) as store:
        (raw,) = store.db.execute("SELECT metadata FROM articles WHERE id = 'm'").fetchone()
    assert json.loads(raw, parse_constant=lambda name: pytest.fail(f"{name} in stored metadata")) == {
        "score": 0.5, "tags": ["a"]}


def test_ids_that_differ_only_in_control_characters_do_not_collapse(tmp_path, cli, db_path):
    path = jsonl(
        tmp_path / "ids.jsonl",
        json.dumps({"id": "story", "text": "One text."}),
        json.dumps({"id": "sto\u001bry", "text": "Another text."}),
        json.dumps({"id": "story\u0000", "text": "A third text."}),
    )
    code, _, err = cli("ingest", str(path))
    assert code == 1
    assert f"{path}:2: field 'id' holds control characters ('sto\\\\x1bry')" in err
    assert f"{path}:3: field 'id' holds control characters" in err
    assert stored(db_path) == {"story": "One text."}


@pytest.mark.parametrize("published", ["2026-03-04", "2026-03-04T09:15:00Z", "2026-03-04 09:15:00+01:00",
                                       "Tue, 04 Mar 2026 09:15:00 GMT", "4 March 2026", "2026"])
def test_real_dates_are_kept(tmp_path, cli, db_path, published):
    path = jsonl(tmp_path / "d.jsonl", json.dumps({"id": "d", "text": "Dated.", "published": published}))
    assert cli("ingest", str(path))[0] == 0
    with Store(db_path) as store:
        assert store.articles.get("d").published == published


def test_a_number_title_is_kept_as_text(tmp_path, cli, db_path):
    path = jsonl(tmp_path / "n.jsonl", json.dumps({"id": "n", "text": "Numbered.", "title": 1984}))
    assert cli("ingest", str(path))[0] == 0
    with Store(db_path) as store:
        assert store.articles.get("n").title == "1984"


def test_an_unterminated_csv_quote_names_its_line_and_the_later_rows_go_in(tmp_path, cli, db_path):
    path = tmp_path / "q.csv"
    path.write_text(
        'id,text\nc1,"First, quoted."\nc2,"Never closed\nc3,Third row.\nc4,"Fourth, quoted."\nc5,Fifth.\n',
        encoding="utf-8",
    )
    code, out, err = cli("ingest", str(path))
    assert code == 1
    assert len(err.splitlines()) == 1
    assert err.startswith(f"{path}:3: malformed CSV")
    assert "the quoted field opened on this line is not closed where it should be" in err
    assert stored(db_path) == {"c1": "First, quoted.", "c3": "Third row.", "c4": "Fourth, quoted.", "c5": "Fifth."}


def test_an_unterminated_csv_quote_at_the_end_swallows_nothing_silently(tmp_path, cli, db_path):
    path = tmp_path / "end.csv"
    path.write_text('id,text\nc1,One.\nc2,"Open to the end\nc3,Three.\nc4,Four.\n', encoding="utf-8")
    code, _, err = cli("ingest", str(path))
    assert code == 1
    assert err.splitlines() == [f"{path}:3: a quoted field opened on this line is never closed; "
                                'close the quote ("), or double it ("") inside a field']
    assert stored(db_path) == {"c1": "One.", "c3": "Three.", "c4": "Four."}


def test_a_multi_line_quoted_csv_field_is_still_one_field(tmp_path, cli, db_path):
    path = tmp_path / "ml.csv"
    path.write_text('id,text\nc1,"Para one.\n\nPara ""two""."\nc2,Two.\n', encoding="utf-8")
    assert cli("ingest", str(path))[0] == 0
    assert stored(db_path) == {"c1": 'Para one.\n\nPara "two".', "c2": "Two."}


def test_one_article_is_counted_in_the_singular(tmp_path, cli):
    path = jsonl(tmp_path / "one.jsonl", good(1))
    code, out, _ = cli("ingest", str(path))
    assert code == 0
    assert re.match(r"ingested 1 article, skipped 0 as duplicates, rejected 0", out)


def test_pdf_files_and_symlink_loops_are_reported_not_skipped_silently(tmp_path, cli, db_path):
    top = tmp_path / "Wire"
    (top / "sub").mkdir(parents=True)
    (top / "a.txt").write_text("Alpha\n\nAlpha text.\n")
    (top / "report.pdf").write_bytes(b"%PDF-1.7\n")
    (top / "sub" / "b.txt").write_text("Beta\n\nBeta text.\n")
    (top / "sub" / "loop").symlink_to(top, target_is_directory=True)
    (top / "self.txt").symlink_to(top / "self.txt")
    (top / "photo.jpg").write_bytes(b"\xff\xd8")
    code, out, err = cli("ingest", str(top))
    assert code == 1
    assert sorted(err.splitlines()) == [
        f"{top}/report.pdf: not read: a PDF; convert it to text first (e.g. pdftotext FILE)",
        f"{top}/self.txt: a symbolic link loop; not followed",
        f"{top}/sub/loop: a symbolic link back to {top} (a loop); not followed",
    ]
    assert sorted(stored(db_path)) == ["sub/b", "wire/a"]
    assert "ingested 2 articles, skipped 0 as duplicates, rejected 3" in out


def test_a_linked_folder_that_is_no_loop_is_read(tmp_path, cli, db_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "c.txt").write_text("Gamma\n\nGamma text.\n")
    top = tmp_path / "top"
    top.mkdir()
    (top / "linked").symlink_to(real, target_is_directory=True)
    code, _, err = cli("ingest", str(top), "--outlet", "Wire")
    assert (code, err) == (0, "")
    assert sorted(stored(db_path)) == ["wire/c"]


def test_titles_and_outlets_are_one_line_whatever_the_source_holds(tmp_path, cli, db_path):
    folder = tmp_path / "Two\nLines"
    folder.mkdir()
    (folder / "a.txt").write_text("Alpha\n\nAlpha text.\n")
    path = jsonl(tmp_path / "t.jsonl", json.dumps({"id": "t", "text": "T.", "title": "Line one\nLine two",
                                                   "outlet": "Out\r\nlet"}))
    assert cli("ingest", str(folder), str(path))[0] == 0
    with Store(db_path) as store:
        assert (store.articles.get("t").title, store.articles.get("t").outlet) == ("Line one Line two", "Out let")
        assert store.articles.get("two-lines/a").outlet == "Two Lines"


def test_a_page_whose_date_is_no_date_goes_in_without_it_and_says_so(tmp_path, cli, db_path):
    page = tmp_path / "Post" / "p.html"
    page.parent.mkdir()
    page.write_text('<html><head><meta property="article:published_time" content="last Tuesday"></head>'
                    "<body><p>Page text.</p></body></html>")
    code, out, err = cli("ingest", str(page))
    assert code == 0
    assert err.splitlines() == [f"{page}: note: the page's date 'last Tuesday' is not a date; stored without one"]
    with Store(db_path) as store:
        article = store.articles.get("post/p")
    assert (article.text, article.published) == ("Page text.", None)


def test_counts_of_one_are_singular_in_every_summary(tmp_path, cli):
    from corpus.plural import counted

    assert (counted(1, "article"), counted(0, "article"), counted(2_000, "span")) == ("1 article", "0 articles", "2,000 spans")
    path = jsonl(tmp_path / "one.jsonl", json.dumps({"id": "s", "text": "One.", "spans": [
        {"start": 0, "end": 3, "label": "claim"}]}))
    code, out, _ = cli("ingest", str(path), "--no-suggest")
    assert code == 0 and "ingested 1 article, 1 imported span," in out
    code, out, _ = cli("export", "-f", "jsonl", "-o", str(tmp_path / "out.jsonl"), "--quiet")
    assert code == 0 and "exported 1 article and 1 span as jsonl" in out
    code, out, _ = cli("stats")
    assert out.startswith("1 article, 0 reviewed")
