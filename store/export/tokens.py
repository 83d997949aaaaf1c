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

import bisect
import re
from collections.abc import Sequence

from store.export.spacy_en_rules import INFIX, PREFIX, SPECIAL_CASES, SUFFIX, URL

_RUN = re.compile(r"\s+|\S+")
_CHUNK = re.compile(r"\S+")
# White-space runs that are tokens: all but a lone plain space.
_SPACE_TOKEN = re.compile(r"(?:[^\S ]| (?=\s))\s*")
# Every character str.isspace() accepts but the plain space and the line
# break, spelled out: a class of literal ranges scans far faster than [^\S \n].
OTHER_SPACE = "\t\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_OTHER_SPACE = re.compile(f"[{OTHER_SPACE}]")
# Distinct white-space-free chunks remembered between articles; cleared when
# full so memory stays flat on any corpus.
CACHE_LIMIT = 200_000


def _space_tokens(text: str) -> tuple[list[tuple[int, int]], bool]:
    """``(start, end)`` of every white-space run that is a token (all but a
    lone plain space after a token; a lone space at the very start is one),
    and whether the text's only white space is spaces and line breaks.

    News text has such runs only at line breaks, so when the text has no
    other white space than spaces and line breaks, and no double space, the
    runs are found from the line breaks with ``str.find``: a regex pass over
    every character would cost as much as the rest of the export.
    """
    simple = not ("\t" in text if text.isascii() else _OTHER_SPACE.search(text))
    if "  " in text or not simple:
        runs = [m.span() for m in _SPACE_TOKEN.finditer(text)]
    else:
        runs = []
        newline = text.find("\n")
        while newline >= 0:
            start = newline - 1 if newline and text[newline - 1] == " " else newline
            end = newline + 1
            while end < len(text) and text[end] in " \n":
                end += 1
            runs.append((start, end))
            newline = text.find("\n", end)
    if text[:1] == " " and not (runs and runs[0][0] == 0):
        runs.insert(0, (0, 1))
    return runs, simple


class _TokenCounts(dict):
    """Chunk → number of tokens; a dict so that counting a segment's chunks
    with ``map(counts.__getitem__, ...)`` stays in C for known chunks."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        super().__init__()
        self.tokenizer = tokenizer

    def __missing__(self, chunk: str) -> int:
        count = self[chunk] = len(self.tokenizer.chunk_pieces(chunk))
        return count


class Tokenizer:
    """spaCy's ``spacy.blank("en")`` tokenizer in plain Python, with a cache
    of chunk tokenizations (as spaCy has) so most words cost a dict lookup."""

    def __init__(self) -> None:
        self._prefix = re.compile(PREFIX).search
        self._suffix = re.compile(SUFFIX).search
        self._infixes = re.compile(INFIX).finditer
        self._url = re.compile(URL).match
        self._pieces: dict[str, tuple[int, ...]] = {}
        self._counts = _TokenCounts(self)
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

    def locate(self, text: str, offsets: Sequence[int]) -> list[tuple[int, int, int]]:
        """For each offset of a non-space character of ``text``, the spaCy
        token containing it as ``(index, start, end)``.

        This runs once per exported article, so it never builds every token:
        it goes once through the offsets in text order, and counts the tokens
        between one offset's chunk and the next's: those of the white-space-free
        chunks in between (``str.split`` of that stretch, each chunk's count
        cached) plus the white-space runs other than a lone space before the
        chunk (a bisection). The text after the last offset is never read.
        """
        runs, simple = _space_tokens(text)
        run_starts = [start for start, _ in runs]
        counts, pieces_of, chunk_at = self._counts, self._pieces, _CHUNK.match
        result: list[tuple[int, int, int]] = [None] * len(offsets)  # type: ignore[list-item]
        counted_to, chunk_tokens = 0, 0  # tokens of the chunks before text[counted_to], a chunk's start
        for slot in sorted(range(len(offsets)), key=offsets.__getitem__):
            offset = offsets[slot]
            if text[offset].isspace():
                raise ValueError(f"offset {offset} is white space, which no token of its own contains")
            if simple:
                chunk_start = max(text.rfind(" ", 0, offset), text.rfind("\n", 0, offset)) + 1
            else:
                chunk_start = offset
                while chunk_start and not text[chunk_start - 1].isspace():
                    chunk_start -= 1
            chunk = chunk_at(text, chunk_start).group()
            if chunk_start > counted_to:
                chunk_tokens += sum(map(counts.__getitem__, text[counted_to:chunk_start].split()))
                counted_to = chunk_start
            index = chunk_tokens + bisect.bisect_left(run_starts, chunk_start)
            pieces = pieces_of.get(chunk) or self.chunk_pieces(chunk)
            if len(pieces) == 1:
                result[slot] = (index, chunk_start, chunk_start + pieces[0])
                continue
            token_start = chunk_start
            for length in pieces:
                if offset < token_start + length:
                    result[slot] = (index, token_start, token_start + length)
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
        offsets = [offset for start, end in spans for offset in (start, end - 1)]
        try:
            located = iter(self.locate(text, offsets))
        except ValueError:  # a span starts or ends with white space: trim it first
            return [self._trimmed_span_tokens(text, start, end) for start, end in spans]
        return [(first[0], last[0], first[1] == start and last[2] == end)
                for (start, end), first, last in zip(spans, located, located)]

    def _trimmed_span_tokens(self, text: str, start: int, end: int) -> tuple[int, int, bool] | None:
        first, last = start, end - 1
        while first <= last and text[first].isspace():
            first += 1
        while last >= first and text[last].isspace():
            last -= 1
        if first > last:
            return None
        (index, token_start, _), (last_index, _, token_end) = self.locate(text, [first, last])
        return index, last_index, token_start == start and token_end == end
