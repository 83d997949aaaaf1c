"""Benchmark live matching (corpus.claim_index) against exhaustive rescoring of every stored claim.

Builds a ClaimIndex of ``--claims`` synthetic claims, then asks it for the
matches of ``--queries`` new rewordings of stored claims. Prints the build
time and memory, the size of the index saved as the app's cache file and the
time to load it, the query latency after warm-up (median, 95th percentile),
and, beside them, the exhaustive baseline measured in the same run: one
rapidfuzz ``cdist`` of the query against every stored claim, on
``--baseline-queries`` of the queries. Recall is the share of the matches
the exhaustive comparison finds that the index returns too.

With the semantic scorer (``--semantic``, the default when its model is
installed) every stored claim also carries a 384-dimension vector and each
query is ranked and judged on the fused score; the query's own vector is the
stored one (the Matches panel asks about a claim it holds). Embedding a
million claims with the model takes hours on this machine, and a query's
cost does not depend on what the vectors say, so the stored vectors are
random unit vectors; the embedding throughput is measured on real claims,
and from it and a lexical clustering run of ``--dedup-claims`` claims, the
first-run cost of ``claimdesk dedup`` with and without the scorer.

    .venv/bin/python bench/bench_match_live.py --claims 1000000
    .venv/bin/python bench/bench_match_live.py --quick

Prints RESULT lines (bench/run_all.py).
"""

from __future__ import annotations

import argparse
import json
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

from corpus.claim_clusters import cluster_claims  # noqa: E402
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
    parser.add_argument("--no-semantic", action="store_true", help="leave the semantic scorer out")
    parser.add_argument("--dedup-claims", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="small sizes, under 30 s")
    args = parser.parse_args()
    if args.quick:
        args.claims, args.queries, args.baseline_queries, args.dedup_claims = 5_000, 60, 3, 2_000
    from corpus.semantic import find_model, load_encoder

    folder = None if args.no_semantic else find_model()
    encoder = load_encoder(folder) if folder else None

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

    def timed(vectors=None) -> list[float]:
        for number, text in enumerate(queries[:20]):
            index.query(text, args.k, vector=None if vectors is None else vectors[number])
        latencies = []
        for number, text in enumerate(queries):
            started = time.perf_counter()
            index.query(text, args.k, vector=None if vectors is None else vectors[number])
            latencies.append((time.perf_counter() - started) * 1000)
        return sorted(latencies)

    def p95_of(latencies: list[float]) -> float:
        return latencies[int(0.95 * (len(latencies) - 1))]

    latencies = timed()
    p95 = p95_of(latencies)
    print(f"index query ({len(queries)} queries, k={args.k}): median {statistics.median(latencies):.1f} ms, "
          f"p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms")
    if encoder is not None:
        rng = np.random.default_rng(0)
        before = rss_mb()
        started = time.perf_counter()
        for start in range(0, len(stored), 100_000):
            block = rng.standard_normal((min(100_000, len(stored) - start), encoder.dimensions)).astype(np.float32)
            block /= np.linalg.norm(block, axis=1, keepdims=True)
            for offset, vector in enumerate(block):
                index.set_vector(start + offset, vector)
        vectors_memory = rss_mb() - before
        print(f"{len(stored):,} random unit vectors stored in {time.perf_counter() - started:.0f} s, "
              f"about {vectors_memory:,.0f} MB (float16)")
        query_vectors = rng.standard_normal((len(queries), encoder.dimensions)).astype(np.float32)
        query_vectors /= np.linalg.norm(query_vectors, axis=1, keepdims=True)
        fused = timed(query_vectors)
        fused_p95 = p95_of(fused)
        print(f"index query with the semantic scorer: median {statistics.median(fused):.1f} ms, "
              f"p95 {fused_p95:.1f} ms, max {fused[-1]:.1f} ms")
        sample_texts = queries[:min(200, len(queries))]
        started = time.perf_counter()
        encoder.encode(sample_texts)
        rate = len(sample_texts) / (time.perf_counter() - started)
        started = time.perf_counter()
        for text in sample_texts[:20]:
            encoder.encode([text])
        one = (time.perf_counter() - started) / 20 * 1000
        print(f"embedding ({encoder.name}, numpy): {rate:.0f} claims/s in batches; one claim alone {one:.0f} ms")
        _result(f"live match, {len(stored):,} claims, semantic on: p95",
                f"{fused_p95:.1f} ms (median {statistics.median(fused):.1f})",
                f"{p95:.1f} ms words only (same index, same run)", f"{fused_p95 / max(p95, 1e-9):.2f}x",
                "<= 50 ms", fused_p95 <= 50,
                "vectors random (a query costs the same whatever they say); a claim not yet embedded adds "
                f"one encoding, {one:.0f} ms")

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
    _result(f"live match, {len(stored):,} claims, words only: p95", f"{p95:.1f} ms",
            f"{median_baseline:.0f} ms exhaustive cdist (median)", f"{median_baseline / p95:.0f}x faster",
            "<= 50 ms", p95 <= 50)
    if encoder is not None:
        texts = stored[:args.dedup_claims]
        started = time.perf_counter()
        cluster_claims(enumerate(texts))
        lexical = time.perf_counter() - started
        embedding = len(texts) / rate
        print(f"first dedup of {len(texts):,} claims: clustering {lexical:.0f} s; embedding them at {rate:.0f}/s "
              f"adds {embedding / 60:.0f} min (once: vectors are cached per text)")
        _result(f"first dedup of {len(texts):,} claims, semantic on", f"{(lexical + embedding) / 60:.0f} min",
                f"{lexical:.0f} s words only", f"{(lexical + embedding) / lexical:.0f}x", "reported", None,
                "embedding is the cost (numpy MiniLM on 2 shared cores); later runs read the cached vectors")


def _result(row: str, ours: str, baseline: str, ratio: str, target: str, met, note: str = "") -> None:
    print("RESULT " + json.dumps({"row": row, "ours": ours, "baseline": baseline, "ratio": ratio,
                                  "target": target, "met": met, "note": note}))


if __name__ == "__main__":
    main()
