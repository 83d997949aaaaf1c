"""Many annotators on one database: concurrent writers, a reader, a kill -9.

    .venv/bin/python bench/bench_stress.py [--writers 8] [--actions 2000] [--kill-one]

``--writers`` processes each make ``--actions`` random annotation actions
(tag, relabel, delete, undo) on shared articles at once, while one more
process reads everything in a loop as an export would. Each writer logs
every action it reports done (with its event id and commit latency). Then:
the spans table must equal the replay of the events table, every reported
action must be in the events table exactly once and nothing unreported may
be there — except, with ``--kill-one``, the one action a writer killed with
SIGKILL may have had in flight — and ``PRAGMA integrity_check`` must say ok.

The baseline, measured in the same run, is the same number of actions made
by one process alone; the bench prints both rates, their ratio and the 99th
percentile commit latency of each. tests/test_stress.py runs a short form.
"""

from __future__ import annotations

import argparse
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


def prepare(db_path: Path, articles: int, seed: int = 11) -> None:
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


def writer(db_path: Path, annotator: str, actions: int, seed: int, log_path: Path) -> None:
    """Make ``actions`` random actions as ``annotator``, logging each one done."""
    rng = random.Random(seed)
    log = Log(log_path)
    with Store(db_path, create=False) as store:
        lengths = dict(store.db.execute("SELECT id, length FROM articles"))
        ids = sorted(lengths)
        last: list[str] = []
        names, weights = zip(*ACTIONS.items())
        log.write("ready", pid=os.getpid())
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
                log.write("done", action=action, event=event_id, ms=(time.perf_counter() - began) * 1000)


def exporter(db_path: Path, stop_path: Path, log_path: Path) -> None:
    """Read every span with its article in short snapshots, over and over, as an
    export would, until ``stop_path`` appears; check each span's text on the way."""
    log = Log(log_path)
    wal = Path(f"{db_path}-wal")
    sql = (
        'SELECT s.id, s.start, s."end", s.label, s.text, a.text AS article FROM spans s'
        " JOIN articles a ON a.id = s.article_id"
    )
    loops = rows = mismatched = wal_max = 0
    with Store(db_path, create=False) as store:
        log.write("ready", pid=os.getpid())
        while not stop_path.exists():
            for row in read_pages(store.db, sql, key="id", page_size=200):
                rows += 1
                mismatched += row["text"] != row["article"][row["start"] : row["end"]]
            loops += 1
            wal_max = max(wal_max, wal.stat().st_size if wal.exists() else 0)
    log.write("exported", loops=loops, rows=rows, mismatched=mismatched, wal_max=wal_max)


def _spawn(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(Path(__file__).resolve()), *args])


def _lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.endswith("}")]


@dataclass
class StressRun:
    """What a run did, from the writers' and the exporter's logs."""

    db_path: Path
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


