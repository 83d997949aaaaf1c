"""Claim text made ready for matching.

Two reports of one claim differ in ways a reader ignores: curly or straight
quote marks, dashes, case, who said it ("..., the minister said",
"according to X", "X told reporters"), how a number is written
(``100,000``, ``100k``, ``one hundred thousand``) and contractions
(``won't`` for ``will not``). :func:`prepare_claim` removes those
differences, drops the stopwords (so that a changed subject weighs more than
a passive voice) and cuts words to six characters (``raised``/``raises``),
and keeps apart what decides a match beyond the words:

* the figures, found by :func:`corpus.figures.find_figures` on the claim
  before anything else touches it (rapidfuzz's ``default_process`` would turn
  ``100,000`` into ``100 000`` and ``3.5%`` into ``3 5``). In the matching
  text each figure becomes a slot token (``#soldier``, ``#usd``, ``#%``), so
  the words are scored alone and the guard in :mod:`corpus.claim_match`
  compares the values;
* negation (``not``, ``no``, ``never``, ``n't``...), removed from the matching
  text and kept as a flag, so "is on the table" and "is not on the table"
  score as the same words and the guard reports the contradiction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.aliases import apply_aliases, fold_diacritics
from corpus.figures import Figure, find_figures, singular
from corpus.numbers import SCALE_WORDS, find_numbers

# One character for one character, so offsets into the claim survive.
_MARKS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2039": "'", "\u203a": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})

_SPEECH_VERB = (
    r"(?:said|says|say|told|tells|added|adds|claimed|claims|stated|states|warned|warns"
    r"|insisted|insists|announced|announces|noted|notes|argued|argues|confirmed|confirms)"
)
# Verbs that name a source only at the end of a claim or with "that" after
# them: "Harcourt Bank reported a record profit" is the claim itself.
_FINDING_VERB = (
    r"(?:wrote|writes|reported|reports|revealed|reveals|explained|explains|found|finds"
    r"|show|shows|showed|forecast|forecasts|estimated|estimates|believes)"
)
_WORD = r"[^\s,;]+"
# A clause naming the source at the end: ", the minister said on Tuesday.",
# ", according to police.", ', said the union."'. At most a few words either
# side of the verb, and no comma inside, so that ", a record for October, the
# agency said" gives up only the last clause.
_ATTRIBUTION_AFTER = re.compile(
    r"""["']?\s*[,;]\s*["']?\s*(?P<who>according\s+to\s+[^,;]+|(?:""" + _WORD + r"""\s+){0,7}?(?:"""
    + _SPEECH_VERB + "|" + _FINDING_VERB + r""")(?:\s+""" + _WORD + r"""){0,8})\s*[.!?"']*\s*$""",
    re.IGNORECASE,
)
# A source named first: "According to X, ...", "The minister said (that) ...",
# "Ines Vogt told reporters (that) ...", "A report found that ...".
_ATTRIBUTION_BEFORE = re.compile(
    r"""^\s*(?P<who>according\s+to\s+[^,;]+,|(?:""" + _WORD + r"""\s+){1,6}?(?:"""
    r"""(?:(?:told|tells)\s+(?:reporters|journalists|parliament|lawmakers|mps|the\s+\w+|\w+)"""
    r"""|""" + _SPEECH_VERB + r""")(?:\s+that)?|""" + _FINDING_VERB + r"""\s+that))\s+""",
    re.IGNORECASE,
)
_CONTRACTIONS = (
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bshan't\b"), "shall not"),
    (re.compile(r"\bcan't\b|\bcannot\b"), "can not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'s\b"), ""),
)
NEGATIONS = frozenset({"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without"})
# Verbs that deny what follows them as "not" does: "Russia denied shelling
# the plant" against "Russia shelled the plant", "refused to host" against
# "offered to host". They set the negation flag but stay in the matching
# text (unlike "not", they are content words).
# "failed" denies only with "to", "ruled" only with "out".
_DENIAL_PHRASE = re.compile(r"\b(?:deny|denies|denied|denying|refuse[sd]?|refusing|fail(?:s|ed|ing)?\s+to|rul(?:e|es|ed|ing)\s+out)\b")
# Negation words that do not deny the claim.
_NOT_DENIALS = re.compile(r"\b(?:not\s+only|not\s+least|no\s+doubt)\b")
_TOKEN = re.compile(r"#[^\s]+|[a-z0-9]+")
_CASED_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
# What may stand between a sentence start and its first word.
_SENTENCE_BREAK = re.compile(r"[.!?:;\"'(]")
# Quantities the figure reader leaves alone ("5p", "F-35", "a third"):
# tokens with a digit, and fractions in words.
_FRACTIONS = frozenset({"half", "halves", "third", "thirds", "quarter", "quarters", "fifth", "fifths", "tenth", "tenths"})
# Words that state a direction. Two claims with the same words but opposite
# directions ("inflation rose to 4.1%" / "inflation fell to 4.1%") contradict
# each other; the sign is what the guard compares.
_DIRECTIONS = {
    **dict.fromkeys(
        "rise rises rose risen rising increase increased increases increasing grew grow grows growing "
        "growth climb climbed climbs climbing higher highest gain gained gains raise raised raises raising "
        "soar soared surge surged jump jumped double doubled".split(), ("amount", 1)),
    **dict.fromkeys(
        "cut cuts cutting fall falls fell fallen falling decrease decreased decreases decreasing shrank shrink shrinks "
        "shrunk drop dropped drops dropping lower lowest fewer less decline declined declines slump "
        "slumped plunge plunged halve halved reduce reduced reduces lowered lowers lowering".split(), ("amount", -1)),
    # Talks and deals: going on or breaking down.
    **dict.fromkeys("resume resumed resumes resuming progress breakthrough".split(), ("talks", 1)),
    **dict.fromkeys("collapse collapsed collapses broke failure stalled".split(), ("talks", -1)),
    # Rules made stricter or looser.
    **dict.fromkeys("tighten tightened tightens toughen toughened impose imposed imposes".split(), ("strict", 1)),
    **dict.fromkeys("ease eased eases easing relax relaxed relaxes loosen loosened loosens lift lifted lifts".split(),
                    ("strict", -1)),
    # Forces moving in or out.
    **dict.fromkeys("advance advanced advances reinforce reinforced reinforces".split(), ("presence", 1)),
    **dict.fromkeys("withdraw withdrew withdrawn withdraws retreat retreated retreats".split(), ("presence", -1)),
    **dict.fromkeys("approve approved approves accept accepted accepts backed".split(), ("decision", 1)),
    **dict.fromkeys("reject rejected rejects block blocked blocks refuse refused refuses".split(), ("decision", -1)),
    **dict.fromkeys("open opened opens reopen reopened reopens restart restarted restarts".split(), ("open", 1)),
    **dict.fromkeys("close closed closes shut shuts shutdown".split(), ("open", -1)),
    **dict.fromkeys("profit profits win won wins".split(), ("result", 1)),
    **dict.fromkeys("loss losses lose lost loses".split(), ("result", -1)),
}

