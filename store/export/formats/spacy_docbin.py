"""spaCy: a DocBin (``.spacy``) with the spans in ``doc.spans["sc"]``.

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
        doc.user_data["meta"] = article.meta()
        doc.user_data["span_attrs"] = attrs
        self._docs.add(doc)

    def finish(self) -> None:
        """Write the DocBin."""
        self.stream.write(self._docs.to_bytes())
