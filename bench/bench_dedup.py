"""The store's side of claim matching: `claimdesk dedup` end to end, and the sentence index.

    .venv/bin/python bench/bench_dedup.py [--claims 100000] [--articles 100000]

1. dedup: a database of ``--claims`` tagged claims (synthetic rewordings from
   bench/synthetic_claims.py, shuffled into articles of 10). Timed: the
   first run, which stores every cluster id (each one an event), beside
   its baseline from the same run, the pure core (``cluster_claims`` on the
   same texts in memory, no database); a second run with nothing new; a
   third after 1% more claims are tagged; a fourth that also lists each
   cluster's untagged sentences, building the sentence index first. Peak
   memory of the first run and the fourth.
2. claim index of the Matches panel (``--matcher``, on its own): the
   ``--claims`` tagged claims of 1. Timed: building it and saving its cache
   file (peak memory), then, in a fresh process, loading it (peak memory,
   what the process holds once loaded) and the claim matches of tagged
   claims (median and 95th percentile).
3. sentence index: ``--articles`` articles of about 3 KB, each 20 sentences
   drawn from the same generator (so rewordings sit in other articles, as
   in a real corpus). Timed: building it (peak memory), then, in a fresh
   process as the app is, loading its cache file (peak memory, and what the
   process holds once loaded) and untagged searches (median and 95th
   percentile).

Each measurement runs in a child process, so peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from results import ratio, result  # noqa: E402
from synthetic_claims import ClaimGenerator  # noqa: E402

CLAIMS_PER_ARTICLE = 10
SENTENCES_PER_ARTICLE = 20
OUTLETS = ["Northgate Wire", "The Ostel Courier", "Continental Observer", "The Brevonian Ledger", "Civic Radio"]


def peak_rss_mb() -> float:
    # Not getrusage's ru_maxrss: a child started by fork and exec inherits
    # the parent's peak there, and the parent holds every generated text.
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024


def claim_texts(count: int, seed: int) -> list[str]:
    texts = [text for _, text in ClaimGenerator(seed=seed).clusters(count)]
    random.Random(seed).shuffle(texts)
    return texts


def make_database(path: Path, texts: list[str], *, tag: bool, first_article: int = 0, per_article: int) -> None:
    """Articles of ``per_article`` sentences from ``texts``, with every sentence tagged as a claim if ``tag``."""
    from store import Store

    Store(path).close()  # the schema
    db = sqlite3.connect(path)
    db.executemany("INSERT OR IGNORE INTO outlets (id, name) VALUES (?, ?)", enumerate(OUTLETS, 1))
    stamp = "2026-01-01T00:00:00.000+00:00"
    articles, spans = [], []
    for number, start in enumerate(range(0, len(texts), per_article), first_article):
        article_id = f"art-{number:07d}"
        offsets, pieces, at = [], [], 0
        for text in texts[start:start + per_article]:
            offsets.append((at, at + len(text)))
            pieces.append(text)
            at += len(text) + 1
        body = " ".join(pieces)
        articles.append((article_id, 1 + number % len(OUTLETS), f"Article {number}", f"h{article_id}", len(body),
                         stamp, body))
        if tag:
            spans += [(f"{article_id}-{k}", article_id, s, e, "claim", body[s:e], "ana", "manual", "accepted", "{}",
                       stamp, stamp) for k, (s, e) in enumerate(offsets)]
    db.executemany("INSERT INTO articles (id, outlet_id, title, hash, length, ingested_at, text)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?)", articles)
    db.executemany('INSERT INTO spans (id, article_id, start, "end", label, text, annotator, origin, status, attrs,'
                   " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", spans)
    db.commit()
    db.close()


def child_dedup(path: str, workers: int, cache: str | None = None) -> dict:
    from store import Store
    from store.claim_sentences import SentenceIndex
    from store.dedup import dedup

    marks: dict[str, float] = {}
    started = time.perf_counter()

    def progress(phase: str, done: int, total: int | None) -> None:
        marks.setdefault(phase, time.perf_counter() - started)

    with Store(path) as store:
        sentences = SentenceIndex(store.db, cache=Path(cache)) if cache else None
        report = dedup(store.db, progress=progress, workers=workers, sentences=sentences,
                       cache=Path(path).with_suffix(".leaders.pickle"))
    return {"seconds": time.perf_counter() - started, "phases": marks, "changed": report.changed,
            "clusters": len(report.clusters), "conflicts": len(report.conflicts), "peak_mb": peak_rss_mb()}


def child_screen(path: str) -> dict:
    """The app, headless at 120x40: time from pressing C to the Claims screen showing
    the stored clusters, and the store's read of that first page alone."""
    import asyncio

    sys.path.insert(0, str(ROOT / "tests"))
    from store import Store
    from store.dedup import stored_clusters
    from tui.screens.claims import ClaimsScreen
    from tui_support import make_app, settle

    with Store(path) as store:
        started = time.perf_counter()
        page = stored_clusters(store.db)
        read = time.perf_counter() - started

    async def run() -> float:
        app = make_app(Path(path), annotator="bench")
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await app.workers.wait_for_complete()  # the app's start-up work (the claim index) first
            started = time.perf_counter()
            await pilot.press("C")
            # Until the page is on screen (other workers of the app may still run).
            while not (isinstance(app.screen, ClaimsScreen) and app.screen.stored is not None):
                await pilot.pause(0.005)
            await pilot.pause()
            return time.perf_counter() - started

    return {"open_s": asyncio.run(run()), "read_s": read, "shown": len(page.page), "repeated": page.repeated}