# Words inside a figure's span that only say how the number is written.
_FIGURE_FILLER = frozenset(
    "a an and of per cent percent percentage point points us dollar dollars pound pounds sterling "
    "euro euros yen".split()
) | frozenset(SCALE_WORDS)


# Words too common to tell claims apart: the matching text leaves them out,
# so a changed subject weighs more than a passive voice.
_STOPWORDS = frozenset(
    "a an the and or but of to in on at by for from with as into over under after before since until "
    "about than this that these those it its is are was were be been being has have had will would shall "
    "should can could may might must do does did there their they them he she his her we our you your "
    "i me my who which what when where while also just more most some any all each every per so if".split()
)
# Matching words keep this many leading characters, a crude stemmer that is
# enough for "raises"/"raised" and "government"/"governments".
_TERM_LENGTH = 6

# A claim needs this many words (attribution set aside) to be matched
# automatically: "Prices rose." says too little to call two reports the same.
MIN_WORDS = 4


@dataclass(frozen=True, slots=True)
class ClaimText:
    """A claim prepared for matching.

    ``words`` is the matching text: the content words of the body (no
    attribution, stopwords or negation words), lower case and cut to their
    first six characters, each figure replaced by a slot token, joined by
    single spaces. ``word_count`` counts every word of the body but
    negation words. ``figures`` are the figures of the body (offsets into
    ``body``); ``other_numbers`` the number-like tokens the figure reader did
    not take (``"5p"``, ``"third"``); ``negated`` whether the body denies;
    ``directions`` its direction words as ``(word, axis, sign)``;
    ``names`` the capitalised words inside sentences (people, places,
    months), in the form of ``words``; ``attribution`` the clause set aside
    (empty when none).
    """

    body: str
    words: str
    figures: tuple[Figure, ...]
    other_numbers: tuple[str, ...]
    negated: bool
    # Tuples, not sets: an empty tuple costs nothing, and a million claims
    # are held at once when a corpus is clustered.
    directions: tuple[tuple[str, str, int], ...]
    names: tuple[str, ...]
    attribution: str
    word_count: int
    # Who does what to whom: the names of the body as (name, place), in
    # reading order, names joined by "and" or a hyphen sharing a place and a
    # passive agent ("by Russia") put first (place -1). See :func:`actor_places`.
    actors: tuple[tuple[str, int], ...] = ()
    # The names in the attribution ("Kyiv said ...": who speaks, and the
    # actor when the body starts with a pronoun: "Kyiv said it was ready").
    speakers: tuple[str, ...] = ()
    # Whether an alias (corpus.aliases) rewrote a name of the body.
    aliased: bool = False


