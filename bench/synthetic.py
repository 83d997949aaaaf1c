"""Synthetic news-like articles for benchmarks (deterministic for a seed)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

WORDS = (
    "the minister said army contract audit report soldiers vests billion million percent government "
    "officials committee inquiry spokesperson defence ministry parliament deal payments tests failed "
    "according to on Tuesday week year budget opposition leader company statement plates ceramic "
    "northern exercise troops border review cancel confirmed denied evidence documents letter colonel"
).split()
OUTLETS = ["Northgate Wire", "The Ostel Courier", "Continental Observer", "The Brevonian Ledger", "Civic Radio"]


def sentence(rng: random.Random) -> str:
    """One sentence of 8-25 words, sometimes with a figure."""
    words = rng.choices(WORDS, k=rng.randint(8, 25))
    if rng.random() < 0.3:
        words.insert(rng.randint(0, len(words)), f"{rng.randint(1, 999):,}{rng.choice(['', ',000', '%'])}")
    return " ".join(words).capitalize() + "."


def article(rng: random.Random, n: int, size: int = 3000) -> dict:
    """An article record of about ``size`` characters."""
    paragraphs, length = [], 0
    while length < size:
        para = " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(para)
        length += len(para) + 2
    return {
        "id": f"syn-{n:07d}",
        "title": sentence(rng)[:80],
        "outlet": rng.choice(OUTLETS),
        "url": f"https://news.test/{n}",
        "published": f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T08:00:00Z",
        "text": "\n\n".join(paragraphs),
    }


def articles(count: int, seed: int = 7, size: int = 3000) -> Iterator[dict]:
    """``count`` synthetic articles."""
    rng = random.Random(seed)
    for n in range(count):
        yield article(rng, n, size)


def write_jsonl(path: Path, count: int, seed: int = 7) -> Path:
    """Write ``count`` articles to ``path`` (reused when it already holds them)."""
    if path.exists() and sum(1 for _ in path.open("rb")) == count:
        return path
    with path.open("w", encoding="utf-8") as out:
        for record in articles(count, seed):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
