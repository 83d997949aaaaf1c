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
