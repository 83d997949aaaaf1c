"""Fault injection: ``kill -9`` at random points of ingest, suggest, dedup, review and export.

    python bench/bench_faults.py [--rounds 5] [--articles 300] [--seed 1] [--quick]

Each case runs the real command (or, for review, a process making the
reviewer's writes through the same store calls the app makes) on a real
database, waits until it has written a random amount (an event read from the
database or the folder, never a time), kills it with SIGKILL and then checks:
``PRAGMA integrity_check`` is ok, ``foreign_key_check`` is empty, the spans
table equals the replay of the events (store/replay.py), nothing is half
written, and running the same command again completes the rest: the result
equals that of an uninterrupted run on a copy made before the kill.

The baseline of the RESULT line is the same cases without a kill (which must
also pass). tests/test_faults.py runs one round of every case.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))
from synthetic import article as synthetic_article  # noqa: E402

CASES = ("ingest", "suggest", "dedup", "review", "export")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def _start(db: Path, *args: str) -> subprocess.Popen:
    # stdout to a file, not a pipe: nobody reads it while we wait, and a full pipe would stall the command.
    with (db.parent / "stdout.txt").open("w") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "tui.cli", *args, "--db", str(db)],
            stdout=out, stderr=subprocess.PIPE, text=True, env=_env(),
        )


def _count(db: Path, sql: str) -> int:
    if not db.exists():
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


def _check(db: Path, outcome: Outcome) -> None:
    from store.db import connect
    from store.replay import replay_differences

    database = connect(db, create=False)
    try:
        outcome.integrity = database.execute("PRAGMA integrity_check").fetchone()[0]
        outcome.foreign_keys = database.execute("PRAGMA foreign_key_check").fetchall()
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


def _rerun(db: Path, outcome: Outcome, *args: str) -> None:
    proc = _start(db, *args)
    _, outcome.rerun_stderr = proc.communicate(timeout=600)
    outcome.rerun_code = proc.returncode


def _suggestion_keys(db: Path) -> set[tuple]:
    conn = sqlite3.connect(db)
    try:
        return set(conn.execute(
            "SELECT article_id, start, \"end\", label, annotator, count(*) FROM spans"
            " WHERE origin = 'suggested' AND status = 'pending' GROUP BY article_id, start, \"end\", label, annotator"
        ))
    finally:
        conn.close()


def _expected_suggestions(db: Path) -> set[tuple]:
    """What the suggesters make of every stored article, computed here from the texts."""
    from corpus.suggestions import suggest

    conn = sqlite3.connect(db)
    try:
        labels = {r[0] for r in conn.execute("SELECT name FROM labels")}
        expected = set()
        for article_id, text in conn.execute("SELECT id, text FROM articles"):
            found = {(s.start, s.end, s.label, s.suggester) for s in suggest(text) if s.label in labels}
            expected |= {(article_id, *key, 1) for key in found}
        return expected
    finally:
        conn.close()


def case_ingest(folder: Path, rng: random.Random, articles: int) -> Outcome:
    """Killed after a random number of articles: each stored article is whole, with
    its suggestions; the re-run stores the rest once."""
    outcome = Outcome("ingest")
    db, source = folder / "ingest.db", _write_jsonl(folder / "ingest.jsonl", articles, rng)
    at = rng.randint(1, articles // 2)
    outcome.killed = _kill_when(_start(db, "ingest", "--quiet", str(source)),
                                lambda: _count(db, "SELECT count(*) FROM articles") >= at)
    _check(db, outcome)
    texts = {json.loads(line)["id"]: json.loads(line)["text"] for line in source.open()}
    conn = sqlite3.connect(db)
    for article_id, text in conn.execute("SELECT id, text FROM articles"):
        if texts.get(article_id) != text:
            outcome.problems.append(f"article {article_id} stored differently from its record")
    conn.close()
    if _suggestion_keys(db) != _expected_suggestions(db):
        outcome.problems.append("after the kill, a stored article lacks suggestions or has extra ones")
    _rerun(db, outcome, "ingest", "--quiet", str(source))
    if _count(db, "SELECT count(*) FROM articles") != articles:
        outcome.problems.append("the re-run did not store every article exactly once")
    if _suggestion_keys(db) != _expected_suggestions(db):
        outcome.problems.append("after the re-run, suggestions are missing or doubled")
    _check(db, outcome)
    return outcome


def case_suggest(folder: Path, rng: random.Random, articles: int) -> Outcome:
    """Killed after a random number of suggestions: the re-run adds the rest, none twice."""
    outcome = Outcome("suggest")
    db, source = folder / "suggest.db", _write_jsonl(folder / "suggest.jsonl", articles, rng)
    subprocess.run([sys.executable, "-m", "tui.cli", "ingest", "--quiet", "--no-suggest", str(source), "--db", str(db)],
                   check=True, capture_output=True, env=_env())
    at = rng.randint(1, articles * 5)
    outcome.killed = _kill_when(_start(db, "suggest"),
                                lambda: _count(db, "SELECT count(*) FROM spans WHERE origin = 'suggested'") >= at)
    _check(db, outcome)
    _rerun(db, outcome, "suggest")
    if _suggestion_keys(db) != _expected_suggestions(db):
        outcome.problems.append("after the re-run, suggestions are missing or doubled")
    _check(db, outcome)
    return outcome


def _claims_db(db: Path, articles: int, rng: random.Random) -> None:
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


def _partition(db: Path) -> set[frozenset]:
    conn = sqlite3.connect(db)
    try:
        clusters: dict[int, set[str]] = {}
        for span_id, cluster in conn.execute(
            "SELECT id, json_extract(attrs, '$.cluster') FROM spans WHERE label = 'claim' AND status = 'accepted'"
        ):
            clusters.setdefault(cluster, set()).add(span_id)
        return {frozenset(members) for members in clusters.values()}
    finally:
        conn.close()


def case_dedup(folder: Path, rng: random.Random, articles: int) -> Outcome:
    """Killed once it has begun storing cluster ids: the re-run gives the same
    clusters as an uninterrupted run on a copy."""
    outcome = Outcome("dedup")
    db = folder / "dedup.db"
    _claims_db(db, max(20, articles // 3), rng)
    clean = folder / "dedup-clean.db"
    shutil.copy(db, clean)
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tui.cli", "dedup", "--no-untagged", "--db", str(clean)],
                   check=True, capture_output=True, env=_env())
    # Dedup reads for most of its run and writes at the end: kill it at a random
    # moment of an uninterrupted run's length (this kill point alone is timed).
    deadline = time.perf_counter() + rng.uniform(0.3, 1.0) * (time.perf_counter() - began)
    outcome.killed = _kill_when(_start(db, "dedup", "--no-untagged"), lambda: time.perf_counter() >= deadline)
    _check(db, outcome)
    _rerun(db, outcome, "dedup", "--no-untagged")
    if _partition(db) != _partition(clean):
        outcome.problems.append("the re-run's clusters differ from an uninterrupted run's")
    _check(db, outcome)
    return outcome


def review_all(db: Path) -> None:
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


def _gold(db: Path) -> set[tuple]:
    conn = sqlite3.connect(db)
    try:
        spans = set(conn.execute(
            "SELECT article_id, start, \"end\", label, status, count(*) FROM spans WHERE annotator = 'gold'"
            " GROUP BY article_id, start, \"end\", label, status"))
        done = set(conn.execute("SELECT article_id, status FROM progress WHERE annotator = 'gold'"))
        return spans | done
    finally:
        conn.close()


def case_review(folder: Path, rng: random.Random, articles: int) -> Outcome:
    """Killed after a random number of gold decisions: the re-run finishes the
    review with the same gold layer as an uninterrupted one, nothing doubled."""
    from store import Store
    from store.progress import ProgressStore

    outcome = Outcome("review")
    db = folder / "review.db"
    count = max(10, articles // 5)
    _claims_db(db, count, rng)
    with Store(db) as store:
        progress = ProgressStore(store.db)
        for n in range(count):
            for start, end in ((0, 10), (12, 30), (40, 44 + n % 7)):
                store.spans.add(f"c{n}", start, end, "figure", "bob")
            progress.mark_done(f"c{n}", "ann")
            progress.mark_done(f"c{n}", "bob")
    clean = folder / "review-clean.db"
    shutil.copy(db, clean)
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


def case_export(folder: Path, rng: random.Random, articles: int) -> Outcome:
    """Killed while the export file is written: the target is never half written,
    the re-run writes it whole and leaves no temporary behind."""
    outcome = Outcome("export")
    from store import Store
    from store.spans import NewSpan

    articles *= 5
    db, source = folder / "export.db", _write_jsonl(folder / "export.jsonl", articles, rng)
    subprocess.run([sys.executable, "-m", "tui.cli", "ingest", "--quiet", "--no-suggest", str(source), "--db", str(db)],
                   check=True, capture_output=True, env=_env())
    with Store(db) as store:
        ids = [r[0] for r in store.db.execute("SELECT id FROM articles")]
        store.spans.add_many([NewSpan(article_id=i, start=0, end=8, label="claim") for i in ids], "ann")
    out = folder / "export-out"
    out.mkdir(exist_ok=True)
    target = out / "dataset.jsonl"
    target.unlink(missing_ok=True)
    outcome.killed = _kill_when(
        _start(db, "export", "--format", "jsonl", "--out", str(target), "--quiet"),
        lambda: _part_written(out),
    )
    if target.exists() and sum(1 for _ in target.open()) != articles:
        outcome.problems.append("the export target was left half written")
    _check(db, outcome)
    _rerun(db, outcome, "export", "--format", "jsonl", "--out", str(target), "--quiet", "--force")
    if not target.exists() or sum(1 for _ in target.open()) != articles:
        outcome.problems.append("the re-run did not write every article")
    leftovers = [p.name for p in out.iterdir() if p.name.endswith(".part")]
    if leftovers:
        outcome.problems.append(f"temporary files left behind: {leftovers}")
    _check(db, outcome)
    return outcome


RUNNERS = {"ingest": case_ingest, "suggest": case_suggest, "dedup": case_dedup, "review": case_review,
           "export": case_export}


def run_case(case: str, folder: Path, seed: int, articles: int) -> Outcome:
    """One case in a fresh folder."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return RUNNERS[case](folder, random.Random(seed), articles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="kills per case")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="1 round, 60 articles")
    parser.add_argument("--folder", type=Path, default=Path("/tmp/claimdesk-bench-faults"))
    args = parser.parse_args()
    rounds, articles = (1, 60) if args.quick else (args.rounds, args.articles)
    passed = killed = total = 0
    began = time.perf_counter()
    for case in CASES:
        for r in range(rounds):
            outcome = run_case(case, args.folder / f"{case}-{r}", args.seed * 1000 + r, articles)
            total += 1
            killed += outcome.killed
            passed += outcome.ok
            status = "ok" if outcome.ok else "FAILED"
            print(f"{case:8} round {r}: {'killed' if outcome.killed else 'finished before the kill'}; {status}"
                  + ("" if outcome.ok else f" {outcome.problems} {outcome.replay_differences[:3]} "
                     f"integrity={outcome.integrity} rerun={outcome.rerun_code} {outcome.rerun_stderr[-300:]}"))
    print("RESULT " + json.dumps({
        "row": "kill -9 of ingest/suggest/dedup/review/export",
        "ours": f"{passed}/{total} intact and completed ({killed} killed mid-run)",
        "baseline": "uninterrupted runs on copies (the reference each re-run must equal)",
        "ratio": f"{passed / total:.2f}",
        "target": "every case intact, replay equal, re-run completes",
        "met": passed == total,
        "note": "" if passed == total else "see the FAILED lines",
    }))
    print(f"{time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--review":
        review_all(Path(sys.argv[2]))
    else:
        main()
