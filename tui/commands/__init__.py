"""One module per subcommand; each has ``register(subparsers)``, which sets
``run`` on its parser."""

from __future__ import annotations

from tui.commands import aliases, articles, config, db, dedup, demo, export, guidelines, ingest, labels, review, serve, stats, suggest
from tui.commands.options import add_db_option

__all__ = ["COMMANDS", "add_db_option"]

COMMANDS = [ingest, demo, labels, articles, suggest, export, review, stats, config, dedup, serve, aliases, guidelines, db]
