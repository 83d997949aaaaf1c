"""Opening the Textual app from the command line."""

from __future__ import annotations

import argparse
import getpass
import os

from store.engine.base import is_url
from tui.commands.errors import CommandError
from tui.commands.options import db_path


def default_annotator() -> str:
    """The login name, which is what an annotator is called unless told otherwise."""
    try:
        return getpass.getuser()
    except OSError:
        return "annotator"


def add_app_options(parser: argparse.ArgumentParser) -> None:
    """Options of the app itself."""
    parser.add_argument(
        "--annotator", default=argparse.SUPPRESS, metavar="NAME",
        help="your name on every span and change (default: your login name)",
    )
    parser.add_argument(
        "--keymap", default=argparse.SUPPRESS, metavar="NAME|PATH",
        help="key bindings: default, numeric, emacs, or a TOML file",
    )


def _reach_server(url: str) -> None:
    """Refuse, before the screen is taken over, a PostgreSQL server that cannot be
    reached (the library would only say it has no articles); a server without
    a claimdesk database yet opens on the page that says how to add articles."""
    from store import DatabaseMissing, Store, StoreError

    try:
        Store(url, create=False).close()
    except DatabaseMissing:
        pass
    except StoreError as err:
        raise CommandError(str(err)) from None


def run_app(args: argparse.Namespace, app_class: type | None = None) -> int:
    """Open the app (or ``app_class``, a ClaimdeskApp subclass); returns when the user quits."""
    if os.environ.get("TERM", "") in ("dumb", "unknown"):
        raise CommandError(
            "this terminal (TERM=dumb) cannot show the app; use a terminal such as xterm, or run a "
            "command-line subcommand (see claimdesk --help)"
        )
    target = db_path(args)
    if is_url(target):
        _reach_server(target)
    from tui.app import ClaimdeskApp
    from tui.keymap import KeymapError

    try:
        app = (app_class or ClaimdeskApp)(
            db_path=target,
            annotator=getattr(args, "annotator", None) or default_annotator(),
            keymap=getattr(args, "keymap", None) or "default",
        )
    except KeymapError as err:  # file:line: what is wrong, before the screen is taken over
        raise CommandError(str(err)) from None
    app.run()
    if app.hung_up:
        app.leave_now()
    return app.return_code or 0
