"""The geometry of an article on screen: word-wrapped rows, and the text
units the cursor moves by (words, sentences, paragraphs).

Offsets are indices into the article text. A row is a run of one line of
the text (lines end at ``\\n``) that fits the width; rows are found with
``str.rfind`` for lines of single-cell characters, which wraps a 1 MB
article in a few tens of milliseconds, and char by char only for lines that
hold wide or zero-width characters. Sentence and word bounds are computed
per line, the first time the cursor needs them, and kept.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from array import array
from functools import lru_cache

from rich.cells import get_character_cell_size

from corpus.sentences import sentence_bounds, word_bounds
from tui.safe_text import visible

MIN_WIDTH = 8


@lru_cache(maxsize=4096)
def char_cells(char: str) -> int:
    """How many terminal cells a character takes (0, 1 or 2)."""
    return get_character_cell_size(char)


class DocumentLayout:
    """Rows and text units of one article for one width."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.display = visible(text)
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self.line_starts = starts
        special = {c for c in set(self.display) - {"\n"} if char_cells(c) != 1}
        self._special = re.compile("[" + re.escape("".join(sorted(special))) + "]") if special else None
        zero = {c for c in special if char_cells(c) == 0}
        self._zero = frozenset(zero)
        # Zero-width characters that do not combine with the one before
        # (ZWSP, ZWJ, BOM, variation selectors) are left out of what the
        # terminal gets: terminals disagree on their width, and one that
        # gives them a cell shifts the rest of the row off what was drawn.
        self.unsent = {ord(c): None for c in zero if not unicodedata.combining(c)} or None
        self.width = 0
        self.row_starts = array("q")
        self.row_ends = array("q")
        self._words: dict[int, list[tuple[int, int]]] = {}
        self._sentences: dict[int, list[tuple[int, int]]] = {}

    # Lines -----------------------------------------------------------------

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_span(self, line: int) -> tuple[int, int]:
        """Start and end (before the newline) of a line."""
        start = self.line_starts[line]
        end = self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else len(self.text)
        return start, end

    def line_of(self, offset: int) -> int:
        """The line holding ``offset`` (a newline belongs to the line it ends)."""
        return bisect.bisect_right(self.line_starts, offset) - 1

    # Rows ------------------------------------------------------------------

    def wrap(self, width: int) -> None:
        """Compute the rows for ``width`` cells (one column stays free for the
        cursor after the end of a line)."""
        width = max(MIN_WIDTH, width)
        self.width = width
        avail = width - 1
        starts, ends = array("q"), array("q")
        display = self.display
        rfind = display.rfind
        special = self._special
        for line in range(len(self.line_starts)):
            start, end = self.line_span(line)
            if special is not None and special.search(display, start, end):
                self._wrap_cells(start, end, avail, starts, ends)
                continue
            pos = start
            while end - pos > avail:
                cut = rfind(" ", pos + 1, pos + avail + 1)
                cut = cut + 1 if cut != -1 else pos + avail
                starts.append(pos)
                ends.append(cut)
                pos = cut
            starts.append(pos)
            ends.append(end)
        self.row_starts, self.row_ends = starts, ends

    def _wrap_cells(self, start: int, end: int, avail: int, starts: array, ends: array) -> None:
        """Greedy wrap of a line holding wide or zero-width characters."""
        display = self.display
        pos, cells, last_space = start, 0, -1
        i = start
        while i < end:
            char = display[i]
            size = char_cells(char)
            if cells + size > avail and i > pos:
                cut = last_space + 1 if last_space >= pos else i
                starts.append(pos)
                ends.append(cut)
                pos, last_space = cut, -1
                cells = sum(char_cells(c) for c in display[pos:i])
            if char == " ":
                last_space = i
            cells += size
            i += 1
        starts.append(pos)
        ends.append(end)

    @property
    def row_count(self) -> int:
        return len(self.row_starts)

    def row_span(self, row: int) -> tuple[int, int]:
        """The text shown on a row: start and end offsets."""
        return self.row_starts[row], self.row_ends[row]

    def row_of(self, offset: int) -> int:
        """The row that shows ``offset`` (a newline shows at the end of its row)."""
        return max(0, bisect.bisect_right(self.row_starts, offset) - 1)

    def column_of(self, offset: int) -> int:
        """The cell column of ``offset`` on its row."""
        start = self.row_starts[self.row_of(offset)]
        piece = self.display[start:offset]
        if self._special is None or not self._special.search(piece):
            return offset - start
        return sum(char_cells(c) for c in piece)

    def offset_at(self, row: int, column: int) -> int:
        """The offset shown at ``column`` of ``row`` (or the row's last offset)."""
        row = min(max(row, 0), self.row_count - 1)
        start, end = self.row_span(row)
        last = end if self.ends_line(row) else max(start, end - 1)
        piece = self.display[start:end]
        if self._special is None or not self._special.search(piece):
            return min(start + max(column, 0), last)
        cells = 0
        for i, char in enumerate(piece):
            cells += char_cells(char)
            if cells > column:
                return start + i
        return last

    def ends_line(self, row: int) -> bool:
        """Whether ``row`` is the last row of its line (it also shows the newline)."""
        end = self.row_ends[row]
        return end == len(self.text) or self.text[end] == "\n"

    def cell_start(self, offset: int) -> int:
        """``offset``, or where the character it is part of starts on screen:
        the cursor never sits on a zero-width character, which has no cell."""
        if not self._zero or offset >= len(self.display) or self.display[offset] not in self._zero:
            return offset
        start = self.line_starts[self.line_of(offset)]
        back = offset
        while back > start and self.display[back] in self._zero:
            back -= 1
        if self.display[back] not in self._zero:
            return back
        return self.cell_end(offset)

    def cell_end(self, offset: int) -> int:
        """Where the character after ``offset`` starts: past the zero-width
        characters (accents, joiners) shown with the one at ``offset``."""
        end = offset + 1
        if self._zero:
            display = self.display
            while end < len(display) and display[end] in self._zero:
                end += 1
        return end

    def cell_boundary(self, offset: int) -> int:
        """``offset``, or past the zero-width characters there: a run of
        text drawn in one style never starts with an accent cut off its letter."""
        if self._zero:
            display = self.display
            while offset < len(display) and display[offset] in self._zero:
                offset += 1
        return offset

    def last_offset(self) -> int:
        """The last place the cursor can be: the final character (or 0 when empty)."""
        return max(0, len(self.text) - 1)

    # Text units --------------------------------------------------------------

    def words_of_line(self, line: int) -> list[tuple[int, int]]:
        """Word bounds of one line, as text offsets."""
        if line not in self._words:
            start, end = self.line_span(line)
            self._words[line] = [(start + a, start + b) for a, b in word_bounds(self.text[start:end])]
        return self._words[line]

    def sentences_of_line(self, line: int) -> list[tuple[int, int]]:
        """Sentence bounds of one line, as text offsets."""
        if line not in self._sentences:
            start, end = self.line_span(line)
            self._sentences[line] = [(start + a, start + b) for a, b in sentence_bounds(self.text[start:end])]
        return self._sentences[line]

    def _unit_starts_after(self, units_of_line, offset: int) -> int | None:
        for line in range(self.line_of(offset), self.line_count):
            for start, _end in units_of_line(line):
                if start > offset:
                    return start
        return None

    def _unit_starts_before(self, units_of_line, offset: int) -> int | None:
        for line in range(self.line_of(offset), -1, -1):
            for start, _end in reversed(units_of_line(line)):
                if start < offset:
                    return start
        return None

    def next_word(self, offset: int) -> int:
        """Start of the next word (or the end of the text)."""
        found = self._unit_starts_after(self.words_of_line, offset)
        return self.last_offset() if found is None else found

    def previous_word(self, offset: int) -> int:
        """Start of the word before ``offset`` (or of the one it is in)."""
        found = self._unit_starts_before(self.words_of_line, offset)
        return 0 if found is None else found

    def next_sentence(self, offset: int) -> int:
        """Start of the next sentence."""
        found = self._unit_starts_after(self.sentences_of_line, offset)
        return self.last_offset() if found is None else found

    def previous_sentence(self, offset: int) -> int:
        """Start of the sentence before ``offset`` (or of the one it is in)."""
        found = self._unit_starts_before(self.sentences_of_line, offset)
        return 0 if found is None else found

    def next_paragraph(self, offset: int) -> int:
        """Start of the next non-blank line."""
        for line in range(self.line_of(offset) + 1, self.line_count):
            start, end = self.line_span(line)
            if self.text[start:end].strip():
                return start + len(self.text[start:end]) - len(self.text[start:end].lstrip())
        return self.last_offset()

    def previous_paragraph(self, offset: int) -> int:
        """Start of the paragraph holding ``offset``, or of the one before when already there."""
        for line in range(self.line_of(offset), -1, -1):
            start, end = self.line_span(line)
            body = self.text[start:end]
            if body.strip():
                first = start + len(body) - len(body.lstrip())
                if first < offset:
                    return first
        return 0

    def sentence_at(self, offset: int) -> tuple[int, int] | None:
        """The sentence holding ``offset``, or the nearest one on its line."""
        sentences = self.sentences_of_line(self.line_of(offset))
        for start, end in sentences:
            if start <= offset < end:
                return start, end
        following = [s for s in sentences if s[0] >= offset]
        return following[0] if following else (sentences[-1] if sentences else None)

    def word_at(self, offset: int) -> tuple[int, int] | None:
        """The word holding ``offset``, or None."""
        for start, end in self.words_of_line(self.line_of(offset)):
            if start <= offset < end:
                return start, end
        return None

    def snap(self, start: int, end: int) -> tuple[int, int]:
        """Widen ``[start, end)`` to whole words and trim white space at its edges."""
        if word := self.word_at(start):
            start = word[0]
        if end > start and (word := self.word_at(end - 1)):
            end = word[1]
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return start, end

    def word_edge(self, offset: int, step: int, edge: str) -> int:
        """Where a span edge at ``offset`` goes when moved a word: ``edge`` is
        ``"end"`` (the next or previous word end) or ``"start"`` (word start)."""
        line = self.line_of(offset)
        lines = range(line, self.line_count) if step > 0 else range(line, -1, -1)
        for index in lines:
            bounds = self.words_of_line(index)
            points = [b[1] if edge == "end" else b[0] for b in bounds]
            candidates = [p for p in points if (p > offset if step > 0 else p < offset)]
            if candidates:
                return min(candidates) if step > 0 else max(candidates)
        return offset
