"""Picking an article's title from its plain text, as a reader would.

Text saved from a web page often starts with the site's chrome: menus glued
together (``NewslettersSign inAPP``), the site's tagline (``News and
Information on world security issues``), a byline or a date. And some files
have no headline at all, only the lede paragraph. :func:`pick_title` skips
such lines and takes the first short line that reads as a headline; when
there is none it makes a short title from the first sentence and says so,
so the ingest can tell the user which titles to check.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# How far down a headline can be: site chrome rarely runs longer.
LINES_LOOKED_AT = 12
MAX_TITLE_CHARS = 150
MAX_TITLE_WORDS = 24
FALLBACK_CHARS = 80

# Words of site navigation and page furniture, compared in lower case.
_CHROME_WORDS = {
    "home", "menu", "search", "sign", "in", "up", "log", "login", "logout", "subscribe", "subscription",
    "newsletter", "newsletters", "app", "apps", "account", "my", "register", "skip", "to", "content", "main",
    "navigation", "share", "tweet", "email", "print", "follow", "us", "cookies", "cookie", "accept", "settings",
    "advertisement", "advertising", "sponsored", "latest", "trending", "more", "sections", "news", "world",
    "politics", "business", "sport", "sports", "opinion", "video", "videos", "podcasts", "live", "top", "stories",
    "the", "and", "of", "&", "|", "·", "•", "-", "—", "donate", "support", "contact", "about", "help", "edition",
    "close", "open", "toggle", "back", "next", "previous", "read", "listen", "watch", "comments", "comment",
}
_GLUED_WORDS = re.compile(r"[a-z][A-Z]")  # "NewslettersSign inAPP": menu items without spaces between
_BYLINE_OR_DATE = re.compile(
    r"^(by\s+\S|published\b|updated\b|posted\b|last (updated|modified)\b|photo\b|image\b|\d+\s+min(ute)?s?\s+read\b"
    r"|(mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+\d|\d{1,2}\s+[a-z]+\s+\d{4}\b|[a-z]+\s+\d{1,2},\s+\d{4}\b|\d{4}-\d{2}-\d{2})",
    re.I,
)
_TAGLINE = re.compile(
    r"^(the\s+)?(latest\s+|breaking\s+|daily\s+|independent\s+)?news\s+(and|&)\s+\w+"
    r"|\byour\s+(source|guide|home)\s+for\b|\bofficial\s+(site|website)\b|\ball\s+rights\s+reserved\b|^copyright\b|^©",
    re.I,
)
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+(?=[A-Z\"“‘(])")
_WORD = re.compile(r"\S+")


# How an ingest note about a made-up title begins (the ingest counts them).
FALLBACK_NOTE = "fallback title"


class PickedTitle(NamedTuple):
    """The title, and whether it was made up because no line reads as one."""

    title: str
    fallback: bool


def is_chrome(line: str) -> bool:
    """True for a line of site navigation, a tagline, a byline or a date: not a headline."""
    words = _WORD.findall(line)
    if not words:
        return True
    if len(_GLUED_WORDS.findall(line)) >= 2 and len(words) <= 6:
        return True
    if _TAGLINE.search(line) or _BYLINE_OR_DATE.match(line):
        return True
    lowered = [w.lower().strip(".,:;!?") for w in words]
    return all(w in _CHROME_WORDS or not w for w in lowered)


def is_paragraph(line: str) -> bool:
    """True for a line too long, or of too many sentences, to be a headline."""
    words = _WORD.findall(line)
    if len(line) > MAX_TITLE_CHARS or len(words) > MAX_TITLE_WORDS:
        return True
    return len(_SENTENCE_BREAK.findall(line)) >= 1 and len(words) > 12


def _fallback(text: str) -> str:
    for line in text.split("\n"):
        line = line.strip()
        if line and not is_chrome(line):
            first = _SENTENCE_BREAK.split(line, maxsplit=1)[0].strip()
            if len(first) <= FALLBACK_CHARS:
                return first
            cut = first[:FALLBACK_CHARS].rsplit(" ", 1)[0].rstrip(",;:—- ")
            return cut + "…"
    return ""


def pick_title(text: str, *, markdown: bool = False) -> PickedTitle:
    """The headline of a plain-text article: the first of its first
    :data:`LINES_LOOKED_AT` non-blank lines that is neither site chrome
    (:func:`is_chrome`) nor a paragraph (:func:`is_paragraph`). Without one,
    the first sentence, shortened to about :data:`FALLBACK_CHARS` characters
    at a word boundary, with ``fallback`` set. ``markdown`` strips heading marks."""
    looked = 0
    for raw in text.split("\n"):
        line = raw.strip()
        if markdown:
            line = line.lstrip("#").strip()
        if not line:
            continue
        looked += 1
        if looked > LINES_LOOKED_AT:
            break
        if is_paragraph(line):
            break  # the story has begun: a headline comes before it, not after
        if not is_chrome(line):
            return PickedTitle(line, False)
    return PickedTitle(_fallback(text), True)
