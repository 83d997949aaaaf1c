"""Options and helpers shared by the app and the subcommands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from store.engine.base import database_target

if TYPE_CHECKING:
    from store import Store


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """``--db PATH|URL``, accepted before or after the subcommand."""
    parser.add_argument(
        "--db",
        type=database_target,
        default=argparse.SUPPRESS,
        metavar="PATH|URL",
        help="the database: an SQLite file, or postgresql://user@host/name for a team server "
        "(default: $CLAIMDESK_DB, else ./claimdesk.db)",
    )
    parser.add_argument(
        "--allow-network-fs",
        action="store_true",
        default=argparse.SUPPRESS,
        help="use a database on NFS/SMB anyway (unsafe with several users; also CLAIMDESK_ALLOW_NETWORK_FS=1)",
    )


def db_path(args: argparse.Namespace) -> Path | str:
    """The database the user means."""
    from store import default_db_path

    return getattr(args, "db", None) or default_db_path()


def open_store(args: argparse.Namespace, *, create: bool = False) -> Store:
    """Open the database named on the command line."""
    from store import Store

    return Store(db_path(args), create=create)


def interactive() -> bool:
    """True when a person is watching stderr (progress bars go there)."""
    return sys.stderr.isatty()


def quiet_stdout() -> None:
    """Point standard output at the null device after its reader closed the
    pipe, so the interpreter's final flush cannot fail with a second
    BrokenPipeError message."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
