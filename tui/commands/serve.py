"""``claimdesk serve``: the same app in a browser, one app process per tab, behind a token."""

from __future__ import annotations

import argparse
import ipaddress
import os
import secrets
import sys
from pathlib import Path

from store.engine.base import is_url, safe_url
from tui.commands.errors import CommandError
from tui.commands.options import add_db_option, db_path

DESCRIPTION = """\
Serve the app to web browsers (through textual-serve): each browser tab runs
the app as one annotator, named in the link (?annotator=NAME) or picked on
the first page, with the same keys, resume, undo and locks as in a terminal.

Safe by default: the server binds to 127.0.0.1, and every request must carry
a secret token (printed once at start, or read from --token-file); without it
the answer is 403 and no app starts. Binding to another address needs
--allow-remote. The two supported set-ups:

  an SSH tunnel:   on the server `claimdesk serve`, then on your machine
                   `ssh -N -L 8000:127.0.0.1:8000 you@server` and open the
                   printed link on http://127.0.0.1:8000
  a reverse proxy: which adds its own login, in front of
                   `claimdesk serve --public-url https://claims.example.org`
"""


def default_max_apps() -> int:
    """Four app processes a core, and no more than the memory holds at ~150 MB each."""
    cores = os.cpu_count() or 1
    try:
        memory_mb = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20
    except (ValueError, OSError):
        memory_mb = 4096
    return max(1, min(4 * cores, memory_mb // 150))


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``serve`` to the command line."""
    parser = commands.add_parser(
        "serve", help="serve the app to web browsers (needs claimdesk[serve])", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument(
        "--allow-remote", action="store_true",
        help="allow binding to an address other machines reach (the token is still required)",
    )
    parser.add_argument(
        "--token-file", type=Path, metavar="PATH",
        help="read the secret token from this file instead of making a new one (it is then not printed)",
    )
    parser.add_argument(
        "--max-apps", type=_positive_int, default=default_max_apps(), metavar="N",
        help="at most N app processes (browser tabs) at once (default here: %(default)s)",
    )
    parser.add_argument(
        "--idle-timeout", type=float, default=30.0, metavar="MINUTES",
        help="end a tab's app after this many minutes without a key (default: 30; work is saved)",
    )
    parser.add_argument("--public-url", metavar="URL", help="the address browsers use, when behind a reverse proxy")
    parser.add_argument("--keymap", metavar="NAME|PATH", help="key bindings for every tab (default, numeric, emacs, a file)")
    add_db_option(parser)
    parser.set_defaults(run=run)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl+C or SIGTERM."""
    try:
        from tui.web_server import ClaimdeskServer, read_token_file
    except ImportError:
        raise CommandError(
            "serving to browsers needs textual-serve: pip install 'claimdesk[serve]'"
        ) from None
    if not _is_loopback(args.host) and not args.allow_remote:
        raise CommandError(
            f"--host {args.host} lets other machines reach the app; use an SSH tunnel to 127.0.0.1, "
            "or add --allow-remote (every request still needs the token)"
        )
    target = db_path(args)
    if is_url(target):
        # Checked now, so a wrong URL is one line here and not an error in every tab.
        from store import Store

        Store(target, create=False).close()
        # Handed to each tab's app in its environment: an argument would show any
        # password to every user of the machine in `ps`.
        os.environ["CLAIMDESK_DB"] = target
        app_db, shown = [], safe_url(target)
    else:
        database = target.resolve()
        if not database.exists():
            raise CommandError(f"{database}: no such database; create one with `claimdesk ingest` or `claimdesk demo`")
        app_db, shown = ["--db", str(database)], str(database)
    if args.token_file is not None:
        try:
            token = read_token_file(args.token_file)
        except (OSError, ValueError, UnicodeDecodeError) as err:
            raise CommandError(f"--token-file: {err}") from None
    else:
        token = secrets.token_urlsafe(24)
    app_argv = [sys.executable, "-m", "tui.cli", *app_db]
    if args.keymap:
        app_argv += ["--keymap", args.keymap]
    link_host = f"[{args.host}]" if ":" in args.host else args.host
    base = args.public_url or f"http://{link_host}:{args.port}"
    link = f"{base}/" if args.token_file else f"{base}/?token={token}"
    reach = "this machine only" if _is_loopback(args.host) else f"{args.host}: other machines can reach it"
    announce = (
        f"claimdesk serve: {shown} on {link}\n"
        f"  bound to {reach}; every request needs the token"
        + (" from the token file" if args.token_file else " in that link (keep it secret)") + "\n"
        f"  at most {args.max_apps} tabs at once; a tab's app ends after {args.idle_timeout:g} min without a key\n"
        "  Ctrl+C stops the server and every app (all work is saved)"
    )
    server = ClaimdeskServer(
        app_argv=app_argv, host=args.host, port=args.port, token=token, max_apps=args.max_apps,
        idle_timeout=args.idle_timeout * 60, public_url=args.public_url, announce=announce,
    )
    try:
        server.serve()
    except OSError as err:
        raise CommandError(f"cannot listen on {args.host}:{args.port}: {err.strerror or err}") from None
    return 0
