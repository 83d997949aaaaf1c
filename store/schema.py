"""The schema, as numbered forward migrations, one list for both engines.

A migration is a function that takes the database from version ``n - 1`` to
``n``; they run in order, each in its own write transaction (which holds the
team lock, so two processes cannot both migrate), the first time a newer
claimdesk opens an older database. The version is recorded in the database
itself (SQLite: ``PRAGMA user_version``; PostgreSQL: a one-row table). A
database written by a newer claimdesk is refused before anything is changed.
The table definitions are SQLite's spelling, which the PostgreSQL engine
translates (store/engine/pg_sql.py); the few that differ ask ``db.dialect``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

from store.db import StoreError, write
from store.engine.base import Database

DEFAULT_LABELS = (
    # name, key, colour, position
    ("claim", "c", "#4f8fd8", 0),
    ("quote", "q", "#c678dd", 1),
    ("figure", "f", "#d19a66", 2),
)


# Every migration must be safe to run again on a file that already has its
# tables (a user_version set back by hand or by another tool): _run makes each
# CREATE "IF NOT EXISTS" and each INSERT "OR IGNORE"; columns go through _add_column.
_IDEMPOTENT = [
    (re.compile(r"^(\s*CREATE\s+(?:UNIQUE\s+|VIRTUAL\s+)?(?:TABLE|INDEX|TRIGGER|VIEW))\s+(?!IF\s)", re.I), r"\1 IF NOT EXISTS "),
    (re.compile(r"^(\s*INSERT)\s+INTO\b", re.I), r"\1 OR IGNORE INTO"),
]


def _idempotent(statement: str) -> str:
    for pattern, replacement in _IDEMPOTENT:
        statement = pattern.sub(replacement, statement, count=1)
    return statement


def _run(db: Database, script: str) -> None:
    """Run DDL statements one by one, each made safe to run twice (see _IDEMPOTENT):
    ``executescript`` would commit the open transaction first, breaking the
    migration's atomicity."""
    statement = ""
    for piece in script.split(";"):
        statement += piece + ";"
        if sqlite3.complete_statement(statement):  # a trigger body holds semicolons of its own
            if statement.strip(" \n;"):
                db.execute(_idempotent(statement))
            statement = ""


def _add_column(db: Database, table: str, column: str, declaration: str) -> None:
    """``ALTER TABLE ... ADD COLUMN``, unless the column is there already."""
    if column not in db.columns(table):
        db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")


def _v1_initial(db: Database) -> None:
    _run(
        db,
        """
        CREATE TABLE outlets (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
        );
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            outlet_id INTEGER NOT NULL REFERENCES outlets(id),
            title TEXT NOT NULL,
            url TEXT,
            published TEXT,
            hash TEXT NOT NULL,
            length INTEGER NOT NULL,
            metadata TEXT NOT NULL DEFAULT '{}',
            source TEXT,
            ingested_at TEXT NOT NULL,
            text TEXT NOT NULL
        );
        CREATE UNIQUE INDEX articles_hash ON articles(hash);
        CREATE INDEX articles_outlet ON articles(outlet_id);
        CREATE TABLE labels (
            name TEXT PRIMARY KEY,
            key TEXT UNIQUE,
            colour TEXT NOT NULL,
            position INTEGER NOT NULL
        );
        CREATE TABLE spans (
            id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT NOT NULL REFERENCES labels(name),
            text TEXT NOT NULL,
            annotator TEXT NOT NULL,
            origin TEXT NOT NULL CHECK (origin IN ('manual', 'suggested', 'imported')),
            status TEXT NOT NULL CHECK (status IN ('accepted', 'pending', 'rejected')),
            attrs TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            CHECK (0 <= start AND start < "end")
        );
        CREATE INDEX spans_article ON spans(article_id, start);
        CREATE INDEX spans_annotator ON spans(annotator, article_id);
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            at TEXT NOT NULL,
            annotator TEXT NOT NULL,
            os_user TEXT NOT NULL,
            article_id TEXT,
            span_id TEXT,
            action TEXT NOT NULL,
            target TEXT,
            before TEXT,
            after TEXT
        );
        CREATE INDEX events_history ON events(annotator, article_id, seq);
        CREATE INDEX events_target ON events(target, seq);
        CREATE TABLE progress (
            article_id TEXT NOT NULL REFERENCES articles(id),
            annotator TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('open', 'done')),
            cursor INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (article_id, annotator)
        );
        CREATE INDEX progress_annotator ON progress(annotator, updated_at);
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """
    )
    if db.dialect == "postgresql":
        # SQLite numbers every row itself (rowid), in insertion order; the store
        # pages and orders articles and spans by it, so PostgreSQL gets it spelt out.
        for table in ("articles", "spans"):
            if "rowid" not in db.columns(table):
                db.execute(f"ALTER TABLE {table} ADD COLUMN rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE")
    db.executemany("INSERT OR IGNORE INTO labels (name, key, colour, position) VALUES (?, ?, ?, ?)", DEFAULT_LABELS)


