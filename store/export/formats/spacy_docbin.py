"""spaCy: a DocBin (``.spacy``) with every span in ``doc.spans["sc"]`` (for
the span categorizer) and the non-overlapping ones in ``doc.ents`` (for the
entity recognizer).

``doc.ents`` cannot overlap, so it holds the spans of the chosen labels
(all, or ``--label``'s) picked as CoNLL picks them: the label first in the
label set, then the longer span, then the earlier; spans several annotators
marked alike count once. The summary counts the spans that are only in
``doc.spans``. Every token outside an entity is marked "outside" (not
"missing"), so ``spacy train`` learns from what was not tagged too.

The Doc is made by spaCy itself (``spacy.blank("en")``), so tokens are
spaCy's. A span whose edges fall inside a token grows to whole tokens
(``alignment_mode="expand"``), as spaCy's span categorizer needs; the summary
counts them. ``doc.user_data`` keeps the article's ``meta`` and, in
``span_attrs``, the annotator and attributes of each span of
``doc.spans["sc"]``, in the same order. spaCy's DocBin is one compressed
block and cannot be appended to, so this format holds the whole export in
memory (about 100 bytes a token) until it is written.
"""

from __future__ import annotations

from store.export.formats.base import FormatWriter, missing_extra
from store.export.query import ExportArticle

SPAN_KEY = "sc"


class SpacyWriter(FormatWriter):
    """A spaCy DocBin."""

    name = "spacy"
    suffix = ".spacy"
    left_out = ""  # widened spans and spans not in doc.ents are counted in the summary

    def __init__(self, *args, **kwargs) -> None:
        try:
            import spacy
            from spacy.tokens import DocBin
        except ImportError:
            raise missing_extra("--format spacy", "spaCy", "spacy") from None
        super().__init__(*args, **kwargs)
        self._nlp = spacy.blank("en")
        self._docs = DocBin(store_user_data=True)

    def write(self, article: ExportArticle) -> None:
        """Add the article's Doc."""
        doc = self._nlp.make_doc(article.text)
        spans, attrs = [], []
        for span in article.spans:
            strict = doc.char_span(span.start, span.end, label=span.label, alignment_mode="strict")
            found = strict or doc.char_span(span.start, span.end, label=span.label, alignment_mode="expand")
            if found is None or not len(found):  # white space only: no token to hold it
                self.context.stats.dropped += 1
                continue
            self.context.stats.misaligned += strict is None
            spans.append(found)
            attrs.append({"annotator": span.annotator, **span.attrs})
        doc.spans[SPAN_KEY] = spans
        doc.set_ents(self._entities(spans), default="outside")
        doc.user_data["meta"] = article.meta()
        doc.user_data["span_attrs"] = attrs
        self._docs.add(doc)

    def _entities(self, spans: list) -> list:
        """The non-overlapping spans of the chosen labels, by priority."""
        rank = {label: i for i, label in enumerate(self.context.labels)}
        unique = {(span.start, span.end, span.label_): span for span in spans if span.label_ in self.context.columns}
        ordered = sorted(unique.values(), key=lambda s: (rank.get(s.label_, len(rank)), s.start - s.end, s.start))
        taken: set[int] = set()
        chosen = []
        for span in ordered:
            if taken.isdisjoint(range(span.start, span.end)):
                taken.update(range(span.start, span.end))
                chosen.append(span)
        self.context.stats.not_entities += len(spans) - len(chosen)
        return sorted(chosen, key=lambda s: s.start)

    def finish(self) -> None:
        """Write the DocBin."""
        self.stream.write(self._docs.to_bytes())
