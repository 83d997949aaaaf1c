"""Names that stand for the same actor, so that lexical matching sees one name.

Outlets write "Brussels" for the EU, "the Kremlin" for Russia, "Downing
Street" for the British government, and spell names their own way
("Zelenskyy", "Zelenskiy", "Kiev", "Erdoğan"). :data:`BUILT_IN` maps each
such variant to one canonical name; :func:`apply_aliases` writes the
canonical name in its place, after folding diacritics ("Orbán" → "Orban").
:func:`corpus.claim_text.prepare_claim` applies the active table
(:func:`active_table`) to the words between a claim's figures, so a figure
is never touched; no variant or canonical name may hold a digit or a
negation word (:func:`check_entry`), so a negation is never made or lost.

Users extend or trim the table with a TOML file (``aliases.toml`` in the
config folder; ``claimdesk aliases add/list/remove`` writes it):

.. code-block:: toml

    [aliases]
    "Kyiv city hall" = "Kyiv council"

    [removed]
    variants = ["London"]

:func:`parse_aliases` reads that text; :func:`set_user_aliases` makes it
active. Both are pure: the file is read by the caller.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

# Canonical name: the variants written for it. A capital or seat of
# government stands for its state; spelling variants and full names for
# the short name used most in news copy.
_GROUPS: dict[str, tuple[str, ...]] = {
    # Seats of government and capitals for their states.
    "EU": ("Brussels", "the European Union", "European Union"),
    "US": ("the White House", "White House", "Washington", "the United States", "United States",
           "the US administration", "US administration", "the U.S.", "U.S.", "USA", "America", "the Biden administration"),
    "UK": ("Downing Street", "the British government", "British government", "the UK government", "UK government",
           "the United Kingdom", "United Kingdom", "Britain", "Great Britain", "London", "Whitehall"),
    "Russia": ("the Kremlin", "Kremlin", "Moscow", "the Russian government", "Russian government",
               "the Russian Federation", "Russian Federation"),
    "Ukraine": ("Kyiv", "Kiev", "Kyyiv", "the Ukrainian government", "Ukrainian government"),
    "China": ("Beijing", "Peking", "the Chinese government", "Chinese government", "Chinese"),
    "France": ("Paris", "the Elysee", "Elysee", "the Elysee Palace", "French"),
    "Germany": ("Berlin",),
    "Turkey": ("Ankara", "Turkiye"),
    "Poland": ("Warsaw", "Polish"),
    "Belarus": ("Minsk",),
    "Hungary": ("Budapest",),
    "Finland": ("Helsinki", "Finnish"),
    "Sweden": ("Stockholm", "Swedish"),
    "Iran": ("Tehran", "Teheran"),
    "Israel": ("Jerusalem",),
    "Japan": ("Tokyo",),
    "India": ("New Delhi",),
    "Italy": ("Rome",),
    "Spain": ("Madrid",),
    "Moldova": ("Chisinau",),
    "Georgia": ("Tbilisi",),
    "Lithuania": ("Vilnius",),
    "Latvia": ("Riga",),
    "Estonia": ("Tallinn",),
    "UAE": ("the United Arab Emirates", "United Arab Emirates", "Abu Dhabi", "the Emirates"),
    "NATO": ("the North Atlantic Treaty Organization", "North Atlantic Treaty Organization",
             "the North Atlantic Treaty Organisation", "North Atlantic Treaty Organisation", "Nato", "the alliance"),
    "UN": ("the United Nations", "United Nations"),
    "IAEA": ("the International Atomic Energy Agency", "International Atomic Energy Agency",
             "the UN nuclear watchdog", "UN nuclear watchdog"),
    "Ukrainian parliament": ("the Verkhovna Rada", "Verkhovna Rada", "Ukraine's parliament", "the Rada", "Rada"),
    # Spelling variants and full names of people.
    "Zelensky": ("Volodymyr Zelensky", "Volodymyr Zelenskyy", "Zelenskyy", "Zelenskiy", "Zelenskii", "Zelenski",
                 "President Zelensky", "President Zelenskyy"),
    "Putin": ("Vladimir Putin", "President Putin", "Vladimir Vladimirovich Putin"),
    "Peskov": ("Dmitry Peskov", "Dmitri Peskov", "Kremlin spokesman Dmitry Peskov", "Kremlin spokesman Peskov"),
    "Lavrov": ("Sergei Lavrov", "Sergey Lavrov"),
    "Scholz": ("Olaf Scholz", "Chancellor Olaf Scholz", "Chancellor Scholz"),
    "Macron": ("Emmanuel Macron", "President Macron"),
    "Biden": ("Joe Biden", "President Biden"),
    "Orban": ("Viktor Orban",),
    "Erdogan": ("Recep Tayyip Erdogan", "Tayyip Erdogan"),
    "Xi": ("Xi Jinping", "President Xi"),
    "Kuleba": ("Dmytro Kuleba", "Dmitry Kuleba"),
    "Shoigu": ("Sergei Shoigu", "Sergey Shoigu"),
    "Stoltenberg": ("Jens Stoltenberg",),
    "von der Leyen": ("Ursula von der Leyen",),
    # Places spelled from Russian or Ukrainian.
    "Kharkiv": ("Kharkov",),
    "Odesa": ("Odessa",),
    "Zaporizhzhia": ("Zaporizhia", "Zaporozhye", "Zaporizhzhya", "Zaporozhe"),
    "Luhansk": ("Lugansk",),
    "Mykolaiv": ("Nikolaev", "Nikolayev"),
    "Dnipro": ("Dnepr", "Dnipropetrovsk"),
    "Bakhmut": ("Artemovsk", "Artyomovsk"),
    "Chernihiv": ("Chernigov",),
}

BUILT_IN: dict[str, str] = {variant: canonical for canonical, variants in _GROUPS.items() for variant in variants}

# Words an alias may not hold: a negation word would make or undo a denial.
_FORBIDDEN_WORDS = frozenset({"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without"})


class AliasError(ValueError):
    """An alias entry or file that cannot be used; the message is ``file:line: what is wrong``."""


def fold_diacritics(text: str) -> str:
    """``text`` with accents removed, one character for one ("Orbán" → "Orban"), so offsets survive."""
    if text.isascii():
        return text
    out = []
    for char in text:
        if char.isascii():
            out.append(char)
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        out.append(base if len(base) == 1 else char)
    return "".join(out)


def check_entry(variant: str, canonical: str) -> str | None:
    """What is wrong with mapping ``variant`` to ``canonical``, or None when it may be used."""
    for what, text in (("variant", variant), ("name", canonical)):
        if not text.strip():
            return f"the {what} is empty"
        if any(char.isdigit() for char in text):
            return f"the {what} {text!r} holds a digit (a figure must never be rewritten)"
        words = set(re.findall(r"[a-z]+", text.lower().replace("n't", " not")))
        if words & _FORBIDDEN_WORDS:
            return f"the {what} {text!r} holds a negation word"
    if fold_diacritics(variant).strip().lower() == fold_diacritics(canonical).strip().lower():
        return f"{variant!r} is already written {canonical!r}"
    return None


@dataclass(frozen=True)
class AliasTable:
    """Variants mapped to canonical names, and one compiled pattern that finds them all."""

    names: Mapping[str, str]
    pattern: re.Pattern | None = field(repr=False, default=None)
    lookup: Mapping[str, str] = field(repr=False, default_factory=dict)

    @classmethod
    def build(cls, names: Mapping[str, str]) -> AliasTable:
        """The table for ``names`` (variant → canonical)."""
        lookup: dict[str, str] = {}
        cased, uncased = [], []
        for variant, canonical in names.items():
            folded = fold_diacritics(variant).strip()
            # An acronym is matched in its own case: "US" is not "us".
            if folded.isupper():
                lookup[folded] = canonical
                cased.append(folded)
            else:
                lookup[folded.lower()] = canonical
                uncased.append(folded)

        def alternation(variants: list[str]) -> str:
            ordered = sorted(set(variants), key=len, reverse=True)
            return "|".join(re.escape(variant).replace(r"\ ", r"\s+") for variant in ordered)

        parts = []
        if cased:
            parts.append(f"(?P<cased>{alternation(cased)})")
        if uncased:
            parts.append(f"(?i:(?P<uncased>{alternation(uncased)}))")
        pattern = re.compile(r"(?<![\w.])(?:" + "|".join(parts) + r")(?![\w])") if parts else None
        return cls(names=dict(names), pattern=pattern, lookup=lookup)

    def fingerprint(self) -> str:
        """A digest of the table: matching texts made with another table differ."""
        digest = hashlib.sha256()
        for variant, canonical in sorted(self.names.items()):
            digest.update(f"{variant}\0{canonical}\0".encode())
        return digest.hexdigest()[:16]


def _canonical(table: AliasTable, match: re.Match) -> str:
    cased = match.groupdict().get("cased")
    if cased:
        return table.lookup[cased]
    return table.lookup[re.sub(r"\s+", " ", match.group("uncased")).lower()]


def apply_aliases(text: str, table: AliasTable | None = None) -> str:
    """``text`` with every variant in ``table`` (the active one by default) replaced by its canonical name.

    Diacritics are folded first. Longer variants win ("the White House"
    before "White House"); a variant is matched as whole words only.
    """
    table = active_table() if table is None else table
    folded = fold_diacritics(text)
    if table.pattern is None:
        return folded
    return table.pattern.sub(lambda match: _canonical(table, match), folded)


def parse_aliases(text: str, source: str = "aliases.toml") -> tuple[dict[str, str], frozenset[str]]:
    """``(added, removed)`` from the text of an aliases file: variant → name, and removed variants.

    Raises :class:`AliasError` with ``source:line: what is wrong``.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        raise AliasError(f"{source}:{line.group(1) if line else 1}: {error}") from None

    def line_of(needle: str) -> int:
        for number, line in enumerate(text.splitlines(), 1):
            if needle in line:
                return number
        return 1

    unknown = set(data) - {"aliases", "removed"}
    if unknown:
        name = sorted(unknown)[0]
        raise AliasError(f"{source}:{line_of(name)}: unknown table [{name}] (use [aliases] and [removed])")
    added = data.get("aliases", {})
    if not isinstance(added, dict):
        raise AliasError(f"{source}:{line_of('aliases')}: aliases must be a table of \"variant\" = \"name\"")
    for variant, canonical in added.items():
        if not isinstance(canonical, str):
            raise AliasError(f"{source}:{line_of(variant)}: the name for {variant!r} must be a string")
        problem = check_entry(variant, canonical)
        if problem:
            raise AliasError(f"{source}:{line_of(variant)}: {problem}")
    removed = data.get("removed", {}).get("variants", []) if isinstance(data.get("removed"), dict) else None
    if not isinstance(removed, list) or not all(isinstance(item, str) for item in removed):
        raise AliasError(f"{source}:{line_of('variants')}: [removed] variants must be a list of strings")
    return dict(added), frozenset(removed)


