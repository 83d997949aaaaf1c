"""The Claims screen: the demo claims in clusters across outlets, the planted conflict, any member opens."""

from __future__ import annotations

import pytest
from claim_support import tag_demo_claims
from tui_support import make_app, screen_lines, settle

from store import Store
from store.claims import ClaimStore
from tui.commands.demo import load_demo
from store import dedup as store_dedup
from store.dedup import dedup
from tui.screens.claims import MORE, ClaimsScreen


@pytest.fixture
def demo(tmp_path):
    path = tmp_path / "demo.db"
    with load_demo(path) as store:
        tag_demo_claims(store, annotator="bo")
    return path


async def open_claims(app, pilot) -> ClaimsScreen:
    await settle(app, pilot)
    await pilot.press("C")
    await settle(app, pilot)
    assert isinstance(app.screen, ClaimsScreen)
    return app.screen


async def test_clusters_list_their_outlets_and_members_and_the_conflicts_follow(demo):
    app = make_app(demo, annotator="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_claims(app, pilot)
        report = screen.stored
        shown = "\n".join(screen_lines(app))
        assert "34 claims · 11 clusters across outlets · 1 figure conflict · 1 contradiction" in shown
        biggest = report.page[0]
        assert len(biggest.outlets) == 5 and f"Cluster {biggest.id} · 5 outlets · 5 claims" in shown
        prompts = [str(option.prompt) for option in screen.query_one("#claims").options]
        assert any("FIGURES DIFFER: Nearly 8,000 soldiers vs Nearly 80,000 soldiers" in p for p in prompts)
        assert any("CONTRADICTION: one is negated" in p for p in prompts)
        # Every claim listed can be chosen: as many as the repeated clusters hold, plus both sides of each conflict.
        repeated = sum(len(c.members) for c in report.page)
        assert len(report.page) == report.repeated == 11
        assert len(screen.members) == repeated + 2 * len(report.conflicts)
    with Store(demo) as store:
        stored = {claim.cluster for claim in ClaimStore(store.db).claims()}
    assert None not in stored and len(stored) == report.repeated + report.alone


async def test_enter_opens_a_member_and_the_library_key_comes_back(demo):
    app = make_app(demo, annotator="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_claims(app, pilot)
        await pilot.press("down", "down")
        chosen = screen.chosen
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.article_id == chosen.article_id and app.screen.view.cursor == chosen.start
        await pilot.press("L")
        await settle(app, pilot)
        assert app.screen is screen
        await pilot.press("escape")
        assert not isinstance(app.screen, ClaimsScreen)


async def test_with_no_claims_the_screen_says_how_to_get_some(tmp_path):
    path = tmp_path / "demo.db"
    load_demo(path).close()
    app = make_app(path, annotator="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_claims(app, pilot)
        assert any("No claims yet" in line for line in screen_lines(app))


@pytest.fixture
def clustered(demo):
    """The demo database after one `claimdesk dedup`."""
    with Store(demo) as store:
        dedup(store.db)
    return demo


async def test_the_screen_opens_from_the_stored_clusters_without_clustering(clustered, monkeypatch):
    def no_clustering(*args, **kwargs):
        raise AssertionError("the Claims screen clustered on open")

    monkeypatch.setattr(store_dedup, "cluster_claims", no_clustering)
    app = make_app(clustered, annotator="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_claims(app, pilot)
        shown = "\n".join(screen_lines(app))
        assert "34 claims · 11 clusters across outlets · 1 figure conflict" in shown
        assert "Could not cluster" not in shown


async def test_clusters_come_a_page_at_a_time_and_the_last_line_shows_the_next(clustered, monkeypatch):
    monkeypatch.setattr(store_dedup, "PAGE_SIZE", 4)
    app = make_app(clustered, annotator="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_claims(app, pilot)
        claims_list = screen.query_one("#claims")
        assert len(screen.stored.page) == 4
        outlets = [len(c.outlets) for c in screen.stored.page]
        assert outlets == sorted(outlets, reverse=True)
        claims_list.highlighted = claims_list.get_option_index(MORE)
        assert "7 more clusters" in str(claims_list.highlighted_option.prompt)
        for shown in (8, 11):
            await pilot.press("enter")
            await settle(app, pilot)
            assert len(screen.stored.page) == shown
            if shown < 11:
                claims_list.highlighted = claims_list.get_option_index(MORE)
        assert MORE not in {option.id for option in claims_list.options}
        headings = [str(o.prompt) for o in claims_list.options if str(o.prompt).startswith("Cluster ")]
        assert len(headings) == 11 and len(set(headings)) == 11


async def test_r_clusters_what_was_tagged_since_in_a_worker_with_a_progress_line(clustered):
    app = make_app(clustered, annotator="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_claims(app, pilot)
        lines: list[str] = []
        original = screen._show_progress
        screen._show_progress = lambda line: (lines.append(line), original(line))
        with Store(clustered) as store:
            claim = screen.stored.page[0].members[0]
            # A second annotator tags the same claim: one more member, no new cluster.
            store.spans.add(claim.article_id, claim.start, claim.end, "claim", "cy")
        await pilot.press("r")
        await settle(app, pilot)
        assert any(line.startswith("Clustering: clustering") for line in lines)
        assert "35 claims · 11 clusters across outlets" in "\n".join(screen_lines(app))
        assert any(m.annotator == "cy" for c in screen.stored.page for m in c.members)
