"""Fault injection: ``kill -9`` at random points of ingest, suggest, dedup, review and export.

    python bench/bench_faults.py [--rounds 5] [--articles 300] [--seed 1] [--quick]

Each case runs the real command (or, for review, a process making the
reviewer's writes through the same store calls the app makes) on a real
database, waits until it has written a random amount (an event read from the
database or the folder, never a time), kills it with SIGKILL and then checks:
the engine's integrity check is ok (SQLite: ``PRAGMA integrity_check``;
PostgreSQL: amcheck on every index, see bench/engines.py), no row's foreign
key names a missing parent, the spans table equals the replay of the events
(store/replay.py), nothing is half written, and running the same command
again completes the rest: the result equals that of an uninterrupted run on
a twin database built the same way before the kill.

``--engine postgresql`` runs every case on a throwaway PostgreSQL server
(bench/pg_throwaway.py); the killed client's connection dies with it, so the
server rolls back its open transaction and frees its advisory locks.

The baseline of the RESULT line is the same cases without a kill (which must
also pass). tests/test_faults.py runs one round of every case on each engine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))
from engines import ENGINES, foreign_key_problems, integrity, target  # noqa: E402
from synthetic import article as synthetic_article  # noqa: E402

from store.engine import is_url, open_database  # noqa: E402

CASES = ("ingest", "suggest", "dedup", "review", "export")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def _start(folder: Path, db: Path | str, *args: str) -> subprocess.Popen:
    # stdout to a file, not a pipe: nobody reads it while we wait, and a full pipe would stall the command.
    with (folder / "stdout.txt").open("w") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "tui.cli", *args, "--db", str(db)],
            stdout=out, stderr=subprocess.PIPE, text=True, env=_env(),
        )


def _cli(db: Path | str, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "tui.cli", *args, "--db", str(db)], check=True, capture_output=True,
                   env=_env())


_probes: dict[str, object] = {}


def _count(db: Path | str, sql: str) -> int:
    """``sql``'s count as another process sees it now; 0 while the database or table does not exist yet."""
    if is_url(db):
        import psycopg

        conn = _probes.get(db)
        if conn is None or conn.closed:
            conn = _probes[db] = psycopg.connect(db, autocommit=True)
        try:
            return conn.execute(sql).fetchone()[0]
        except psycopg.errors.UndefinedTable:
            return 0  # not migrated yet
    import sqlite3

    if not Path(db).exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    except sqlite3.OperationalError:
        return 0  # not created yet
    try:
        return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not migrated yet
    finally:
        conn.close()


def _rows(db: Path | str, sql: str) -> list[tuple]:
    database = open_database(db, create=False)
    try:
        return [tuple(row) for row in database.execute(sql).fetchall()]
    finally:
        database.close()


def _kill_when(proc: subprocess.Popen, reached) -> bool:
    """SIGKILL ``proc`` once ``reached()`` holds; False when it finished first."""
    while not reached():
        if proc.poll() is not None:
            proc.communicate()
            return False
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    return True


@dataclass
class Outcome:
    """What one case found."""

    case: str
    killed: bool = False
    integrity: str = ""
    foreign_keys: list = field(default_factory=list)
    replay_differences: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rerun_code: int = 0
    rerun_stderr: str = ""

    @property
    def ok(self) -> bool:
        return (self.integrity == "ok" and not self.foreign_keys and not self.replay_differences
                and not self.problems and self.rerun_code == 0)


def _check(db: Path | str, outcome: Outcome) -> None:
    from store.replay import replay_differences

    database = open_database(db, create=False)
    try:
        outcome.integrity = integrity(database)
        outcome.foreign_keys = foreign_key_problems(database)
        outcome.replay_differences = replay_differences(database)
    finally:
        database.close()


def _write_jsonl(path: Path, count: int, rng: random.Random, outlets: int = 4) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            record = synthetic_article(rng, n, size=1500)
            record["outlet"] = f"Outlet {n % outlets}"
            out.write(json.dumps(record) + "\n")
    return path


def _rerun(folder: Path, db: Path | str, outcome: Outcome, *args: str) -> None:
    proc = _start(folder, db, *args)
    _, outcome.rerun_stderr = proc.communicate(timeout=600)
    outcome.rerun_code = proc.returncode


def _suggestion_keys(db: Path | str) -> set[tuple]:
    return set(_rows(db,
        "SELECT article_id, start, \"end\", label, annotator, count(*) FROM spans"
        " WHERE origin = 'suggested' AND status = 'pending' GROUP BY article_id, start, \"end\", label, annotator"
    ))


