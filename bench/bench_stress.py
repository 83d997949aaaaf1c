"""Many annotators on one database, SQLite beside PostgreSQL: concurrent
writers, a reader, a kill -9.

    python bench/bench_stress.py [--engine sqlite postgresql] [--writers 8 32] [--total 4000] [--kill-one] [--quick]

For each engine and writer count, ``--writers`` processes together make
``--total`` random annotation actions (tag, relabel, delete, undo) on shared
articles, all starting at one signal, while one more process reads
everything in a loop as an export would. Each writer logs every action it
reports done (with its event id and commit latency). Then: the spans table
must equal the replay of the events table, every reported action must be in
the events table exactly once and nothing unreported may be there — except,
with ``--kill-one``, the one action a writer killed with SIGKILL may have
had in flight — and the engine's integrity check must say ok (SQLite:
``PRAGMA integrity_check``; PostgreSQL: amcheck, see bench/engines.py).

PostgreSQL runs on a throwaway server this bench starts (bench/pg_throwaway.py)
with fsync on, on the same disk as the SQLite file (``synchronous=FULL``), so
both pay for a durable commit.

Baselines, measured in the same run: for SQLite, the same actions made by
one process alone; for PostgreSQL, SQLite at the same writer count (the
ratio is PostgreSQL's actions/s over SQLite's). tests/test_stress.py runs a
short form on each engine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engines import ENGINES, integrity, label, target  # noqa: E402
from synthetic import articles as synthetic_articles  # noqa: E402

from corpus.records import ArticleRecord  # noqa: E402
from store import SpanConflict, Store, StoreError  # noqa: E402
from store.db import read_pages  # noqa: E402
from store.events import new_id  # noqa: E402
from store.ingest import Ingester  # noqa: E402
from store.replay import replay_differences  # noqa: E402

LABELS = ("claim", "quote", "figure")
# Relative weights of the actions a writer makes.
ACTIONS = {"tag": 4, "relabel": 2, "delete": 1, "undo": 2}


def prepare(db_path: Path | str, articles: int, seed: int = 11) -> None:
    """A fresh database holding ``articles`` synthetic articles of about 1.5 KB."""
    with Store(db_path) as store:
        records = (
            ArticleRecord(source="bench", id=a["id"], outlet=a["outlet"], title=a["title"], text=a["text"])
            for a in synthetic_articles(articles, seed=seed, size=1500)
        )
        Ingester(store.db).run(records)


class Log:
    """A writer's record of what it did, one line per step, flushed at once so
    that a SIGKILL loses nothing that was written."""

    def __init__(self, path: Path) -> None:
        self.file = path.open("a", encoding="utf-8", buffering=1)

    def write(self, kind: str, **fields: object) -> None:
        self.file.write(json.dumps({"kind": kind, **fields}) + "\n")


def _pick_own_span(store: Store, annotator: str, rng: random.Random):
    """One of the writer's own spans, chosen by its seeded generator: nobody else
    touches them, so a writer's run is the same every time."""
    ids = [row[0] for row in store.db.execute("SELECT id FROM spans WHERE annotator = ? ORDER BY id", [annotator])]
    return store.spans.get(rng.choice(ids)) if ids else None


def _act(store: Store, annotator: str, action: str, rng: random.Random, ids: list[str], lengths: dict[str, int], last: list[str]) -> str | None:
    """Make one action; returns its event id, or None when there was nothing to do."""
    if action == "tag":
        article = rng.choice(ids)
        start = rng.randrange(lengths[article] - 1)
        end = min(lengths[article], start + rng.randint(1, 120))
        event_id = new_id()
        span_id = f"{annotator}-{rng.getrandbits(64):016x}"  # seeded, so runs repeat
        store.spans.add(article, start, end, rng.choice(LABELS), annotator, span_id=span_id, event_id=event_id)
        last[:] = [article]
        return event_id
    if action in ("relabel", "delete"):
        span = _pick_own_span(store, annotator, rng)
        if span is None:
            return None
        event_id = new_id()
        if action == "relabel":
            label = rng.choice([name for name in LABELS if name != span.label])
            store.spans.update(span.id, span.version, annotator, label=label, event_id=event_id)
        else:
            store.spans.delete(span.id, span.version, annotator, event_id=event_id)
        last[:] = [span.article_id]
        return event_id
    if not last or store.spans.undo(last[0], annotator) is None:
        return None
    # SpanStore.undo takes no client event id; this writer is the only one
    # writing as this annotator, so its latest event is the undo.
    return store.db.execute("SELECT id FROM events WHERE annotator = ? ORDER BY seq DESC LIMIT 1", [annotator]).fetchone()[0]