def child_core(path: str, workers: int) -> dict:
    from corpus.claim_clusters import cluster_claims

    db = sqlite3.connect(path)
    claims = db.execute("SELECT id, text FROM spans ORDER BY rowid").fetchall()
    db.close()
    started = time.perf_counter()
    cluster_claims(claims, workers=workers)
    return {"seconds": time.perf_counter() - started, "peak_mb": peak_rss_mb()}


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def child_sentences(path: str, cache: str) -> dict:
    from store import Store
    from store.claim_sentences import SentenceIndex

    with Store(path) as store:
        started = time.perf_counter()
        index = SentenceIndex(store.db, cache=Path(cache))
        index.refresh()
        built = time.perf_counter() - started
    return {"sentences": len(index), "build_s": built, "build_peak_mb": peak_rss_mb(), "held_mb": rss_mb()}


def child_search(path: str, cache: str, queries: list[str]) -> dict:
    """A fresh process, as the app is: the index loaded from its cache file, then searched."""
    from store import Store
    from store.claim_sentences import SentenceIndex

    with Store(path) as store:
        before = rss_mb()
        started = time.perf_counter()
        index = SentenceIndex(store.db, cache=Path(cache))
        index.refresh()
        loaded = time.perf_counter() - started
        for text in queries[:20]:  # warm-up
            index.search(text)
        times = []
        for text in queries[20:]:
            started = time.perf_counter()
            index.search(text)
            times.append((time.perf_counter() - started) * 1000)
        held = rss_mb()
    times.sort()
    return {"load_s": loaded, "load_peak_mb": peak_rss_mb(), "held_mb": held, "index_mb": held - before,
            "cache_mb": Path(cache).stat().st_size / 1e6, "search_median_ms": statistics.median(times),
            "search_p95_ms": times[int(0.95 * len(times)) - 1]}


def child_matcher(path: str, cache: str, fresh: bool) -> dict:
    from store import Store
    from store.claim_matches import ClaimMatcher

    with Store(path) as store:
        before = rss_mb()
        started = time.perf_counter()
        matcher = ClaimMatcher(store.db, cache=Path(cache))
        matcher.sync()
        ready = time.perf_counter() - started
        result = {"claims": len(matcher.index), "ready_s": ready, "peak_mb": peak_rss_mb(),
                  "index_mb": rss_mb() - before}
        if fresh:
            return result
        queries = list(matcher.claims.get(f"art-{n:07d}-3" for n in range(0, 2200, 10)).values())
        for claim in queries[:20]:  # warm-up
            matcher.claim_matches(claim)
        times = []
        for claim in queries[20:]:
            started = time.perf_counter()
            matcher.claim_matches(claim)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {**result, "cache_mb": Path(cache).stat().st_size / 1e6, "median_ms": statistics.median(times),
            "p95_ms": times[int(0.95 * len(times)) - 1]}


