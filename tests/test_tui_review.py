"""The review queue and the review screen, driven through Textual's Pilot."""

from __future__ import annotations

import pytest

from store import Store
from store.events import history
from store.progress import ProgressStore
from store.review import GOLD
from tui.screens.review import ReviewingApp, ReviewQueueScreen, ReviewScreen
from tui_support import FIRST, SECOND, make_db, press, screen_lines, settle

SIZE = (120, 30)
CLAIM = (FIRST.index("The defence"), FIRST.index("would stand.") + len("would stand."))
FIGURE = (FIRST.index("12%"), FIRST.index("12%") + 3)
QUOTE = (FIRST.index('"We bought'), FIRST.index('tested,"') + len('tested,"'))
AUDIT = (SECOND.index("The audit"), SECOND.index("rifle tests.") + len("rifle tests."))


@pytest.fixture
def db(tmp_path):
    """a1: ann, bob and cat agree on a claim, ann and bob on a figure, only cat
    marked a quote. a2: ann and bob agree on everything. a3: ann alone."""
    path = make_db(tmp_path / "t.db")
    with Store(path) as store:
        for name in ("ann", "bob", "cat"):
            store.spans.add("a1", *CLAIM, "claim", name)
        for name in ("ann", "bob"):
            store.spans.add("a1", *FIGURE, "figure", name, attrs={"value": 12, "unit": "%"})
            store.spans.add("a2", *AUDIT, "claim", name)
        store.spans.add("a1", *QUOTE, "quote", "cat", attrs={"speaker": "Reidel"})
        progress = ProgressStore(store.db)
        for article, names in (("a1", "ann bob cat"), ("a2", "ann bob"), ("a3", "ann")):
            for name in names.split():
                progress.mark_done(article, name)
    return path


def reviewing_app(path):
    return ReviewingApp(path, "rita", "default", user_keymap=path.parent / "no-user-keymap.toml")


def gold(path, article="a1"):
    with Store(path) as store:
        return [(s.start, s.end, s.label, s.status) for s in store.spans.for_article(article, annotator=GOLD)]


async def open_review(app, pilot) -> ReviewScreen:
    await settle(app, pilot)
    assert isinstance(app.screen, ReviewQueueScreen)
    await press(app, pilot, "enter")
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


async def test_the_queue_lists_articles_finished_by_several_worst_first(db):
    app = reviewing_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReviewQueueScreen)
        assert [e.article_id for e in screen.entries] == ["a1", "a2"]  # a3 has one finisher
        text = "\n".join(screen_lines(app))
        assert "2 articles to review, most disagreement first" in text
        assert "ann, bob, cat" in text and "Minister defends armour deal" in text


async def test_every_annotators_spans_show_with_their_agreement(db):
    app = reviewing_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        assert screen.article_id == "a1"
        assert screen.span_list.display
        notes = sorted(screen.span_list.notes.values())
        assert notes == ["all  3/3 ?", "one  1/3 ?", "some 2/3 ?"]
        text = "\n".join(screen_lines(app))
        assert "some 2/3 ?" in text and "one  1/3 ?" in text
        assert "reviewing as rita" in text
        screen.view.move_to(FIGURE[0])
        await settle(app, pilot)
        assert screen.status.note == "figure: some (ann, bob) · undecided"


async def test_accept_and_reject_build_gold_with_the_reviewer_recorded(db):
    app = reviewing_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        screen.view.move_to(FIGURE[0])
        await press(app, pilot, "a")
        screen.view.move_to(QUOTE[0] + 1)
        await settle(app, pilot)
        await press(app, pilot, "x")
        assert sorted(screen.span_list.notes.values()) == ["all  3/3 ?", "one  1/3 ✗", "some 2/3 ✓"]
    assert sorted(gold(db)) == sorted([(*QUOTE, "quote", "rejected"), (*FIGURE, "figure", "accepted")])
    with Store(db) as store:
        events = [e for e in history(store.db, "a1") if (e.after or e.before).annotator == GOLD]
        assert {e.annotator for e in events} == {"rita"}
        figure = next(s for s in store.spans.for_article("a1", annotator=GOLD) if s.label == "figure")
        assert figure.attrs == {"value": 12, "unit": "%"}


async def test_a_label_key_corrects_a_proposal_and_undo_takes_it_back(db):
    app = reviewing_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        screen.view.move_to(QUOTE[0] + 1)
        await settle(app, pilot)
        await press(app, pilot, "c")  # cat's quote is a claim, says the reviewer
        assert sorted(gold(db)) == sorted([(*QUOTE, "quote", "rejected"), (*QUOTE, "claim", "accepted")])
        await press(app, pilot, "u")  # the correction was one decision: one undo takes it all back
        assert gold(db) == []
        # The annotators' own spans are never touched by review.
        with Store(db) as store:
            assert [s.label for s in store.spans.for_article("a1", annotator="cat")] == ["claim", "quote"]


async def test_a_selection_tagged_adds_a_gold_span_of_the_reviewers_own(db):
    app = reviewing_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        start = FIRST.index("Critics")
        screen.view.move_to(start)
        await press(app, pilot, "v", "w")
        await press(app, pilot, "c")
        assert gold(db) == [(start, start + len("Critics disagree"), "claim", "accepted")]
        assert "gold      ✓" in "\n".join(screen_lines(app))


async def test_enter_finishes_the_review_and_opens_the_next_in_the_queue(db):
    app = reviewing_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        await press(app, pilot, "enter")
        assert isinstance(app.screen, ReviewScreen) and app.screen.article_id == "a2"
        with Store(db) as store:
            assert ProgressStore(store.db).get("a1", GOLD).status == "done"
        await press(app, pilot, "enter")  # a2 reviewed too: the queue is empty
        assert isinstance(app.screen, ReviewQueueScreen)
        await settle(app, pilot)
        assert app.screen.entries == []
        assert any("Nothing to review" in line for line in screen_lines(app))
