"""Direct quotations and who said them.

A quote is text between double quotation marks — straight ``"…"``, curly
``“…”``, German ``„…“`` or French ``«…»`` — of three words or more. Its span
runs from the opening mark to the closing mark, both included. A quotation
that runs over several paragraphs in the news convention (an opening mark at
the start of each paragraph, a closing mark only at the end) is one quote.

Not quotes: scare quotes of one or two words (``"stalemate"``) and titles
of works, which are written in title case (``"Lessons From The Armour
Programme"``).

The speaker comes from the attribution nearby, looked for in this order:
after the quote in its sentence (``"…," Vanhal said``, ``"…," said Lukas
Brandt``); before it in its sentence (``X said: "…"``, ``X called the plan
"…"``, ``according to X``); the sentence ending in a colon that introduces
it; the quote before it in the same paragraph; a reporting sentence just
before it in the paragraph; and, for a quote opening a paragraph, the person
mentioned last. A speaker is given in full as the article names them: a
surname is expanded to the full name used earlier, ``he`` and ``she`` to
the person mentioned last, ``the group`` to the group named earlier
(``consumer group Fair Travel``); an unnamed speaker is described without
its article (``DVB spokeswoman``). ``text[speaker_start:speaker_end]`` is
always ``speaker``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from corpus.sentences import sentence_bounds

NAME = "quotes"
VERSION = 2

# Opening mark -> the closing marks that end it.
_PAIRS = {'"': '"', "“": "”", "„": "“", "«": "»"}
_MARKS = re.compile(r'["“”„«»]')
_MIN_WORDS = 3

# Speech verbs, in the forms news uses ("said", "says", "affirmed").
_SPEECH_STEMS = (
    "say:said,says,say|tell:told,tells|add:added,adds|write:wrote,writes|warn:warned,warns"
    "|insist:insisted,insists|argue:argued,argues|state:stated,states|declare:declared,declares"
    "|announce:announced,announces|explain:explained,explains|reply:replied,replies|ask:asked,asks"
    "|continue:continued|recall:recalled,recalls|admit:admitted,admits|note:noted,notes|call:called,calls"
    "|describe:described,describes|promise:promised,promises|urge:urged,urges|acknowledge:acknowledged"
    "|concede:conceded,concedes|claim:claimed,claims|vow:vowed,vows|pledge:pledged,pledges"
    "|complain:complained,complains|predict:predicted,predicts|suggest:suggested|affirm:affirmed,affirms"
    "|assure:assured,assures|respond:responded,responds|shout:shouted,shouts|chant:chanted,chants"
    "|stress:stressed,stresses|emphasise:emphasised,emphasized,emphasises|confirm:confirmed,confirms"
    "|deny:denied,denies|testify:testified|remark:remarked|comment:commented|observe:observed"
    "|tweet:tweeted,tweets|post:posted|cry:cried|scream:screamed|joke:joked|quip:quipped"
    "|whisper:whispered|boast:boasted|protest:protested|maintain:maintained,maintains"
)
_REPORTING = "|".join(
    form for entry in _SPEECH_STEMS.split("|") for form in entry.split(":")[1].split(",")
) + r"|[Aa]ccording\s+to|[Ii]n\s+the\s+words\s+of"
_VERB = re.compile(r"\b(?:" + _REPORTING + r")\b")
_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_NAME_TOKEN = (
    rf"(?:Dr|Mr|Mrs|Ms|Prof|St)\.|[{_UPPER}][{_LOWER}'’]+(?:-[{_UPPER}]?[{_LOWER}]+)*|[{_UPPER}]{{2,}}(?![{_LOWER}])"
)
_PARTICLE = r"(?:de|van|von|der|den|da|del|la|le|al|bin|di|du|ten)"
# Names never run across a line break.
_NAME_RUN = re.compile(rf"(?=[{_UPPER}])(?:{_NAME_TOKEN})(?:[^\S\n]+(?:{_PARTICLE}[^\S\n]+)?(?:{_NAME_TOKEN}))*")
_TITLES = frozenset(
    """
    minister president chief executive constable dr dr. professor prof prof. judge lawyer director paramedic
    pollster councillor mayor governor secretary chairman chairwoman chair mr mr. mrs mrs. ms ms. sir dame
    general colonel captain senator acting prime foreign finance defence health interior education labour
    transport energy regional manager spokesman spokeswoman spokesperson leader organiser coordinator
    demographer economist epidemiologist critic officer worker trader analyst owner commissioner
    prosecutor inspector engineer scientist researcher farmer teacher fisheries agriculture deputy
    campaigner activist newsagent resident driver nurse doctor student historian librarian novelist artist
    writer author mother father widow neighbour shopkeeper baker fisherman pilot miner soldier veteran
    banker broker lecturer envoy mediator ambassador diplomat negotiator chancellor premier vice speaker
    counsellor warden superintendent commander admiral lieutenant sergeant bishop archbishop king queen prince
    princess coach player striker founder presenter host editor correspondent reporter auditor regulator
    ombudsman treasurer attorney solicitor barrister magistrate coroner surgeon consultant midwife firefighter
    detective chief head boss president vice-president
    """.split()
)
_ROLE_BEFORE_NAME = re.compile(
    r"(?i:\b(?:" + "|".join(sorted((re.escape(t.rstrip(".")) for t in _TITLES), key=len, reverse=True)) + r"))\.?\s+$"
)
_PRONOUNS = {"he", "she", "him", "her"}
_GROUP_PRONOUNS = {"it", "they"}
_GENERIC_BODIES = frozenset(
    "group company firm union association ministry agency council party bank airline operator institute"
    " authority federation office government club court organisation organization".split()
)
# Nouns that end the name of an institution ("Interior Ministry", "Environment Agency").
_BODY_WORDS = frozenset(
    "ministry department office agency authority council commission committee service board bureau"
    " institute foundation trust union federation association party bank court police army navy"
    " embassy government parliament assembly cabinet coastguard company group corporation"
    " university hospital school museum library observatory centre center network".split()
)
# Words between a subject and its reporting verb ("the party has called").
_AUXILIARY_TAIL = re.compile(r"(?:\s+(?:has|have|had|also|later|then|again|previously|once|will|would|had|is|was))+$")
_ARTICLE = re.compile(r"^(?:the|a|an|one)\s+", re.IGNORECASE)
# A relative clause or an "of" phrase set off by commas: ", who chairs the
# committee,", ", of Friends of Harbourgate Libraries,".
_PARENTHETICAL = re.compile(r",\s*(?:who|whose|which|whom|of)\b[^,]*(?:,|$)")
_INSIDE_RELATIVE = re.compile(r",\s*(?:who|whose|which|whom)\b[^,.\n]*$")
_LETTER_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_ANY_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_CLAUSE_PUNCTUATION = re.compile(r"[.!?,]")
_NOT_NOUN_START = frozenset("in on at for with by from after before during to into as than".split())
_PREPOSITION_CUT = re.compile(r"\s+(?:of|at|from|in|for|on|with|to|during|after|before|outside|inside)\s+.*$")
_DOCUMENT_FROM = re.compile(
    r"^(?:(?:a|an|the|its|their)\s+)?(?:\w+\s+)?(?:statement|communiqu[ée]|press\s+release|release|letter|note)"
    r"\s+(?:from|by|issued\s+by)\s+",
    re.IGNORECASE,
)
# "A nurse who asked not to be named said": a relative clause with no commas.
_RELATIVE_CUT = re.compile(r"\s+(?:who|whose|which|whom|that)\b.*$")
_SENTENCE_TAIL = re.compile(r"[.!?](?=\s|$)|\n")
_COMMA_END = re.compile(r",\s*$")
_COMMA_START = re.compile(r"\s*,")
_AUXILIARY_HEAD = re.compile(r"^(?:has|have|had|also|later|then)\s+")
_VERB_HEAD = re.compile(r"(?:" + _REPORTING + r")\b")
# "said X" names the speaker; "told X" names the listener.
_SAID_END = re.compile(r"\b(?:said|says)\s+$")
# How far back an attribution looks for the group or person it refers to.
_LOOKBACK = 3000
_AGE_AFTER = re.compile(r"^,\s*\d{1,3},")


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: ``text == article[start:end]``, marks included.

    ``speaker`` is who said it (see the module docstring), or ``None``;
    ``speaker_start`` and ``speaker_end`` locate that name in the article.
    """

    start: int
    end: int
    text: str
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    rule: str = ""  # how the speaker was found ("speaker-after", …) or "no-speaker"