def bench_matcher(count: int, folder: Path) -> None:
    path = folder / "claims.db"
    make_database(path, claim_texts(count, seed=3), tag=True, per_article=CLAIMS_PER_ARTICLE)
    cache = str(folder / "claims.pickle")
    built = in_child("child_matcher", str(path), cache, True)
    loaded = in_child("child_matcher", str(path), cache, False)
    print(f"claim index: {built['claims']:,} claims")
    print(f"  build {built['ready_s']:.1f} s, peak RSS {built['peak_mb']:.0f} MB, index {built['index_mb']:.0f} MB; "
          f"cache file {loaded['cache_mb']:.0f} MB")
    print(f"  a fresh process: loaded in {loaded['ready_s']:.1f} s, peak RSS {loaded['peak_mb']:.0f} MB, "
          f"index {loaded['index_mb']:.0f} MB")
    print(f"  claim matches: median {loaded['median_ms']:.1f} ms, p95 {loaded['p95_ms']:.1f} ms")
    result(f"claim index behind the Matches panel, {count:,} claims",
           f"loads from cache in {loaded['ready_s']:.1f} s ({loaded['index_mb']:.0f} MB); matches median "
           f"{loaded['median_ms']:.1f} ms, p95 {loaded['p95_ms']:.1f} ms",
           f"first build {built['ready_s']:.1f} s", ratio(loaded["ready_s"], built["ready_s"]), "", None)


