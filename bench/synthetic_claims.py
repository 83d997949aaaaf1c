"""Synthetic news claims in clusters of rewordings, for the matching benchmarks.

Every cluster starts from one claim built from a template with invented
names, places, organisations and figures (so the vocabulary grows with the
corpus, as a real one does); its other members are rewordings: attribution
added, changed or moved, quote marks and dashes changed, a figure written
another way (``100,000``, ``100k``, ``100 thousand``), a verb swapped for a
synonym, a time phrase moved to the front. Some clusters also get a member
with a changed figure or a negation, which must not join them.

``python bench/synthetic_claims.py 5`` prints a few clusters.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator

_ONSETS = "b c d f g h j k l m n p r s t v w z br dr gr kr pr st tr sh ch th".split()
_VOWELS = "a e i o u a e o ai ei ou".split()
_CODAS = ["", "", "n", "r", "l", "s", "th", "nd", "rk", "st", "v", "m"]

_TEMPLATES = [
    "{org} will {raise} {fee} by {pct} from {month}",
    "{person} said {place} would {recruit} {count} {workers} by {year}",
    "The {project} in {place} has gone {money} over budget",
    "{count} {people} were {moved} from {place} after the {event}",
    "Unemployment in {place} {rose} to {pct} in {month}",
    "{org} plans to close {small} of its {offices} in {place}",
    "The {event} in {place} left {count} homes without power",
    "{org} reported a {money} profit for the first half of the year",
    "{person} will visit {place} next week to discuss the {project}",
    "Prices of {goods} in {place} have {rose} {pct} since {month}",
    "The {project} linking {place} and {place2} will open in {year}",
    "{org} has agreed to pay {money} to settle claims over the {event}",
    "{count} {workers} at {org} will strike on {day} over pay",
    "The council of {place} will spend {money} on new {goods} by {year}",
    "Police in {place} arrested {small} people after the {event} on {day}",
]
_WORDS = {
    "raise": ["raise", "increase", "lift"],
    "rose": ["rose", "climbed", "increased"],
    "recruit": ["recruit", "hire", "take on"],
    "moved": ["evacuated", "moved", "relocated"],
    "fee": ["fees", "charges", "tariffs", "fares", "tolls"],
    "workers": ["nurses", "teachers", "police officers", "engineers", "drivers", "doctors", "staff"],
    "people": ["people", "residents", "families", "villagers"],
    "offices": ["branches", "libraries", "clinics", "stations", "depots"],
    "goods": ["bread", "fuel", "housing", "rice", "medicine", "buses", "ambulances", "schools"],
    "project": ["bridge", "dam", "rail line", "stadium", "tunnel", "harbour", "airport", "hospital"],
    "event": ["flood", "storm", "fire", "strike", "protest", "earthquake", "landslide"],
    "month": ["January", "February", "March", "April", "May", "June", "July", "September", "October"],
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
}
_ATTRIBUTION_AFTER = ["{person} said", "the ministry said", "according to {org}", "officials said",
                      "{person} told reporters", "a spokesperson for {org} said", "sources said"]
_ATTRIBUTION_BEFORE = ["{person} said", "According to {org},", "{person} told reporters that", "Officials said"]


class ClaimGenerator:
    """Clusters of synthetic claims, the same for the same seed."""

    def __init__(self, seed: int = 0, vocabulary: int = 60_000) -> None:
        self.rng = random.Random(seed)
        self.names = [self._name() for _ in range(vocabulary)]

    def _name(self) -> str:
        syllables = self.rng.choice((2, 2, 3))
        return "".join(
            self.rng.choice(_ONSETS) + self.rng.choice(_VOWELS) + self.rng.choice(_CODAS) for _ in range(syllables)
        ).capitalize()

    def _figure(self, kind: str) -> tuple[float, str]:
        rng = self.rng
        if kind == "pct":
            return round(rng.uniform(0.5, 40), rng.choice((0, 1))), "pct"
        if kind == "money":
            return rng.choice((rng.randint(2, 900) * 1e6, round(rng.uniform(1, 99), 1) * 1e9)), "money"
        if kind == "small":
            return rng.randint(2, 40), "count"
        if kind == "year":
            return rng.randint(2025, 2040), "year"
        return rng.choice((rng.randint(2, 99) * 100, rng.randint(2, 400) * 1000)), "count"

    def _write(self, value: float, kind: str) -> str:
        rng = self.rng
        if kind == "year":
            return str(int(value))
        if kind == "pct":
            number = f"{value:g}"
            return rng.choice((f"{number}%", f"{number} per cent", f"{number} percent"))
        if kind == "money":
            if value >= 1e9:
                amount = f"{value / 1e9:g}"
                return rng.choice((f"${amount} billion", f"${amount}bn", f"{amount} billion dollars"))
            amount = f"{value / 1e6:g}"
            return rng.choice((f"${amount} million", f"${amount}m", f"{amount} million dollars"))
        whole = int(value)
        forms = [f"{whole:,}", str(whole)]
        if whole >= 1000 and whole % 1000 == 0:
            forms += [f"{whole // 1000}k", f"{whole // 1000} thousand"]
        return rng.choice(forms)

    def _base(self) -> tuple[str, dict]:
        template = self.rng.choice(_TEMPLATES)
        slots: dict = {}
        for name in ("person", "org", "place", "place2"):
            first, second = self.rng.choice(self.names), self.rng.choice(self.names)
            slots[name] = {"person": f"{first} {second}", "org": f"{first} {self.rng.choice(('Group', 'Bank', 'Union', 'Council', 'Holdings'))}"}.get(name, first)
        for name, choices in _WORDS.items():
            slots[name] = self.rng.choice(choices)
        figures = {kind: self._figure(kind) for kind in ("pct", "money", "small", "year", "count")}
        return template, {"slots": slots, "figures": figures}

    def _render(self, template: str, state: dict, *, synonyms: bool, negate: bool = False) -> str:
        slots = dict(state["slots"])
        if synonyms:
            for name, choices in _WORDS.items():
                if name in ("raise", "rose", "recruit", "moved") and self.rng.random() < 0.5:
                    slots[name] = self.rng.choice(choices)
        for kind, (value, unit) in state["figures"].items():
            slots[kind] = self._write(value, unit)
        text = template.format(**slots)
        if negate:
            for verb in (" will ", " would ", " has ", " have ", " were "):
                if verb in text:
                    text = text.replace(verb, f"{verb}not ", 1)
                    break
            else:
                text = "It is not true that " + text[0].lower() + text[1:]
        return text

    def _dress(self, text: str, state: dict) -> str:
        """Attribution, quote marks and punctuation as one outlet would write them."""
        rng, slots = self.rng, state["slots"]
        style = rng.random()
        if style < 0.35:
            text = f"{text}, {rng.choice(_ATTRIBUTION_AFTER).format(**slots)}."
        elif style < 0.55:
            lead = rng.choice(_ATTRIBUTION_BEFORE).format(**slots)
            text = f"{lead} {text[0].lower()}{text[1:]}."
        elif style < 0.7:
            quote = rng.choice(('"{}," {} said.', "\u201c{},\u201d {} said.", "'{}', {} said."))
            text = quote.format(text, slots["person"])
        else:
            text += "."
        if rng.random() < 0.1:
            text = text.replace(" by ", " \u2014 by ", 1)
        return text

    def clusters(self, claims: int, *, hard_negatives: float = 0.1) -> Iterator[tuple[int, str]]:
        """``(cluster id, claim text)`` pairs, ``claims`` of them, cluster by cluster.

        Cluster sizes follow a geometric law (mean about 3). A share
        ``hard_negatives`` of clusters is followed by a claim with a changed
        figure or a negation, in a cluster of its own.
        """
        made, cluster = 0, 0
        while made < claims:
            template, state = self._base()
            size = 1
            while size < 30 and self.rng.random() < 0.65:
                size += 1
            for member in range(min(size, claims - made)):
                yield cluster, self._dress(self._render(template, state, synonyms=member > 0), state)
                made += 1
            cluster += 1
            if made < claims and self.rng.random() < hard_negatives:
                if self.rng.random() < 0.5:
                    changed = {**state, "figures": {k: (v * 10 if u != "year" else v + 3, u) for k, (v, u) in state["figures"].items()}}
                    text = self._render(template, changed, synonyms=False)
                else:
                    text = self._render(template, state, synonyms=False, negate=True)
                yield cluster, self._dress(text, state)
                made += 1
                cluster += 1


if __name__ == "__main__":
    for cluster_id, claim in ClaimGenerator(seed=1).clusters(int(sys.argv[1]) if len(sys.argv) > 1 else 12):
        print(cluster_id, claim)