@dataclass(frozen=True, slots=True)
class _Speaker:
    name: str
    start: int
    end: int


def _quotation_spans(text: str) -> list[tuple[int, int]]:
    """Start and end (marks included) of every balanced quotation.

    A paragraph that ends inside a quotation continues it only when the
    next paragraph opens with the same mark; otherwise the opening mark is
    dropped as unbalanced.
    """
    spans: list[tuple[int, int]] = []
    open_mark: str | None = None
    open_at = 0
    line_start = 0  # start of the line where the open quotation was last (re)opened
    for match in _MARKS.finditer(text):
        mark, at = match.group(), match.start()
        if open_mark is not None and text.find("\n", line_start, at) >= 0:
            this_line = text.rfind("\n", 0, at) + 1
            last_line_end = text.find("\n", line_start)
            reopens = mark == open_mark and not text[this_line:at].strip()
            if reopens and not text[last_line_end:this_line].strip():
                line_start = this_line
                continue
            open_mark = None
        if open_mark is None:
            if mark in _PAIRS:
                open_mark, open_at = mark, at
                line_start = text.rfind("\n", 0, at) + 1
        elif mark == _PAIRS[open_mark]:
            spans.append((open_at, at + 1))
            open_mark = None
    return spans


def _is_title(inner: str) -> bool:
    words = _LETTER_WORD.findall(inner)
    return len(words) >= _MIN_WORDS and all(w[0].isupper() for w in words) and not _CLAUSE_PUNCTUATION.search(inner)


