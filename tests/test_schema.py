"""Schema versions: new files, forward migrations, and refusing files from the future."""

from __future__ import annotations

import sqlite3

import pytest

from store import Store, StoreError
from store.db import connect
from store.schema import MIGRATIONS, SCHEMA_VERSION, schema_version


def build_at(path, version):
    db = connect(path)
    for number, migration in enumerate(MIGRATIONS[:version], 1):
        migration(db)
        db.execute(f"PRAGMA user_version = {number}")
    return db


def test_a_new_file_gets_the_current_schema_and_default_labels(db_path):
    with Store(db_path) as store:
        assert schema_version(store.db) == SCHEMA_VERSION
        assert [(label.name, label.key) for label in store.labels.all()] == [("claim", "c"), ("quote", "q"), ("figure", "f")]


def test_an_older_file_is_migrated_and_keeps_its_data(db_path):
    db = build_at(db_path, 1)
    db.execute("INSERT INTO outlets (id, name) VALUES (1, 'Wire')")
    db.execute(
        "INSERT INTO articles (id, outlet_id, title, hash, length, ingested_at, text)"
        " VALUES ('old', 1, 'Ferry strike ends', 'h', 4, 'now', 'text')"
    )
    db.close()
    with Store(db_path) as store:
        assert schema_version(store.db) == SCHEMA_VERSION
        assert store.articles.get("old").title == "Ferry strike ends"
        # The title index covers rows written before it existed.
        assert [a.id for a in store.articles.page(title_contains="str fer")] == ["old"]


def test_a_newer_file_is_refused_and_left_untouched(db_path):
    with Store(db_path):
        pass
    raw = sqlite3.connect(db_path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match=f"written by a newer claimdesk \\(schema {SCHEMA_VERSION + 1}"):
        Store(db_path)
    assert db_path.read_bytes() == before


def test_a_foreign_sqlite_file_is_refused(db_path):
    raw = sqlite3.connect(db_path)
    raw.execute("CREATE TABLE recipes (name TEXT)")
    raw.close()
    with pytest.raises(StoreError, match="not a claimdesk database"):
        Store(db_path)


def test_a_file_that_is_not_sqlite_is_a_clear_error(db_path):
    db_path.write_text("hello, I am a text file" * 100)
    with pytest.raises(StoreError, match="cannot open as a claimdesk database"):
        Store(db_path)


def test_opening_without_create_names_the_missing_file(db_path):
    with pytest.raises(StoreError, match="no such database"):
        Store(db_path, create=False)
    assert not db_path.exists()


def test_pragmas_of_every_connection(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_searching_an_indexed_library_takes_no_write_lock(db_path):
    with Store(db_path) as store:
        store.db.execute("INSERT INTO outlets (id, name) VALUES (1, 'Wire')")
        store.db.execute(
            "INSERT INTO articles (id, outlet_id, title, hash, length, ingested_at, text)"
            " VALUES ('a', 1, 'Ferry strike ends', 'h', 4, 'now', 'text')"
        )
        assert store.articles.index_titles() == 1
        with Store(db_path) as other:
            other.db.execute("BEGIN IMMEDIATE")  # another annotator is mid-write
            try:
                assert [a.id for a in store.articles.page(title_contains="ferry")] == ["a"]
                assert store.articles.index_titles() == 0
            finally:
                other.db.execute("ROLLBACK")
