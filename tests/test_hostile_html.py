"""Pages built to be slow: deep nesting must cost linear time and keep its text.
(The time itself is measured in bench/bench_hostile.py, not here.)"""

from __future__ import annotations

import subprocess
import sys

from store import Store


def test_200000_nested_divs_ingest_with_their_text(tmp_path):
    depth = 200_000
    page = tmp_path / "in" / "deep.html"
    page.parent.mkdir()
    page.write_text("<html><head><title>Deep page</title></head><body>" + "<div>" * depth
                    + "<p>Deep text survives.</p>" + "</div>" * depth + "<p>After the divs.</p></body></html>")
    assert page.stat().st_size > 2_000_000
    db = tmp_path / "t.db"
    # A generous limit, not a speed target: without a depth bound this page takes about 90 s.
    result = subprocess.run([sys.executable, "-m", "tui.cli", "ingest", "--no-suggest", "--db", str(db), str(page)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    with Store(db) as store:
        article = store.articles.get("in/deep")
    assert article.text == "Deep text survives.\n\nAfter the divs."
    assert article.title == "Deep page"


def test_text_nested_past_the_depth_bound_keeps_its_words_apart():
    from corpus.readers.html import MAX_DEPTH, extract_html

    deep = "<blockquote>" * (MAX_DEPTH + 100)
    text, _ = extract_html(f"<body>{deep}one<span>two</span><div>three</div></body>")
    assert text.split() == ["one", "two", "three"]


def test_a_page_within_the_bound_parses_exactly_as_before():
    from corpus.readers.html import bound_depth

    page = "<body>" + "<div>" * 100 + "<p>x</p>" * 1000 + "</div>" * 100 + "<script>if (a<b) {}</script></body>"
    assert bound_depth(page) is page
