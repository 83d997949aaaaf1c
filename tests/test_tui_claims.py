"""The Claims screen: the demo claims in clusters across outlets, the planted conflict, any member opens."""

from __future__ import annotations

import pytest
from claim_support import tag_demo_claims
from tui_support import make_app, screen_lines, settle

from store import Store
from store.claims import ClaimStore
from tui.commands.demo import load_demo
from tui.screens.claims import ClaimsScreen


@pytest.fixture
def demo(tmp_path):
    path = tmp_path / "demo.db"
    with load_demo(path) as store:
        tag_demo_claims(store, annotator="bo")
    return path


async def open_claims(app, pilot) -> ClaimsScreen:
    await settle(app, pilot)
    await pilot.press("C")
    await app.workers.wait_for_complete()
    await settle(app, pilot)
    assert isinstance(app.screen, ClaimsScreen)
    return app.screen


async def test_clusters_list_their_outlets_and_members_and_the_conflicts_follow(demo):
    app = make_app(demo, annotator="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_claims(app, pilot)
        report = screen.report
        shown = "\n".join(screen_lines(app))
        assert "34 claims · 11 clusters across outlets · 1 figure conflict · 1 contradiction" in shown
        biggest = report.clusters[0]
        assert len(biggest.outlets) == 5 and f"Cluster {biggest.id} · 5 outlets · 5 claims" in shown
        prompts = [str(option.prompt) for option in screen.query_one("#claims").options]
        assert any("FIGURES DIFFER: Nearly 8,000 soldiers vs Nearly 80,000 soldiers" in p for p in prompts)
        assert any("CONTRADICTION: one is negated" in p for p in prompts)
        # Every claim listed can be chosen: as many as the repeated clusters hold, plus both sides of each conflict.
        repeated = sum(len(c.members) for c in report.clusters if len(c.members) > 1)
        assert len(screen.members) == repeated + 2 * len(report.conflicts)
    with Store(demo) as store:
        stored = {claim.cluster for claim in ClaimStore(store.db).claims()}
    assert None not in stored and len(stored) == len(report.clusters)


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