def writer(db_path: Path | str, annotator: str, actions: int, seed: int, log_path: Path, go: Path) -> None:
    """Once ``go`` exists, make ``actions`` random actions as ``annotator``, logging each one done."""
    rng = random.Random(seed)
    log = Log(log_path)
    with Store(db_path, create=False) as store:
        lengths = dict(store.db.execute("SELECT id, length FROM articles").fetchall())
        ids = sorted(lengths)
        last: list[str] = []
        names, weights = zip(*ACTIONS.items())
        log.write("ready", pid=os.getpid())
        while not go.exists():  # every writer starts at once, however long the others took to start
            time.sleep(0.002)
        for _ in range(actions):
            action = rng.choices(names, weights)[0]
            began = time.perf_counter()
            try:
                event_id = _act(store, annotator, action, rng, ids, lengths, last)
            except SpanConflict as err:
                log.write("conflict", action=action, message=str(err))
                continue
            except StoreError as err:
                log.write("failed", action=action, message=str(err))
                continue
            if event_id is None:
                log.write("nothing", action=action)
            else:
                log.write("done", action=action, event=event_id, ms=(time.perf_counter() - began) * 1000,
                          at=time.time())


def _oldest_snapshot_age(db) -> int:
    """PostgreSQL: how many transactions old the oldest snapshot anyone holds is
    (what VACUUM must keep old row versions for; a reader holding one snapshot
    for the whole run would make it grow with every write)."""
    row = db.execute("SELECT max(age(backend_xmin)) FROM pg_stat_activity WHERE datname = current_database()"
                     " AND pid <> pg_backend_pid()").fetchone()
    return int(row[0] or 0)


def exporter(db_path: Path | str, stop_path: Path, log_path: Path) -> None:
    """Read every span with its article in short snapshots, over and over, as an
    export would, until ``stop_path`` appears; check each span's text on the way.
    What long reads cost the engine is measured after each full read: the WAL
    file's size on SQLite, the age of the oldest snapshot on PostgreSQL."""
    log = Log(log_path)
    wal = None if label(db_path) == "postgresql" else Path(f"{db_path}-wal")
    sql = (
        'SELECT s.id, s.start, s."end", s.label, s.text, a.text AS article FROM spans s'
        " JOIN articles a ON a.id = s.article_id"
    )
    loops = rows = mismatched = wal_max = snapshot_age_max = 0
    with Store(db_path, create=False) as store:
        log.write("ready", pid=os.getpid())
        while not stop_path.exists():
            for row in read_pages(store.db, sql, key="id", page_size=200):
                rows += 1
                mismatched += row["text"] != row["article"][row["start"] : row["end"]]
                if wal is None and rows % 200 == 1:  # mid-read, between pages
                    snapshot_age_max = max(snapshot_age_max, _oldest_snapshot_age(store.db))
            loops += 1
            if wal is not None:
                wal_max = max(wal_max, wal.stat().st_size if wal.exists() else 0)
    log.write("exported", loops=loops, rows=rows, mismatched=mismatched, wal_max=wal_max,
              snapshot_age_max=snapshot_age_max)


def _spawn(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(Path(__file__).resolve()), *args])


def _lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.endswith("}")]


