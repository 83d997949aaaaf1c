"""The matcher on the labelled claim pairs (tests/data/claim_pairs.jsonl)."""

import importlib.util
import sys
from pathlib import Path

import pytest

_EVAL = Path(__file__).resolve().parents[1] / "bench" / "eval_matching.py"


@pytest.fixture(scope="module")
def evaluation():
    spec = importlib.util.spec_from_file_location("eval_matching", _EVAL)
    module = importlib.util.module_from_spec(spec)
    # Its dataclass looks its module up by name while the module runs.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    pairs = module.load_pairs()
    assert len(pairs) >= 300
    return module.evaluate(pairs)


def test_pairs_are_matched_with_f1_of_at_least_0_9(evaluation):
    assert evaluation.f1 >= 0.9


def test_clusters_agree_with_the_labels_with_ari_of_at_least_0_9(evaluation):
    assert evaluation.ari >= 0.9


def test_no_figure_conflict_or_negation_pair_is_called_the_same(evaluation):
    assert evaluation.guard_breaches == []


def test_the_rewordings_set_has_two_halves_split_by_story_and_says_so():
    import json

    path = _EVAL.parents[1] / "tests" / "data" / "claim_rewordings.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    note, pairs = rows[0], rows[1:]
    assert "never tuned on" in note["note"]
    assert sum(p["same"] for p in pairs) >= 100 and sum(not p["same"] for p in pairs) >= 100
    halves = {}
    for pair in pairs:
        halves.setdefault(pair["cluster_a"], set()).add(pair["split"])
    assert all(len(split) == 1 for split in halves.values())
    assert {split for (split,) in halves.values()} == {"tune", "held-out"}
    kinds = {p["kind"] for p in pairs if not p["same"]}
    assert {"swapped", "negated", "figure", "topic", "same-actor"} <= kinds


def test_the_held_out_half_is_scored_with_and_without_aliases(evaluation):
    spec = importlib.util.spec_from_file_location("eval_matching_dev", _EVAL)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    held_out = module.load_rewordings("held-out")
    with_aliases = module.evaluate_dev(held_out)
    without = module._without_aliases(lambda: module.evaluate_dev(held_out))
    assert with_aliases.recall > without.recall
    assert sum(n for _, n in with_aliases.kept_apart.values()) == with_aliases.different == 60
