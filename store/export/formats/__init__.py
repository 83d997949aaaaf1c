"""One module per export format; :data:`FORMATS` maps a format's name to its writer."""

from __future__ import annotations

from store.export.formats.base import FormatWriter
from store.export.formats.brat import BratWriter
from store.export.formats.conll import ConllWriter
from store.export.formats.doccano import DoccanoWriter
from store.export.formats.jsonl import JsonlWriter
from store.export.formats.labelstudio import LabelStudioWriter
from store.export.formats.parquet import ParquetWriter
from store.export.formats.spacy_docbin import SpacyWriter
from store.export.formats.table import CsvWriter

FORMATS: dict[str, type[FormatWriter]] = {
    writer.name: writer
    for writer in (JsonlWriter, SpacyWriter, ConllWriter, BratWriter, LabelStudioWriter, DoccanoWriter, CsvWriter,
                   ParquetWriter)
}
