"""Evaluate claim matching on the labelled pairs in tests/data/claim_pairs.jsonl.

Prints pair precision, recall and F1 at the default threshold, the adjusted
Rand index of the clusters that ``cluster_claims`` makes of every distinct
claim in the file (against the cluster ids written there), the pairs that
went wrong, and with ``--sweep`` the same figures for other scorers and
thresholds, which is how the default was chosen.

    .venv/bin/python bench/eval_matching.py [--sweep] [--errors]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus import claim_clusters, claim_match  # noqa: E402
from corpus.claim_clusters import adjusted_rand_index, cluster_claims  # noqa: E402
from corpus.claim_match import DEFAULT_THRESHOLD, MatchVerdict, judge  # noqa: E402
from corpus.claim_text import prepare_claim  # noqa: E402

PAIRS = Path(__file__).resolve().parents[1] / "tests" / "data" / "claim_pairs.jsonl"


@dataclass(frozen=True)
class Evaluation:
    precision: float
    recall: float
    f1: float
    ari: float
    wrong: list[tuple[dict, MatchVerdict]]
    guard_breaches: list[dict]


def load_pairs(path: Path = PAIRS) -> list[dict]:
    """The labelled pairs: ``a``, ``b``, ``same``, ``kind``, ``cluster_a``, ``cluster_b``."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def truth_clusters(pairs: list[dict]) -> dict[str, str]:
    """Every distinct claim of the file, in file order, with its cluster id."""
    clusters: dict[str, str] = {}
    for pair in pairs:
        clusters.setdefault(pair["a"], pair["cluster_a"])
        clusters.setdefault(pair["b"], pair["cluster_b"])
    return clusters


def evaluate(pairs: list[dict], threshold: float = DEFAULT_THRESHOLD) -> Evaluation:
    """Pair precision, recall and F1, and the clustering ARI, at ``threshold``."""
    counts: Counter[str] = Counter()
    wrong, breaches = [], []
    for pair in pairs:
        a, b = prepare_claim(pair["a"]), prepare_claim(pair["b"])
        verdict = judge(a, b, claim_match.similarity(a, b), threshold)
        counts[("t" if verdict.same == pair["same"] else "f") + ("p" if verdict.same else "n")] += 1
        if verdict.same != pair["same"]:
            wrong.append((pair, verdict))
        if verdict.same and pair["kind"] in ("figure", "negation"):
            breaches.append(pair)
    precision = counts["tp"] / max(1, counts["tp"] + counts["fp"])
    recall = counts["tp"] / max(1, counts["tp"] + counts["fn"])
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    truth = truth_clusters(pairs)
    found = cluster_claims(((text, text) for text in truth), threshold=threshold).clusters
    return Evaluation(precision, recall, f1, adjusted_rand_index(truth, found), wrong, breaches)


def _with_scorer(scorer: Callable[[str, str], float], run: Callable[[], Evaluation]) -> Evaluation:
    """Run ``run`` with the matcher's word scorer replaced, for the sweep."""
    saved = claim_match.word_similarity, claim_clusters.pair_similarities

    def pairs(left, right, workers=1):
        return np.array([scorer(x, y) for x, y in zip(left, right)], dtype=np.float32)

    claim_match.word_similarity, claim_clusters.pair_similarities = scorer, pairs
    try:
        return run()
    finally:
        claim_match.word_similarity, claim_clusters.pair_similarities = saved


SCORERS: dict[str, Callable[[str, str], float]] = {
    "capped token_set (default)": claim_match.word_similarity,
    "token_set_ratio": fuzz.token_set_ratio,
    "token_sort_ratio": fuzz.token_sort_ratio,
    "WRatio": fuzz.WRatio,
    "ratio": fuzz.ratio,
    "mean(token_set, token_sort)": lambda a, b: (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--sweep", action="store_true", help="score other scorers and thresholds too")
    parser.add_argument("--errors", action="store_true", help="list the pairs judged wrongly")
    args = parser.parse_args()
    pairs = load_pairs()
    kinds = Counter(pair["kind"] for pair in pairs)
    print(f"{len(pairs)} labelled pairs ({sum(p['same'] for p in pairs)} same), "
          f"{len(truth_clusters(pairs))} distinct claims; kinds: {dict(sorted(kinds.items()))}")
    result = evaluate(pairs, args.threshold)
    print(f"threshold {args.threshold:g}: precision {result.precision:.3f}  recall {result.recall:.3f}  "
          f"F1 {result.f1:.3f}  clusters ARI {result.ari:.3f}")
    print(f"figure or negation pairs reported as the same claim: {len(result.guard_breaches)}")
    if args.errors:
        for pair, verdict in result.wrong:
            label = "false match" if verdict.same else "missed"
            print(f"  {label} [{pair['kind']}] score {verdict.score:.0f} {verdict.conflict or ''}\n"
                  f"    {pair['a']}\n    {pair['b']}")
    if args.sweep:
        print("\nscorer                       threshold  precision  recall  F1     ARI")
        for name, scorer in SCORERS.items():
            for threshold in range(70, 92, 2):
                sweep = _with_scorer(scorer, lambda threshold=threshold: evaluate(pairs, threshold))
                print(f"{name:<28} {threshold:>9}  {sweep.precision:9.3f}  {sweep.recall:6.3f}  "
                      f"{sweep.f1:.3f}  {sweep.ari:.3f}")


if __name__ == "__main__":
    main()
