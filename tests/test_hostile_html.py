"""Pages built to be slow: deep nesting must cost linear time and keep its text.
(The time itself is measured in bench/bench_hostile.py, not here.)"""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

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


def _one_tag_at_a_time(markup: str, limit: int) -> str:
    """The depth bound written plainly, a tag at a time (what bound_depth does by runs)."""
    import re

    from corpus.readers.html import _SHALLOW

    depth, out, last = 0, [], 0
    for match in re.finditer(r"<!--.*?-->|<script>.*?</script>|<(/?)([A-Za-z]+)[^>]*>", markup, re.S):
        close, name = match.groups()
        if name is None or name.lower() in _SHALLOW or (not close and match.group().endswith("/>")):
            continue
        if close:
            depth = max(depth - 1, 0)
            drop = depth >= limit
        else:
            depth += 1
            drop = depth > limit
        if drop:
            out += (markup[last:match.start()], " ")
            last = match.end()
    return "".join(out) + markup[last:]


PIECES = ["<div>", "</div>", "<span class=a>", "</span>", "<DIV>", "word", " ", "<br>", "<p>", "</p>",
          "<!-- <div> -->", "<b/>", "</b>", "<script>if (a<b) {}</script>"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from([1, 1, 2, 7])), max_size=60), st.integers(1, 6))
def test_the_depth_bound_keeps_the_tags_a_tag_at_a_time_bound_would(pieces, limit):
    import re

    from corpus.readers.html import bound_depth

    page = "<body>" + "".join(piece * times for piece, times in pieces) + "</body>"
    expected = _one_tag_at_a_time(page, limit) if page.count("<") > limit else page

    def spaced(markup: str) -> str:  # a run of dropped tags leaves one space, not one each
        return re.sub(" +", " ", markup)

    assert spaced(bound_depth(page, limit)) == spaced(expected)
