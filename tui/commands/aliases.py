"""``claimdesk aliases``: the names that stand for the same actor in claim matching.

The built-in table (:mod:`corpus.aliases`) is extended or trimmed by
``aliases.toml`` in claimdesk's config folder; every command and the app
read it at start (:func:`install_user_aliases`), so matching sees the same
table everywhere.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import platformdirs

from corpus import aliases
from tui.commands.errors import CommandError
from tui.commands.options import add_db_option


def user_aliases_path() -> Path:
    """``aliases.toml`` in claimdesk's config folder."""
    return Path(platformdirs.user_config_dir("claimdesk")) / "aliases.toml"


def read_user_aliases(path: Path | None = None) -> tuple[dict[str, str], frozenset[str]]:
    """``(added, removed)`` from the user's file; empty when there is none."""
    path = user_aliases_path() if path is None else path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, frozenset()
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{path}:1: cannot read the aliases file ({error})") from None
    try:
        return aliases.parse_aliases(text, str(path))
    except aliases.AliasError as error:
        raise CommandError(str(error)) from None


def install_user_aliases(path: Path | None = None) -> None:
    """Make the built-in table plus the user's file the one matching applies."""
    added, removed = read_user_aliases(path)
    aliases.set_user_aliases(added, removed)


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``aliases`` to the command line."""
    parser = commands.add_parser(
        "aliases",
        help="list, add or remove names that stand for the same actor (Brussels = EU)",
        description="Claim matching reads a capital or seat of government as its state, and a "
        "spelling variant as the name it stands for. `claimdesk aliases list` shows the table; "
        "`claimdesk aliases add VARIANT NAME` and `claimdesk aliases remove VARIANT` change it "
        f"(kept in {user_aliases_path()}). Run `claimdesk dedup` afterwards to recluster.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    listing = actions.add_parser("list", help="show every alias (built-in and yours)")
    listing.add_argument("name", nargs="?", help="only the variants of this name")
    add = actions.add_parser("add", help="make VARIANT stand for NAME")
    add.add_argument("variant")
    add.add_argument("name")
    remove = actions.add_parser("remove", help="stop treating VARIANT as another name")
    remove.add_argument("variant")
    # Accepted like everywhere, though aliases belong to the user, not to a database.
    add_db_option(parser)
    parser.set_defaults(run=run, action="list", name=None)


def run(args: argparse.Namespace) -> int:
    """List, add or remove."""
    path = user_aliases_path()
    added, removed = read_user_aliases(path)
    if args.action == "list":
        table = aliases.combined(added, removed)
        for variant, canonical in sorted(table.items(), key=lambda item: (item[1].lower(), item[0].lower())):
            if args.name is None or canonical.lower() == args.name.lower():
                origin = "yours" if variant in added else "built-in"
                print(f"{variant:<42} -> {canonical:<20} {origin}")
        return 0
    if args.action == "add":
        problem = aliases.check_entry(args.variant, args.name)
        if problem:
            raise CommandError(f"alias not added: {problem}")
        added = {**added, args.variant: args.name}
        removed = frozenset(removed - {args.variant})
        message = f"{args.variant} -> {args.name}"
    else:
        if args.variant in added:
            added = {key: value for key, value in added.items() if key != args.variant}
        elif args.variant in aliases.BUILT_IN:
            removed = frozenset(removed | {args.variant})
        else:
            raise CommandError(f"no alias {args.variant!r} (see `claimdesk aliases list`)")
        message = f"{args.variant} is no longer an alias"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(aliases.format_aliases(added, removed), encoding="utf-8")
    print(f"{message} (saved in {path}; run `claimdesk dedup` to recluster)")
    return 0
