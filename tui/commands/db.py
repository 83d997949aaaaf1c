"""``claimdesk db copy``: move a team's database between engines."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from store.engine.base import database_target, shown
from tui.commands.errors import CommandError
from tui.commands.options import add_db_option, db_path, interactive
from tui.commands.progress import Progress

DESCRIPTION = """\
Work on the database as a whole."""

COPY_HELP = """\
Copy a whole claimdesk database into a new one, on either engine: an SQLite
file to a PostgreSQL server (when a team outgrows one file), back again, or
to the same kind. SRC and DST are each a file path or a postgresql:// URL;
without SRC the database of --db (else $CLAIMDESK_DB, else ./claimdesk.db)
is copied.

Everything is copied: articles (in their ingest order, text byte for byte),
outlets, labels, every annotator's spans, suggestions and their rules, the
events with their order (so undo still undoes each person's last change),
progress and cursors, review and claim decisions, claim clusters and
conflicts, article locks and the team settings. SQLite's title index is
rebuilt in a new file; PostgreSQL's id counters move past the copied ids.

DST must be empty: a file that does not exist yet (or an empty one), or a
PostgreSQL database with no claimdesk tables (or a new claimdesk schema with
nothing in it). Anything else is refused, naming what it holds, and left
alone. The copy does not resume: if it is interrupted or fails, what it
wrote is taken out again (a file it made is deleted), so the same command
can simply be run again.

The copy reads SRC as it was when the copy began. Ask everyone to close
claimdesk first: a change made to SRC while the copy runs is not in DST, and
the copy says so (exit status 1). At the end the copy is verified: every
table holds as many rows as in SRC, and DST's spans equal the replay of its
events. Exit status: 0 when copied and verified, 1 when the verification
failed (DST is kept, to look at), 2 on an error (nothing is left in DST).

Example:
  claimdesk db copy claimdesk.db postgresql://claimdesk@dbhost/claimdesk
Then point everyone at the server: --db URL or CLAIMDESK_DB=URL
(see docs/teams.md)."""


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``db`` (and ``db copy``) to the command line."""
    parser = commands.add_parser("db", help="copy a whole database between SQLite and PostgreSQL",
                                 description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest="db_command", title="commands", metavar="COMMAND")
    parser.set_defaults(run=lambda args: _no_action(parser))
    copy = actions.add_parser("copy", help="copy a whole database into a new, empty one (SQLite or PostgreSQL)",
                              description=COPY_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    copy.add_argument("source", type=database_target, metavar="SRC", nargs="?",
                      help="the database to copy: a file or a postgresql:// URL (default: --db, else $CLAIMDESK_DB, "
                      "else ./claimdesk.db)")
    copy.add_argument("target", type=database_target, metavar="DST",
                      help="where to copy it: a new file, or the postgresql:// URL of an empty database")
    copy.add_argument("--quiet", action="store_true", help="no progress bar")
    add_db_option(copy)
    copy.set_defaults(run=run_copy)
    add_db_option(parser)


def _no_action(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_copy(args: argparse.Namespace) -> int:
    """Copy SRC into DST, verify it, and print one line saying so."""
    from store.copy import copy_database, empty_target, open_source, open_target, same_database, verify_copy
    from store.engine import is_url, open_database

    if args.source is None:
        args.source = db_path(args)
    elif getattr(args, "db", None) is not None and not same_database(args.db, args.source):
        raise CommandError(f"--db {shown(args.db)} and SRC {shown(args.source)} name two databases; give one of them")
    if same_database(args.source, args.target):
        raise CommandError(f"{shown(args.source)} is both the source and the target; copy into a new database")
    # A file this copy makes is deleted again if the copy does not finish.
    made_file = None if is_url(args.target) or Path(args.target).exists() else Path(args.target)
    with contextlib.closing(open_source(args.source)) as source:
        try:
            target = open_target(args.target)
        except BaseException:
            _delete(made_file)
            raise
        try:
            with Progress("copying", enabled=interactive() and not args.quiet) as progress:

                def copied(done: int, total: int) -> None:
                    progress.total = total
                    progress.update(done)

                report = copy_database(source, target, on_rows=copied)
        except BaseException as err:
            name = target.name
            with contextlib.suppress(Exception):
                target.close()  # an interrupt may have left this connection mid-statement
            if made_file is not None:
                _delete(made_file)
            else:
                try:
                    with contextlib.closing(open_database(args.target)) as again:
                        empty_target(again)
                except Exception as cleanup:
                    raise CommandError(
                        f"the copy stopped ({err or type(err).__name__}), and what it wrote could not be taken out "
                        f"of {name} ({cleanup}): empty it by hand before copying again"
                    ) from None
            if isinstance(err, KeyboardInterrupt):
                print(f"claimdesk: copy interrupted; nothing is left in {name}: run the same command again",
                      file=sys.stderr)
                return 130
            raise
        with contextlib.closing(target):
            problems = verify_copy(report, target, source)
    if problems:
        more = f" (and {len(problems) - 1:,} more)" if len(problems) > 1 else ""
        print(f"claimdesk: the copy in {report.target} failed verification: {problems[0]}{more}; "
              "it is kept as it is, to look at", file=sys.stderr)
        return 1
    if report.changed_meanwhile:
        print(f"claimdesk: {report.source} was written to while the copy ran ({', '.join(report.changed_meanwhile)} "
              f"changed); {report.target} holds it as it was when the copy began. Ask everyone to close claimdesk, "
              "empty the target and copy again", file=sys.stderr)
        return 1
    print(report.summary())
    return 0


def _delete(made_file: Path | None) -> None:
    """Delete an SQLite file this copy made, with the files SQLite keeps beside it."""
    if made_file is None:
        return
    for suffix in ("", "-wal", "-shm", "-bulk.lock"):
        with contextlib.suppress(OSError):
            Path(f"{made_file}{suffix}").unlink()