def _count_words(inner: str) -> int:
    return len(_ANY_WORD.findall(inner))


_SENTENCE_END = re.compile(r"[.!?][\"'”’»]?(?=\s)|\n")
_QUOTED_SPAN = re.compile(r'"[^"\n]*"|“[^”\n]*”|„[^“\n]*“|«[^»\n]*»')
_HIS = frozenset({"mr", "mr.", "sir", "lord", "king", "prince"})
_HERS = frozenset({"mrs", "mrs.", "ms", "ms.", "miss", "dame", "lady", "queen", "princess"})


class _People:
    """People named in an article, for expanding surnames and resolving pronouns."""

    def __init__(self, text: str):
        self.text = text
        # (position, role words, full name): "Governor Alma Ruiz", "the finance
        # minister, Hugo Brandt", "Hugo Brandt, the finance minister".
        self.roles: list[tuple[int, frozenset[str], str]] = []
        self.honorific: dict[str, str] = {}  # full name -> "mr", "ms", …
        full: dict[str, tuple[int, int]] = {}
        by_surname: dict[str, str] = {}
        runs: list[tuple[int, str]] = []
        for run in _NAME_RUN.finditer(text):
            written = run.group()
            if " " not in written:
                runs.append((run.start(), written))
                continue
            name, start, end = _strip_titles(written, run.start())
            runs.append((start, name))
            first = written.split()[0].lower()
            if " " not in name:
                if first in _HIS or first in _HERS:
                    # "Ms Fisk": a person even when the article never gives her first name.
                    full_name = by_surname.get(name, name)
                    full.setdefault(full_name, (start, end))
                    self.honorific.setdefault(full_name, first)
                continue
            if first in _HIS or first in _HERS:
                self.honorific.setdefault(name, first)
            # Any two-word name can be shortened to its last word ("Voss" for
            # "shipping magnate Erland Voss"); only people are met by "he"/"she".
            surname = name.rsplit(" ", 1)[-1]
            by_surname.setdefault(surname, name)
            known = name in full
            if known or self._is_person(start, end):
                full.setdefault(name, (start, end))
                by_surname[surname] = name
                # A role comes with the first mention, a title, or an apposition.
                roles = (
                    _roles_around(text, run.start(), start, end)
                    if not known or _may_have_role(text, run.start(), start, end) else None
                )
                if roles:
                    self.roles.append((start, roles, name))
        self.full = full
        self.by_surname = by_surname
        forms = {name: name for name in full}
        for name in full:
            forms.setdefault(name.rsplit(" ", 1)[-1], name)
        self.mentions = [(start, forms[name]) for start, name in runs if name in forms]
        self.positions = [m[0] for m in self.mentions]

    def _is_person(self, start: int, end: int) -> bool:
        before = self.text[max(0, start - 30) : start]
        after = self.text[end : end + 120]
        if _ROLE_BEFORE_NAME.search(before) or _AGE_AFTER.match(after):
            return True
        if _COMMA_END.search(before) and _COMMA_START.match(after):
            return True  # an apposition: "Its leader, Sergei Marin, said"
        if _SAID_END.search(before):
            return True
        role_after = _ROLE_AFTER.match(self.text, end, end + 70)
        if role_after and any(w.lower() in _TITLES for w in _ROLE_WORD.findall(role_after.group(1))):
            return True  # "Lena Fisk, the mayor, spoke"
        if _INSIDE_RELATIVE.search(self.text, max(0, start - 80), start):
            return False  # "Nadia Oresh, whose son serves with the Rifle Brigade, told…"
        clause = _AUXILIARY_HEAD.sub("", _PARENTHETICAL.sub(",", after).lstrip(", "))
        return bool(_VERB_HEAD.match(clause))

    def with_role(self, role: str, at: int) -> str | None:
        """The person last named before ``at`` with the role word ``role`` ("minister")."""
        for start, roles, name in reversed(self.roles):
            if start < at and role in roles:
                return name
        return None

    def referent(self, at: int, pronoun: str) -> str | None:
        """Who "he" or "she" at ``at`` is: the first person named in the nearest sentence
        before it that names one, outside quotation marks (the subject, more often than
        the person named last); a name written with a title of the other sex is skipped."""
        i = bisect.bisect_left(self.positions, at)
        if not i:
            return None
        window_start = max(0, at - 600)
        ends = [m.end() for m in _SENTENCE_END.finditer(self.text, window_start, at)]
        bounds = list(zip([window_start, *ends], [*ends, at]))
        quoted = [(m.start(), m.end()) for m in _QUOTED_SPAN.finditer(self.text, window_start, at)]
        wrong_sex = _HIS if pronoun in ("she", "her") else _HERS
        for s_start, s_end in reversed(bounds):
            lo = bisect.bisect_left(self.positions, s_start)
            hi = bisect.bisect_left(self.positions, s_end)
            for position, name in self.mentions[lo:hi]:
                if any(q0 <= position < q1 for q0, q1 in quoted):
                    continue
                if self.honorific.get(name) in wrong_sex:
                    continue
                return name
        return self.last_before(at)

    def full_name(self, surname: str) -> str | None:
        return self.by_surname.get(surname)

    def last_before(self, at: int) -> str | None:
        i = bisect.bisect_left(self.positions, at)
        return self.mentions[i - 1][1] if i else None

    def locate(self, name: str, at: int) -> _Speaker:
        """Where ``name`` is written nearest before ``at`` (else first anywhere)."""
        start = self.text.rfind(name, 0, at)
        if start < 0:
            start = self.text.find(name)
        return _Speaker(name, start, start + len(name))