def _v2_title_search(db: Database) -> None:
    """A full-text index of titles, so typing to search a million titles does not scan them.

    It is filled lazily by :meth:`store.articles.ArticleStore.index_titles`,
    not by a trigger: a trigger would double the cost of every ingest.
    PostgreSQL keeps an expression index up to date itself.
    """
    if db.dialect == "postgresql":
        db.execute("CREATE INDEX IF NOT EXISTS article_titles ON articles USING gin (to_tsvector('simple', title))")
        return
    _run(
        db,
        "CREATE VIRTUAL TABLE article_titles USING fts5("
        "title, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')"
    )


def _v3_event_batches(db: Database) -> None:
    """Events made by one command (accept all suggestions of a label) share a
    batch id, so one undo takes them all back."""
    _add_column(db, "events", "batch", "TEXT")


def _v4_article_locks(db: Database) -> None:
    """Soft locks: who has which article open right now (see store/assignment.py).

    ``seen_at`` is refreshed while the annotator works; a lock older than the
    idle limit no longer counts.
    """
    _run(
        db,
        """
        CREATE TABLE article_locks (
            article_id TEXT NOT NULL REFERENCES articles(id),
            annotator TEXT NOT NULL,
            taken_at TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (article_id, annotator)
        );
        CREATE INDEX article_locks_seen ON article_locks(seen_at)
        """,
    )


def _v5_claim_decisions(db: Database) -> None:
    """Annotators' decisions on claim matches, and the leader of every claim cluster.

    ``claim_decisions`` is append-only: the latest row of a pair is the
    decision in force (``same``, a confirmed link; ``not_same``; ``none``, a
    decision taken back). The other side is a claim span, or a sentence that
    carries no claim yet (only ever ``not_same`` or ``none``: linking a
    sentence tags it first). Who and when are on the events row named by
    ``event_id``. Cluster ids live on the claims (``spans.attrs.cluster``);
    ``claim_leaders`` keeps which claim each cluster's members matched, so the
    next ``claimdesk dedup`` keeps the ids.
    """
    _run(
        db,
        """
        CREATE TABLE claim_decisions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            span_id TEXT NOT NULL,
            other_span TEXT,
            other_article TEXT,
            other_start INTEGER,
            other_end INTEGER,
            decision TEXT NOT NULL CHECK (decision IN ('same', 'not_same', 'none')),
            CHECK ((other_span IS NULL) <> (other_article IS NULL)),
            CHECK (other_span IS NULL OR span_id < other_span),
            CHECK (other_span IS NOT NULL OR decision <> 'same')
        );
        CREATE INDEX claim_decisions_span ON claim_decisions(span_id, seq);
        CREATE INDEX claim_decisions_other ON claim_decisions(other_span, seq);
        CREATE TABLE claim_leaders (
            cluster INTEGER PRIMARY KEY,
            span_id TEXT NOT NULL
        )
        """,
    )


