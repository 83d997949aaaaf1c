"""The demo corpus with the claims of tests/data/demo_claims.jsonl tagged, for the claim-matching tests."""

from __future__ import annotations

import json
from pathlib import Path

from store import Store
from store.spans import NewSpan

DEMO_CLAIMS = Path(__file__).parent / "data" / "demo_claims.jsonl"


def demo_claim_rows() -> list[dict]:
    """The labelled demo claims: text, source file or record id, group, planted conflicts."""
    return [json.loads(line) for line in DEMO_CLAIMS.open(encoding="utf-8")]


def demo_article_id(store: Store, source: str) -> str:
    """The article id of a demo claim's source (``audit-finds-army-vests-failed.html``, ``wire-0001``)."""
    stem = source.removesuffix(".html")
    return next(a.id for a in store.articles.page(limit=100) if a.id.rsplit("/", 1)[-1] == stem)


def locate(store: Store, source: str, text: str) -> tuple[str, int, int]:
    """``(article_id, start, end)`` of ``text`` in the demo article ``source``."""
    article_id = demo_article_id(store, source)
    start = store.articles.get(article_id).text.index(text)
    return article_id, start, start + len(text)


def tag_demo_claims(store: Store, annotator: str = "alice", rows: list[dict] | None = None) -> dict[int, str]:
    """Tag the demo claims (all, or ``rows``) as the annotator's claims; returns span ids by row number."""
    rows = demo_claim_rows() if rows is None else rows
    spans = []
    for row in rows:
        article_id, start, end = locate(store, row["source"], row["text"])
        spans.append(NewSpan(article_id=article_id, start=start, end=end, label="claim"))
    return {number: span.id for number, span in enumerate(store.spans.add_many(spans, annotator))}