_ROLE_WORD = re.compile(r"[A-Za-z]+")
_ROLE_AFTER = re.compile(r",\s+(?:the|a|an|its|his|her|their)\s+([^,.;]{3,60})[,.;]")


def _may_have_role(text: str, run_start: int, name_start: int, name_end: int) -> bool:
    """A cheap test before ``_roles_around``: a title in the run, or a comma before or after it."""
    return run_start != name_start or text.startswith(", ", name_end) or text.endswith(", ", 0, run_start)


def _roles_around(text: str, run_start: int, name_start: int, name_end: int) -> frozenset[str]:
    """Role words written with a name: its titles, or a role in apposition before or after it."""
    words = _ROLE_WORD.findall(text[run_start:name_start])
    # Up to four words before the name (and its comma), within the sentence.
    before = text[max(0, run_start - 50) : run_start].rstrip()
    before = before[:-1] if before.endswith(",") else before
    words += _ROLE_WORD.findall(re.split(r"[.!?;:\n]", before)[-1])[-4:]
    if text.startswith(", ", name_end):
        after = _ROLE_AFTER.match(text, name_end, name_end + 70)
        if after:
            words += _ROLE_WORD.findall(after.group(1))
    return frozenset(w.lower() for w in words if w.lower() in _TITLES)