def run(db_path: Path, *, writers: int, actions: int, articles: int = 40, kill_after: int | None = None,
        export: bool = True, seed: int = 1) -> StressRun:
    """Run ``writers`` writer processes (and an exporter) against a fresh database.

    With ``kill_after``, the first writer is killed with SIGKILL once it has
    reported that many actions done.
    """
    prepare(db_path, articles)
    folder = db_path.parent
    stop = folder / "stop-export"
    stop.unlink(missing_ok=True)
    annotators = [f"writer{i}" for i in range(writers)]
    logs = {name: folder / f"{name}.log" for name in annotators}
    for path in [*logs.values(), folder / "export.log"]:
        path.unlink(missing_ok=True)
    reader = _spawn("export", str(db_path), str(stop), str(folder / "export.log")) if export else None
    began = time.perf_counter()
    procs = {name: _spawn("write", str(db_path), name, str(actions), str(seed * 1000 + i), str(logs[name]))
             for i, name in enumerate(annotators)}
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
        integrity = store.db.execute("PRAGMA integrity_check").fetchone()[0]
        differences = replay_differences(store.db)
        recorded: dict[str, list[str]] = {}
        for event_id, annotator in store.db.execute("SELECT id, annotator FROM events WHERE annotator LIKE 'writer%'"):
            recorded.setdefault(annotator, []).append(event_id)
    missing, doubled, unreported = [], [], {}
    for annotator, entries in result.done.items():
        reported = [e["event"] for e in entries]
        counts = Counter(recorded.get(annotator, []))
        missing += [event_id for event_id in reported if counts[event_id] == 0]
        doubled += [event_id for event_id in reported if counts[event_id] > 1]
        if extra := sorted(set(counts) - set(reported)):
            unreported[annotator] = extra
    return Verdict(integrity, differences, missing, doubled, unreported)


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of sorted ``values``."""
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))]


def main(argv: list[str] | None = None) -> int:
    """The full bench, or (``write``/``export``) one of its processes."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "write":
        db, annotator, actions, seed, log = argv[1:]
        writer(Path(db), annotator, int(actions), int(seed), Path(log))
        return 0
    if argv and argv[0] == "export":
        db, stop, log = argv[1:]
        exporter(Path(db), Path(stop), Path(log))
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--actions", type=int, default=2000, help="actions per writer")
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--kill-one", action="store_true", help="kill -9 the first writer half-way")
    parser.add_argument("--dir", type=Path, help="work folder (default: a new temporary one)")
    parser.add_argument("--quick", action="store_true", help="4 writers x 200 actions")
    args = parser.parse_args(argv)
    if args.quick:
        args.writers, args.actions = 4, 200
    import tempfile

    folder = args.dir or Path(tempfile.mkdtemp(prefix="claimdesk-stress-"))
    (folder / "many").mkdir(parents=True, exist_ok=True)
    (folder / "one").mkdir(parents=True, exist_ok=True)
    total = args.writers * args.actions
    print(f"{args.writers} writers x {args.actions} actions + 1 exporter, {args.articles} articles, in {folder}")
    many = run(folder / "many" / "stress.db", writers=args.writers, actions=args.actions, articles=args.articles,
               kill_after=args.actions // 2 if args.kill_one else None)
    print(f"baseline: the same {total} actions from one process, no exporter")
    one = run(folder / "one" / "stress.db", writers=1, actions=total, articles=args.articles, export=False)
    verdict = verify(many)
    rate_many, rate_one = many.actions / many.seconds, one.actions / one.seconds
    p99_many, p99_one = percentile(many.latencies(), 99), percentile(one.latencies(), 99)
    print(f"{'':<28}{'concurrent':>14}{'one process':>14}{'ratio':>8}")
    print(f"{'actions done':<28}{many.actions:>14}{one.actions:>14}")
    print(f"{'actions per second':<28}{rate_many:>14.0f}{rate_one:>14.0f}{rate_many / rate_one:>8.2f}")
    print(f"{'p99 commit latency (ms)':<28}{p99_many:>14.1f}{p99_one:>14.1f}{p99_many / p99_one:>8.2f}")
    print(f"{'p50 commit latency (ms)':<28}{percentile(many.latencies(), 50):>14.1f}{percentile(one.latencies(), 50):>14.1f}")
    failures = sum(len([e for e in v if e["kind"] == "failed"]) for v in many.other.values())
    conflicts = sum(len([e for e in v if e["kind"] == "conflict"]) for v in many.other.values())
    print(f"lock errors seen by writers: {failures}; conflicts: {conflicts}")
    if many.export:
        print(f"exporter: {many.export['loops']} full reads, {many.export['rows']} rows, "
              f"{many.export['mismatched']} with wrong text, largest WAL {many.export['wal_max'] / 1e6:.1f} MB")
    unreported = {name: len(ids) for name, ids in verdict.unreported.items()}
    print(f"integrity_check: {verdict.integrity}; spans == replay(events): {not verdict.replay_differences}; "
          f"reported but missing: {len(verdict.missing)}; doubled: {len(verdict.doubled)}; "
          f"unreported: {unreported or 0}" + (f" (killed: {many.killed})" if many.killed else ""))
    allowed = {many.killed: 1} if many.killed else {}
    ok = (
        verdict.integrity == "ok" and not verdict.replay_differences and not verdict.missing and not verdict.doubled
        and all(count <= allowed.get(name, 0) for name, count in unreported.items()) and failures == 0
    )
    print("PASS" if ok else "FAIL")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from results import result

    result(f"{args.writers} processes x {args.actions:,} tag/relabel/delete/undo actions at once, plus an exporter",
           f"{rate_many:.0f} actions/s; p99 commit {p99_many:.0f} ms",
           f"{rate_one:.0f} actions/s from one process; p99 {p99_one:.0f} ms", f"{rate_many / rate_one:.2f} throughput",
           "no lost or doubled action, spans == replay(events)", ok,
           "p99 is queueing at full load: writers act back to back" if ok else "a check failed: see the bench output")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
