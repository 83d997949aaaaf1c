"""``claimdesk articles set``: fix an article's title or outlet after ingest."""

from __future__ import annotations

import argparse

from tui.commands.errors import CommandError
from tui.commands.options import add_db_option, open_store

HELP = """\
Change the title or the outlet of a stored article (its text never changes),
for example when ingest took site chrome for the title or named the outlet
after the folder. A new outlet name is added. The change is recorded as an
event, with who made it and the old and new values, like every change."""


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``articles`` to the command line."""
    parser = commands.add_parser("articles", help="fix an article's title or outlet", description=HELP,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    add_db_option(parser)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    change = actions.add_parser("set", help="set an article's title and/or outlet", description=HELP,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    change.add_argument("article", metavar="ID", help="the article's id (as the library and exports show it)")
    change.add_argument("--title", metavar="TITLE", help="the new title")
    change.add_argument("--outlet", metavar="NAME", help="the new outlet")
    change.add_argument("--annotator", metavar="NAME", help="who is making the change (default: your login name)")
    add_db_option(change)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Set the title and/or outlet; print what changed."""
    from tui.commands.app import default_annotator

    if args.title is None and args.outlet is None:
        raise CommandError("say what to change: --title TITLE and/or --outlet NAME")
    with open_store(args) as store:
        before = store.articles.get(args.article)
        if before is None:
            raise CommandError(f"no article with id {args.article!r}")
        after = store.articles.set_details(
            args.article, args.annotator or default_annotator(), title=args.title, outlet=args.outlet
        )
    changes = [f"{field} {old!r} -> {new!r}" for field, old, new in
               (("title", before.title, after.title), ("outlet", before.outlet, after.outlet)) if old != new]
    print(f"{args.article}: " + ("; ".join(changes) if changes else "nothing to change"))
    return 0