@dataclass
class StressRun:
    """What a run did, from the writers' and the exporter's logs."""

    db_path: Path | str
    seconds: float
    done: dict[str, list[dict]]  # annotator -> the actions it reported done
    other: dict[str, list[dict]]  # annotator -> conflicts, failures and actions with nothing to act on
    killed: str | None = None
    export: dict = field(default_factory=dict)

    @property
    def actions(self) -> int:
        """Actions reported done by all writers."""
        return sum(len(v) for v in self.done.values())

    def latencies(self) -> list[float]:
        """Every reported action's commit latency, in milliseconds, sorted."""
        return sorted(entry["ms"] for entries in self.done.values() for entry in entries)


def run(db_path: Path | str, *, writers: int, actions: int, articles: int = 40, kill_after: int | None = None,
        export: bool = True, seed: int = 1, folder: Path | None = None) -> StressRun:
    """Run ``writers`` writer processes (and an exporter) against a fresh database
    (a file path, or an empty PostgreSQL database's URL; the logs go in
    ``folder``, by default the file's).

    With ``kill_after``, the first writer is killed with SIGKILL once it has
    reported that many actions done.
    """
    prepare(db_path, articles)
    folder = folder or Path(db_path).parent
    stop, go = folder / "stop-export", folder / "go"
    stop.unlink(missing_ok=True)
    go.unlink(missing_ok=True)
    annotators = [f"writer{i}" for i in range(writers)]
    logs = {name: folder / f"{name}.log" for name in annotators}
    for path in [*logs.values(), folder / "export.log"]:
        path.unlink(missing_ok=True)
    reader = _spawn("export", str(db_path), str(stop), str(folder / "export.log")) if export else None
    procs = {name: _spawn("write", str(db_path), name, str(actions), str(seed * 1000 + i), str(logs[name]), str(go))
             for i, name in enumerate(annotators)}
    waiting = set(annotators)
    while waiting:
        waiting = {name for name in waiting if not any(e["kind"] == "ready" for e in _lines(logs[name]))}
        if failed := [name for name in waiting if procs[name].poll() is not None]:
            raise RuntimeError(f"{failed[0]} exited with {procs[failed[0]].returncode} before it was ready")
        time.sleep(0.01)
    began = time.perf_counter()
    go.touch()
    killed = None
    if kill_after is not None:
        victim = annotators[0]
        while procs[victim].poll() is None:
            if sum(e["kind"] == "done" for e in _lines(logs[victim])) >= kill_after:
                procs[victim].send_signal(signal.SIGKILL)
                killed = victim
                break
            time.sleep(0.005)
    for proc in procs.values():
        proc.wait()
    seconds = time.perf_counter() - began
    stop.touch()
    if reader is not None:
        reader.wait()
    entries = {name: _lines(logs[name]) for name in annotators}
    return StressRun(
        db_path=db_path,
        seconds=seconds,
        done={n: [e for e in es if e["kind"] == "done"] for n, es in entries.items()},
        other={n: [e for e in es if e["kind"] in ("conflict", "failed", "nothing")] for n, es in entries.items()},
        killed=killed,
        export=next((e for e in _lines(folder / "export.log") if e["kind"] == "exported"), {}),
    )


@dataclass
class Verdict:
    """The checks after a run; all empty (and integrity ``ok``) when nothing went wrong."""

    integrity: str
    replay_differences: list[str]
    missing: list[str]  # reported done, not in the events table
    doubled: list[str]  # reported done, in the events table more than once
    unreported: dict[str, list[str]]  # annotator -> events no report accounts for