def _v6_claim_runs(db: Database) -> None:
    """What the last ``claimdesk dedup`` clustered, so the next run matches only
    the claims added, moved or removed since (see store/dedup.py).

    ``claim_clustered`` holds each clustered claim's cluster and the edges it
    had then; ``claim_cluster_sizes`` each cluster's outlets and members, for
    the Claims screen to page through most outlets first; ``claim_conflicts``
    the conflicting pairs found so far. ``claim_clustered`` is filled here from
    the cluster ids already stored on the claims (the next run fills the rest).
    """
    cluster = db.json_int("attrs", "cluster")
    _run(
        db,
        f"""
        CREATE TABLE claim_clustered (
            span_id TEXT PRIMARY KEY,
            cluster INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL
        );
        CREATE INDEX claim_clustered_cluster ON claim_clustered(cluster);
        CREATE TABLE claim_cluster_sizes (
            cluster INTEGER PRIMARY KEY,
            outlets INTEGER NOT NULL,
            members INTEGER NOT NULL
        );
        CREATE INDEX claim_cluster_sizes_order ON claim_cluster_sizes(outlets DESC, members DESC, cluster);
        CREATE TABLE claim_conflicts (
            a TEXT NOT NULL,
            b TEXT NOT NULL,
            kind TEXT NOT NULL,
            score REAL NOT NULL,
            figures TEXT NOT NULL,
            PRIMARY KEY (a, b)
        );
        INSERT INTO claim_clustered (span_id, cluster, start, "end")
            SELECT id, {cluster}, start, "end" FROM spans
            WHERE label = 'claim' AND status = 'accepted' AND {cluster} IS NOT NULL;
        INSERT INTO claim_cluster_sizes (cluster, outlets, members)
            SELECT c.cluster, count(DISTINCT a.outlet_id), count(*) FROM claim_clustered c
            JOIN spans s ON s.id = c.span_id JOIN articles a ON a.id = s.article_id GROUP BY c.cluster
        """,
    )


def _v7_suggestion_rules(db: Database) -> None:
    """Why each suggestion was made (``figure:currency``, ``quote:speaker-after``).

    A table of its own keyed by span id rather than a column of ``spans``:
    the span rows are what the events record and the replay check compares,
    and a suggestion's rule is no part of the span an annotator accepts.
    Additive and idempotent: a file that has the table already keeps it.
    """
    _run(
        db,
        """
        CREATE TABLE IF NOT EXISTS suggestion_rules (
            span_id TEXT PRIMARY KEY,
            rule TEXT NOT NULL
        )
        """,
    )


MIGRATIONS: list[Callable[[Database], None]] = [
    _v1_initial, _v2_title_search, _v3_event_batches, _v4_article_locks, _v5_claim_decisions, _v6_claim_runs,
    _v7_suggestion_rules,
]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: Database) -> int:
    """The version recorded in the database (0 for a new, empty one)."""
    return db.schema_version()


def migrate(db: Database, path: str = "database") -> int:
    """Bring the file up to :data:`SCHEMA_VERSION`; returns the version found."""
    found = schema_version(db)
    if found > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer claimdesk (schema {found}; this one knows up to {SCHEMA_VERSION}): "
            "upgrade claimdesk to open it; nothing was changed"
        )
    if found == 0 and db.table_names() and "articles" not in db.table_names():
        kind = "an SQLite file" if db.dialect == "sqlite" else "a PostgreSQL database with other tables"
        raise StoreError(f"{path} is {kind} but not a claimdesk database; nothing was changed")
    for version in range(found + 1, SCHEMA_VERSION + 1):
        with write(db):
            # Re-read inside the lock: another process may have migrated first.
            if schema_version(db) >= version:
                continue
            MIGRATIONS[version - 1](db)
            db.set_schema_version(version)
    check_tables(db, path)
    return found


# The tables every claimdesk file has; one gone (dropped by hand or by another
# tool) is reported when the file is opened, before anything is written.
REQUIRED_TABLES = (
    "outlets", "articles", "labels", "spans", "events", "progress", "settings", "article_titles",
    "article_locks", "claim_decisions", "claim_leaders", "claim_clustered", "claim_cluster_sizes", "claim_conflicts",
)


def check_tables(db: Database, path: str = "database") -> None:
    """Refuse a file that says it is up to date but lacks one of :data:`REQUIRED_TABLES`."""
    present = set(db.table_names())
    # PostgreSQL's title index is an index, not a table (see _v2_title_search).
    required = REQUIRED_TABLES if db.dialect == "sqlite" else [t for t in REQUIRED_TABLES if t != "article_titles"]
    missing = [name for name in required if name not in present]
    if missing:
        raise StoreError(
            f"{path} is damaged: the table{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"{'are' if len(missing) > 1 else 'is'} missing (dropped by hand or by another tool); nothing was "
            "changed. Restore the file from a backup"
        )
