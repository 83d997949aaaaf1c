"""Tokens as spaCy's blank English pipeline makes them, without spaCy.

Exported token indices (``token_start``/``token_end`` in JSONL, the token
lines of CoNLL) must be the ones a user gets from ``spacy.blank("en")``:
Prodigy and spaCy index spans by those tokens. spaCy is an optional extra,
so this module applies spaCy's own English rules (vendored in
:mod:`store.export.spacy_en_rules`) with spaCy's algorithm: split on white
space, then peel prefixes and suffixes, then split on infixes, with special
cases (``don't`` → ``do`` ``n't``, ``U.S.``, ``:)``) taking precedence.
White space other than one plain space between tokens is a token of its
own, as in spaCy. ``tests/test_export_spacy_tokens.py`` checks the result
against spaCy itself.

Known gap: spaCy also matches special cases across white space before it
filters them, which can only change the result for a special case made of
several tokens split by white space (none of the English ones is).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from store.export.spacy_en_rules import INFIX, PREFIX, SPECIAL_CASES, SUFFIX, URL

_RUN = re.compile(r"\s+|\S+")
_SPACE_RUN = re.compile(r"\s+")
_NON_SPACE = re.compile(r"\S+")
# Distinct white-space-free chunks remembered between articles; cleared when
# full so memory stays flat on any corpus.
CACHE_LIMIT = 200_000


class Tokenizer:
    """spaCy's ``spacy.blank("en")`` tokenizer in plain Python, with a cache
    of chunk tokenizations (as spaCy has) so most words cost a dict lookup."""

    def __init__(self) -> None:
        self._prefix = re.compile(PREFIX).search
        self._suffix = re.compile(SUFFIX).search
        self._infixes = re.compile(INFIX).finditer
        self._url = re.compile(URL).match
        self._pieces: dict[str, tuple[int, ...]] = {}
        self._counts: dict[str, int] = {}
        # Special cases that contain affixes are found again after affix
        # splitting, by the token sequence that splitting gives them.
        self._affixed_cases: dict[tuple[str, ...], str] = {}
        for orth in SPECIAL_CASES:
            if any(c.isspace() for c in orth):
                continue
            if self._find_prefix(orth) or self._find_suffix(orth) or any(True for _ in self._infixes(orth)):
                self._affixed_cases[tuple(self._split(orth, specials=False))] = orth
        self._longest_case = max((len(key) for key in self._affixed_cases), default=0)

    # spaCy's Tokenizer.find_prefix / find_suffix: lengths of the matches.
    def _find_prefix(self, string: str) -> int:
        match = self._prefix(string)
        return match.end() - match.start() if match else 0

    def _find_suffix(self, string: str) -> int:
        match = self._suffix(string)
        return match.end() - match.start() if match else 0

    def _split(self, string: str, *, specials: bool) -> list[str]:
        """spaCy's ``_split_affixes`` then ``_attach_tokens`` for one chunk."""
        prefixes: list[str] = []
        suffixes: list[str] = []
        last_size = 0
        while string and len(string) != last_size:
            if specials and string in SPECIAL_CASES:
                break
            last_size = len(string)
            pre_len = self._find_prefix(string)
            if pre_len:
                prefix, minus_pre = string[:pre_len], string[pre_len:]
                if minus_pre and specials and minus_pre in SPECIAL_CASES:
                    string = minus_pre
                    prefixes.append(prefix)
                    break
            suf_len = self._find_suffix(string[pre_len:])
            if suf_len:
                suffix, minus_suf = string[-suf_len:], string[:-suf_len]
                if minus_suf and specials and minus_suf in SPECIAL_CASES:
                    string = minus_suf
                    suffixes.append(suffix)
                    break
            if pre_len and suf_len and pre_len + suf_len <= len(string):
                string = string[pre_len:-suf_len]
                prefixes.append(prefix)
                suffixes.append(suffix)
            elif pre_len:
                string = minus_pre
                prefixes.append(prefix)
            elif suf_len:
                string = minus_suf
                suffixes.append(suffix)
        pieces = prefixes
        if string:
            if specials and string in SPECIAL_CASES:
                pieces.extend(SPECIAL_CASES[string])
            elif self._url(string):
                pieces.append(string)
            else:
                pieces.extend(self._split_infixes(string))
        pieces.extend(reversed(suffixes))
        return pieces

    def _split_infixes(self, string: str) -> list[str]:
        pieces, start = [], 0
        for match in self._infixes(string):
            if match.start() == 0:
                continue
            if match.start() != start:
                pieces.append(string[start : match.start()])
            if match.start() != match.end():
                pieces.append(match.group())
            start = match.end()
        if string[start:]:
            pieces.append(string[start:])
        return pieces

    def _apply_affixed_cases(self, pieces: list[str]) -> list[str]:
        """spaCy's ``_apply_special_cases`` within one chunk: the longest
        matches first, none sharing a first or last token with a longer one."""
        matches = [
            (end - start, -start, start, end)
            for start in range(len(pieces))
            for end in range(start + 1, min(len(pieces), start + self._longest_case) + 1)
            if tuple(pieces[start:end]) in self._affixed_cases
        ]
        if not matches:
            return pieces
        seen: set[int] = set()
        kept: dict[int, tuple[int, str]] = {}
        for _, _, start, end in sorted(matches, reverse=True):
            if start not in seen and end - 1 not in seen:
                kept[start] = (end, self._affixed_cases[tuple(pieces[start:end])])
            seen.update(range(start, end))
        result, i = [], 0
        while i < len(pieces):
            if i in kept:
                end, orth = kept[i]
                result.extend(SPECIAL_CASES[orth])
                i = end
            else:
                result.append(pieces[i])
                i += 1
        return result

    def chunk_pieces(self, chunk: str) -> tuple[int, ...]:
        """Lengths of the tokens of a white-space-free ``chunk``."""
        cached = self._pieces.get(chunk)
        if cached is None:
            if len(self._pieces) >= CACHE_LIMIT:
                self._pieces.clear()
                self._counts.clear()
            pieces = self._split(chunk, specials=True) if chunk not in SPECIAL_CASES else list(SPECIAL_CASES[chunk])
            cached = self._pieces[chunk] = tuple(len(p) for p in self._apply_affixed_cases(pieces))
        return cached

    def _count(self, chunk: str) -> int:
        count = self._counts.get(chunk)
        if count is None:
            count = self._counts[chunk] = len(self.chunk_pieces(chunk))
        return count

    def bounds(self, text: str) -> list[tuple[int, int]]:
        """Every token of ``text`` as ``(start, end)``, white-space tokens included."""
        tokens: list[tuple[int, int]] = []
        for run in _RUN.finditer(text):
            start, end = run.span()
            if text[start].isspace():
                if start > 0 and text[start] == " ":
                    start += 1  # one plain space after a token is that token's trailing space
                if start < end:
                    tokens.append((start, end))
                continue
            for length in self.chunk_pieces(run.group()):
                tokens.append((start, start + length))
                start += length
        return tokens

    def _tokens_between(self, text: str, start: int, end: int) -> int:
        """How many tokens lie in ``text[start:end]``; both ends are 0, a chunk
        start or the text's end, so no chunk or white-space run is cut."""
        segment = text[start:end]
        count = sum(map(self._count, segment.split()))
        runs = _SPACE_RUN.findall(segment)
        count += len(runs) - runs.count(" ")
        if start == 0 and segment[:1] == " " and runs[0] == " ":
            count += 1  # a lone space at the very start is a token: no token precedes it
        return count

    def locate(self, text: str, offsets: Sequence[int]) -> list[tuple[int, int, int]]:
        """For each offset of a non-space character of ``text``, the spaCy
        token containing it as ``(index, start, end)``.

        Counts tokens chunk by chunk with ``str.split`` and the cache instead
        of building every token: this runs once per exported article.
        """
        result: list[tuple[int, int, int]] = [(0, 0, 0)] * len(offsets)
        position = counted = 0
        for i in sorted(range(len(offsets)), key=offsets.__getitem__):
            offset = offsets[i]
            if text[offset].isspace():
                raise ValueError(f"offset {offset} is white space, which no token of its own contains")
            chunk_start = offset
            while chunk_start > 0 and not text[chunk_start - 1].isspace():
                chunk_start -= 1
            if chunk_start > position:
                counted += self._tokens_between(text, position, chunk_start)
                position = chunk_start
            chunk = _NON_SPACE.match(text, chunk_start).group()
            index, token_start = counted, chunk_start
            for length in self.chunk_pieces(chunk):
                if offset < token_start + length:
                    result[i] = (index, token_start, token_start + length)
                    break
                token_start += length
                index += 1
        return result

    def span_tokens(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int, bool] | None]:
        """For each ``(start, end)`` span, ``(first token, last token, aligned)``:
        the tokens holding its first and last non-space characters (the last
        index inclusive, as Prodigy's ``token_end``) and whether the span starts
        and ends exactly on token edges, so that spaCy's
        ``doc.char_span(start, end, alignment_mode="strict")`` finds it. None
        for a span of white space only."""
        edges: list[tuple[int, int] | None] = []
        offsets: list[int] = []
        for start, end in spans:
            first, last = start, end - 1
            while first <= last and text[first].isspace():
                first += 1
            while last >= first and text[last].isspace():
                last -= 1
            edges.append((first, last) if first <= last else None)
            if first <= last:
                offsets += (first, last)
        located = iter(self.locate(text, offsets))
        result: list[tuple[int, int, bool] | None] = []
        for (start, end), edge in zip(spans, edges):
            if edge is None:
                result.append(None)
                continue
            (first, first_start, _), (last, _, last_end) = next(located), next(located)
            result.append((first, last, first_start == start and last_end == end))
        return result
