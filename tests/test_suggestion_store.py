"""Suggestions in the store: stored once, decided per annotator, undoable."""

from __future__ import annotations

import pytest

from corpus.records import ArticleRecord
from store.events import history
from store.ingest import Ingester
from store.suggestions import SuggestionStore

pytestmark = pytest.mark.both_engines

TEXT = (
    'Defence minister Tomas Reidel-Kova said the army had ordered 100,000 vests. '
    '"We followed every rule," Reidel-Kova said. The audit found that 12% of the vests failed.'
)


@pytest.fixture
def suggestions(store):
    Ingester(store.db).run([ArticleRecord(source="t", id="a1", outlet="Wire", text=TEXT)])
    found = SuggestionStore(store.db)
    found.suggest_article("a1", TEXT)
    return found


def texts(spans):
    return sorted((s.label, s.text) for s in spans)


def test_suggestions_are_pending_spans_of_the_suggester_and_not_duplicated(store, suggestions):
    pending = suggestions.pending("a1", "ann")
    assert ("figure", "100,000 vests") in texts(pending)
    assert ("figure", "12%") in texts(pending)
    assert ("quote", '"We followed every rule,"') in texts(pending)
    assert all(s.origin == "suggested" and s.status == "pending" and "@" in s.annotator for s in pending)
    quote = next(s for s in pending if s.label == "quote")
    assert quote.attrs["speaker"] == "Tomas Reidel-Kova"  # the full name from the earlier mention
    assert suggestions.suggest_article("a1", TEXT) == 0
    assert len(suggestions.pending("a1", "ann")) == len(pending)


def test_accept_makes_it_mine_with_its_attributes_and_undo_brings_it_back(store, suggestions):
    figure = next(s for s in suggestions.pending("a1", "ann") if s.text == "100,000 vests")
    mine = suggestions.accept(figure, "ann")
    assert (mine.annotator, mine.status, mine.origin, mine.text) == ("ann", "accepted", "suggested", "100,000 vests")
    assert mine.attrs["value"] == 100000 and mine.attrs["suggestion"] == figure.id
    assert figure.id not in {s.id for s in suggestions.pending("a1", "ann")}
    assert figure.id in {s.id for s in suggestions.pending("a1", "bob")}  # bob decides for himself
    store.spans.undo("a1", "ann")
    assert store.spans.get(mine.id) is None
    assert figure.id in {s.id for s in suggestions.pending("a1", "ann")}


def test_reject_hides_it_from_me_only(store, suggestions):
    figure = next(s for s in suggestions.pending("a1", "ann") if s.text == "12%")
    decision = suggestions.reject(figure, "ann")
    assert decision.status == "rejected"
    assert figure.id not in {s.id for s in suggestions.pending("a1", "ann")}
    assert store.spans.for_article("a1", annotator="ann", statuses=("accepted",)) == []


def test_accept_all_of_one_label_is_one_undo(store, suggestions):
    figures = [s for s in suggestions.pending("a1", "ann") if s.label == "figure"]
    accepted = suggestions.accept_all("a1", "figure", "ann")
    assert texts(accepted) == texts(figures)
    assert [s for s in suggestions.pending("a1", "ann") if s.label == "figure"] == []
    store.spans.undo("a1", "ann")
    assert store.spans.for_article("a1", annotator="ann") == []


def test_ingest_suggests_unless_told_not_to_and_suggest_adds_only_what_is_new(tmp_path, cli, db_path):
    import json

    from store import Store

    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "a1", "text": TEXT}) + "\n")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "b1", "text": TEXT + " More."}) + "\n")
    code, out, _ = cli("ingest", str(tmp_path / "a.jsonl"))
    assert code == 0 and "suggestions made" in out
    code, out, _ = cli("ingest", "--no-suggest", str(tmp_path / "b.jsonl"))
    assert code == 0 and "suggestions" not in out
    with Store(db_path) as store:
        assert SuggestionStore(store.db).pending("b1", "ann") == []
        made_for_a = len(SuggestionStore(store.db).pending("a1", "ann"))
    code, out, _ = cli("suggest")
    assert code == 0
    assert out.strip() == f"{made_for_a:,} new suggestions in 2 articles"  # only b1's are new
    code, out, _ = cli("suggest", "--article", "nope")
    assert code == 2


def test_accept_all_of_many_suggestions_is_one_undo_with_an_event_each(store):
    text = " ".join(f"Depot {n} held {n * 10 + 7} crates." for n in range(300))
    Ingester(store.db).run([ArticleRecord(source="t", id="big", outlet="Wire", text=text)])
    found = SuggestionStore(store.db)
    found.suggest_article("big", text)
    figures = [s for s in found.pending("big", "ann") if s.label == "figure"]
    assert len(figures) >= 300
    accepted = found.accept_all("big", "figure", "ann")
    assert len(accepted) == len(figures)
    added = [e for e in history(store.db, "big") if e.annotator == "ann" and e.action == "add"]
    assert len(added) == len(figures) and len({e.batch for e in added}) == 1
    assert {e.after.id for e in added} == {s.id for s in accepted}
    store.spans.undo("big", "ann")
    assert store.spans.for_article("big", annotator="ann") == []
    store.spans.redo("big", "ann")
    assert len(store.spans.for_article("big", annotator="ann")) == len(figures)


