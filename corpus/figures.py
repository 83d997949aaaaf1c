"""Figures: numbers with what they count, their currency or unit, and their qualifier.

A figure is a stated quantity. Its span runs from the qualifier
(``well over``, ``about``, ``between``) through the currency, the number or
range, the scale and the unit or counted noun: ``well over 100,000
soldiers``, ``$43.9 billion``, ``20,000 to 30,000 troops``, ``12%``,
``more than 50 nations``, ``two years``, ``a 45-year-old``.

Not figures: dates, years and clock times (unless asked for), identifiers
(``Article 5``, ``Flight 370``), match scores (``2-1``), numbers in idioms
(``50 shades of grey``, ``on the one hand``, ``one of the ideas``) and the
bare word ``one``, which news uses as a pronoun far more than as a count —
it is a figure only when a qualifier makes it one (``only one``, ``at least
one``), in a compound (``a one-year ban``) or a ratio (``one in five``).
Fractions in words (``half``, ``two-thirds``) are not read.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from corpus.numbers import ATTACHED_UNITS, NumberMention, find_numbers, parse_number

NAME = "figures"
VERSION = 2

_CURRENCY_SYMBOLS = {
    "$": "USD", "US$": "USD", "C$": "CAD", "A$": "AUD", "NZ$": "NZD", "HK$": "HKD",
    "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "₽": "RUB", "₩": "KRW",
}
_CURRENCY_CODES = ("USD", "EUR", "GBP", "JPY", "CHF", "CNY", "INR", "CAD", "AUD", "RUB")
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "us dollars": "USD", "euro": "EUR", "euros": "EUR",
    "pound": "GBP", "pounds": "GBP", "pounds sterling": "GBP", "sterling": "GBP",
    "yen": "JPY", "yuan": "CNY", "rupee": "INR", "rupees": "INR", "roubles": "RUB",
    "rubles": "RUB", "francs": "CHF", "swiss francs": "CHF", "zloty": "PLN", "zlotys": "PLN",
    "krona": "SEK", "kronor": "SEK", "kroner": "NOK", "lira": "TRY", "forints": "HUF",
}
_SYMBOL_ALT = "|".join(re.escape(s) for s in sorted(_CURRENCY_SYMBOLS, key=len, reverse=True))
_CODE_ALT = "|".join(_CURRENCY_CODES)
# The character right before a number preceded by a currency: a symbol or a space.
_CURRENCY_LAST_CHARS = frozenset("".join(_CURRENCY_SYMBOLS) + " \t\u00a0")
_CURRENCY_WORD_ALT = "|".join(re.escape(w) for w in sorted(_CURRENCY_WORDS, key=len, reverse=True))

# The currency written before the number: "$", "US$", "€ ", "USD ".
_CURRENCY_BEFORE = re.compile(r"(?:(?<![A-Za-z])(?P<symbol>" + _SYMBOL_ALT + r")|\b(?P<code>" + _CODE_ALT + r")[^\S\n])$")
# What may stand right after the number: percent, currency, a measurement.
_UNIT_AFTER = re.compile(
    r"(?P<percent>[^\S\n]?%|[^\S\n]*per[^\S\n]?cent\b|[^\S\n]+percent\b)"
    r"|[^\S\n]+(?P<points>percentage[^\S\n]+points?\b)"
    r"|[^\S\n]+(?P<curword>(?:" + _CURRENCY_WORD_ALT + r"))\b"
    r"|[^\S\n]+(?P<code>" + _CODE_ALT + r")\b"
    r"|[^\S\n]?(?P<abbrev>" + "|".join(re.escape(u) for u in sorted(ATTACHED_UNITS, key=len, reverse=True)) + r")(?![^\W_])"
    r"|(?P<compound>(?:-[A-Za-z]+)+)",
    re.IGNORECASE,
)
# The gap between the two ends of a range: "20,000 to 30,000", "20-30", "$3bn-$4bn",
# "200 or 300".
_RANGE_GAP = re.compile(
    r"(?:[^\S\n]*[-\u2013\u2014][^\S\n]*|[^\S\n]+(?:to|or|and)[^\S\n]+)(?:" + _SYMBOL_ALT + r")?$"
)
_QUALIFIERS = [
    "well over", "well above", "well below", "well under", "just over", "just under",
    "just above", "just below", "slightly more than", "slightly less than", "a little over",
    "a little under", "far more than", "more than", "less than", "fewer than",
    "no more than", "no fewer than", "no less than", "at least", "at most", "up to",
    "as many as", "as much as", "as few as", "as little as", "close to", "upwards of",
    "in excess of", "in the region of", "just shy of", "the best part of", "getting on for",
    "an estimated", "estimated", "nearly", "almost", "about", "around",
    "roughly", "approximately", "some", "over", "under", "above", "below",
]
_QUALIFIER_BEFORE = re.compile(
    r"(?<![\w-])(?P<q>" + "|".join(q.replace(" ", r"[^\S\n]+") for q in _QUALIFIERS) + r")[^\S\n]+$",
    re.IGNORECASE,
)
_TIME_UNITS = frozenset({"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"})
# Before "over <duration>", words that make it "more than": "lasted over two years".
_MORE_THAN_OVER = re.compile(r"\b(?:for|lasted|last|lasts|took|take|takes|waited|wait|spent|after|within|of|than)[^\S\n]+$", re.IGNORECASE)
_QUALIFIER_LAST_WORDS = frozenset(q.split()[-1] for q in _QUALIFIERS)
_BETWEEN_BEFORE = re.compile(r"(?<![\w-])between[^\S\n]+$", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"(?<![\w-])from[^\S\n]+(?:" + _SYMBOL_ALT + r")?$", re.IGNORECASE)
# Words that make the lone "one" a count.
_ONE_COUNTED = re.compile(r"(?<![\w-])(?:only|just|exactly|a\s+single)[^\S\n]+$", re.IGNORECASE)
_RATIO_GAP = re.compile(r"^[^\S\n]+(?:in|in[^\S\n]+every|for[^\S\n]+every|out[^\S\n]+of)[^\S\n]+$", re.IGNORECASE)

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_MONTH_BEFORE = re.compile(r"\b(?:" + _MONTHS + r")\.?[^\S\n]+$")
_MONTH_AFTER = re.compile(r"^[^\S\n]+(?:of[^\S\n]+)?(?:" + _MONTHS + r")\b")
_TIME_AFTER = re.compile(
    r"^[^\S\n]*(?:[ap]\.m\.|[ap]m\b|o['’]clock\b|GMT\b|UTC\b|BST\b|CET\b"
    r"|in[^\S\n]+the[^\S\n]+(?:morning|afternoon|evening)\b|at[^\S\n]+night\b)",
    re.IGNORECASE,
)
# "every morning at four": a number word of the clock after "at".
_CLOCK_WORD_BEFORE = re.compile(r"\bat[^\S\n]+$", re.IGNORECASE)
_YEAR_PART_BEFORE = re.compile(r"\d{4}[-\u2013/]$")
_IDENTIFIER_BEFORE = re.compile(
    r"(?<![\w-])(?:article|section|resolution|chapter|clause|paragraph|page|flight|route|highway|room|gate"
    r"|platform|phase|level|stage|round|number|no\.|model|series|version|grade|category|amendment"
    r"|item|line|channel|district|ward|block|terminal|building|exit|track|brigade|division|regiment"
    r"|battalion|squadron|bill|act|law|protocol|group|team|camp|sector|zone|lot|unit|row)[^\S\n]+#?$"
    r"|#$",
    re.IGNORECASE,
)
# A capitalised word right before a number with no unit names a thing
# ("Resolution 2334", "Apollo 11") unless it is a month, a day or a sentence start.
_CAPITALISED_BEFORE = re.compile(r"(?<![.!?]\s)(?<![\w\-\n])(?P<word>[A-Z][a-z]+)[^\S\n]+$")
_CAPITALISED_WORD_END = re.compile(r"\b[A-Z][a-z]+[^\S\n]$")
_NOT_NAMES = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday The Some About Around Nearly Almost Over"
    " Under More Only Just At Of In On By For From And But With To Up Another All Those These Its"
    " His Her Their Our".split()
)

_IDIOMS = re.compile(
    r"\b(?:(?:50|fifty)\s+shades|seven\s+seas|cloud\s+nine|sixes\s+and\s+sevens|nine\s+times\s+out\s+of\s+ten"
    r"|one\s+in\s+a\s+million|a\s+million\s+miles|a\s+hundred\s+(?:per\s?cent|percent)\s+(?:sure|certain|right)"
    r"|(?:my|his|her|their|our|your)\s+two\s+cents|two\s+and\s+two\s+together|six\s+feet\s+under"
    r"|at\s+the\s+eleventh|a\s+thousand\s+words|(?:a|one)\s+or\s+two|two\s+or\s+three\s+things"
    r"|catch\W22|twenty[-\s]four[-\s]seven|a\s+dime\s+a\s+dozen|back\s+to\s+square\s+one"
    r"|on\s+all\s+fours|high\s+five|high-five|ten\s+to\s+one|the\s+big\s+(?:two|three|four|five))\b",
    re.IGNORECASE,
)
_IDIOM_NUMBERS = frozenset(
    "50 fifty seven nine sixes one million a hundred two six eleventh thousand 22 twenty four fours five ten"
    " three dozen".split()
)
# Hyphen compounds that are idioms or fractions, not counts.
_COMPOUND_NOT_UNIT = frozenset(
    "off sided time way on to thirds third quarters quarter fold faced tier fifths fifth tenths tenth"
    " halves all".split()
)
_COMPOUND_NO_UNIT = frozenset({"strong"})

_FUNCTION_WORDS = frozenset(
    """
    a an the of in on at to for from by with without about into onto over under after before since until
    during between among against per and or but nor so yet if than then that this these those there here
    which who whom whose what when where why how as is are was were be been being am has have had do does
    did will would shall should can could may might must not no yes it its it's he she they we you i me him
    her them us our their his my your ago later earlier more less fewer most least each apiece every all
    both either neither some any many much few several other another such only just also even still too
    very again already almost nearly about around up down out off away back percent cent per
    thousand million billion trillion hundred dozen said says say told tells according while whereas
    because although though unless whether perhaps always across towards afterwards besides thus news
    """.split()
)
# Words between a number and its noun that are not the noun ("15 more seats").
_COUNT_MODIFIERS = frozenset({"more", "other", "extra", "additional", "further", "fewer", "new"})
_IRREGULAR_PLURALS = {
    "people": "person", "men": "man", "women": "woman", "children": "child", "feet": "foot",
    "teeth": "tooth", "mice": "mouse", "geese": "goose", "police": "police", "staff": "staff",
    "personnel": "personnel", "aircraft": "aircraft", "cattle": "cattle", "sheep": "sheep",
    "fish": "fish", "deer": "deer", "livestock": "livestock", "crew": "crew", "data": "data",
    "series": "series", "species": "species", "headquarters": "headquarters", "knives": "knife",
    "lives": "life", "wives": "wife", "halves": "half", "wolves": "wolf", "leaves": "leaf", "shelves": "shelf",
    "thieves": "thief", "calves": "calf",
}
_WORD_AFTER = re.compile(r"[^\S\n]+([A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*)")
_SCALE_AT_END = re.compile(r"(?:k|m|mn|mln|bn|b|bln|tn|trn|thousand|million|billion|trillion)$", re.IGNORECASE)
_SCALE_FACTORS = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6, "bn": 1e9, "b": 1e9,
    "bln": 1e9, "billion": 1e9, "tn": 1e12, "trn": 1e12, "trillion": 1e12,
}


@dataclass(frozen=True, slots=True)
class Figure:
    """A stated quantity; ``text == article[start:end]``.

    ``value`` is the number for a single figure and ``None`` for a range,
    whose ends are ``low`` and ``high`` (both ``None`` for a single figure).
    ``unit`` is a currency code (``"USD"``), ``"%"``, ``"percentage point"``,
    a measurement (``"km"``), the singular of the counted noun
    (``"soldier"``), ``"date"`` or ``"time"`` for dates and clock times when
    asked for, or ``None``. ``approx`` is the qualifier as written, lower
    case (``"well over"``), or ``None`` when the figure is stated plainly.
    """

    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    approx: str | None
    text: str
    # Why it is a figure: "currency", "percent", "measure", "compound",
    # "count" (a number and the noun it counts), "bare", "range", "ratio",
    # "share" (a fraction in words), "multiple" ("tens of thousands"),
    # "date" or "time".
    rule: str = ""


@dataclass(frozen=True, slots=True)
class _Unit:
    end: int
    unit: str | None
    kind: str  # "percent", "currency", "measure", "compound", "noun", "idiom" or "none"


def singular(noun: str) -> str:
    """The singular of an English noun, lower case (``"casualties"`` → ``"casualty"``)."""
    word = noun.lower().replace("’", "'")
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes", "zzes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 2:
        return word[:-1]
    return word


def _looks_plural(word: str) -> bool:
    lower = word.lower()
    if lower in _IRREGULAR_PLURALS:
        return True
    return (
        lower.endswith("s")
        and not lower.endswith(("ss", "us", "is", "'s", "’s", "ous"))
        and len(lower) > 2
        and lower not in _FUNCTION_WORDS
    )


def _counted_noun(text: str, pos: int, singular_count: bool) -> _Unit:
    """The counted noun after a number ending at ``pos``, adjectives included.

    Up to three words are read, stopping at a function word, a past-tense
    verb or punctuation; the noun is the last plural among them ("200 armed
    men", "27 member states", "two elderly residents"), or for a count of
    one the last word read ("only one primary school").
    """
    end, unit, cursor = pos, None, pos
    for _ in range(3):
        match = _WORD_AFTER.match(text, cursor)
        if not match:
            break
        word = match.group(1)
        lower = word.lower()
        if lower in _FUNCTION_WORDS and lower not in _COUNT_MODIFIERS or "-" in word:
            break
        if singular_count:
            if lower.endswith("ed") or lower in _COUNT_MODIFIERS:
                break
            end, unit = match.end(1), singular(word)
        elif _looks_plural(word):
            end, unit = match.end(1), singular(word)
        elif unit is not None:
            break
        cursor = match.end(1)
    return _Unit(end, unit, "noun" if unit else "none")


def _unit_after(text: str, pos: int, singular_count: bool) -> _Unit:
    match = _UNIT_AFTER.match(text, pos)
    if match:
        if match.group("percent"):
            return _Unit(match.end(), "%", "percent")
        if match.group("points"):
            return _Unit(match.end(), "percentage point", "percent")
        if match.group("curword"):
            return _Unit(match.end(), _CURRENCY_WORDS[" ".join(match.group("curword").lower().split())], "currency")
        if match.group("code"):
            return _Unit(match.end(), match.group("code").upper(), "currency")
        if match.group("abbrev"):
            return _Unit(match.end(), match.group("abbrev").lower(), "measure")
        parts = match.group("compound")[1:].split("-")
        head = parts[0].lower()
        if head in _COMPOUND_NOT_UNIT:
            return _Unit(pos, None, "idiom")
        if head in _COMPOUND_NO_UNIT:
            return _Unit(match.end(), None, "compound")
        return _Unit(match.end(), singular(head), "compound")
    return _counted_noun(text, pos, singular_count)


def _scale_of(mention: NumberMention) -> float:
    match = _SCALE_AT_END.search(mention.text)
    return _SCALE_FACTORS[match.group().lower()] if match else 1.0


def _currency_before(text: str, start: int) -> tuple[int, str | None]:
    if not start or text[start - 1] not in _CURRENCY_LAST_CHARS:
        return start, None
    match = _CURRENCY_BEFORE.search(text, max(0, start - 4), start)
    if not match:
        return start, None
    symbol = match.group("symbol")
    return match.start(), _CURRENCY_SYMBOLS[symbol] if symbol else match.group("code")


def _is_date_or_time(text: str, mention: NumberMention, unit: _Unit, currency: str | None) -> str | None:
    """``"date"`` or ``"time"`` when the bare number is part of one, else ``None``."""
    if currency or unit.kind != "none":
        return None
    before = text[max(0, mention.start - 12) : mention.start]
    after = text[mention.end : mention.end + 24]
    if _TIME_AFTER.match(after):
        return "time"
    if mention.text.isalpha() and mention.value <= 12 and _CLOCK_WORD_BEFORE.search(before):
        return "time"
    plain = mention.text.isdigit()
    if _is_year(mention):
        return "date"
    if plain and len(mention.text) <= 2 and _YEAR_PART_BEFORE.search(before):
        return "date"
    if plain and 1 <= mention.value <= 31 and (_MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after)):
        return "date"
    return None


def _is_identifier(text: str, start: int, unit: _Unit) -> bool:
    if unit.kind != "none":
        return False
    before = text[max(0, start - 20) : start]
    if _IDENTIFIER_BEFORE.search(before):
        return True
    name = _CAPITALISED_BEFORE.search(before)
    if not name or name.group("word") in _NOT_NAMES or _MONTH_BEFORE.search(before):
        return False
    # The first word of a paragraph or sentence is capitalised anyway.
    word_start = start - len(before) + name.start()
    preceding = text[max(0, word_start - 3) : word_start].rstrip(" \t\"'“‘")
    return bool(preceding) and preceding[-1] not in ".!?\n:"


def _is_bracketed_count(text: str, mention: NumberMention, unit: _Unit) -> bool:
    """A bare number alone in brackets: a list marker or a page's "Comments (12)"."""
    return (
        unit.kind == "none"
        and text[mention.start - 1 : mention.start] == "("
        and text[mention.end : mention.end + 1] == ")"
    )


def _is_name_part(text: str, mention: NumberMention) -> bool:
    """A capitalised number word right after a capitalised word: "Maria Ten", "Apollo Eleven"."""
    if not mention.text[:1].isupper() or not mention.text.isalpha():
        return False
    before = text[max(0, mention.start - 20) : mention.start]
    return _CAPITALISED_WORD_END.search(before) is not None


def _in_idiom(text: str, start: int, end: int) -> bool:
    """Whether an idiom covers the number or begins inside the figure."""
    # Idioms are made of a few number words: skip the pattern for the rest.
    if _IDIOM_NUMBERS.isdisjoint(text[start:end].lower().replace("-", " ").split()):
        return False
    for match in _IDIOMS.finditer(text, max(0, start - 25), min(len(text), end + 30)):
        if (match.start() <= start and match.end() >= end - 1) or start <= match.start() < end:
            return True
    return False


def _word_before(text: str, start: int) -> str:
    """The word just before ``start`` (across spaces), lower case; "" if none."""
    end = start
    while end > 0 and text[end - 1] in " \t\u00a0":
        end -= 1
    begin = end
    while begin > 0 and text[begin - 1].isalpha():
        begin -= 1
    return text[begin:end].lower()


def _qualifier(text: str, start: int) -> tuple[int, str | None]:
    # Most numbers have no qualifier: look at the last word before running
    # the qualifier pattern, which would try every position of its window.
    if _word_before(text, start) not in _QUALIFIER_LAST_WORDS:
        return start, None
    match = _QUALIFIER_BEFORE.search(text, max(0, start - 24), start)
    if not match:
        return start, None
    return match.start(), " ".join(match.group("q").lower().split())


def find_figures(text: str, *, include_dates: bool = False) -> list[Figure]:
    """Every figure in ``text``, in text order (see the module docstring).

    With ``include_dates`` years, days of the month and clock times are
    returned too, with unit ``"date"`` or ``"time"``.
    """
    mentions = find_numbers(text)
    figures: list[Figure] = []
    i = 0
    while i < len(mentions):
        figure, used = _figure_at(text, mentions, i, include_dates)
        if figure is not None:
            figures.append(figure)
        i += used
    extra = _shares_and_multiples(text)
    if extra:
        # Figures are in text order and never overlap each other: a new one
        # overlaps a found one only if it overlaps its neighbour by start.
        starts = [f.start for f in figures]
        kept = []
        for f in extra:
            i = bisect.bisect_left(starts, f.end)
            if i == 0 or figures[i - 1].end <= f.start:
                kept.append(f)
        figures = sorted([*figures, *kept], key=lambda f: (f.start, f.end))
    return figures


# Shares written as fractions: "a third of", "two-thirds of", "nearly half of",
# "less than half its capacity". Bare "half" is left alone ("half an hour",
# "the second half"): it needs a qualifier or "half of".
# The lookahead lets the pattern skip at once the characters that cannot start it.
_SHARE_PART = re.compile(r"(?=[hHtTqQfF])(?<!\w)(?P<part>halves|half|thirds?|quarters?|fifths?|tenths?)(?=[^\S\n]+(?P<next>\w+))", re.IGNORECASE)
_SHARE_COUNT_BEFORE = re.compile(r"(?<![\w-])(?P<count>an?|one|two|three|four|seven|nine)(?:[^\S\n]+|-)$", re.IGNORECASE)
_OF_AFTER = re.compile(r"[^\S\n]+of[^\S\n]+(?P<of>\w+)")
_HALF_FOLLOWERS = frozenset("of its their the his her our all".split())

# "tens of thousands", "hundreds of millions": a range of one order of magnitude.
_MULTIPLE = re.compile(
    r"(?<![\w-])(?P<many>tens|hundreds)[^\S\n]+of[^\S\n]+(?P<scale>thousands|millions|billions)\b"
    r"(?:[^\S\n]+of[^\S\n]+(?P<noun>[A-Za-z]+))?",
    re.IGNORECASE,
)
_SHARE_QUALIFIER_BEFORE = re.compile(
    r"(?<![\w-])(?P<q>nearly|almost|about|around|roughly|more\s+than|less\s+than|over|under|just\s+over|just\s+under"
    r"|well\s+over|at\s+least|barely|some|up\s+to|close\s+to|an\s+estimated)[^\S\n]+$",
    re.IGNORECASE,
)
_HALF_NOT_SHARE_BEFORE = re.compile(r"\b(?:the|first|second|other|latter|this|that|each|one|a)[^\S\n]+$", re.IGNORECASE)
_SCALES_OF = {"thousands": 1e3, "millions": 1e6, "billions": 1e9}


def _shares_and_multiples(text: str) -> list[Figure]:
    """Fractions that state a share (as percentages) and "tens of thousands" (as ranges)."""
    found: list[Figure] = []
    lower = text.lower()
    if "half" in lower or "third" in lower or "quarter" in lower or "fifth" in lower or "tenth" in lower:
        for match in _SHARE_PART.finditer(text):
            part = match.group("part").lower()
            count_match = _SHARE_COUNT_BEFORE.search(text, max(0, match.start() - 7), match.start())
            qualifier_end = count_match.start() if count_match else match.start()
            qualifier = _SHARE_QUALIFIER_BEFORE.search(text, max(0, qualifier_end - 16), qualifier_end)
            start = qualifier.start() if qualifier else qualifier_end
            approx = " ".join(qualifier.group("q").lower().split()) if qualifier else None
            if count_match is None and text[match.start() - 1 : match.start()] == "-":
                continue  # "Half-empty", "one-third-owned": not a share
            if count_match is None:
                # Bare "half": only "half of …" or a qualified "nearly half".
                if part != "half" or match.group("next").lower() not in _HALF_FOLLOWERS:
                    continue
                if qualifier is None and (
                    match.group("next").lower() != "of"
                    or _HALF_NOT_SHARE_BEFORE.search(text, max(0, match.start() - 12), match.start())
                ):
                    continue  # "the second half of the year"
                value = 50.0
            else:
                of = _OF_AFTER.match(text, match.end())
                if of is None:
                    continue
                point = re.match(r"[^\S\n]+of[^\S\n]+an?[^\S\n]+percentage[^\S\n]+points?\b", text[match.end() : match.end() + 40])
                if of.group("of").lower() in ("a", "an") and not point:
                    continue  # "a quarter of a million" is read as a number; "a quarter of an hour" is a time
                parts = 2 if part.startswith("hal") else _FRACTIONS[part.rstrip("s")]
                value = 100 * (parse_number(count_match.group("count")) or 1.0) / parts
                if point:
                    end = match.end() + point.end()
                    found.append(Figure(start, end, value / 100, None, None, "percentage point", approx, text[start:end], "share"))
                    continue
            found.append(Figure(start, match.end(), value, None, None, "%", approx, text[start : match.end()], "share"))
    if "tens of" in lower or "hundreds of" in lower:
        for match in _MULTIPLE.finditer(text):
            low = (10.0 if match.group("many").lower() == "tens" else 100.0) * _SCALES_OF[match.group("scale").lower()]
            end = match.end("scale")
            noun = match.group("noun")
            unit = singular(noun) if noun and _looks_plural(noun) else None
            found.append(Figure(match.start(), end, None, low, low * 10, unit, match.group("many").lower() + " of",
                                text[match.start() : end], "multiple"))
    return found


_FRACTIONS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
_FRACTION_OF = re.compile(
    r"\b(?P<count>an?|one|two|three|four)[^\S\n]+(?P<part>thirds?|quarters?|fifths?|tenths?)[^\S\n]+of[^\S\n]+$",
    re.IGNORECASE,
)


def _figure_at(text: str, mentions: list[NumberMention], i: int, include_dates: bool) -> tuple[Figure | None, int]:
    """The figure starting at mention ``i`` (or ``None``) and how many mentions it used."""
    first = mentions[i]
    start, currency = _currency_before(text, first.start)
    nxt = mentions[i + 1] if i + 1 < len(mentions) else None

    if nxt is not None and _FRACTION_OF.search(text, first.start, nxt.start):
        return None, 1  # "three" of "three quarters of a million": the next figure holds it
    ratio = _ratio(text, first, nxt)
    if ratio is not None:
        return ratio, 2
    number_range = _range(text, first, nxt, start, currency)
    if number_range is not None:
        return number_range, 2
    if nxt is not None and _is_score(text, first, nxt):
        return None, 2

    unit = _unit_after(text, first.end, singular_count=first.value == 1)
    if unit.kind == "idiom" or _in_idiom(text, start, unit.end):
        return None, 1
    if currency is None and unit.kind == "currency":
        currency = unit.unit
    date_kind = _is_date_or_time(text, first, unit, currency)
    if date_kind is not None:
        if not include_dates:
            return None, 1
        return Figure(first.start, first.end, first.value, None, None, date_kind, None, first.text, date_kind), 1
    if _is_identifier(text, start, unit) or _is_name_part(text, first) or _is_bracketed_count(text, first, unit):
        return None, 1

    value = first.value
    rule = "currency" if currency else _RULE_OF_UNIT[unit.kind]
    if (fraction := _FRACTION_OF.search(text, max(0, start - 40), start)) is not None:
        # "a quarter of a million": the fraction scales the number after it.
        count = parse_number(fraction["count"]) or 1.0
        value = value * count / _FRACTIONS[fraction["part"].lower().rstrip("s")]
        start = fraction.start()
    q_start, approx = _qualifier(text, start)
    if first.text.lower() == "one" and unit.kind != "compound":
        counted = approx is not None or _ONE_COUNTED.search(text, max(0, start - 12), start)
        if not counted:
            return None, 1
    if approx == "over" and unit.unit in _TIME_UNITS and not _MORE_THAN_OVER.search(text, max(0, q_start - 12), q_start):
        # "a rise of 4.5% over two years": "over" means "during" here.
        q_start, approx = start, None
    end = unit.end
    if rule in ("bare", "compound") and _is_age(text, q_start, end):
        rule = "age"
    return Figure(q_start, end, value, None, None, currency or unit.unit, approx, text[q_start:end], rule), 1


_AGED_BEFORE = re.compile(r"\baged[^\S\n]+$", re.IGNORECASE)


def _is_age(text: str, start: int, end: int) -> bool:
    """An age rather than a quantity: "Ines Barto, 58,", "aged 67", "a 45-year-old"."""
    if text[start:end].lower().endswith("-old"):
        return True
    if _AGED_BEFORE.search(text, max(0, start - 8), start):
        return True
    return text[max(0, start - 2) : start] == ", " and text[end : end + 1] == "," and text[start - 3 : start - 2].isalpha()


_RULE_OF_UNIT = {
    "percent": "percent", "currency": "currency", "measure": "measure", "compound": "compound",
    "noun": "count", "none": "bare",
}


def _ratio(text: str, first: NumberMention, nxt: NumberMention | None) -> Figure | None:
    """"one in five", "three out of four": a share, as a percentage."""
    if nxt is None or not _RATIO_GAP.match(text[first.end : nxt.start]) or nxt.value <= first.value:
        return None
    if _is_year(nxt) or not float(nxt.value).is_integer():
        return None  # "270 in 2022" is a count in a year
    start, approx = _qualifier(text, first.start)
    unit = _counted_noun(text, nxt.end, singular_count=False)
    return Figure(start, unit.end, 100 * first.value / nxt.value, None, None, "%", approx, text[start : unit.end], "ratio")


def _is_score(text: str, first: NumberMention, nxt: NumberMention) -> bool:
    """A match score or vote tally written "3-1": the second number is not larger."""
    gap = text[first.end : nxt.start]
    return gap in ("-", "\u2013") and nxt.value <= first.value and first.text.isdigit() and nxt.text.isdigit()


def _range(
    text: str, first: NumberMention, nxt: NumberMention | None, start: int, currency: str | None
) -> Figure | None:
    """"20,000 to 30,000 troops", "between 20 and 30", "$3-4bn": one figure with two ends."""
    if nxt is None:
        return None
    # A unit after the first end ends the range there ("5 soldiers to 3"),
    # except a percent sign repeated on both ends ("20%-30%").
    first_unit = _UNIT_AFTER.match(text, first.end)
    gap_start = first.end
    if first_unit and first_unit.group("percent"):
        gap_start = first_unit.end()
    elif first_unit and first_unit.group("compound") is None:
        return None
    gap = text[gap_start : nxt.start]
    if len(gap) > 8 or not _RANGE_GAP.match(gap):
        return None
    between = _BETWEEN_BEFORE.search(text, max(0, start - 10), start)
    is_and = "and" in gap.lower().split()
    if is_and and not between or _FROM_BEFORE.search(text, max(0, start - 8), first.start):
        return None
    low, high = first.value, nxt.value
    high_scale = _scale_of(nxt)
    if _scale_of(first) == 1.0 and high_scale > 1.0 and low * high_scale <= high:
        low *= high_scale
    if not low < high:
        return None
    unit = _unit_after(text, nxt.end, singular_count=False)
    if unit.kind == "idiom":
        return None
    if _is_year(first) and (unit.kind == "none" or not _is_year(nxt)):
        # "2019 to 2021" and "2019-20" are spans of years; "from 620,000 in
        # 2015 to 240,000" is a change between two years.
        return None
    unit_name = currency or _currency_before(text, nxt.start)[1] or unit.unit
    q_start, approx = (between.start(), None) if between else _qualifier(text, start)
    return Figure(q_start, unit.end, None, low, high, unit_name, approx, text[q_start : unit.end], "range")


def _is_year(mention: NumberMention) -> bool:
    return mention.text.isdigit() and len(mention.text) == 4 and 1000 <= mention.value <= 2100
