"""``claimdesk labels``: list the label set, or add a label for the whole team."""

from __future__ import annotations

import argparse

from tui.commands.options import add_db_option, open_store


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``labels`` to the command line."""
    parser = commands.add_parser(
        "labels",
        help="list or add span labels",
        description="With no arguments, list the labels (name, key, colour). "
        "`claimdesk labels add NAME KEY [--colour #rrggbb]` adds one; the key tags a selection with it in the app.",
    )
    add_db_option(parser)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    add = actions.add_parser("add", help="add a label")
    add.add_argument("name", help="lower-case name, e.g. source")
    add.add_argument("key", help="one character that applies the label in the app")
    add.add_argument("--colour", default="#56b6c2", help="display colour as #rrggbb (default %(default)s)")
    add_db_option(add)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """List or add."""
    with open_store(args, create=args.action == "add") as store:
        if args.action == "add":
            label = store.labels.add(args.name, args.key, args.colour)
            print(f"added label {label.name!r} on key {label.key!r}")
            return 0
        for label in store.labels.all():
            print(f"{label.name:<16} {label.key or '-':<4} {label.colour}")
    return 0