def in_child(function: str, *args) -> dict:
    result = subprocess.run([sys.executable, __file__, "--child", function, json.dumps(args)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def bench_dedup(count: int, workers: int, folder: Path) -> None:
    path = folder / "claims.db"
    texts = claim_texts(count + count // 100, seed=3)
    started = time.perf_counter()
    make_database(path, texts[:count], tag=True, per_article=CLAIMS_PER_ARTICLE)
    print(f"dedup: {count:,} claims in {count // CLAIMS_PER_ARTICLE:,} articles (made in {time.perf_counter() - started:.0f} s)")
    core = in_child("child_core", str(path), workers)
    first = in_child("child_dedup", str(path), workers)
    second = in_child("child_dedup", str(path), workers)
    make_database(path, texts[count:], tag=True, first_article=count // CLAIMS_PER_ARTICLE + 1,
                  per_article=CLAIMS_PER_ARTICLE)
    third = in_child("child_dedup", str(path), workers)
    screen = in_child("child_screen", str(path))
    untagged = in_child("child_dedup", str(path), workers, str(folder / "claims-sentences.pickle"))
    phases = ", ".join(f"{name} from {at:.1f} s" for name, at in first["phases"].items())
    print(f"  baseline, cluster_claims in memory: {core['seconds']:.1f} s, peak {core['peak_mb']:.0f} MB")
    print(f"  first dedup: {first['seconds']:.1f} s ({first['seconds'] / core['seconds']:.2f}x the baseline), "
          f"peak {first['peak_mb']:.0f} MB, {first['changed']:,} cluster ids stored, {first['clusters']:,} clusters, "
          f"{first['conflicts']:,} conflicts; phases: {phases}")
    print(f"  again, nothing new: {second['seconds']:.1f} s, {second['changed']:,} ids stored")
    print(f"  after {count // 100:,} more claims: {third['seconds']:.1f} s, {third['changed']:,} ids stored")
    phases = ", ".join(f"{name} from {at:.1f} s" for name, at in untagged["phases"].items())
    print(f"  with untagged sentences (sentence index built first): {untagged['seconds']:.1f} s, "
          f"peak {untagged['peak_mb']:.0f} MB; phases: {phases}")
    print(f"  Claims screen: open {screen['open_s'] * 1000:.0f} ms ({screen['shown']} of {screen['repeated']:,} "
          f"clusters on its first page), the store's read {screen['read_s'] * 1000:.0f} ms")
    n, first_ratio = f"{count:,}", first["seconds"] / core["seconds"]
    result(f"`claimdesk dedup` over {n} claims, first run", f"{first['seconds']:.1f} s, {first['peak_mb']:.0f} MB peak",
           f"{core['seconds']:.1f} s: clustering the same claims in memory", ratio(first["seconds"], core["seconds"]),
           "<= 1.15", first_ratio <= 1.15, "" if first_ratio <= 1.15 else
           "storing every cluster id with one event each (bulk, a chunk per transaction, one fsync each) and reading "
           "every claim twice (to cluster, then for the report)")
    result(f"`claimdesk dedup` again with nothing new, {n} claims", f"{second['seconds']:.2f} s",
           f"{first['seconds']:.1f} s: the first run", ratio(second["seconds"], first["seconds"]), "<= 1 s",
           second["seconds"] <= 1, "" if second["seconds"] <= 1 else "no clustering at all; the report still reads every claim to list the clusters")
    result(f"`claimdesk dedup` after 1% new claims ({count // 100:,}), {n} claims", f"{third['seconds']:.2f} s",
           f"{first['seconds']:.1f} s: the first run", ratio(third["seconds"], first["seconds"]), "<= 2 s",
           third["seconds"] <= 2, "" if third["seconds"] <= 2 else
           "preparing and matching the new claims against every leader (leaders from the cache), then reading "
           "every claim for the report")
    result(f"Claims screen (`C`) opens at {n} claims", f"{screen['open_s'] * 1000:.0f} ms",
           f"{screen['read_s'] * 1000:.0f} ms: the store's read of the first page alone",
           ratio(screen["open_s"], screen["read_s"]), "< 300 ms", screen["open_s"] < 0.3,
           "" if screen["open_s"] < 0.3 else "pushing the screen and laying out the first page of options; the store's read is the baseline")


report_row = result


def bench_sentences(articles: int, folder: Path) -> None:
    path = folder / "sentences.db"
    texts = claim_texts(articles * SENTENCES_PER_ARTICLE, seed=5)
    make_database(path, texts, tag=False, per_article=SENTENCES_PER_ARTICLE)
    size = os.path.getsize(path) / 1e6
    queries = random.Random(1).sample(claim_texts(articles * SENTENCES_PER_ARTICLE, seed=5), 220)
    built = in_child("child_sentences", str(path), str(folder / "sentences.pickle"))
    result = in_child("child_search", str(path), str(folder / "sentences.pickle"), queries)
    print(f"sentence index: {articles:,} articles ({size:.0f} MB of database), {built['sentences']:,} sentences")
    print(f"  build {built['build_s']:.1f} s ({built['build_s'] / built['sentences'] * 1e6:.0f} us a sentence), "
          f"peak RSS {built['build_peak_mb']:.0f} MB; cache file {result['cache_mb']:.0f} MB")
    print(f"  a fresh process: loaded in {result['load_s']:.1f} s, peak RSS {result['load_peak_mb']:.0f} MB, "
          f"then holds {result['held_mb']:.0f} MB ({result['index_mb']:.0f} MB more than with the store open)")
    print(f"  untagged search: median {result['search_median_ms']:.1f} ms, p95 {result['search_p95_ms']:.1f} ms")
    report_row(f"sentence index for untagged matches, {articles:,} articles ({built['sentences']:,} sentences)",
               f"built in {built['build_s']:.0f} s once (peak {built['build_peak_mb']:.0f} MB), then cached: reload "
               f"{result['load_s']:.1f} s, {result['index_mb']:.0f} MB held; search median "
               f"{result['search_median_ms']:.1f} ms, p95 {result['search_p95_ms']:.1f} ms", "", "", "", None)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(globals()[sys.argv[2]](*json.loads(sys.argv[3]))))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=100_000, help="articles for the sentence index (0: skip)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--matcher", action="store_true", help="only the claim index of the Matches panel")
    parser.add_argument("--quick", action="store_true", help="5,000 claims, 1,000 articles")
    args = parser.parse_args()
    if args.quick:  # smaller, keeping a part left out with 0
        args.claims, args.articles = 5_000 if args.claims else 0, 1_000 if args.articles else 0
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as folder:
        if args.matcher:
            bench_matcher(args.claims, Path(folder))
            return
        if args.claims:
            bench_dedup(args.claims, args.workers, Path(folder))
        if args.articles:
            bench_sentences(args.articles, Path(folder))


if __name__ == "__main__":
    main()
