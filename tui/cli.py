"""The ``claimdesk`` command line.

With no subcommand it opens the app. Subcommands that run without a screen
(``ingest``, ``labels``, ...) never import Textual, so they start fast on a
server; each lives in its own module under :mod:`tui.commands`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from store import StoreError
from tui.commands import COMMANDS
from tui.commands.options import add_db_option
from tui.commands.errors import CommandError
from tui.commands.output import escaped_output
from corpus.escape import escape_controls

DESCRIPTION = """\
claimdesk: review a news corpus in the terminal. Mark claims, quotes and
figures in articles, see the same claim across outlets, export datasets.

Run with no command to open the app on the database (--db, else
$CLAIMDESK_DB, else ./claimdesk.db). New here? `claimdesk demo` opens a
ready-made demo corpus.
"""


def build_parser() -> argparse.ArgumentParser:
    """The parser for the whole command line."""
    parser = argparse.ArgumentParser(
        prog="claimdesk", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_db_option(parser)
    from tui.commands.app import add_app_options

    add_app_options(parser)
    commands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")
    for module in COMMANDS:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``claimdesk`` console script; returns the exit code."""
    parser = build_parser()
    with escaped_output():  # argparse quotes what it was given
        args = parser.parse_args(argv)
    if getattr(args, "allow_network_fs", False):
        from store import ALLOW_NETWORK_FS_ENV

        # The app opens the store in its own thread; the environment reaches every opening.
        os.environ[ALLOW_NETWORK_FS_ENV] = "1"
    if args.command is None:
        from tui.commands.app import run_app

        return _guarded(run_app, args)
    with escaped_output():  # every message of every command, escaped in one place
        return _guarded(args.run, args)


def _guarded(run, args: argparse.Namespace) -> int:
    """Run a command; a mistake the user can fix is one line, without a traceback."""
    try:
        if args.command != "aliases":
            from tui.commands.aliases import install_user_aliases

            install_user_aliases()  # the user's aliases.toml, read by every command and the app
        return run(args)
    except (StoreError, CommandError) as err:
        # One line, whatever the message quotes (a file name with a newline cannot add lines).
        print(f"claimdesk: {escape_controls(str(err))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("claimdesk: interrupted; everything done so far is saved", file=sys.stderr)
        return 130
    except BrokenPipeError:
        from tui.commands.options import quiet_stdout

        quiet_stdout()
        return 0
    except Exception as err:  # a read-only, full or damaged database file: one line, no traceback
        from store.errors import database_problem
        from tui.commands.options import db_path

        problem = database_problem(err, db_path(args))
        if problem is None:
            raise
        print(f"claimdesk: {escape_controls(problem)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
