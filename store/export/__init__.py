"""Export: labelled datasets from the database, in the formats training
tools and other annotation tools read.

:func:`export` streams the selected articles (:class:`ExportFilter`) a page
at a time through one writer per output (:data:`FORMATS`: jsonl, spacy,
conll, brat, labelstudio, doccano, csv, parquet), writing to temporary files
that get their final names only when everything is written.
"""

from store.export.formats import FORMATS
from store.export.formats.labelstudio import labeling_config
from store.export.query import ExportError, ExportFilter, parse_since
from store.export.run import ExportReport, export
from store.export.split import parse_ratios

__all__ = ["FORMATS", "ExportError", "ExportFilter", "ExportReport", "export", "labeling_config", "parse_ratios",
           "parse_since"]
