"""``claimdesk guidelines``: the team's annotation guidelines, shown in the app."""

from __future__ import annotations

import argparse
from pathlib import Path

from tui.commands.errors import CommandError
from tui.commands.options import add_db_option, open_store

MAX_BYTES = 1024 * 1024


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``guidelines`` to the command line."""
    parser = commands.add_parser(
        "guidelines", help="set or show the annotation guidelines",
        description="`claimdesk guidelines set FILE.md` stores the team's guidelines (Markdown) in the database; "
        "every annotator's app shows them the first time it opens after they change, and on a key (F2) from "
        "anywhere. `claimdesk guidelines show` prints them.",
    )
    add_db_option(parser)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    put = actions.add_parser("set", help="store the guidelines from a Markdown file")
    put.add_argument("file", type=Path, metavar="FILE.md")
    add_db_option(put)
    show = actions.add_parser("show", help="print the guidelines")
    add_db_option(show)
    parser.set_defaults(run=run)


def _read(path: Path) -> str:
    from corpus.normalise import normalise_text
    from corpus.readers.decode import DecodeError, decode_bytes

    try:
        data = path.read_bytes()
    except OSError as err:
        raise CommandError(f"{path}: cannot read: {err.strerror or err}") from None
    if len(data) > MAX_BYTES:
        raise CommandError(f"{path}: {len(data):,} bytes; guidelines are kept under {MAX_BYTES:,}")
    try:
        text = normalise_text(decode_bytes(data))  # shown in every annotator's terminal: untrusted text
    except DecodeError as err:
        raise CommandError(f"{path}: {err}") from None
    if not text.strip():
        raise CommandError(f"{path}: the file is empty")
    return text


def run(args: argparse.Namespace) -> int:
    """Set or show."""
    if args.action == "set":
        text = _read(args.file)
        with open_store(args, create=True) as store:
            store.settings.set_guidelines(text)
        print(f"guidelines set from {args.file} ({len(text.splitlines()):,} lines); "
              "each annotator's app shows them when it next opens")
        return 0
    with open_store(args) as store:
        text = store.settings.guidelines()
    if text is None:
        raise CommandError("no guidelines are set; add them with: claimdesk guidelines set FILE.md")
    print(text)
    return 0
