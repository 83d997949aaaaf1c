"""``claimdesk config``: the team settings kept in the database."""

from __future__ import annotations

import argparse
from typing import NamedTuple

from tui.commands.errors import CommandError
from tui.commands.options import add_db_option, open_store


class Setting(NamedTuple):
    """A setting as the command line shows it: the names of its reader and
    writer, methods of the store's assignment (:class:`store.assignment.Assigner`)."""

    read: str
    write: str
    help: str


SETTINGS = {
    "overlap": Setting("overlap", "set_overlap", "how many annotators should finish each article (N hands them out)"),
    "lock-minutes": Setting("idle_minutes", "set_idle_minutes",
                            "after how many idle minutes an open article stops being held for its annotator"),
}


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``config`` to the command line."""
    lines = "\n".join(f"  {name:<14}{setting.help}" for name, setting in SETTINGS.items())
    parser = commands.add_parser(
        "config",
        help="show or change team settings (overlap, lock-minutes)",
        description=f"Settings live in the database, so the whole team shares them.\n\n{lines}\n\n"
        "`claimdesk config` lists them; `claimdesk config overlap` shows one; "
        "`claimdesk config overlap 2` sets it.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("name", nargs="?", choices=list(SETTINGS), metavar="NAME", help=", ".join(SETTINGS))
    parser.add_argument("value", nargs="?", metavar="VALUE", help="a whole number to set it to")
    add_db_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """List, show or set."""
    with open_store(args) as store:
        assignment = store.assignment
        if args.name is None:
            for name, setting in SETTINGS.items():
                print(f"{name:<14}{getattr(assignment, setting.read)():>4}   {setting.help}")
            return 0
        setting = SETTINGS[args.name]
        if args.value is not None:
            try:
                value = int(args.value)
            except ValueError:
                raise CommandError(f"{args.name} takes a whole number, not {args.value!r}") from None
            getattr(assignment, setting.write)(value)
        print(f"{args.name} {getattr(assignment, setting.read)()}")
    return 0