def _strip_titles(run: str, start: int) -> tuple[str, int, int]:
    """A name run without its leading titles ("Defence Minister Tomas Reyl" -> "Tomas Reyl")."""
    tokens = run.split()
    if tokens[-1].lower() in _GENERIC_BODIES or tokens[-1].lower() in _BODY_WORDS:
        # "Interior Ministry", "National Grid Office": a body's name, titles and all.
        return run, start, start + len(run)
    keep = 0
    while keep < len(tokens) - 1 and (tokens[keep].lower() in _TITLES or tokens[keep] in ("The", "A", "An")):
        keep += 1
    if not keep:
        return run, start, start + len(run)
    offset = 0
    for token in tokens[:keep]:
        offset = run.index(token, offset) + len(token)
    offset = run.index(tokens[keep], offset)
    return run[offset:], start + offset, start + len(run)


def _speaker_from_phrase(text: str, start: int, end: int, people: _People, inverted: bool) -> _Speaker | None:
    """The speaker named by the noun phrase ``text[start:end]`` of an attribution.

    The phrase splits at commas. After its verb (``inverted``) the name
    comes first ("said Lukas Brandt, the union's organiser", unless a role
    leads: "said the newsagent, Rafael Ortiz"); before its verb the name
    comes last ("Its leader, Sergei Marin,"). With no name in any part, the
    speaker is described by the first part that reads as a noun phrase.
    """
    phrase = _PARENTHETICAL.sub(",", text[start:end])
    raw_parts = [p for p in phrase.split(",") if p.strip()]
    parts: list[tuple[str, int]] = []
    for raw in raw_parts if inverted else reversed(raw_parts):
        raw = _DOCUMENT_FROM.sub("", raw.strip())  # "a statement from the Transport Ministry": the ministry
        part = _AUXILIARY_TAIL.sub("", _PREPOSITION_CUT.sub("", _RELATIVE_CUT.sub("", raw))).strip(" \t\n:;—–-")
        if not part or len(part.split()) > 7:
            continue
        found = text.find(part, start, end)
        at = found if found >= 0 else start
        lower = part.lower()
        if lower in _PRONOUNS:
            name = people.referent(at, lower)
            return people.locate(name, at) if name else None
        if lower in _GROUP_PRONOUNS:
            return _body_named_before(text, at, people)
        named = _name_in(part, at, people)
        if named:
            return named
        parts.append((part, at))
    for part, at in parts:
        if _reads_as_noun_phrase(part):
            return _description(text, part, at, people)
    return None


def _name_in(part: str, at: int, people: _People) -> _Speaker | None:
    """The person or body ``part`` names, when it ends in a name ("Defence Minister Tomas Reyl")."""
    last_word = part.split()[-1]
    if not last_word[0].isupper():
        return None  # "a DVB spokeswoman": a description, not a name
    runs = list(_NAME_RUN.finditer(part))
    if not runs:
        return None
    name, name_start, name_end = _strip_titles(runs[-1].group(), at + runs[-1].start())
    if name.lower() in _TITLES:
        return None
    if " " not in name and people.full_name(name):
        return people.locate(people.full_name(name), at)
    return _Speaker(name, name_start, name_end)