def test_suggestions_stored_for_several_articles_at_once_stay_apart_per_article(store):
    records = [ArticleRecord(source="t", id=i, outlet="Wire", text=f"{TEXT} ({i})") for i in ("a1", "a2")]
    Ingester(store.db).run(records)
    found = SuggestionStore(store.db)
    made = found.suggest_articles([(r.id, r.text) for r in records])
    one = len(found.pending("a1", "ann"))
    assert made == 2 * one and len(found.pending("a2", "ann")) == one
    assert found.suggest_articles([(r.id, r.text) for r in records]) == 0
    batches = {e.article_id: e.batch for e in history(store.db, "a1") + history(store.db, "a2")}
    assert batches["a1"] != batches["a2"]
    # A suggester's undo on one article leaves the other's suggestions alone.
    suggester = found.pending("a1", "ann")[0].annotator
    store.spans.undo("a1", suggester)
    assert len(found.pending("a2", "ann")) == one
    assert len(found.pending("a1", "ann")) < one


# Issue 11 item 4, on a raw .txt file as a newcomer ingests one.
BULLET_ARTICLE = (
    "Talks resume in Geneva\n\n"
    "Key points\n"
    '- Following the nudge from Washington, Marren said it was open to "genuine peace talks"\n'
    "- Ostland rejects any freeze of the front line\n"
    "Amid reports of new shelling near Karsk, envoys from both sides met for six hours on Wednesday, "
    "the first direct talks since January.\n\n"
    "The fighting has displaced upwards of 250,000 people, according to the U.N.\n"
)


def test_a_raw_txt_bullet_without_a_full_stop_does_not_run_into_the_next_paragraph(tmp_path, cli, db_path):
    from store import Store

    (tmp_path / "talks.txt").write_text(BULLET_ARTICLE)
    code, _, _ = cli("ingest", str(tmp_path / "talks.txt"))
    assert code == 0
    code, _, _ = cli("suggest")
    assert code == 0
    with Store(db_path) as store:
        (article_id,) = [r[0] for r in store.db.execute("SELECT id FROM articles")]
        pending = SuggestionStore(store.db).pending(article_id, "ann")
    claims = [s.text for s in pending if s.label == "claim"]
    assert all("\n" not in claim for claim in claims), claims
    assert sum(claim.startswith("Amid reports") for claim in claims) == 1
    assert any(claim.startswith("- Following the nudge") and claim.endswith('"genuine peace talks"') for claim in claims)


def test_no_two_pending_suggestions_of_one_label_cover_the_same_text(store):
    from corpus.suggestions import Suggestion

    Ingester(store.db).run([ArticleRecord(source="t", id="a1", outlet="Wire", text=BULLET_ARTICLE)])
    found = SuggestionStore(store.db)
    amid = BULLET_ARTICLE.index("Amid")
    sentence_end = BULLET_ARTICLE.index("January.") + len("January.")
    paragraph_end = BULLET_ARTICLE.index("U.N.") + len("U.N.")
    old = Suggestion(amid, paragraph_end, "claim", {"score": 1.0}, "claims@1", "claim:figure")
    found.add("a1", [old])
    # The next version again, and the same text from a version that splits it differently.
    same = Suggestion(amid, paragraph_end, "claim", {"score": 2.0}, "claims@2", "claim:figure")
    shorter = Suggestion(amid, sentence_end, "claim", {"score": 2.0}, "claims@2", "claim:figure")
    assert found.add("a1", [same, same]) == 0
    found.add("a1", [shorter])
    pending = [s for s in found.pending("a1", "ann") if s.label == "claim"]
    assert [(s.text[:12], s.annotator) for s in pending] == [("Amid reports", "claims@2")]
    assert pending[0].end == sentence_end


def test_each_suggestion_keeps_the_rule_that_made_it(store, suggestions):
    rules = suggestions.rules("a1")
    by_text = {s.text: rules[s.id] for s in suggestions.pending("a1", "ann")}
    assert by_text["100,000 vests"] == "figure:count"
    assert by_text["12%"] == "figure:percent"
    assert by_text['"We followed every rule,"'] == "quote:speaker-after"
    assert all(rule.startswith(("figure:", "quote:", "claim:")) for rule in by_text.values())


def test_the_rules_migration_is_additive_and_idempotent(store, suggestions):
    from store.schema import MIGRATIONS

    before = suggestions.rules("a1")
    assert before
    migration = next(m for m in MIGRATIONS if m.__name__.endswith("_suggestion_rules"))
    migration(store.db)  # a file that has the table already keeps it, rows and all
    assert suggestions.rules("a1") == before


def test_the_rule_rides_with_a_pending_suggestion_but_not_into_my_span(store, suggestions):
    figure = next(s for s in suggestions.pending("a1", "ann") if s.text == "100,000 vests")
    assert figure.attrs["rule"] == "figure:count"
    assert "rule" not in store.spans.get(figure.id).attrs  # the stored suggestion, as its events have it
    mine = suggestions.accept(figure, "ann")
    assert "rule" not in mine.attrs and mine.attrs["value"] == 100000