def _expected_suggestions(db: Path | str) -> set[tuple]:
    """What the suggesters make of every stored article, computed here from the texts."""
    from corpus.suggestions import suggest

    labels = {r[0] for r in _rows(db, "SELECT name FROM labels")}
    expected = set()
    for article_id, text in _rows(db, "SELECT id, text FROM articles"):
        found = {(s.start, s.end, s.label, s.suggester) for s in suggest(text) if s.label in labels}
        expected |= {(article_id, *key, 1) for key in found}
    return expected


def case_ingest(folder: Path, rng: random.Random, articles: int, new_db) -> Outcome:
    """Killed after a random number of articles: each stored article is whole, with
    its suggestions; the re-run stores the rest once."""
    outcome = Outcome("ingest")
    db, source = new_db("ingest"), _write_jsonl(folder / "ingest.jsonl", articles, rng)
    at = rng.randint(1, articles // 2)
    outcome.killed = _kill_when(_start(folder, db, "ingest", "--quiet", str(source)),
                                lambda: _count(db, "SELECT count(*) FROM articles") >= at)
    _check(db, outcome)
    texts = {json.loads(line)["id"]: json.loads(line)["text"] for line in source.open()}
    for article_id, text in _rows(db, "SELECT id, text FROM articles"):
        if texts.get(article_id) != text:
            outcome.problems.append(f"article {article_id} stored differently from its record")
    if _suggestion_keys(db) != _expected_suggestions(db):
        outcome.problems.append("after the kill, a stored article lacks suggestions or has extra ones")
    _rerun(folder, db, outcome, "ingest", "--quiet", str(source))
    if _count(db, "SELECT count(*) FROM articles") != articles:
        outcome.problems.append("the re-run did not store every article exactly once")
    if _suggestion_keys(db) != _expected_suggestions(db):
        outcome.problems.append("after the re-run, suggestions are missing or doubled")
    _check(db, outcome)
    return outcome


def case_suggest(folder: Path, rng: random.Random, articles: int, new_db) -> Outcome:
    """Killed after a random number of suggestions: the re-run adds the rest, none twice."""
    outcome = Outcome("suggest")
    db, source = new_db("suggest"), _write_jsonl(folder / "suggest.jsonl", articles, rng)
    _cli(db, "ingest", "--quiet", "--no-suggest", str(source))
    at = rng.randint(1, articles * 5)
    outcome.killed = _kill_when(_start(folder, db, "suggest"),
                                lambda: _count(db, "SELECT count(*) FROM spans WHERE origin = 'suggested'") >= at)
    _check(db, outcome)
    _rerun(folder, db, outcome, "suggest")
    if _suggestion_keys(db) != _expected_suggestions(db):
        outcome.problems.append("after the re-run, suggestions are missing or doubled")
    _check(db, outcome)
    return outcome


def _claims_db(db: Path | str, articles: int, rng: random.Random) -> None:
    """Articles whose sentences are tagged as claims by one annotator; a few
    sentences repeat across outlets so there are clusters to find."""
    from corpus.records import ArticleRecord
    from store import Store
    from store.ingest import Ingester
    from store.spans import NewSpan

    shared = [f"The ministry said {n * 13} contracts were cancelled after the audit." for n in range(20)]
    records = []
    for n in range(articles):
        picked = rng.sample(shared, 3)
        own = [f"Officials in district {n} reported {n + k} new cases on day {k}." for k in range(3)]
        text = " ".join(picked + own)
        records.append(ArticleRecord(source="faults", id=f"c{n}", outlet=f"Outlet {n % 5}", title=f"C {n}", text=text))
    with Store(db) as store:
        Ingester(store.db).run(records)
        claims = []
        for record in records:
            offset = 0
            for sentence in record.text.split(". "):
                end = offset + len(sentence) + (0 if sentence.endswith(".") else 1)
                claims.append(NewSpan(article_id=record.id, start=offset, end=end, label="claim"))
                offset = end + 1
        store.spans.add_many(claims, "ann")


def _partition(db: Path | str) -> set[frozenset]:
    """The clusters, each as the set of its claims' places (the twin databases' span ids differ)."""
    database = open_database(db, create=False)
    try:
        sql = (f"SELECT article_id, start, \"end\", {database.json_int('attrs', 'cluster')} FROM spans"
               " WHERE label = 'claim' AND status = 'accepted'")
        clusters: dict[int, set[tuple]] = {}
        for article_id, start, end, cluster in database.execute(sql).fetchall():
            clusters.setdefault(cluster, set()).add((article_id, start, end))
        return {frozenset(members) for members in clusters.values()}
    finally:
        database.close()


def _twins(rng: random.Random) -> random.Random:
    """A generator in ``rng``'s state, to build a twin database exactly as the first."""
    twin = random.Random()
    twin.setstate(rng.getstate())
    return twin


def case_dedup(folder: Path, rng: random.Random, articles: int, new_db) -> Outcome:
    """Killed once it has begun storing cluster ids: the re-run gives the same
    clusters as an uninterrupted run on a twin."""
    outcome = Outcome("dedup")
    db, clean = new_db("dedup"), new_db("dedup-clean")
    twin = _twins(rng)
    _claims_db(db, max(20, articles // 3), rng)
    _claims_db(clean, max(20, articles // 3), twin)
    began = time.perf_counter()
    _cli(clean, "dedup", "--no-untagged")
    # Dedup reads for most of its run and writes at the end: kill it at a random
    # moment of an uninterrupted run's length (this kill point alone is timed).
    deadline = time.perf_counter() + rng.uniform(0.3, 1.0) * (time.perf_counter() - began)
    outcome.killed = _kill_when(_start(folder, db, "dedup", "--no-untagged"), lambda: time.perf_counter() >= deadline)
    _check(db, outcome)
    _rerun(folder, db, outcome, "dedup", "--no-untagged")
    if _partition(db) != _partition(clean):
        outcome.problems.append("the re-run's clusters differ from an uninterrupted run's")
    _check(db, outcome)
    return outcome


def review_all(db: Path | str) -> None:
    """The reviewer's writes, as the app makes them: accept what two or more
    marked, reject the rest, finish each article."""
    from store import Store
    from store.review import Reviewer, article_review, review_queue

    with Store(db) as store:
        reviewer = Reviewer(store.db, "rita")
        for entry in review_queue(store.db):
            review = article_review(store.db, entry.article_id)
            for proposal in review.proposals:
                if proposal.agreement == "one":
                    reviewer.reject(entry.article_id, proposal)
                else:
                    reviewer.accept(entry.article_id, proposal)
            reviewer.finish(entry.article_id)


def _gold(db: Path | str) -> set[tuple]:
    spans = set(_rows(db,
        "SELECT article_id, start, \"end\", label, status, count(*) FROM spans WHERE annotator = 'gold'"
        " GROUP BY article_id, start, \"end\", label, status"))
    done = set(_rows(db, "SELECT article_id, status FROM progress WHERE annotator = 'gold'"))
    return spans | done


def _review_db(db: Path | str, count: int, rng: random.Random) -> None:
    """Claims by ann and figures by bob on ``count`` articles, both marked done: all to review."""
    from store import Store
    from store.progress import ProgressStore

    _claims_db(db, count, rng)
    with Store(db) as store:
        progress = ProgressStore(store.db)
        for n in range(count):
            for start, end in ((0, 10), (12, 30), (40, 44 + n % 7)):
                store.spans.add(f"c{n}", start, end, "figure", "bob")
            progress.mark_done(f"c{n}", "ann")
            progress.mark_done(f"c{n}", "bob")


def case_review(folder: Path, rng: random.Random, articles: int, new_db) -> Outcome:
    """Killed after a random number of gold decisions: the re-run finishes the
    review with the same gold layer as an uninterrupted one, nothing doubled."""
    outcome = Outcome("review")
    db, clean = new_db("review"), new_db("review-clean")
    count = max(10, articles // 5)
    twin = _twins(rng)
    _review_db(db, count, rng)
    _review_db(clean, count, twin)
    review_all(clean)
    driver = [sys.executable, __file__, "--review", str(db)]
    at = rng.randint(1, count * 3)
    outcome.killed = _kill_when(
        subprocess.Popen(driver, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=_env()),
        lambda: _count(db, "SELECT count(*) FROM spans WHERE annotator = 'gold'") >= at,
    )
    _check(db, outcome)
    rerun = subprocess.run(driver, capture_output=True, text=True, env=_env())
    outcome.rerun_code, outcome.rerun_stderr = rerun.returncode, rerun.stderr
    if _gold(db) != _gold(clean):
        outcome.problems.append("the re-run's gold layer differs from an uninterrupted review's")
    _check(db, outcome)
    return outcome


def _part_written(folder: Path) -> bool:
    for path in folder.iterdir():
        try:
            if path.name.endswith(".part") and path.stat().st_size > 0:
                return True
        except FileNotFoundError:
            pass  # renamed into place just now
    return False


def case_export(folder: Path, rng: random.Random, articles: int, new_db) -> Outcome:
    """Killed while the export file is written: the target is never half written,
    the re-run writes it whole and leaves no temporary behind."""
    outcome = Outcome("export")
    from store import Store
    from store.spans import NewSpan

    articles *= 5
    db, source = new_db("export"), _write_jsonl(folder / "export.jsonl", articles, rng)
    _cli(db, "ingest", "--quiet", "--no-suggest", str(source))
    with Store(db) as store:
        ids = [r[0] for r in store.db.execute("SELECT id FROM articles")]
        store.spans.add_many([NewSpan(article_id=i, start=0, end=8, label="claim") for i in ids], "ann")
    out = folder / "export-out"
    out.mkdir(exist_ok=True)
    dataset = out / "dataset.jsonl"
    dataset.unlink(missing_ok=True)
    outcome.killed = _kill_when(
        _start(folder, db, "export", "--format", "jsonl", "--out", str(dataset), "--quiet"),
        lambda: _part_written(out),
    )
    if dataset.exists() and sum(1 for _ in dataset.open()) != articles:
        outcome.problems.append("the export target was left half written")
    _check(db, outcome)
    _rerun(folder, db, outcome, "export", "--format", "jsonl", "--out", str(dataset), "--quiet", "--force")
    if not dataset.exists() or sum(1 for _ in dataset.open()) != articles:
        outcome.problems.append("the re-run did not write every article")
    leftovers = [p.name for p in out.iterdir() if p.name.endswith(".part")]
    if leftovers:
        outcome.problems.append(f"temporary files left behind: {leftovers}")
    _check(db, outcome)
    return outcome


RUNNERS = {"ingest": case_ingest, "suggest": case_suggest, "dedup": case_dedup, "review": case_review,
           "export": case_export}


def run_case(case: str, folder: Path, seed: int, articles: int, new_db=None) -> Outcome:
    """One case in a fresh folder. ``new_db(name)`` gives each database the case
    makes (default: ``folder/<name>.db``; a throwaway server's URLs on PostgreSQL)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        return RUNNERS[case](folder, random.Random(seed), articles, new_db or (lambda name: folder / f"{name}.db"))
    finally:
        for conn in _probes.values():
            conn.close()
        _probes.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="kills per case")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--engine", choices=ENGINES, default="sqlite")
    parser.add_argument("--quick", action="store_true", help="1 round, 60 articles")
    parser.add_argument("--folder", type=Path, default=Path("/tmp/claimdesk-bench-faults"))
    args = parser.parse_args()
    rounds, articles = (1, 60) if args.quick else (args.rounds, args.articles)
    passed = killed = total = 0
    began = time.perf_counter()
    with contextlib.ExitStack() as stack:
        new_db = None
        if args.engine == "postgresql":
            from pg_throwaway import Server

            server = stack.enter_context(Server(fsync=True))
            new_db = lambda name: server.new_database()  # noqa: E731
            print(f"on a throwaway PostgreSQL server in {server.folder} (fsync on)")
        for case in CASES:
            for r in range(rounds):
                outcome = run_case(case, args.folder / f"{case}-{r}", args.seed * 1000 + r, articles, new_db)
                total += 1
                killed += outcome.killed
                passed += outcome.ok
                status = "ok" if outcome.ok else "FAILED"
                print(f"{case:8} round {r}: {'killed' if outcome.killed else 'finished before the kill'}; {status}"
                      + ("" if outcome.ok else f" {outcome.problems} {outcome.replay_differences[:3]} "
                         f"integrity={outcome.integrity} rerun={outcome.rerun_code} {outcome.rerun_stderr[-300:]}"))
    on = "" if args.engine == "sqlite" else " on PostgreSQL"
    print("RESULT " + json.dumps({
        "row": f"kill -9 of ingest/suggest/dedup/review/export{on}",
        "ours": f"{passed}/{total} intact and completed ({killed} killed mid-run)",
        "baseline": "uninterrupted runs on twins (the reference each re-run must equal)",
        "ratio": f"{passed / total:.2f}",
        "target": "every case intact, replay equal, re-run completes",
        "met": passed == total,
        "note": "" if passed == total else "see the FAILED lines",
    }))
    print(f"{time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--review":
        review_all(target(sys.argv[2]))
    else:
        main()
