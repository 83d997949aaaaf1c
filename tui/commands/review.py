"""``claimdesk review``: the review queue, in the app or as a list."""

from __future__ import annotations

import argparse
import json

from tui.commands.options import add_db_option, open_store

DESCRIPTION = """\
Articles finished by two or more annotators wait for review, the most
disagreement first. In the app, each article shows every annotator's spans
at once, marked "all" (every finisher marked it), "some" or "one"; accept
(a) or reject (x) each, or correct it with the annotate keys, to build the
gold layer (annotator "gold"; you are recorded on every change). Enter
finishes the article's review. --queue prints the queue instead."""


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``review`` to the command line."""
    parser = commands.add_parser(
        "review", help="review disagreements and build the gold layer", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--queue", action="store_true", help="print the review queue and exit")
    parser.add_argument("--json", action="store_true", help="with --queue: print it as JSON")
    parser.add_argument("--all", action="store_true", help="with --queue: include articles already reviewed")
    add_db_option(parser)
    from tui.commands.app import add_app_options

    add_app_options(parser)
    parser.set_defaults(run=run)


def print_queue(args: argparse.Namespace) -> int:
    """The queue as a table, or JSON."""
    with open_store(args) as store:
        queue = store.review.queue(include_reviewed=args.all)
    if args.json:
        print(json.dumps([entry.model_dump() for entry in queue], ensure_ascii=False, indent=2))
        return 0
    if not queue:
        print("nothing to review: no article is finished by two annotators yet")
        return 0
    width = max(len("article"), *(len(entry.article_id) for entry in queue))
    print(f"{'article':<{width}}  {'spans':>5}  {'differ':>6}  {'to do':>5}  annotators")
    for entry in queue:
        print(f"{entry.article_id:<{width}}  {entry.proposals:>5}  {entry.disagreeing:>6}  {entry.undecided:>5}  "
              f"{', '.join(entry.annotators)}")
    return 0


def run(args: argparse.Namespace) -> int:
    """Open the app on the review queue, or print it."""
    if args.queue:
        return print_queue(args)
    from tui.commands.app import run_app
    from tui.screens.review import ReviewingApp

    return run_app(args, app_class=ReviewingApp)
