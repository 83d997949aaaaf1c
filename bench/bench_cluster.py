"""Benchmark corpus-wide clustering (corpus.claim_clusters) against the exhaustive comparison.

Two measurements, each beside its baseline from the same run:

1. Recall, on ``--sample`` claims: the pairs that the exhaustive rapidfuzz
   comparison (every claim against every other, same scorer, threshold and
   guards) calls the same claim, against those our candidate generation
   finds, and how many of them end up in one cluster.
2. Scale, on ``--claims`` claims: wall time and peak memory of
   ``cluster_claims``; the exhaustive time is extrapolated from the sample
   (it grows with the square of the corpus).

    .venv/bin/python bench/bench_cluster.py --claims 1000000 --sample 20000
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus.claim_clusters import adjusted_rand_index, cluster_claims, matching_pairs  # noqa: E402
from corpus.claim_match import CONTAINMENT_MARGIN, DEFAULT_THRESHOLD, judge  # noqa: E402
from corpus.claim_text import prepare_claim  # noqa: E402
from results import result  # noqa: E402
from synthetic_claims import ClaimGenerator  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def exhaustive_pairs(claims, threshold: float, workers: int) -> set[tuple[int, int]]:
    """Every pair the matcher calls the same, by scoring all pairs.

    The score is min(token_set_ratio, token_sort_ratio + margin), so only
    pairs whose token_set_ratio reaches the threshold can pass: rapidfuzz
    scores all pairs with that cutoff, then the few survivors in full.
    """
    words = [claim.words for claim in claims]
    same = set()
    block = 2000
    for start in range(0, len(words), block):
        rows = process.cdist(words[start:start + block], words, scorer=fuzz.token_set_ratio,
                             score_cutoff=threshold, dtype=np.uint8, workers=workers)
        i, j = np.nonzero(rows)
        i = i + start
        upper = i < j
        i, j = i[upper], j[upper]
        whole = process.cpdist([words[a] for a in i], [words[b] for b in j],
                               scorer=fuzz.token_sort_ratio, workers=workers)
        for a, b, s_set, s_sort in zip(i.tolist(), j.tolist(), rows[i - start, j].tolist(), whole.tolist()):
            score = min(float(s_set), s_sort + CONTAINMENT_MARGIN)
            if judge(claims[a], claims[b], score, threshold).same:
                same.add((a, b))
    return same


def measure_recall(sample: int, threshold: float, workers: int) -> tuple[float, float]:
    texts = [text for _, text in ClaimGenerator(seed=7).clusters(sample)]
    claims = [prepare_claim(text) for text in texts]
    started = time.perf_counter()
    truth = exhaustive_pairs(claims, threshold, workers)
    exhaustive_seconds = time.perf_counter() - started
    started = time.perf_counter()
    left, right, scores, scored = matching_pairs(claims, threshold, workers=workers)
    found = {
        (a, b) for a, b, score in zip(left.tolist(), right.tolist(), scores.tolist())
        if judge(claims[a], claims[b], score, threshold).same
    }
    ours_seconds = time.perf_counter() - started
    clustering = cluster_claims(list(enumerate(texts)), threshold=threshold, workers=workers)
    together = sum(clustering.clusters[a] == clustering.clusters[b] for a, b in truth)
    recall = len(truth & found) / max(1, len(truth))
    print(f"sample of {sample:,} claims, threshold {threshold:g}")
    print(f"  exhaustive comparison: {len(truth):,} matching pairs in {exhaustive_seconds:.1f} s")
    print(f"  candidate pairs + rescoring: {len(found):,} matching pairs in {ours_seconds:.1f} s "
          f"({scored:,} candidates scored), {exhaustive_seconds / ours_seconds:.0f}x faster")
    print(f"  recall of the exhaustive pairs: {recall:.3f}; in one cluster after clustering: "
          f"{together / max(1, len(truth)):.3f}")
    return exhaustive_seconds, recall


def measure_scale(claims: int, threshold: float, workers: int, exhaustive_seconds: float, sample: int,
                  recall: float) -> None:
    generated = list(ClaimGenerator(seed=0).clusters(claims))
    truth = {index: cluster for index, (cluster, _) in enumerate(generated)}
    texts = [(index, text) for index, (_, text) in enumerate(generated)]
    del generated
    before = peak_rss_mb()
    started = time.perf_counter()
    clustering = cluster_claims(texts, threshold=threshold, workers=workers)
    seconds = time.perf_counter() - started
    baseline = exhaustive_seconds * (claims / sample) ** 2
    print(f"{claims:,} claims on {workers} worker(s)")
    print(f"  cluster_claims: {seconds:.0f} s, peak memory {peak_rss_mb():,.0f} MB "
          f"(the claims themselves: {before:,.0f} MB before clustering)")
    print(f"  exhaustive comparison, extrapolated from the sample: {baseline:,.0f} s; ratio {baseline / seconds:,.0f}x")
    print(f"  {len(clustering.leaders):,} clusters ({len(set(truth.values())):,} generated), "
          f"{len(clustering.conflicts):,} conflicts, ARI against the generator {adjusted_rand_index(truth, clustering.clusters):.3f}")
    peak = peak_rss_mb()
    met = seconds <= 600 and peak <= 4096 and recall >= 0.95
    result(f"cluster {claims:,} claims, {workers} workers", f"{seconds:.0f} s, {peak / 1024:.2f} GB peak",
           f"exhaustive: {baseline:,.0f} s extrapolated from {sample:,}", f"{baseline / seconds:,.0f}x faster",
           "<= 10 min, <= 4 GB; recall of exhaustive pairs >= 0.95", met,
           f"recall on {sample:,}: {recall:.3f}" + ("" if met else "; a target is missed"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="20,000 claims, a sample of 2,000")
    args = parser.parse_args()
    if args.quick:
        args.claims, args.sample = 20_000, 2_000
    exhaustive_seconds, recall = measure_recall(args.sample, args.threshold, args.workers)
    measure_scale(args.claims, args.threshold, args.workers, exhaustive_seconds, args.sample, recall)


if __name__ == "__main__":
    main()
