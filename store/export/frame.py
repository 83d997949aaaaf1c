"""The selected spans and articles as pandas DataFrames, for leads in notebooks.

The same selection as ``claimdesk export`` (:class:`ExportFilter`: accepted
spans by default, filters by label, annotator, outlet, done, gold, since),
read a page at a time through :class:`ExportQuery`. Needs pandas (it comes
with ``claimdesk[export-check]``, or ``pip install pandas``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from store.engine import Database

from store.export.query import ExportError, ExportFilter, ExportQuery

if TYPE_CHECKING:
    import pandas

SPAN_COLUMNS = ("article_id", "outlet", "title", "published", "span_id", "start", "end", "label", "text", "annotator",
                "origin", "status", "created_at", "updated_at", "attrs")
ARTICLE_COLUMNS = ("article_id", "outlet", "title", "url", "published", "text", "spans")


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ExportError("a DataFrame needs pandas, which is not installed: pip install pandas") from None
    return pandas


def spans_frame(db: Database, flt: ExportFilter | None = None) -> pandas.DataFrame:
    """One row a selected span, with its article's id, outlet, title and date;
    ``attrs`` holds the span's attributes as a dict."""
    pandas = _pandas()
    rows = []
    for article in ExportQuery(flt or ExportFilter()).articles(db):
        for span in article.spans:
            rows.append((article.id, article.outlet, article.title, article.published, span.id, span.start, span.end,
                         span.label, article.text[span.start : span.end], span.annotator, span.origin, span.status,
                         span.created_at, span.updated_at, dict(span.attrs)))
    return pandas.DataFrame.from_records(rows, columns=list(SPAN_COLUMNS))


def articles_frame(db: Database, flt: ExportFilter | None = None) -> pandas.DataFrame:
    """One row a selected article, with its text and the number of selected spans."""
    pandas = _pandas()
    rows = [(a.id, a.outlet, a.title, a.url, a.published, a.text, len(a.spans))
            for a in ExportQuery(flt or ExportFilter()).articles(db)]
    return pandas.DataFrame.from_records(rows, columns=list(ARTICLE_COLUMNS))
