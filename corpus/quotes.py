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
VERSION = 1

# Opening mark -> the closing marks that end it.
_PAIRS = {'"': '"', "“": "”", "„": "“", "«": "»"}
_MARKS = re.compile(r'["“”„«»]')
_MIN_WORDS = 3

_REPORTING = (
    r"said|says|say|told|tells|added|wrote|writes|warned|warns|insisted|argued|stated|declared"
    r"|announced|explained|replied|asked|continued|recalled|admitted|noted|called|calls|described|describes"
    r"|promised|promises|urged|acknowledged|conceded|claimed|claims|vowed|pledged|complained|predicted"
    r"|suggested|according\s+to"
)
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
    banker broker lecturer
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
# Words between a subject and its reporting verb ("the party has called").
_AUXILIARY_TAIL = re.compile(r"(?:\s+(?:has|have|had|also|later|then|again|previously|once|will|would|had|is|was))+$")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
# A relative clause or an "of" phrase set off by commas: ", who chairs the
# committee,", ", of Friends of Harbourgate Libraries,".
_PARENTHETICAL = re.compile(r",\s*(?:who|whose|which|whom|of)\b[^,]*(?:,|$)")
_INSIDE_RELATIVE = re.compile(r",\s*(?:who|whose|which|whom)\b[^,.\n]*$")
_LETTER_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_ANY_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_CLAUSE_PUNCTUATION = re.compile(r"[.!?,]")
_NOT_NOUN_START = frozenset("in on at for with by from after before during to into as than".split())
_PREPOSITION_CUT = re.compile(r"\s+(?:of|at|from|in|for|on|with)\s+.*$")
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


class _People:
    """People named in an article, for expanding surnames and resolving pronouns."""

    def __init__(self, text: str):
        self.text = text
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
            if " " not in name:
                continue
            # Any two-word name can be shortened to its last word ("Voss" for
            # "shipping magnate Erland Voss"); only people are met by "he"/"she".
            surname = name.rsplit(" ", 1)[-1]
            by_surname.setdefault(surname, name)
            if name not in full and self._is_person(start, end):
                full[name] = (start, end)
                by_surname[surname] = name
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
        if _INSIDE_RELATIVE.search(self.text, max(0, start - 80), start):
            return False  # "Nadia Oresh, whose son serves with the Rifle Brigade, told…"
        clause = _AUXILIARY_HEAD.sub("", _PARENTHETICAL.sub(",", after).lstrip(", "))
        return bool(_VERB_HEAD.match(clause))

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


def _strip_titles(run: str, start: int) -> tuple[str, int, int]:
    """A name run without its leading titles ("Defence Minister Tomas Reyl" -> "Tomas Reyl")."""
    tokens = run.split()
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
        part = _AUXILIARY_TAIL.sub("", _PREPOSITION_CUT.sub("", raw.strip())).strip(" \t\n:;—–-")
        if not part or len(part.split()) > 7:
            continue
        found = text.find(part, start, end)
        at = found if found >= 0 else start
        lower = part.lower()
        if lower in _PRONOUNS:
            name = people.last_before(at)
            return people.locate(name, at) if name else None
        if lower in _GROUP_PRONOUNS:
            return _body_named_before(text, at, people)
        named = _name_in(part, at, people)
        if named:
            return named
        parts.append((part, at))
    for part, at in parts:
        if _reads_as_noun_phrase(part):
            return _description(text, part, at)
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


def _description(text: str, part: str, at: int) -> _Speaker | None:
    description = _ARTICLE.sub("", part)
    if description.lower() in _GENERIC_BODIES:
        named = _named_body(text, description.lower(), at)
        if named:
            return named
    if not any(char.isalpha() for char in description):
        return None
    d_start = at + len(part) - len(description)
    return _Speaker(description, d_start, d_start + len(description))


def _named_body(text: str, noun: str, at: int) -> _Speaker | None:
    """The name given earlier to "the group" as in "consumer group Fair Travel"."""
    window_start = max(0, at - _LOOKBACK)
    found = None
    for match in re.finditer(rf"\b(?i:{noun})[^\S\n]+({_NAME_RUN.pattern})", text[window_start:at]):
        found = match
    if not found:
        return None
    return _Speaker(found.group(1), window_start + found.start(1), window_start + found.end(1))


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
    if verb.group().startswith("according"):
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
        speaker = _attribute(text, start, end, people, sentence_index, previous)
        quote = Quote(
            start, end, text[start:end],
            speaker.name if speaker else None,
            speaker.start if speaker else None,
            speaker.end if speaker else None,
        )
        quotes.append(quote)
        previous = quote
    return quotes


def _paragraph_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _attribute(
    text: str, start: int, end: int, people: _People, sentences: _Sentences, previous: Quote | None
) -> _Speaker | None:
    speaker = _after_attribution(text, end, people)
    if speaker:
        return speaker
    index = sentences.index_of(start)
    sentence_start = sentences.bounds[index][0] if sentences.bounds else 0
    paragraph = _paragraph_start(text, start)
    speaker = _before_attribution(text, max(sentence_start, paragraph), start, people)
    if speaker:
        return speaker
    colon = start - 1
    while colon >= 0 and text[colon].isspace():
        colon -= 1
    if colon >= 0 and text[colon] == ":":
        colon_sentence = sentences.index_of(colon)
        c_start = sentences.bounds[colon_sentence][0] if sentences.bounds else 0
        speaker = _before_attribution(text, c_start, colon, people)
        if speaker:
            return speaker
    if previous is not None and previous.speaker and previous.end >= paragraph:
        return _Speaker(previous.speaker, previous.speaker_start, previous.speaker_end)
    if index > 0 and sentences.bounds[index - 1][0] >= paragraph:
        p_start, p_end = sentences.bounds[index - 1]
        speaker = _before_attribution(text, p_start, p_end, people)
        if speaker:
            return speaker
    if start == paragraph:
        name = people.last_before(start)
        if name:
            return people.locate(name, start)
    return None
