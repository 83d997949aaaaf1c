"""Numbers in news text, written in digits, words or a mix of both.

``find_numbers`` reads every number expression a reader would take as one
quantity: ``100,000``, ``100 000`` (grouped with a plain, no-break, narrow
no-break or thin space),
``3.5``, ``100k``, ``5bn``, ``43.9 billion``, ``one hundred and fifty``,
``twenty-five``, ``a dozen``, ``two and a half million``. It says nothing about
what the number counts; ``corpus.figures`` adds units, currencies, ranges and
qualifiers on top.

Not read as numbers: digits glued to letters (``COVID-19``, ``G20``,
``21st``, ``1990s``, ``10am``) except the scale suffixes ``k``, ``m``,
``bn``, ``tn`` and the measurement abbreviations of ``ATTACHED_UNITS``;
clock times (``10:30``); decimals written with a comma (``3,5``), which
cannot be told apart from a list; vague amounts (``thousands``, ``dozens``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNIT_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALE_WORDS = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
}
# Scale suffixes glued to digits, as headline writers use them.
SCALE_SUFFIXES = {
    "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "b": 1e9, "bln": 1e9,
    "tn": 1e12, "trn": 1e12,
}
# Measurement abbreviations that may follow digits with no space ("100km");
# the number ends where they begin.
ATTACHED_UNITS = (
    "km", "kg", "mph", "kph", "km/h", "mm", "cm", "ha", "mw", "gw", "kw", "kwh",
    "mwh", "gwh", "gb", "tb", "mb", "lb", "lbs", "oz", "ft", "sq", "c", "f",
)

_NUMBER_WORDS = [*_UNIT_WORDS, *_TENS_WORDS, "hundred", *SCALE_WORDS, "dozen"]


def _trie_pattern(words: list[str]) -> str:
    """A regex alternation of ``words`` sharing their common prefixes.

    ``re`` tries alternatives one by one at every position; factored by
    prefix (``t(?:en|wo|h(?:ree|irty))``) the word pattern runs about twice
    as fast over a long article.
    """
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if "" in node else body

    return emit(tree)


_WORD_ALT = _trie_pattern(_NUMBER_WORDS)
# Horizontal white space inside one number expression: a number never runs
# across a line break.
_GAP = r"[^\S\n]+"
_GROUP_SPACE = "\u00a0\u202f\u2009"
_NO_GROUPING = str.maketrans("", "", ", " + _GROUP_SPACE)

# Thousands grouped with a plain space ("80 000", as French and Nordic text
# writes them) only when every group has three digits and no digit follows.
_DIGITS = (
    r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[" + _GROUP_SPACE + r"]\d{3})+|\d{1,3}(?: \d{3})+(?![\d.,])|\d+)(?:\.\d+)?"
)
_SUFFIX_ALT = "|".join(sorted(SCALE_SUFFIXES, key=len, reverse=True))
_ATTACHED_ALT = "|".join(re.escape(u) for u in sorted(ATTACHED_UNITS, key=len, reverse=True))
_SCALE_ALT = "|".join(SCALE_WORDS)

_DIGIT_NUMBER = (
    # Not the tail of a word or of another number ("G20", "1.2.3", "4,5").
    r"(?<![\w.,:/])"
    # "COVID-19" and "F-35" are names; "20,000-30,000" is a range.
    r"(?<![^\W\d_]-)"
    # A minus sign only where a word could start: "20%-30%" is a range.
    r"(?P<sign>(?<![^\s(])[-\u2212](?=\d))?"
    r"(?P<digits>" + _DIGITS + r")"
    r"(?![.,:/]\d)"
    r"(?:(?P<suffix>" + _SUFFIX_ALT + r")(?![^\W_])"
    r"|(?P<scale>(?:" + _GAP + r"(?:hundred|" + _SCALE_ALT + r")\b)+)"
    r"|(?=(?:" + _ATTACHED_ALT + r")(?![^\W_]))"
    r"|(?![^\W_]))"
)
_WORD_TOKEN = r"(?:half" + _GAP + r"an?" + _GAP + r"(?=" + _SCALE_ALT + r")|an?" + _GAP + r"(?=(?:hundred|" + _SCALE_ALT + r"|dozen)\b))?(?:" + _WORD_ALT + r")\b"
_WORD_RUN = (
    r"(?<![\w-])" + _WORD_TOKEN
    + r"(?:(?:" + _GAP + r"|-)(?:and" + _GAP + r"a" + _GAP + r"half\b|and" + _GAP + r")?(?:" + _WORD_ALT + r")\b"
    + r"|" + _GAP + r"and" + _GAP + r"a" + _GAP + r"half\b)*"
)
# The lookaheads let each branch fail at once on characters that cannot
# start it, before its lookbehinds run: a quarter faster over long text.
_WORD_INITIALS = "".join(sorted({w[0] for w in [*_NUMBER_WORDS, "a", "half"]}))
_NUMBER = re.compile(
    r"(?=[\d\-\u2212])(?P<digit>" + _DIGIT_NUMBER + r")|(?=[" + _WORD_INITIALS + r"])(?P<words>" + _WORD_RUN + r")",
    re.IGNORECASE,
)
_TOKEN = re.compile(
    r"half" + _GAP + r"an?\b|an?\b|and" + _GAP + r"a" + _GAP + r"half\b|and\b|[a-z]+",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class NumberMention:
    """One number expression: ``text == article[start:end]`` and its value."""

    start: int
    end: int
    value: float
    text: str


def _word_values(run: str, offset: int) -> list[NumberMention]:
    """Split a run of number words into the numbers it spells.

    A run such as ``two three`` or ``twenty five hundred`` holds more than
    one number or an ill-formed one; a small grammar keeps the longest
    well-formed prefix, emits it and carries on from the next word.
    """
    tokens = [(m.start(), m.end(), re.sub(r"\s+", " ", m.group().lower())) for m in _TOKEN.finditer(run)]
    found: list[NumberMention] = []
    i = 0
    while i < len(tokens):
        value, used = _parse_words([t[2] for t in tokens[i:]])
        if used == 0:
            i += 1
            continue
        start, end = tokens[i][0], tokens[i + used - 1][1]
        found.append(NumberMention(offset + start, offset + end, value, run[start:end]))
        i += used
    return found


def _parse_words(words: list[str]) -> tuple[float, int]:
    """Value and count of the longest well-formed number at the head of ``words``.

    Returns ``(0.0, 0)`` when the head is not a number (a lone ``a`` or
    ``and``).
    """
    total = 0.0
    group = 0.0  # the part below the last scale word: 0..999
    last_scale = float("inf")
    prev = "start"  # kind of the previous token
    best = (0.0, 0)
    for i, word in enumerate(words):
        if word in ("a", "an"):
            if prev != "start":
                break
            group, prev = 1.0, "a"
            continue
        if word == "half a" or word == "half an":
            if prev != "start":
                break
            group, prev = 0.5, "half"
            continue
        if word == "and":
            if prev not in ("hundred", "scale"):
                break
            prev = "and"
            continue
        if word == "and a half":
            if prev not in ("unit", "tens", "teen", "dozen"):
                break
            group += 0.5
            prev = "and a half"
        elif word in _UNIT_WORDS or word in _TENS_WORDS:
            kind = "tens" if word in _TENS_WORDS else ("teen" if _UNIT_WORDS[word] >= 10 else "unit")
            value = _TENS_WORDS.get(word) or _UNIT_WORDS[word]
            if prev in ("start", "hundred", "scale", "and"):
                group += value
            elif prev == "tens" and kind == "unit" and value > 0:
                group += value
            else:
                break
            if word == "zero" and (prev != "start" or group):
                break
            prev = kind
        elif word == "hundred":
            if prev == "a":
                group = 100.0
            elif prev in ("unit", "teen") and group < 100:
                group *= 100
            elif prev == "tens" and group < 100:
                # "twenty five hundred" reads as 2,500 in speech.
                group *= 100
            else:
                break
            prev = "hundred"
        elif word in SCALE_WORDS:
            scale = SCALE_WORDS[word]
            if scale >= last_scale:
                break
            if prev in ("start", "and"):
                break
            total += (group or 1.0) * scale
            group, last_scale, prev = 0.0, scale, "scale"
        elif word == "dozen":
            if prev not in ("a", "unit", "teen", "tens"):
                break
            group *= 12
            prev = "dozen"
        else:
            break
        if prev not in ("a", "half", "and"):
            best = (total + group, i + 1)
    return best


def _digit_value(match: re.Match[str]) -> float:
    digits = match.group("digits")
    value = float(digits.translate(_NO_GROUPING))
    if match.group("suffix"):
        value *= SCALE_SUFFIXES[match.group("suffix").lower()]
    if match.group("scale"):
        for word in match.group("scale").lower().split():
            value *= 100 if word == "hundred" else SCALE_WORDS[word]
    return -value if match.group("sign") else value


def find_numbers(text: str) -> list[NumberMention]:
    """Every number expression in ``text``, in text order, with its value.

    Offsets are end-exclusive Python string indices; each mention's ``text``
    is ``text[start:end]``. See the module docstring for what counts.
    """
    found: list[NumberMention] = []
    for match in _NUMBER.finditer(text):
        if match.group("digit"):
            found.append(NumberMention(match.start(), match.end(), _digit_value(match), match.group()))
        else:
            found.extend(_word_values(match.group(), match.start()))
    return found


def parse_number(expression: str) -> float | None:
    """The value of one number expression (``"100k"``, ``"one hundred thousand"``).

    Surrounding white space is ignored; anything that is not exactly one
    number (no number, two numbers, extra words) gives ``None``.
    """
    stripped = expression.strip()
    mentions = find_numbers(stripped)
    if len(mentions) == 1 and mentions[0].start == 0 and mentions[0].end == len(stripped):
        return mentions[0].value
    return None