def format_aliases(added: Mapping[str, str], removed: frozenset[str] | set[str]) -> str:
    """The text of an aliases file holding ``added`` and ``removed``; :func:`parse_aliases` reads it back."""
    import json

    lines = ["# claimdesk aliases: \"variant\" = \"the name it stands for\"", "[aliases]"]
    lines += [f"{json.dumps(variant)} = {json.dumps(canonical)}" for variant, canonical in sorted(added.items())]
    lines += ["", "[removed]", "variants = [" + ", ".join(json.dumps(v) for v in sorted(removed)) + "]", ""]
    return "\n".join(lines)


def combined(added: Mapping[str, str], removed: frozenset[str] | set[str]) -> dict[str, str]:
    """The built-in table with the user's additions and without the removed variants."""
    names = {variant: canonical for variant, canonical in BUILT_IN.items() if variant not in removed}
    names.update(added)
    return names


_BUILT_IN_TABLE = AliasTable.build(BUILT_IN)
_active = _BUILT_IN_TABLE


def active_table() -> AliasTable:
    """The table :func:`corpus.claim_text.prepare_claim` applies."""
    return _active


def set_user_aliases(added: Mapping[str, str], removed: frozenset[str] | set[str] = frozenset()) -> AliasTable:
    """Make the built-in table plus ``added``, less ``removed``, the active one; returns it."""
    global _active
    _active = _BUILT_IN_TABLE if not added and not removed else AliasTable.build(combined(added, removed))
    return _active


def set_table(table: AliasTable | None) -> None:
    """Make ``table`` active (``None``: the built-in table)."""
    global _active
    _active = _BUILT_IN_TABLE if table is None else table


EMPTY = AliasTable.build({})
