"""Train, dev and test parts of an export: by article, stratified by outlet,
the same for the same seed.

Within each outlet, articles are ordered by a hash of the seed and their id
(so the order is random-looking but fixed) and cut at the cumulative ratios;
an article at rank ``r`` of ``n`` goes to the first part whose cumulative
share exceeds ``(r + 0.5) / n``. Every outlet is thus split in the same
proportions, as closely as its size allows. The assignment is computed in
the database (a connection-private temporary table), so memory stays flat;
the hash is SHA-256 on both engines, so a split is the same on either.
"""

from __future__ import annotations

from store.engine import Database
from store.export.query import ExportError, ExportQuery

SPLIT_TABLE = "export_split"
PART_NAMES = {2: ("train", "test"), 3: ("train", "dev", "test")}


def parse_ratios(value: str) -> tuple[float, ...]:
    """``80,10,10`` (or ``80,20``): percentages, each positive, adding up to
    100; returned as shares that add up to one."""
    try:
        numbers = tuple(float(piece) for piece in value.split(","))
    except ValueError:
        raise ExportError(f"--split {value!r}: give two or three numbers such as 80,10,10") from None
    if len(numbers) not in PART_NAMES:
        raise ExportError(f"--split {value!r}: give two or three numbers such as 80,10,10 or 90,10")
    if any(not n > 0 for n in numbers):
        raise ExportError(f"--split {value!r}: every part needs a positive share (an empty part is no split)")
    total = sum(numbers)
    if abs(total - 100) > 1e-6:
        raise ExportError(f"--split {value!r}: the shares are percentages and must add up to 100, not {total:g}")
    return tuple(n / total for n in numbers)


def part_names(ratios: tuple[float, ...]) -> tuple[str, ...]:
    """The names of the parts: train and test, or train, dev and test."""
    return PART_NAMES[len(ratios)]


def assign_parts(db: Database, query: ExportQuery, ratios: tuple[float, ...], seed: int) -> str:
    """Fill a temporary table (article_id, part) for the selected articles;
    returns its name for :meth:`ExportQuery.articles`.

    The table is the connection's own (a temporary table, on either engine):
    nothing is written to the database, so no write transaction is needed.
    """
    cuts, total = [], 0.0
    for share in ratios[:-1]:
        total += share
        cuts.append(total)
    case = " ".join(f"WHEN rank + 0.5 < n * ? THEN {i}" for i in range(len(cuts)))
    selection, params = query.selection()
    drop_split_table(db)
    db.execute(f"CREATE TEMP TABLE {SPLIT_TABLE} (article_id TEXT PRIMARY KEY, part INTEGER NOT NULL)")
    try:
        db.execute(
            f"INSERT INTO {SPLIT_TABLE} (article_id, part) SELECT id, CASE {case} ELSE {len(cuts)} END FROM ("
            f"SELECT a.id AS id, row_number() OVER (PARTITION BY a.outlet_id ORDER BY {db.sha256_hex('?', 'a.id')}) - 1"
            f" AS rank, count(*) OVER (PARTITION BY a.outlet_id) AS n {selection}) AS ranked",
            [*cuts, str(seed), *params],
        )
    except BaseException:
        drop_split_table(db)
        raise
    return SPLIT_TABLE


def drop_split_table(db: Database) -> None:
    """Remove the split's temporary table, if this connection has one.

    Unqualified, the name finds the temporary table first on both engines
    (SQLite's ``temp`` schema, PostgreSQL's ``pg_temp``); no table of that
    name exists in the database itself.
    """
    db.execute(f"DROP TABLE IF EXISTS {SPLIT_TABLE}")
