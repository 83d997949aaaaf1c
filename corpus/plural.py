"""Counted nouns for messages: ``1 article``, ``2 articles``, ``1,024 spans``."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``number`` (with thousands separators) and ``noun``, plural unless it is one.

    ``plural`` defaults to ``noun + "s"``, which is right for every noun our
    messages count (article, span, suggestion, file, claim...).
    """
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"