def verify(result: StressRun) -> Verdict:
    """Check the database against what the writers reported."""
    with Store(result.db_path, create=False) as store:
        intact = integrity(store.db)
        differences = replay_differences(store.db)
        recorded: dict[str, list[str]] = {}
        for event_id, annotator in store.db.execute(
            "SELECT id, annotator FROM events WHERE annotator LIKE 'writer%'"
        ).fetchall():
            recorded.setdefault(annotator, []).append(event_id)
    missing, doubled, unreported = [], [], {}
    for annotator, entries in result.done.items():
        reported = [e["event"] for e in entries]
        counts = Counter(recorded.get(annotator, []))
        missing += [event_id for event_id in reported if counts[event_id] == 0]
        doubled += [event_id for event_id in reported if counts[event_id] > 1]
        if extra := sorted(set(counts) - set(reported)):
            unreported[annotator] = extra
    return Verdict(intact, differences, missing, doubled, unreported)


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of sorted ``values``."""
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))]


@dataclass
class Figures:
    """One concurrent run's figures and checks."""

    engine: str
    writers: int
    run: StressRun
    verdict: Verdict

    @property
    def rate(self) -> float:
        return self.run.actions / self.run.seconds

    @property
    def p99(self) -> float:
        return percentile(self.run.latencies(), 99)

    @property
    def failures(self) -> int:
        return sum(e["kind"] == "failed" for v in self.run.other.values() for e in v)

    @property
    def ok(self) -> bool:
        verdict, killed = self.verdict, self.run.killed
        allowed = {killed: 1} if killed else {}
        return (verdict.integrity == "ok" and not verdict.replay_differences and not verdict.missing
                and not verdict.doubled and self.failures == 0
                and all(len(ids) <= allowed.get(name, 0) for name, ids in verdict.unreported.items()))


def _report(figures: Figures) -> None:
    run, verdict = figures.run, figures.verdict
    conflicts = sum(e["kind"] == "conflict" for v in run.other.values() for e in v)
    print(f"  {figures.engine} x {figures.writers} writers: {run.actions} actions in {run.seconds:.1f} s = "
          f"{figures.rate:.0f}/s; commit p50 {percentile(run.latencies(), 50):.1f} ms, p99 {figures.p99:.1f} ms; "
          f"lock errors {figures.failures}, conflicts {conflicts}")
    if run.export:
        cost = (f"largest WAL {run.export['wal_max'] / 1e6:.1f} MB" if figures.engine == "sqlite"
                else f"oldest snapshot {run.export['snapshot_age_max']} transactions old")
        print(f"    exporter: {run.export['loops']} full reads, {run.export['rows']} rows, "
              f"{run.export['mismatched']} with wrong text, {cost}")
    unreported = {name: len(ids) for name, ids in verdict.unreported.items()}
    print(f"    integrity: {verdict.integrity}; spans == replay(events): {not verdict.replay_differences}; "
          f"reported but missing: {len(verdict.missing)}; doubled: {len(verdict.doubled)}; "
          f"unreported: {unreported or 0}" + (f" (killed: {run.killed})" if run.killed else "")
          + ("; PASS" if figures.ok else "; FAIL"))


