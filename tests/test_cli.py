"""The command line: help that explains, clean errors, headless commands that never load Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tui.cli import build_parser, main
from headless_support import assert_runs_without_textual


def subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


def test_top_level_help_names_every_command(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "review a news corpus in the terminal" in out
    for name in subcommands():
        assert name in out


@pytest.mark.parametrize("name", subcommands())
def test_each_subcommand_explains_itself(name, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([name, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert f"usage: claimdesk {name}" in out
    assert "--db PATH" in out
    assert len(out.splitlines()) >= 5


def test_store_errors_are_one_line_without_traceback(tmp_path, capsys):
    bad = tmp_path / "notes.db"
    bad.write_text("not a database" * 200)
    assert main(["labels", "--db", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("claimdesk: ") and err.count("\n") == 1 and "Traceback" not in err


def test_labels_add_and_list(cli):
    assert cli("labels", "add", "source", "s", "--colour", "#123456")[0] == 0
    code, out, _ = cli("labels")
    assert code == 0 and "source" in out and "#123456" in out
    code, _, err = cli("labels", "add", "rumour", "c")
    assert code == 2 and "key 'c' is taken by another label" in err


def test_demo_loads_the_bundled_corpus_once(tmp_path, capsys):
    path = tmp_path / "demo.db"
    assert main(["demo", "--no-open", "--db", str(path)]) == 0
    assert main(["demo", "--no-open", "--db", str(path)]) == 0
    from store import Store

    with Store(path) as store:
        assert store.articles.count() == 17
        assert len(store.articles.outlets()) >= 4


def test_headless_commands_never_import_textual(tmp_path):
    db = str(tmp_path / "x.db")
    assert_runs_without_textual(["ingest", "--quiet", "--db", db, str(tmp_path)], ["labels", "--db", db])


def test_dumb_terminal_gets_a_message_not_a_broken_screen(tmp_path):
    env = {"TERM": "dumb", "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--db", str(tmp_path / "x.db")], capture_output=True, text=True, env=env
    )
    assert result.returncode == 2
    assert "TERM=dumb" in result.stderr and "Traceback" not in result.stderr


def test_export_lists_every_format_the_store_writes():
    from store.export import FORMATS
    from tui.commands.export import FORMAT_NAMES

    assert sorted(FORMAT_NAMES) == sorted(FORMATS)


def test_the_command_line_loads_no_database_tooling_until_a_command_runs():
    code = (
        "import sys; import tui.cli; tui.cli.build_parser(); "
        "heavy = [m for m in ('sqlite_utils', 'pydantic', 'textual', 'selectolax', 'rapidfuzz') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_app_on_a_postgresql_server_that_cannot_be_reached_says_so_before_taking_the_screen(tmp_path, capsys):
    from tui.cli import main

    url = f"postgresql://nobody@/claimdesk?host={tmp_path}"  # no server listens there
    assert main(["--db", url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot connect" in err and "Traceback" not in err


def test_the_demo_loads_into_a_postgresql_database_too(pg_server, capsys):
    from store import Store
    from tui.cli import main

    url = pg_server.new_database().replace("postgres@", "postgres:s3cret@")
    assert main(["demo", "--no-open", "--db", url]) == 0
    assert capsys.readouterr().out.strip() == url.replace("s3cret", "***")
    with Store(url) as store:
        assert store.articles.count() >= 17


def test_a_postgresql_url_without_the_driver_installed_says_which_extra_to_install(monkeypatch, capsys):
    import store.engine.postgres as postgres
    from tui.cli import main

    monkeypatch.setattr(postgres, "psycopg", None)  # as after `pip install claimdesk` without the extra
    assert main(["stats", "--db", "postgresql://claimdesk@dbhost/claimdesk"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'claimdesk[postgresql]'" in err
