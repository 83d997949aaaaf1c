"""Why an export selects nothing, said in one line with what does exist,
so a typo in a filter (``--annotator an1``) is not a silent empty file."""

from __future__ import annotations

from dataclasses import replace

from store.engine import Database

from store.export.query import GOLD, ExportFilter, ExportQuery


def _names(db: Database, sql: str, params: list) -> str:
    names = [row[0] for row in db.execute(sql, params)]
    return ", ".join(names) if names else "none"


def _statuses(flt: ExportFilter) -> tuple[str, list[str]]:
    return ", ".join("?" * len(flt.statuses)), list(flt.statuses)


def explain_empty(db: Database, flt: ExportFilter) -> str | None:
    """None when ``flt`` selects at least one article; else the reason, naming
    the filter that matches nothing and the values that would match."""
    defined = {row[0] for row in db.execute("SELECT name FROM labels")}
    if ExportQuery(flt).count(db) or not set(flt.labels) <= defined:
        return None  # an undefined label is the export's own error, with the label set
    marks, statuses = _statuses(flt)
    alone = ExportFilter(statuses=flt.statuses)
    if not ExportQuery(alone).count(db):
        return "nothing to export: the database has no accepted span and no article marked done"
    reasons = []
    for name in flt.span_annotators():
        if not ExportQuery(replace(alone, annotators=(name,) if name != GOLD else (), gold=name == GOLD)).count(db):
            known = _names(db, f"SELECT DISTINCT annotator FROM spans WHERE status IN ({marks}) ORDER BY 1", statuses)
            reasons.append(f"no spans by {name!r}; annotators: {known}")
    for label in flt.labels:
        if not ExportQuery(replace(alone, labels=(label,))).count(db):
            known = _names(db, f"SELECT DISTINCT label FROM spans WHERE status IN ({marks}) ORDER BY 1", statuses)
            reasons.append(f"no spans labelled {label!r}; labels with spans: {known}")
    for outlet in flt.outlets:
        if not ExportQuery(replace(alone, outlets=(outlet,))).count(db):
            known = _names(db, "SELECT name FROM outlets ORDER BY 1", [])
            reasons.append(f"no articles of outlet {outlet!r} with spans or marked done; outlets: {known}")
    if flt.done and not ExportQuery(replace(alone, done=True)).count(db):
        reasons.append("no article is marked done")
    if flt.since and not ExportQuery(replace(alone, since=flt.since)).count(db):
        last = db.execute(f"SELECT max(updated_at) FROM spans WHERE status IN ({marks})", statuses).fetchone()[0]
        reasons.append(f"no spans changed on or after {flt.since}; the last change was at {last or 'never'}")
    if reasons:
        return "; ".join(reasons)
    return "no article matches all the filters together (each one alone matches some); nothing was written"