def _reads_as_noun_phrase(part: str) -> bool:
    words = _ARTICLE.sub("", part).split()
    if not words or len(words) > 5 or words[0].lower() in _NOT_NOUN_START:
        return False
    return not words[0].lower().endswith(("ed", "ing")) and "but" not in words


def _description(text: str, part: str, at: int, people: _People) -> _Speaker | None:
    description = _ARTICLE.sub("", part)
    head = description.split()[-1].lower() if description.split() else ""
    if part[: len(part) - len(description)].strip().lower() == "the" and head in _TITLES:
        # "the minister said": the minister named earlier, when there is one.
        name = people.with_role(head, at)
        if name:
            return people.locate(name, at)
    if description.lower() in _GENERIC_BODIES:
        named = _named_body(text, description.lower(), at)
        if named:
            return named
    if not any(char.isalpha() for char in description):
        return None
    d_start = at + len(part) - len(description)
    return _Speaker(description, d_start, d_start + len(description))


def _named_body(text: str, noun: str, at: int) -> _Speaker | None:
    """The name given earlier to "the group": "consumer group Fair Travel", "The National Grid Office"."""
    window_start = max(0, at - _LOOKBACK)
    found: _Speaker | None = None
    for match in re.finditer(rf"\b(?i:{noun})[^\S\n]+({_NAME_RUN.pattern})", text[window_start:at]):
        found = _Speaker(match.group(1), window_start + match.start(1), window_start + match.end(1))
    for match in _NAME_RUN.finditer(text, window_start, at):
        name = match.group()
        if " " in name and name.rsplit(" ", 1)[-1].lower() == noun and (found is None or match.start() > found.start):
            found = _Speaker(*_strip_leading_article(name, match.start()))
    return found


def _strip_leading_article(name: str, start: int) -> tuple[str, int, int]:
    head, _, rest = name.partition(" ")
    if head in ("The", "A", "An") and rest:
        return rest, start + len(head) + 1, start + len(name)
    return name, start, start + len(name)


def _body_named_before(text: str, at: int, people: _People) -> _Speaker | None:
    """For "it said": the named subject of the last reporting sentence before."""
    window_start = max(0, at - 400)
    best = None
    for match in re.finditer(rf"(?:^|[.!?]\s+|\n)({_NAME_RUN.pattern})(?:,[^,]*,)?\s+(?:{_REPORTING})\b", text[window_start:at]):
        best = match
    if not best:
        return None
    return _Speaker(best.group(1), window_start + best.start(1), window_start + best.end(1))


def _after_attribution(text: str, end: int, people: _People) -> _Speaker | None:
    """``"…," X said`` or ``"…," said X``: the clause right after the quote."""
    tail = _SENTENCE_TAIL.search(text, end)
    clause_end = tail.start() if tail else len(text)
    clause_end = min(clause_end, end + 160)
    verb = _VERB.search(text, end, clause_end)
    if not verb:
        return None
    lead = text[end : verb.start()]
    if not lead.strip(" ,\t"):
        # "said the newsagent, Rafael Ortiz": the whole clause, split at commas later.
        return _speaker_from_phrase(text, verb.end(), clause_end, people, inverted=True)
    if len(lead.split()) > 8 or not (lead[:1].isspace() or lead.startswith(",")):
        return None
    return _speaker_from_phrase(text, end, verb.start(), people, inverted=False)


def _before_attribution(text: str, sentence_start: int, start: int, people: _People) -> _Speaker | None:
    """``X said: "…"`` or ``X called the plan "…"``: the reporting verb before the quote."""
    verbs = list(_VERB.finditer(text, sentence_start, start))
    if not verbs:
        return None
    verb = verbs[-1]
    if verb.group().lower().startswith(("according", "in")):  # "according to X", "in the words of X"
        after_end = re.search(r"[,.;:!?\n]|$", text[verb.end() : start])
        return _speaker_from_phrase(text, verb.end(), verb.end() + after_end.start(), people, inverted=True)
    if not text[sentence_start : verb.start()].strip():
        return None
    return _speaker_from_phrase(text, sentence_start, verb.start(), people, inverted=False)