def unify_marks(text: str) -> str:
    """``text`` with quote marks, dashes and odd spaces made plain ASCII.

    Every character maps to exactly one character, so offsets into the
    result are offsets into ``text``.
    """
    return text.translate(_MARKS)


def split_attribution(text: str) -> tuple[str, str]:
    """``(body, attribution)``: the claim without the clause naming its source.

    Handles a source after the claim (``", the minister said."``,
    ``", according to X"``) and before it (``"According to X, "``,
    ``"X said that "``, ``"X told reporters "``). A claim with no such clause
    comes back whole, with an empty attribution.
    """
    body, who = text.strip(), []
    after = _ATTRIBUTION_AFTER.search(body)
    if after and after.start() > 0:
        who.append(after.group("who").strip())
        body = body[: after.start()]
    before = _ATTRIBUTION_BEFORE.match(body)
    if before and before.end() < len(body):
        who.insert(0, before.group("who").strip().rstrip(","))
        body = body[before.end():]
    return body.strip(" \"'.!?;,"), "; ".join(who)


def slot_token(figure: Figure) -> str:
    """The token that stands for a figure in the matching text: its unit."""
    unit = (figure.unit or "n").lower().replace(" ", "_")
    return f"#{unit}"


def _figure_words(figure: Figure) -> str:
    """The words of a figure's span that say what is counted, beyond its unit.

    "1,900 measles cases" keeps "measles"; "43.9 billion dollars" keeps
    nothing, like "$43.9bn".
    """
    text = figure.text
    for mention in reversed(find_numbers(text)):
        text = text[:mention.start] + " " + text[mention.end:]
    qualifier = set((figure.approx or "").split())
    unit = (figure.unit or "").lower()
    return " ".join(
        word for word in re.findall(r"[a-z]+", text.lower())
        if word not in qualifier and word not in _FIGURE_FILLER and singular(word) != unit
    )


def _names(body: str) -> tuple[str, ...]:
    """Capitalised words that do not open a sentence, cut like matching words."""
    names, previous_end = set(), None
    for match in _CASED_WORD.finditer(body):
        word = match.group()
        if previous_end is not None and word[0].isupper() and not _SENTENCE_BREAK.search(body, previous_end, match.start()):
            names.add(word.lower().removesuffix("'s")[:_TERM_LENGTH])
        previous_end = match.end()
    return tuple(sorted(names - _STOPWORDS))


_ACTOR_LINK = re.compile(r"(?:\s*(?:and|&|,|-|with)\s*)+", re.IGNORECASE)
_BY_AGENT = re.compile(r"\bby\s+(?:the\s+)?$", re.IGNORECASE)
_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+\s+)?\w+(?:ed|en|wn|nt|ld|id|ht)\b", re.IGNORECASE)
# Where the first clause ends: roles are read in it alone ("Finland joined
# NATO, doubling the alliance's border" / "The alliance's border doubled
# when Finland joined NATO").
_CLAUSE_END = re.compile(r"[,;:]|\b(?:when|while|after|before|because|as|since|until|if|whereas|which|who)\b", re.IGNORECASE)
PRONOUN_SUBJECT = re.compile(r"^\s*(?:it|its|he|his|she|her|they|their)\b", re.IGNORECASE)


