"""``claimdesk ingest``: read articles from files and folders into the database."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Iterator
import os
import sys
from pathlib import Path

from typing import TYPE_CHECKING

from corpus.file_types import DEFAULT_MAX_BYTES, FORMAT_NAMES
from tui.commands.errors import CommandError
from tui.commands.options import add_db_option, interactive, open_store
from tui.commands.progress import Progress

if TYPE_CHECKING:
    from store.ingest import IngestReport

HELP = """\
Read articles into the database. PATH may be files or folders (searched
recursively). Formats, by extension:
  .txt .md      one article; the title is the first short line that reads
                as a headline (not site menus, taglines, bylines or dates)
  .html .htm    the page's article text, paragraphs kept; navigation,
                scripts, cookie banners and comment boxes dropped
  .jsonl .csv   one article a line/row with fields text (required), id,
                title, outlet, url, published; other fields kept as metadata.
                JSONL may carry spans [{start, end, label}] and _annotator_id
                (Prodigy/spaCy style): they are imported as annotations.
Annotations from other tools (and every claimdesk export) come with their
spans; the format is recognised from the content, or named with --format:
  .jsonl        doccano: label [[start, end, "LABEL"], ...] (or entities)
  .json         Label Studio task list: labels regions of each annotation
                (its annotator kept), or predictions
  NAME.txt + NAME.ann   brat: T spans, A attributes, # notes
  .conll .iob .bio .bioes (or a .txt of tagged tokens)   CoNLL, IOB1/IOB2/
                BIOES; the text is rebuilt from the tokens
  .spacy        spaCy DocBin: doc.spans groups and doc.ents
  .parquet      claimdesk's parquet export
  .csv          claimdesk's csv export (a span a row): spans added to the
                articles already stored
Labels not yet defined are created and listed in the summary. Annotations
that cannot be placed on the text, or of a shape claimdesk does not read,
reject the record with file:line: why.
Text is decoded as UTF-8 or UTF-16/UTF-8 with a BOM, normalised (NFC, LF line
ends, control characters and escape sequences removed) and stored for good.
The same text twice is skipped; the same id with other text is rejected.
Suggesters then propose figures, quotes and claim sentences in each new
article for annotators to accept or reject (--no-suggest skips that).
Ingest runs at a lower CPU priority and writes in short transactions, so
people annotating the same database meanwhile are not kept waiting.
Exit status: 0 when everything went in, 1 when any record was rejected."""


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``ingest`` to the command line."""
    parser = commands.add_parser(
        "ingest", help="read articles from files and folders", description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to read")
    parser.add_argument("--outlet", metavar="NAME", help="outlet for records that name none (default: the folder's name)")
    parser.add_argument("--format", choices=FORMAT_NAMES, help="read every file as this format")
    parser.add_argument(
        "--max-size", type=int, default=DEFAULT_MAX_BYTES, metavar="BYTES",
        help=f"refuse articles (files, JSONL lines, CSV rows) larger than this (default {DEFAULT_MAX_BYTES:,})",
    )
    parser.add_argument("--no-suggest", action="store_true", help="do not run the suggesters over new articles")
    parser.add_argument("--quiet", action="store_true", help="print only the summary and errors")
    add_db_option(parser)
    parser.set_defaults(run=run)


DOCUMENT_SUFFIXES = (".txt", ".md", ".html", ".htm")
# An ingest is bulk work beside people annotating on the same machine: it
# yields the CPU to them (their writes wait on nothing else; bench/bench_parallel_ingest.py).
INGEST_NICENESS = 10


def _lower_priority() -> None:
    try:
        os.nice(INGEST_NICENESS)
    except OSError:
        pass  # not allowed here: the ingest only runs at the usual priority


class FolderOutlets:
    """Notices when every file of a folder got the folder's name as its outlet.

    ``claimdesk ingest seeds/*.txt`` calls every article's outlet "seeds",
    which makes matching claims across outlets meaningless; the user is told
    how to name the outlets instead.
    """

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.named: dict[str, int] = {}  # folder -> files whose outlet is the folder's name
        self.other: set[str] = set()  # folders with a file that named its own outlet

    def see(self, item: object) -> None:
        if not self.enabled or not hasattr(item, "outlet"):  # a Rejection
            return
        path = Path(item.source)
        if path.suffix.lower() not in DOCUMENT_SUFFIXES:
            return
        folder = str(path.parent)
        if item.outlet == Path(os.path.realpath(path)).parent.name:
            self.named[folder] = self.named.get(folder, 0) + 1
        else:
            self.other.add(folder)

    def warnings(self) -> list[str]:
        from corpus.plural import counted

        return [
            f"every file in {folder or '.'} ({counted(count, 'article')}) got the folder's name "
            f"{Path(os.path.realpath(folder or '.')).name!r} as its outlet, so they all count as one outlet. "
            "If they come from several outlets, put each outlet's files in a folder named for it, "
            "use --outlet NAME per outlet, or fix them with `claimdesk articles set ID --outlet NAME`"
            for folder, count in self.named.items() if folder not in self.other and count >= 2
        ]


def run(args: argparse.Namespace) -> int:
    """Ingest; print rejections as they come and a one-line summary."""
    from corpus.plural import counted
    from corpus.readers import read_paths
    from corpus.titles import FALLBACK_NOTE

    if args.max_size <= 0:
        raise CommandError("--max-size must be a positive number of bytes")
    _lower_priority()
    store = open_store(args, create=True)
    records = read_paths(args.paths, fmt=args.format, outlet=args.outlet, max_bytes=args.max_size)
    watched = interactive() and not args.quiet
    total = None
    if watched:
        from corpus.readers.count import estimate_records

        total = estimate_records(args.paths, args.format)
    progress = Progress("ingesting", enabled=watched, total=total)
    printed = 0

    fallback_titles: list[str] = []
    folders = FolderOutlets(enabled=args.outlet is None)

    def noted(items: Iterable) -> Iterator:
        for item in items:  # an article that goes in with a remark (e.g. a page date that is no date)
            for note in getattr(item, "notes", ()):
                progress.print(f"{item.source}: note: {note}", file=sys.stderr)
                if note.startswith(FALLBACK_NOTE):
                    fallback_titles.append(item.id)
            folders.see(item)
            yield item

    def report_batch(report: IngestReport) -> None:
        nonlocal printed
        for rejection in report.rejected[printed:]:
            progress.print(f"{rejection}", file=sys.stderr)
        printed = len(report.rejected)
        progress.update(report.ingested + report.duplicates + printed)

    with store, progress:
        report = store.ingest(noted(records), on_batch=report_batch, suggest=not args.no_suggest)
    print(report.summary(into=store.path))
    if fallback_titles:
        shown = ", ".join(fallback_titles[:5]) + (f" and {len(fallback_titles) - 5} more" if len(fallback_titles) > 5 else "")
        print(f"{counted(len(fallback_titles), 'article')} got a fallback title (no line read as a headline): {shown}")
    for warning in folders.warnings():
        print(f"claimdesk: warning: {warning}", file=sys.stderr)
    return 1 if report.rejected else 0