class _Sentences:
    def __init__(self, bounds: list[tuple[int, int]]):
        self.bounds = bounds
        self.starts = [b[0] for b in bounds]

    def index_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)


def find_quotes(text: str, *, sentences: list[tuple[int, int]] | None = None) -> list[Quote]:
    """Every quote in ``text`` with its speaker, in text order (see the module docstring).

    ``sentences`` may pass ``sentence_bounds(text)`` when it is already known.
    """
    spans = []
    for start, end in _quotation_spans(text):
        inner = text[start + 1 : end - 1]
        if _count_words(inner) >= _MIN_WORDS and not _is_title(inner):
            spans.append((start, end))
    if not spans:
        return []
    people = _People(text)
    sentence_index = _Sentences(sentence_bounds(text) if sentences is None else sentences)
    quotes: list[Quote] = []
    previous: Quote | None = None
    for start, end in spans:
        speaker, rule = _attribute(text, start, end, people, sentence_index, previous)
        index = sentence_index.index_of(start)
        sentence = sentence_index.bounds[index] if sentence_index.bounds else (0, len(text))
        if not _is_said(text, start, end, rule, sentence):
            continue
        quote = Quote(
            start, end, text[start:end],
            speaker.name if speaker else None,
            speaker.start if speaker else None,
            speaker.end if speaker else None,
            f"speaker-{rule}" if speaker else "no-speaker",
        )
        quotes.append(quote)
        previous = quote
    return quotes


# Words a headline puts before a colon to say who speaks: "Coach Lindqvist:", "Bank boss:".
_HEADING_ROLES = frozenset("boss coach captain striker chief head star host".split())
# "That was the verdict of Amara Osei": the next sentence names the speaker.
_NEXT_SENTENCE_SPEAKER = re.compile(
    r"\s*(?:That|This|Those|These|Such)\s+(?:was|were|is|are)\b[^.!?\n\"“”„«»]{0,50}?\b(?:of|from|by)\s+"
)


def _colon_heading(text: str, start: int, colon: int, people: _People) -> _Speaker | None:
    """``Union leader Jana Kos: "…"``: a headline's speaker, a short name or role before a colon."""
    line_start = text.rfind("\n", 0, colon) + 1
    phrase_start = max(start, line_start)
    words = text[phrase_start:colon].split()
    if not words or len(words) > 5:
        return None
    if not all(w[0].isupper() or w.lower() in _TITLES or w.lower() in _HEADING_ROLES for w in words):
        return None
    return _speaker_from_phrase(text, phrase_start, colon, people, inverted=False)


def _next_sentence_attribution(text: str, end: int, people: _People) -> _Speaker | None:
    """A quote that is a sentence of its own, named in the next: ``"…" That was the verdict of X.``"""
    match = _NEXT_SENTENCE_SPEAKER.match(text, end)
    if not match:
        return None
    tail = re.search(r"[,.;:!?\n]|$", text[match.end() : match.end() + 120])
    return _speaker_from_phrase(text, match.end(), match.end() + tail.start(), people, inverted=True)