def main(argv: list[str] | None = None) -> int:
    """The full bench, or (``write``/``export``) one of its processes."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "write":
        db, annotator, actions, seed, log, go = argv[1:]
        writer(target(db), annotator, int(actions), int(seed), Path(log), Path(go))
        return 0
    if argv and argv[0] == "export":
        db, stop, log = argv[1:]
        exporter(target(db), Path(stop), Path(log))
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--writers", nargs="+", type=int, help="writer counts (default: 8 32; --quick: 4 8)")
    parser.add_argument("--total", type=int, default=4000, help="actions per run, shared among its writers")
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--kill-one", action="store_true", help="kill -9 the first writer half-way")
    parser.add_argument("--dir", type=Path, help="work folder (default: a new temporary one)")
    parser.add_argument("--quick", action="store_true", help="200 actions per run, 4 and 8 writers")
    args = parser.parse_args(argv)
    if args.quick:
        args.total = 200
    args.writers = args.writers or ([4, 8] if args.quick else [8, 32])
    import tempfile

    from results import ratio, result

    folder = args.dir or Path(tempfile.mkdtemp(prefix="claimdesk-stress-"))
    print(f"{args.total} actions per run from {' and '.join(map(str, args.writers))} writers + 1 exporter, "
          f"{args.articles} articles, on {' and '.join(args.engine)}, in {folder}")
    figures: dict[tuple[str, int], Figures] = {}
    baseline: StressRun | None = None
    with contextlib.ExitStack() as stack:
        server = None
        if "postgresql" in args.engine:
            from pg_throwaway import Server

            server = stack.enter_context(Server(fsync=True))
            print(f"PostgreSQL: a throwaway server in {server.folder}, fsync on (durable commits, as SQLite's "
                  "synchronous=FULL), on the same disk as the SQLite files")
        for engine in args.engine:
            for writers in args.writers:
                work = folder / f"{engine}-{writers}"
                work.mkdir(parents=True, exist_ok=True)
                db = server.new_database() if engine == "postgresql" else work / "stress.db"
                actions = max(1, args.total // writers)
                done = run(db, writers=writers, actions=actions, articles=args.articles, folder=work,
                           kill_after=actions // 2 if args.kill_one else None)
                figures[engine, writers] = Figures(engine, writers, done, verify(done))
                _report(figures[engine, writers])
        if "sqlite" in args.engine:
            work = folder / "sqlite-one"
            work.mkdir(parents=True, exist_ok=True)
            baseline = run(work / "stress.db", writers=1, actions=args.total, articles=args.articles, export=False)
            rate_one = baseline.actions / baseline.seconds
            print(f"  baseline, one SQLite process alone, no exporter: {baseline.actions} actions, {rate_one:.0f}/s, "
                  f"commit p99 {percentile(baseline.latencies(), 99):.1f} ms")
    print(f"\n{'engine':<12}{'writers':>8}{'actions/s':>11}{'p99 ms':>9}{'vs SQLite':>11}  checks")
    for (engine, writers), f in figures.items():
        sqlite = figures.get(("sqlite", writers))
        versus = f"{f.rate / sqlite.rate:.2f}" if sqlite and engine != "sqlite" else ""
        print(f"{engine:<12}{writers:>8}{f.rate:>11.0f}{f.p99:>9.1f}{versus:>11}  {'PASS' if f.ok else 'FAIL'}")
    for (engine, writers), f in figures.items():
        what = f"{writers} processes x {args.total // writers:,} tag/relabel/delete/undo actions at once, plus an exporter"
        ours = f"{f.rate:.0f} actions/s; p99 commit {f.p99:.0f} ms"
        if engine == "sqlite":
            if baseline is None:
                continue
            rate_one = baseline.actions / baseline.seconds
            result(f"{what}, SQLite", ours,
                   f"{rate_one:.0f} actions/s from one process; p99 {percentile(baseline.latencies(), 99):.0f} ms",
                   f"{ratio(f.rate, rate_one)} throughput", "no lost or doubled action, spans == replay(events)",
                   f.ok, "p99 is queueing at full load: writers act back to back" if f.ok
                   else "a check failed: see the bench output")
            continue
        sqlite = figures.get(("sqlite", writers))
        target_text = "no lost or doubled action, spans == replay(events)"
        met: bool | None = f.ok
        if writers >= 32:
            target_text = f"PostgreSQL >= SQLite actions/s at {writers} writers; {target_text}"
            met = None if sqlite is None else f.ok and f.rate >= sqlite.rate
        if not f.ok:
            note = "a check failed: see the bench output"
        elif met is False:
            note = (f"{f.rate / sqlite.rate:.2f}x SQLite's rate: every write holds one team-wide advisory lock "
                    "through several round trips to the server and its fsync")
        else:
            note = "" if sqlite else "SQLite not run (--engine postgresql alone): no baseline"
        result(f"{what}, PostgreSQL (fsync on)", ours,
               f"SQLite, {writers} writers: {sqlite.rate:.0f} actions/s; p99 {sqlite.p99:.0f} ms" if sqlite
               else "not measured", f"{ratio(f.rate, sqlite.rate)} throughput" if sqlite else "n/a",
               target_text, met, note)
    return 0 if all(f.ok for f in figures.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
