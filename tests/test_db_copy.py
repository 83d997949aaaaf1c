"""``claimdesk db copy``: a whole database moved between SQLite and PostgreSQL,
every table and row, verified; and a team carrying on in the app after the move."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.records import ArticleRecord
from store import Store
from store import copy as db_copy
from store.articles import TITLE_INDEX_MARK
from store.engine import open_database
from store.schema import REQUIRED_TABLES
from pty_app import run_with_stderr
from tui.cli import main
from headless_support import assert_runs_without_textual
from tui_support import FIRST, SECOND, make_app, make_db, press, screen_lines, settle

SIZE = (100, 30)
# Text a byte-level slip would show: decomposed and composed accents, astral
# characters, a zero-width joiner, tabs, right-to-left script, quotes of every kind.
ODD_TEXT = ("Cafe\u0301 and Caf\u00e9 differ.\tTabs stay.\n\n"
            "\U0001d518\U0001d52b\U0001d526 \U0001f9ea\u200d\U0001f52c \u05e9\u05dc\u05d5\u05dd "
            "\u00ab\u201equoted\u201c\u00bb 'x' \"y\".")


def build_team_store(path: Path) -> None:
    """The demo corpus as a team leaves it after a day: two annotators' spans,
    suggestions accepted and rejected, undo and redo, an article renamed, progress
    and cursors, a review, claim decisions, clusters and a conflict, locks, settings."""
    from tui.commands.demo import load_demo

    with load_demo(path) as store:
        store.ingest([ArticleRecord(source="test", id="odd", outlet="Ünïcode Wire", title="Odd text", text=ODD_TEXT)])
        ids = [article.id for article in store.progress.library_page("ann", limit=100)]
        for annotator in ("ann", "bob"):
            for article_id in ids[:6]:
                for i, suggestion in enumerate(store.suggestions.pending(article_id, annotator)):
                    if suggestion.label == "claim" or i % 3 == 0:
                        store.suggestions.accept(suggestion, annotator)
                    elif i % 3 == 1:
                        store.suggestions.reject(suggestion, annotator)
                store.progress.open(article_id, annotator)
                store.progress.save_cursor(article_id, annotator, 40 + len(annotator))
            store.progress.mark_done(ids[0], annotator, 12)
        # Undo history: an add undone and redone, another undone, a relabel and a delete.
        first = store.articles.get(ids[1])
        store.spans.add(first.id, 0, 8, "quote", "ann")
        store.spans.undo(first.id, "ann")
        store.spans.redo(first.id, "ann")
        moved = store.spans.add(first.id, 10, 20, "figure", "ann")
        store.spans.update(moved.id, moved.version, "ann", label="quote")
        gone = store.spans.add(first.id, 30, 40, "claim", "ann")
        store.spans.delete(gone.id, gone.version, "ann")
        store.spans.add(first.id, 50, 60, "claim", "ann")
        store.spans.undo(first.id, "ann")
        store.articles.set_details(ids[2], "ann", title="A title changed by hand")
        # A review of the article both finished.
        review = store.review.article(ids[0])
        store.review.accept("rita", ids[0], review.proposals[0])
        store.review.reject("rita", ids[0], review.proposals[1])
        store.review.finish("rita", ids[0])
        store.dedup()
        claims = list(store.claims.claims())
        store.claims.decide(claims[0].span_id, claims[1].span_id, "same", "ann")
        store.claims.decide(claims[0].span_id, claims[2].span_id, "not_same", "bob")
        store.claims.decide_sentence(claims[3].span_id, ids[4], 0, 10, "not_same", "ann")
        store.assignment.touch(ids[5], "bob")
        store.assignment.set_overlap(2)
        store.settings.set_guidelines("# Guidelines\n\nTag every claim. ✓ \u00e9\u0301")
        store.articles.index_titles()


def rows(db, table: str) -> list[tuple]:
    """Every row of ``table`` (SQLite's engine-only title-index mark aside), with the
    rowid of articles and spans, in key order."""
    columns = [name for name in db.columns(table) if name != "rowid"]
    if table in ("articles", "spans"):
        columns.insert(0, "rowid")
    where = f" WHERE key <> '{TITLE_INDEX_MARK}'" if table == "settings" else ""
    key = ", ".join(f'"{name}"' for name in db_copy.TABLES[table])
    quoted = ", ".join(f'"{name}"' for name in columns)
    return [tuple(row.values()) for row in db.query(f'SELECT {quoted} FROM "{table}"{where} ORDER BY {key}')]


def everything(target) -> dict[str, list[tuple]]:
    db = open_database(target, create=False)
    try:
        return {table: rows(db, table) for table in db_copy.data_tables(db)}
    finally:
        db.close()


@pytest.fixture
def copy(capsys):
    """``claimdesk db copy SOURCE TARGET``, in-process; returns (code, stdout, stderr)."""

    def run(source, target) -> tuple[int, str, str]:
        code = main(["db", "copy", str(source), str(target)])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture(scope="module")
def team_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("team") / "claimdesk.db"
    build_team_store(path)
    return path


def test_the_team_store_has_rows_in_every_table_so_the_round_trip_checks_them_all(team_db):
    contents = everything(team_db)
    assert list(contents) == list(db_copy.TABLES)
    assert [table for table, held in contents.items() if not held] == []


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_every_table_a_new_database_has_is_one_the_copy_knows(engine, tmp_path, request):
    # A migration that adds a table fails here until store/copy.py lists it.
    target = request.getfixturevalue("pg_server").new_database() if engine == "postgresql" else tmp_path / "n.db"
    with Store(target) as store:
        present = set(store.db.table_names()) - db_copy.engine_tables(store.db)
        assert present == set(db_copy.TABLES)
        assert db_copy.data_tables(store.db) == list(db_copy.TABLES)
    assert set(REQUIRED_TABLES) - {db_copy.TITLE_INDEX} <= set(db_copy.TABLES)


def test_round_trip_sqlite_postgresql_sqlite_keeps_every_row(team_db, tmp_path, pg_server, copy):
    url = pg_server.new_database()
    code, out, err = copy(team_db, url)
    assert (code, err) == (0, "")
    assert out.startswith("copied 18 articles, ") and "verified" in out and out.count("\n") == 1
    back = tmp_path / "back.db"
    code, out, err = copy(url, back)
    assert (code, err) == (0, "")
    original = everything(team_db)
    assert everything(url) == original
    assert everything(back) == original
    for target in (url, back):
        with Store(target) as store:
            assert store.articles.get("odd").text.encode() == ODD_TEXT.encode()
    with Store(back) as store:
        # The title index of the new file was built: a search finds an article by its title.
        assert [row.title for row in store.progress.library_page("ann", title_contains="changed hand")] == [
            "A title changed by hand"]
        assert store.settings.guidelines() == "# Guidelines\n\nTag every claim. ✓ \u00e9\u0301"


def test_postgresql_to_postgresql_and_sqlite_to_sqlite(team_db, tmp_path, pg_server, copy):
    first, second = pg_server.new_database(), pg_server.new_database()
    assert copy(team_db, first)[0] == 0
    assert copy(first, second)[0] == 0
    assert copy(team_db, tmp_path / "same.db")[0] == 0
    original = everything(team_db)
    assert everything(second) == original
    assert everything(tmp_path / "same.db") == original


def test_after_a_copy_to_postgresql_new_rows_get_the_next_ids(team_db, pg_server, copy):
    url = pg_server.new_database()
    assert copy(team_db, url)[0] == 0
    with Store(url) as store:
        last = store.db.execute("SELECT max(seq) FROM events").fetchone()[0]
        article_id = store.progress.library_page("ann", limit=1)[0].id
        added = store.spans.add(article_id, 0, 5, "claim", "newcomer")
        [event] = [e for e in store.events.history(article_id) if e.span_id == added.id]
        assert event.seq == last + 1
        assert store.articles.set_details(article_id, "newcomer", outlet="A New Outlet").outlet == "A New Outlet"


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_target_that_holds_anything_is_refused_and_left_alone(engine, team_db, tmp_path, request, copy):
    if engine == "postgresql":
        target = request.getfixturevalue("pg_server").new_database()
    else:
        target = tmp_path / "full.db"
    make_db(target) if engine == "sqlite" else _fill(target)
    before = everything(target)
    code, out, err = copy(team_db, target)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "is not empty (it holds 2 outlets, 3 articles" in err and "Nothing was copied" in err
    assert everything(target) == before


def _fill(url: str) -> None:
    from tui_support import ARTICLES

    with Store(url) as store:
        store.ingest(ArticleRecord(source="test", **article) for article in ARTICLES)


def test_a_new_empty_claimdesk_database_is_a_fine_target(team_db, pg_server, copy):
    url = pg_server.new_database()
    Store(url).close()  # someone tried the URL first: the schema and the default labels, nothing else
    assert copy(team_db, url)[0] == 0
    assert everything(url) == everything(team_db)


def test_a_table_the_copy_leaves_out_fails_the_verification(team_db, tmp_path, monkeypatch, capsys):
    pages = db_copy._pages

    def forgetting(db, table, columns, **options):
        return iter(()) if table == "claim_leaders" else pages(db, table, columns, **options)

    monkeypatch.setattr(db_copy, "_pages", forgetting)
    target = tmp_path / "forgot.db"
    assert main(["db", "copy", str(team_db), str(target)]) == 1
    err = capsys.readouterr().err
    assert "failed verification: claim_leaders: 0 rows in" in err and err.count("\n") == 1


def test_a_span_copied_wrong_fails_the_replay_check(team_db, tmp_path, monkeypatch, capsys):
    pages = db_copy._pages

    def shifting(db, table, columns, **options):
        for page in pages(db, table, columns, **options):
            if table == "spans":
                at = list(columns).index("end")
                page = [(*row[:at], row[at] + 1, *row[at + 1:]) for row in page]
            yield page

    monkeypatch.setattr(db_copy, "_pages", shifting)
    assert main(["db", "copy", str(team_db), str(tmp_path / "wrong.db")]) == 1
    err = capsys.readouterr().err
    assert "failed verification: span " in err and "differs from its last event in end" in err


def test_a_table_claimdesk_does_not_know_is_refused_not_skipped(tmp_path, capsys):
    source = make_db(tmp_path / "extra.db")
    with Store(source) as store:
        store.db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    target = tmp_path / "t.db"
    assert main(["db", "copy", str(source), str(target)]) == 2
    err = capsys.readouterr().err
    assert "has the table notes, which `claimdesk db copy` does not know how to copy" in err
    assert not target.exists()


def test_an_interrupted_copy_leaves_the_target_empty_and_can_be_run_again(team_db, pg_server, monkeypatch, capsys):
    url = pg_server.new_database()
    pages = db_copy._pages

    def interrupted(db, table, columns, **options):
        if table == "events":
            raise KeyboardInterrupt
        return pages(db, table, columns, **options)

    monkeypatch.setattr(db_copy, "_pages", interrupted)
    assert main(["db", "copy", str(team_db), url]) == 130
    assert "copy interrupted; nothing is left in" in capsys.readouterr().err
    target = open_database(url, create=False)
    try:
        assert db_copy.what_it_holds(target) is None
    finally:
        target.close()
    monkeypatch.setattr(db_copy, "_pages", pages)
    assert main(["db", "copy", str(team_db), url]) == 0
    assert everything(url) == everything(team_db)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_row_the_target_refuses_stops_the_copy_and_leaves_nothing(engine, team_db, tmp_path, monkeypatch, capsys,
                                                                    request):
    pages = db_copy._pages

    def bad_row(db, table, columns, **options):
        for page in pages(db, table, columns, **options):
            if table == "progress":
                at = list(columns).index("status")
                page = [(*row[:at], "lost", *row[at + 1:]) for row in page]  # refused by the CHECK
            yield page

    monkeypatch.setattr(db_copy, "_pages", bad_row)
    folder = tmp_path / "targets"
    folder.mkdir()
    target = request.getfixturevalue("pg_server").new_database() if engine == "postgresql" else folder / "new.db"
    assert main(["db", "copy", str(team_db), str(target)]) == 2
    err = capsys.readouterr().err
    assert "cannot copy a row of progress" in err and err.count("\n") == 1
    if engine == "sqlite":
        assert list(folder.iterdir()) == []  # the file it made is gone
    else:
        db = open_database(target, create=False)
        try:
            assert db_copy.what_it_holds(db) is None  # emptied again
        finally:
            db.close()


@pytest.mark.parametrize(("change", "changed"), [
    (lambda other: other.spans.add("a1", 0, 8, "claim", "late"), "spans, events"),
    (lambda other: other.progress.save_cursor("a1", "ann", 99), "progress"),  # no row more or less
])
def test_writes_to_the_source_during_the_copy_are_reported(change, changed, tmp_path, monkeypatch, capsys):
    source = make_db(tmp_path / "busy.db")
    with Store(source) as store:
        store.progress.open("a1", "ann")
    pages = db_copy._pages

    def written_meanwhile(db, table, columns, **options):
        if table == "events":
            with Store(source) as other:  # another annotator, still at work
                change(other)
        return pages(db, table, columns, **options)

    monkeypatch.setattr(db_copy, "_pages", written_meanwhile)
    assert main(["db", "copy", str(source), str(tmp_path / "t.db")]) == 1
    err = capsys.readouterr().err
    assert f"was written to while the copy ran ({changed} changed)" in err
    # The copy is the source as it was when it began: whole, just older.
    with Store(tmp_path / "t.db") as copied:
        assert copied.spans.for_article("a1") == []
        assert copied.progress.get("a1", "ann").cursor == 0


def test_bad_sources_and_targets_are_one_line_without_a_traceback(tmp_path, pg_server, copy):
    source = make_db(tmp_path / "ok.db")
    unreachable = f"postgresql://nobody@/claimdesk?host={tmp_path}/no-server-here"
    cases = [
        ((tmp_path / "missing.db", tmp_path / "t1.db"), "missing.db: no such database"),
        ((unreachable, tmp_path / "t2.db"), "cannot connect"),
        ((source, unreachable), "cannot connect"),
        ((source, tmp_path / "no-folder" / "t.db"), "does not exist"),
        ((source, source), "is both the source and the target"),
        (("postgresql://[bad", tmp_path / "t3.db"), "cannot connect"),
    ]
    for (src, dst), expected in cases:
        code, out, err = copy(src, dst)
        assert code == 2 and out == "", (src, dst, err)
        assert expected in err and err.count("\n") == 1 and "Traceback" not in err, err
    assert [path.name for path in tmp_path.iterdir() if not path.name.startswith("ok.db")] == []  # no target left


def test_help_says_what_is_copied_that_the_target_must_be_empty_and_how_it_is_checked(capsys):
    with pytest.raises(SystemExit):
        main(["db", "copy", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for phrase in ("SQLite file to a PostgreSQL server", "DST must be empty", "does not resume",
                   "verified", "docs/teams.md", "Exit status"):
        assert phrase in text


def test_the_progress_bar_shows_on_a_terminal_only(team_db, tmp_path, copy):
    command = [sys.executable, "-m", "tui.cli", "db", "copy", str(team_db), str(tmp_path / "bar.db")]
    out, seen = run_with_stderr(command, stderr_tty=True)
    assert b"copying" in seen and b"left" in seen
    assert b"verified" in out
    code, out, err = copy(team_db, tmp_path / "piped.db")
    assert code == 0 and err == ""


# --- a team moves: SQLite, then db copy, then the app on PostgreSQL ----------------


async def test_a_team_starts_on_sqlite_copies_to_postgresql_and_carries_on_where_it_left_off(tmp_path, pg_server):
    from tui.screens.annotate import AnnotateScreen
    from tui.screens.library import LibraryScreen

    make_db(tmp_path / "claimdesk.db")
    app = make_app(tmp_path / "claimdesk.db", tmp=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "enter")  # a1
        screen = app.screen
        assert isinstance(screen, AnnotateScreen)
        await press(app, pilot, "s", "c")  # the title line, a claim
        await press(app, pilot, "enter")  # a1 done: a2 opens
        assert screen.article.id == "a2"
        screen.view.move_to(SECOND.index("Halvard denied"))
        await press(app, pilot, "c")  # the last change: a claim in a2
        await press(app, pilot, "w", "w")
        cursor = screen.view.cursor
    with Store(tmp_path / "claimdesk.db") as store:
        [last] = store.spans.for_article("a2", annotator="ann")
    assert last.text == "Halvard denied the vests were faulty."

    url = pg_server.new_database()
    done = subprocess.run([sys.executable, "-m", "tui.cli", "db", "copy", "claimdesk.db", url], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "verified" in done.stdout, done.stderr

    app = make_app(url, tmp=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AnnotateScreen)  # reopened where they left off
        assert (screen.article.id, screen.view.cursor) == ("a2", cursor)
        await press(app, pilot, "u")  # undo still undoes their last change
        with Store(url) as store:
            assert store.spans.for_article("a2", annotator="ann") == []
        screen.view.move_to(SECOND.index("The armour was bought"))
        await press(app, pilot, "q")  # a new tag, saved to PostgreSQL
        await press(app, pilot, "escape")
        assert isinstance(app.screen, LibraryScreen)
        await settle(app, pilot)
        shown = "\n".join(screen_lines(app))
        assert "1 done by me" in shown and "1 in progress" in shown  # the library shows their progress
    with Store(url) as store:
        [new] = store.spans.for_article("a2", annotator="ann")
        assert (new.label, new.text) == ("quote", "The armour was bought from Halvard Dynamics.")
        [kept] = store.spans.for_article("a1", annotator="ann")
        assert kept.text == FIRST.splitlines()[0]
        assert store.progress.get("a1", "ann").status == "done"


def test_without_src_the_database_of_claimdesk_db_is_copied_and_textual_is_never_loaded(team_db, tmp_path):
    assert_runs_without_textual(["db", "copy", str(tmp_path / "from-env.db")],
                                env={**os.environ, "CLAIMDESK_DB": str(team_db)})
    assert everything(tmp_path / "from-env.db") == everything(team_db)