def _paragraph_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _attribute(
    text: str, start: int, end: int, people: _People, sentences: _Sentences, previous: Quote | None
) -> tuple[_Speaker | None, str]:
    """The speaker of the quotation ``text[start:end]`` and the rule that found them.

    Rules that read an attribution written for this quotation (``after``,
    ``before``, ``colon``, ``heading``, ``next-sentence``) are strong; the
    rest carry a speaker over from nearby and are weak (see ``_STRONG``).
    """
    speaker = _after_attribution(text, end, people)
    if speaker:
        return speaker, "after"
    index = sentences.index_of(start)
    sentence_start = sentences.bounds[index][0] if sentences.bounds else 0
    paragraph = _paragraph_start(text, start)
    speaker = _before_attribution(text, max(sentence_start, paragraph), start, people)
    if speaker:
        return speaker, "before"
    colon = start - 1
    while colon >= 0 and text[colon].isspace():
        colon -= 1
    if colon >= 0 and text[colon] == ":":
        colon_sentence = sentences.index_of(colon)
        c_start = sentences.bounds[colon_sentence][0] if sentences.bounds else 0
        speaker = _before_attribution(text, c_start, colon, people)
        if speaker:
            return speaker, "colon"
        speaker = _colon_heading(text, c_start, colon, people)
        if speaker:
            return speaker, "heading"
    speaker = _next_sentence_attribution(text, end, people)
    if speaker:
        return speaker, "next-sentence"
    if previous is not None and previous.speaker and previous.end >= paragraph:
        return _Speaker(previous.speaker, previous.speaker_start, previous.speaker_end), "previous-quote"
    if index > 0 and sentences.bounds[index - 1][0] >= paragraph:
        p_start, p_end = sentences.bounds[index - 1]
        speaker = _before_attribution(text, p_start, p_end, people)
        if speaker:
            return speaker, "previous-sentence"
    if start == paragraph:
        name = people.last_before(start)
        if name:
            return people.locate(name, start), "paragraph-opening"
    return None, "unattributed"


_STRONG = frozenset({"after", "before", "colon", "heading", "next-sentence"})
# Words right before a quotation that hold it at arm's length: "so-called", "dubbed".
_ARM_LENGTH_BEFORE = re.compile(
    r"(?:\bso-called|\bdubbed|\bknown\s+as|\b(?:en)?titled|\bheadlined|\bbranded|\blabelled|\blabeled"
    r"|\bthe\s+(?:phrase|slogan|headline|word|words|term|motto|label|title|banner)"
    r"|\b(?:talk|talks|talked|talking|speak|speaks|spoke)\s+(?:about|of)(?:\s+(?:a|an|the))?"
    r"|\bwhat\s+(?:\w+\s+){1,3}call(?:s|ed)?)\s*$",
    re.IGNORECASE,
)
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|its|their|his|her|this|that|our|your)\s*$", re.IGNORECASE)
# A word right after the closing mark that the quotation modifies: the "whatever it takes" economy.
_NOUN_AFTER = re.compile(r"[^\S\n]+([a-z][a-z-]+)")
_SPOKEN_END = re.compile(r"[,.!?…:;—–-]\s*$")
# Words after a closing mark that do not make the quotation a modifier.
_NOT_MODIFIED = frozenset(
    "is are was were has have had will would can could may might must do does did and or but nor that which who"
    " to of in on at for with as by from than then so yet if when while because into onto over under about"
    " after before since until during said says".split()
)
# Speech, or writing read out: a reporting verb, or "reading", "put it", "chanting".
_SPEECH_CUE = re.compile(r"\b(?:" + _REPORTING + r"|read|reads|reading|put|puts|chanting|calling\s+for)\b")


def _is_said(text: str, start: int, end: int, rule: str, sentence: tuple[int, int]) -> bool:
    """Whether someone is reported saying the quotation, rather than it being held at arm's length.

    A quote has a strong attribution, or reads as speech (a complete
    utterance ending in punctuation inside the marks, or a speech verb in
    its sentence); a scare quote or a title has neither, or is marked as one
    ("so-called", "the slogan", a quotation used as a modifier).
    """
    before = text[max(0, start - 40) : start]
    if _ARM_LENGTH_BEFORE.search(before):
        return False
    inner = text[start + 1 : end - 1]
    spoken_end = bool(_SPOKEN_END.search(inner))
    after = _NOUN_AFTER.match(text, end)
    if (
        not spoken_end
        and after
        and after.group(1) not in _NOT_MODIFIED
        and not _VERB.fullmatch(after.group(1))
        and _DETERMINER_BEFORE.search(before)
    ):
        return False  # the "whatever it takes" economy
    if rule in _STRONG or spoken_end:
        return True
    return _SPEECH_CUE.search(text, sentence[0], sentence[1]) is not None
