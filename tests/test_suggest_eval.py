"""suggest() over the hand-labelled evaluation set, and the shape of what it returns."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.suggestions import suggest

ROOT = Path(__file__).resolve().parent.parent


def _load_bench(name):
    # bench/ is not an installed package; load its modules from their files.
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


eval_suggestions = _load_bench("eval_suggestions")
build_suggest_eval = _load_bench("build_suggest_eval")


@pytest.fixture(scope="module")
def evaluation():
    return eval_suggestions.evaluate()


def test_the_evaluation_set_is_built_from_its_marked_articles():
    records = build_suggest_eval.build()
    assert len(records) >= 40
    assert all(150 <= len(r["text"].split()) <= 400 for r in records)
    assert records == eval_suggestions.load(), "run: python bench/build_suggest_eval.py"


def test_the_held_out_set_is_built_from_its_marked_articles_and_has_every_label():
    records = build_suggest_eval.build("heldout")
    assert len(records) >= 40
    assert records == eval_suggestions.load(eval_suggestions.HELDOUT_FILE), "run: python bench/build_suggest_eval.py"
    for key in ("figures", "quotes", "scare"):
        assert sum(len(r[key]) for r in records) >= 10, key
    assert not {r["text"] for r in records} & {r["text"] for r in eval_suggestions.load()}


def test_the_eval_prints_tune_and_held_out_side_by_side_with_result_lines():
    results = {name: eval_suggestions.evaluate(eval_suggestions.load(path))
               for name, path in eval_suggestions.SET_FILES.items()}
    header = eval_suggestions._table(results, 6)[0].split()
    assert header == ["tune", "heldout"]
    rows = [json.loads(line.removeprefix("RESULT ")) for line in eval_suggestions.result_lines(results)]
    assert [r["row"] for r in rows] == ["suggest figures (held-out)", "suggest quotes (held-out)",
                                        "suggest speakers (held-out)"]
    assert all(r["ours"].startswith("held-out") and r["baseline"].startswith("tune") for r in rows)
    # Issue 11 item 11: not suggesting counts of plain nouns would cost the recall of the tune set's labels.
    tune = results["tune"]
    assert tune.figures_without_counts.recall < tune.figures_without_definite_counts.recall <= tune.figures.recall
    assert ("figure:count" in {rule for rule, _, _ in tune.by_rule})


def test_figures_are_found_with_the_right_values(evaluation):
    assert evaluation.figures.precision >= 0.95
    assert evaluation.figures.recall >= 0.95


def test_quotes_are_found_with_their_speakers(evaluation):
    assert evaluation.quotes.precision >= 0.90
    assert evaluation.quotes.recall >= 0.90
    assert evaluation.speaker_accuracy >= 0.80


def test_claims_are_recalled_at_the_default_number_per_article(evaluation):
    assert evaluation.claims.recall >= 0.80


@pytest.mark.parametrize(
    ("suggested", "gold", "same"),
    [("Vanhal", "Petra Vanhal", True), ("the ministry", "agriculture ministry", True),
     ("Petra Vanhal", "Petra Vanhal", True), (None, None, True), ("Anton Merel", "Katrin Hollis", False),
     (None, "Katrin Hollis", False), ("Van", "Petra Vanhal", False)],
)
def test_the_speaker_rule(suggested, gold, same):
    assert eval_suggestions.same_speaker(suggested, gold) is same


TEXT = (
    'Defence Minister Tomas Reyl said on 3 March that well over 100,000 soldiers had new vests. '
    '"Every vest was tested by an independent laboratory," Reyl told reporters.'
)


def test_suggest_labels_every_span_and_names_its_suggester():
    found = {(TEXT[s.start : s.end], s.label): s for s in suggest(TEXT)}
    figure = found[("well over 100,000 soldiers", "figure")]
    assert figure.attrs == {"value": 100_000, "low": None, "high": None, "unit": "soldier", "approx": "well over"}
    assert figure.suggester == "figures@2"
    quote = found[('"Every vest was tested by an independent laboratory,"', "quote")]
    assert quote.attrs == {"speaker": "Tomas Reyl"} and quote.suggester == "quotes@2"
    claims = [s for s in found.values() if s.label == "claim"]
    assert claims and all(s.suggester == "claims@2" and s.attrs["score"] > 0 for s in claims)


def test_dates_are_figures_only_when_asked_for():
    assert not [s for s in suggest(TEXT) if s.attrs.get("unit") == "date"]
    dates = [TEXT[s.start : s.end] for s in suggest(TEXT, include_dates=True) if s.attrs.get("unit") == "date"]
    assert dates == ["3"]


def test_suggestions_come_in_text_order():
    found = suggest(TEXT)
    assert found == sorted(found, key=lambda s: (s.start, s.end, s.label))


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_any_text_gives_suggestions_inside_it(text):
    for suggestion in suggest(text):
        assert 0 <= suggestion.start < suggestion.end <= len(text)
        assert suggestion.label in {"figure", "quote", "claim"}


# Pieces news text is made of, so that generated text exercises every suggester.
_PIECES = st.sampled_from([
    "said", "told reporters", "according to", "the minister", "Defence Minister Tomas Reyl", "she", "he said",
    '"', "“", "”", "„", "«", "»", ":", ",", ".", "\n", "\n\n", "- ", "a third of", "tens of thousands of",
    "nearly", "well over", "upwards of", "80 000", "80\u202f000", "1,200", "€4.5bn", "12%", "per cent",
    "two", "sides", "between", "and", "to", "one in five", "March 3", "2019", "aged 45", "the Interior Ministry",
    "We will not back down", "so-called", "That was the verdict of", "Ana Lutz", " ", "x",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=40).map(" ".join))
def test_every_suggestion_slices_the_text_it_claims(text):
    from corpus.figures import find_figures
    from corpus.quotes import find_quotes

    for figure in find_figures(text, include_dates=True):
        assert text[figure.start : figure.end] == figure.text and figure.rule
    for quote in find_quotes(text):
        assert text[quote.start : quote.end] == quote.text and quote.rule
        assert text[quote.start] in "\"“„«" and text[quote.end - 1] in "\"“”»"
        if quote.speaker is not None:
            assert text[quote.speaker_start : quote.speaker_end] == quote.speaker
    for s in suggest(text):
        assert 0 <= s.start < s.end <= len(text)
        assert not text[s.start].isspace() and not text[s.end - 1].isspace()
        assert s.rule.startswith(s.label + ":")
