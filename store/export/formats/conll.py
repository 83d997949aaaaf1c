"""CoNLL: token-level IOB2 tags, one token a line.

Each article starts with a ``-DOCSTART-`` line and a blank line; sentences
(:func:`corpus.sentences.sentence_bounds`) are separated by a blank line,
except where a written span runs across a sentence end (a span is never cut
in two). Tokens are those of ``spacy.blank("en")`` (see
:mod:`store.export.tokens`), white space left out; a span covers every token
it overlaps.

One tag column cannot hold overlapping spans, so a priority picks one:
**the label that comes first in the label set** (``claimdesk labels``;
claim, quote, figure by default), then **the longer span**, then **the
earlier one**; spans that several annotators marked alike count once, and
every other overlapping span is dropped and counted in the summary. With
``--layers`` there is one tag column per label (in the label set's order),
so no span is lost to a span of another label; within a column the same
priority applies.
"""

from __future__ import annotations

import bisect

from corpus.sentences import sentence_bounds
from store.export.formats.base import FormatWriter
from store.export.query import ExportArticle


def _tag(label: str) -> str:
    return "_".join(label.split())


class ConllWriter(FormatWriter):
    """IOB2 CoNLL, one tag column or one per label."""

    name = "conll"
    suffix = ".conll"
    left_out = ("left out: CoNLL holds tokens, not the text's spacing (ingest rebuilds it with single spaces), "
                "and no annotator, attribute or article metadata")

    def _columns(self) -> list[tuple[str, ...]]:
        if self.context.layers:
            return [(label,) for label in self.context.columns]
        return [self.context.columns]

    def write(self, article: ExportArticle) -> None:
        """The article's tokens with their tags, sentence by sentence."""
        text = article.text
        tokens = [(s, e) for s, e in self.context.tokenizer.bounds(text) if not text[s].isspace()]
        starts = [s for s, _ in tokens]
        ends = [e for _, e in tokens]
        joined = [False] * len(tokens)  # True: no sentence break before this token
        columns = []
        for labels in self._columns():
            tags = ["O"] * len(tokens)
            rank = {label: i for i, label in enumerate(self.context.labels)}
            candidates = {(span.start, span.end, span.label) for span in article.spans if span.label in labels}
            ordered = sorted(candidates, key=lambda s: (rank.get(s[2], len(rank)), s[0] - s[1], s[0]))
            for start, end, label in ordered:
                first, stop = bisect.bisect_right(ends, start), bisect.bisect_left(starts, end)
                if first >= stop or any(tag != "O" for tag in tags[first:stop]):
                    self.context.stats.dropped += 1
                    continue
                tags[first] = f"B-{_tag(label)}"
                tags[first + 1 : stop] = [f"I-{_tag(label)}"] * (stop - first - 1)
                joined[first + 1 : stop] = [True] * (stop - first - 1)
            columns.append(tags)
        sentence_starts = [s for s, _ in sentence_bounds(text)]
        docstart = " ".join(["-DOCSTART-"] + ["O"] * len(columns))
        lines = [docstart, ""]
        previous = None
        for i, (start, end) in enumerate(tokens):
            sentence = bisect.bisect_right(sentence_starts, start)
            if previous is not None and sentence != previous and not joined[i]:
                lines.append("")
            previous = sentence
            lines.append(" ".join([text[start:end], *(tags[i] for tags in columns)]))
        lines += ["", ""] if tokens else [""]
        self.stream.write("\n".join(lines).encode("utf-8"))
