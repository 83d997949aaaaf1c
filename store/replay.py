"""Rebuilding the spans table from the events table alone.

The events table is the record of everything anyone did; the spans table is
its current state. Replaying the events in order must give exactly the spans
table — the check that no write was lost, doubled or applied half-way.
"""

from __future__ import annotations

import json
from typing import Any

from store.sqlite import sqlite_utils

from store.db import snapshot
from store.spans import SPAN_COLUMNS


def replay(db: sqlite_utils.Database) -> dict[str, dict[str, Any]]:
    """Span rows by id, as the events say they should be now.

    Every event carries the span row before and after it: an ``after`` puts
    that row in place (add, update, redo, undo of a delete), a ``before``
    without an ``after`` removes the span (delete, undo of an add).
    """
    spans: dict[str, dict[str, Any]] = {}
    # Events that name no span (an article's title or outlet changed) hold no span rows.
    for before, after in db.execute("SELECT before, after FROM events WHERE span_id IS NOT NULL ORDER BY seq"):
        if after is not None:
            row = json.loads(after)
            spans[row["id"]] = row
        elif before is not None:
            spans.pop(json.loads(before)["id"], None)
    return spans


def replay_differences(db: sqlite_utils.Database) -> list[str]:
    """Where the spans table and the replay of the events disagree, one line each;
    empty when they are identical. Both are read in one snapshot."""
    with snapshot(db):
        stored = {row["id"]: row for row in db.query(f"SELECT {SPAN_COLUMNS} FROM spans")}
        replayed = replay(db)
    differences = []
    for span_id in sorted(stored.keys() | replayed.keys()):
        mine, theirs = stored.get(span_id), replayed.get(span_id)
        if theirs is None:
            differences.append(f"span {span_id} is stored but no event left it there")
        elif mine is None:
            differences.append(f"span {span_id} should exist after the events but is not stored")
        elif mine != theirs:
            fields = sorted(k for k in mine.keys() | theirs.keys() if mine.get(k) != theirs.get(k))
            differences.append(f"span {span_id} differs from its last event in {', '.join(fields)}")
    return differences
