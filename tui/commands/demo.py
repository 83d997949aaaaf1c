"""``claimdesk demo``: load the bundled demo corpus and open the app on it."""

from __future__ import annotations

import argparse
from pathlib import Path

import platformdirs

from typing import TYPE_CHECKING

from store.engine.base import database_target, is_url, shown
from tui.commands.errors import CommandError

if TYPE_CHECKING:
    from store import Store

DEMO_CORPUS = Path(__file__).resolve().parent.parent.parent / "corpus" / "demo"
# The article files; the folder's README.md describes the corpus and is not one.
DEMO_ARTICLES = ("html", "wire.jsonl", "peace-talks.jsonl")


def demo_db_path() -> Path:
    """Where the demo database lives: the user's data folder."""
    return Path(platformdirs.user_data_dir("claimdesk")) / "demo.db"


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``demo`` to the command line."""
    parser = commands.add_parser(
        "demo",
        help="open the app on a ready-made demo corpus",
        description="Create (or reuse) a demo database in your data folder, load the bundled demo "
        "corpus (seventeen news articles from eight invented outlets) and open the app on it.",
    )
    parser.add_argument("--db", type=database_target, metavar="PATH|URL",
                        help=f"use this file (or a postgresql:// database) instead of {demo_db_path()}")
    parser.add_argument("--no-open", action="store_true", help="load the corpus, print the database path and exit")
    from tui.commands.app import add_app_options

    add_app_options(parser)
    parser.set_defaults(run=run)


def load_demo(path: Path | str) -> Store:
    """Open (creating if need be) the demo database and make sure the corpus,
    with its suggestions, is in."""
    from corpus.readers import read_paths
    from store import Store

    if not DEMO_CORPUS.is_dir():
        raise CommandError(f"the demo corpus is missing from the installation ({DEMO_CORPUS})")
    if not is_url(path):
        path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(path, create=True)
    # With suggestions, as `claimdesk ingest` makes them: the demo shows them dim, to accept or reject.
    report = store.ingest(read_paths([DEMO_CORPUS / name for name in DEMO_ARTICLES]), suggest=True)
    if report.rejected:
        store.close()
        raise CommandError(f"the demo corpus did not load cleanly: {report.rejected[0]}")
    return store


def run(args: argparse.Namespace) -> int:
    """Load the demo and open the app (or print where it is)."""
    path = args.db or demo_db_path()
    load_demo(path).close()
    if args.no_open:
        print(shown(path))
        return 0
    from tui.commands.app import run_app

    args.db = path
    return run_app(args)