# Days and months are capitalised but play no role: "On Saturday the panda
# at Calder Zoo ..." / "Calder Zoo's panda ... on Saturday".
_TIME_NAMES = frozenset(
    word[:_TERM_LENGTH] for word in "monday tuesday wednesday thursday friday saturday sunday january february "
    "march april may june july august september october november december".split()
)


def first_clause(text: str) -> str:
    """``text`` up to its first comma or subordinating word."""
    end = _CLAUSE_END.search(text)
    return text[:end.start()] if end else text


def actor_places(text: str) -> tuple[tuple[str, int], ...]:
    """The capitalised names of ``text`` with the place of each in the sentence's order of roles.

    Capitalised words next to each other are one name ("US Senate"); names
    joined by "and", "with", a comma or a hyphen share a place ("Russia and
    Ukraine", "Russia-Ukraine"); the agent of a passive ("was accused by
    Russia") takes place -1, before the rest. Names are cut like matching
    words; stopwords ("The") are not names.
    """
    places: list[tuple[str, int]] = []
    place, previous_end, run_end = -1, 0, None
    for match in _CASED_WORD.finditer(text):
        word = match.group()
        token = word.lower().removesuffix("'s")[:_TERM_LENGTH]
        if not word[0].isupper() or token in _STOPWORDS or token in _TIME_NAMES:
            continue
        gap = text[previous_end:match.start()]
        if run_end is not None and (not gap.strip() or _ACTOR_LINK.fullmatch(gap)):
            position = places[-1][1]  # the same name or a name joined to it
        elif _BY_AGENT.search(gap) and _PASSIVE.search(text, 0, match.start()):
            position = -1
            place += 1
        else:
            place += 1
            position = place
        places.append((token, position))
        previous_end = run_end = match.end()
    return tuple(places)


def prepare_claim(text: str) -> ClaimText:
    """Normalise a claim for matching; see the module docstring."""
    body, attribution = split_attribution(unify_marks(text))
    figures = tuple(find_figures(body, include_dates=True))
    # Aliases rewrite only the words between figures: a figure is never touched.
    pieces, at = [], 0
    for figure in figures:
        pieces.append(apply_aliases(body[at:figure.start]))
        pieces.append(f" {slot_token(figure)} {_figure_words(figure)} ")
        at = figure.end
    pieces.append(apply_aliases(body[at:]))
    lowered = "".join(pieces).lower()
    for pattern, replacement in _CONTRACTIONS:
        lowered = pattern.sub(replacement, lowered)
    tokens = _TOKEN.findall(lowered)
    negated = (any(token in NEGATIONS for token in _TOKEN.findall(_NOT_DENIALS.sub(" ", lowered)))
               or _DENIAL_PHRASE.search(lowered) is not None)
    aliased_body = apply_aliases(body)
    # "China was warned by the US": a passive "attribution" names no speaker.
    speakers = ()
    if attribution and not _PASSIVE.search(attribution):
        speakers = tuple(sorted({name for name, _ in actor_places(apply_aliases(attribution))}))
    return ClaimText(
        body=body,
        words=" ".join(
            token[:_TERM_LENGTH] for token in tokens if token not in NEGATIONS and token not in _STOPWORDS
        ),
        figures=figures,
        other_numbers=tuple(
            token for token in tokens
            if token in _FRACTIONS or (token[0] != "#" and any(c.isdigit() for c in token))
        ),
        negated=negated,
        directions=tuple(sorted({(token, *_DIRECTIONS[token]) for token in tokens if token in _DIRECTIONS})),
        names=_names(aliased_body),
        attribution=attribution,
        word_count=sum(token not in NEGATIONS for token in tokens),
        actors=actor_places(first_clause(aliased_body)),
        speakers=speakers,
        aliased=aliased_body != fold_diacritics(body),
    )



def candidate_terms(claim: ClaimText) -> frozenset[str]:
    """The terms under which a claim is indexed to find its match candidates.

    The matching words but the figure slots, plus one term per figure value
    (``"=43900000000.0:USD"``), which stays the same however the figure is
    written. Rare terms are what candidate generation keys on.
    """
    terms = {token for token in claim.words.split(" ") if token and token[0] != "#"}
    terms.update(
        f"={figure.value if figure.value is not None else (figure.low, figure.high)}:{figure.unit}"
        for figure in claim.figures
    )
    return frozenset(terms)
