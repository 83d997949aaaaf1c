"""Benchmark live matching (corpus.claim_index) against exhaustive rescoring of every stored claim.

Builds a ClaimIndex of ``--claims`` synthetic claims, then asks it for the
matches of ``--queries`` new rewordings of stored claims. Prints the build
time and memory, the size of the index saved as the app's cache file and the
time to load it, the query latency after warm-up (median, 95th percentile),
and, beside them, the exhaustive baseline measured in the same run: one
rapidfuzz ``cdist`` of the query against every stored claim, on
``--baseline-queries`` of the queries. Recall is the share of the matches
the exhaustive comparison finds that the index returns too.

    .venv/bin/python bench/bench_match_live.py --claims 1000000
"""

from __future__ import annotations

import argparse
import pickle
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus.claim_index import ClaimIndex  # noqa: E402
from corpus.claim_match import DEFAULT_THRESHOLD, judge, similarity_matrix  # noqa: E402
from corpus.claim_text import prepare_claim  # noqa: E402
from synthetic_claims import ClaimGenerator  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--baseline-queries", type=int, default=10)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()

    # Queries are members of multi-claim clusters held back from the index:
    # rewordings of claims that are stored.
    generated = list(ClaimGenerator(seed=3).clusters(args.claims + args.queries))
    later_members = [i for i in range(1, len(generated)) if generated[i][0] == generated[i - 1][0]]
    held_back = set(random.Random(0).sample(later_members, args.queries))
    queries = [generated[i][1] for i in sorted(held_back)]
    query_cluster = {generated[i][1]: generated[i][0] for i in held_back}
    stored_cluster = [cluster for i, (cluster, _) in enumerate(generated) if i not in held_back]
    stored = [text for i, (_, text) in enumerate(generated) if i not in held_back]
    del generated

    before = rss_mb()
    started = time.perf_counter()
    index = ClaimIndex.from_claims(enumerate(stored))
    build = time.perf_counter() - started
    memory = rss_mb() - before
    print(f"{len(index):,} claims indexed in {build:.0f} s, index memory about {memory:,.0f} MB "
          f"({memory * 2**20 / len(index):.0f} bytes a claim)")

    with tempfile.TemporaryFile() as cache:
        started = time.perf_counter()
        pickle.dump(index, cache, protocol=pickle.HIGHEST_PROTOCOL)
        saved = time.perf_counter() - started
        size = cache.tell()
        cache.seek(0)
        started = time.perf_counter()
        pickle.load(cache)
        loaded = time.perf_counter() - started
    print(f"saved as a cache file of {size / 2**20:,.0f} MB in {saved:.1f} s, loaded in {loaded:.1f} s")

    for text in queries[:20]:
        index.query(text, args.k)
    latencies = []
    for text in queries:
        started = time.perf_counter()
        index.query(text, args.k)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(f"index query ({len(queries)} queries, k={args.k}): median {statistics.median(latencies):.1f} ms, "
          f"p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms")

    words = [index.claims.words(number) for number in range(len(stored))]
    sample = random.Random(0).sample(queries, min(args.baseline_queries, len(queries)))
    baseline, wanted, returned, wanted_twins, returned_twins = [], 0, 0, 0, 0
    for text in sample:
        query = prepare_claim(text)
        started = time.perf_counter()
        scores = similarity_matrix([query.words], words)[0]
        close = np.flatnonzero(scores >= DEFAULT_THRESHOLD)
        matches = {int(i) for i in close if judge(query, prepare_claim(stored[i]), float(scores[i])).same}
        baseline.append((time.perf_counter() - started) * 1000)
        found = {candidate.key for candidate in index.query(text, max(args.k, len(matches))) if candidate.verdict.same}
        wanted += len(matches)
        returned += len(matches & found)
        # Matches the generator made as rewordings of the query, not
        # look-alike claims from another cluster.
        twins = {i for i in matches if stored_cluster[i] == query_cluster[text]}
        wanted_twins += len(twins)
        returned_twins += len(twins & found)
    median_baseline = statistics.median(baseline)
    print(f"exhaustive rescoring ({len(sample)} queries): median {median_baseline:.0f} ms; "
          f"index is {median_baseline / statistics.median(latencies):.0f}x faster at the median")
    print(f"recall of the exhaustive matches: {returned}/{wanted} = {returned / max(1, wanted):.3f}; "
          f"of those in the query's generated cluster: {returned_twins}/{wanted_twins}")


if __name__ == "__main__":
    main()
