"""``claimdesk export``: write labelled datasets for training and for other tools."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.commands.errors import CommandError
from tui.commands.options import add_db_option, interactive, open_store, quiet_stdout
from tui.commands.progress import Progress

HELP = """\
Write the annotations as a dataset. Formats:
  jsonl        one article a line, Prodigy/spaCy style: text, spans (start,
               end, label, token_start, token_end, text, annotator and the
               span's attributes), meta, _input_hash, _task_hash,
               _annotator_id. `claimdesk ingest` reads it back.
  spacy        a spaCy DocBin (.spacy): every span in doc.spans["sc"] (for
               spancat), the non-overlapping ones in doc.ents (for ner;
               picked as conll picks them)
               (needs: pip install 'claimdesk[spacy]')
  conll        IOB2 tags, one token a line; overlapping spans: the label
               first in `claimdesk labels`, then the longer, then the
               earlier span wins (the rest are counted); --layers writes a
               tag column per label instead
  brat         a folder of NAME.txt + NAME.ann standoff files
  labelstudio  a Label Studio task list (JSON) with task and annotation ids
               and completed_by; the labeling config to use is printed at
               the end
  doccano      doccano sequence-labelling JSONL
  csv          one row a span with its article's metadata; a cell a
               spreadsheet would run as a formula gets a leading ' (--raw-csv:
               as it is)
  parquet      one row an article with a list of spans, for Hugging Face
               datasets (needs: pip install 'claimdesk[parquet]')
Only accepted spans are exported (not pending suggestions or rejected ones).
An article is exported when it has a selected span or was marked done.
Token indices are those of spacy.blank("en"). Several annotators: each span
names its annotator; use --annotator NAME (or --gold) for one layer.
Files are written under a temporary name and renamed when complete.
Exit status: 0 when written, 1 when the filters select nothing (the message
says which filter and what exists), 2 on an error."""


# The names of store.export.FORMATS, spelled out so that `--help` does not
# load every writer (tests/test_cli.py checks they agree).
FORMAT_NAMES = ("jsonl", "spacy", "conll", "brat", "labelstudio", "doccano", "csv", "parquet")


def _since(value: str) -> str:
    from store.export import ExportError, parse_since

    try:
        return parse_since(value)
    except ExportError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _ratios(value: str) -> tuple[float, ...]:
    from store.export import ExportError, parse_ratios

    try:
        return parse_ratios(value)
    except ExportError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``export`` to the command line."""
    parser = commands.add_parser(
        "export", help="write annotations as a dataset (jsonl, spacy, conll, brat, ...)", description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--format", "-f", required=True, choices=list(FORMAT_NAMES), help="what to write")
    parser.add_argument("--out", "-o", required=True, type=Path, metavar="PATH",
                        help="the file (a folder for brat) to write; - writes jsonl or csv to standard output")
    parser.add_argument("--label", action="append", default=[], metavar="NAME",
                        help="only spans with this label (repeat for several)")
    parser.add_argument("--annotator", action="append", default=[], metavar="NAME",
                        help="only this annotator's spans (repeat for several)")
    parser.add_argument("--outlet", action="append", default=[], metavar="NAME",
                        help="only articles of this outlet (repeat for several)")
    parser.add_argument("--done", action="store_true",
                        help="only articles marked done (by one of --annotator, else by anyone)")
    parser.add_argument("--gold", action="store_true", help="only the reviewed layer (annotator 'gold')")
    parser.add_argument("--since", type=_since, metavar="DATE",
                        help="only articles whose selected spans changed on or after DATE (UTC; YYYY-MM-DD or ISO time)")
    parser.add_argument("--split", type=_ratios, metavar="TRAIN,DEV,TEST",
                        help="write train, dev and test files (e.g. 80,10,10, or 90,10 for train and test), "
                        "by article, stratified by outlet")
    parser.add_argument("--seed", type=int, default=0, help="the split's seed: the same seed gives the same split (default 0)")
    parser.add_argument("--layers", action="store_true", help="conll: one tag column per label")
    parser.add_argument("--raw-csv", action="store_true",
                        help="csv: write cells as they are (by default a cell a spreadsheet would run as a formula, "
                        "=... +... -... @..., gets a leading ')")
    parser.add_argument("--force", action="store_true", help="replace existing output")
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    add_db_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Export; print a summary (to stderr when the data goes to standard output)."""
    from store.export import ExportFilter, labeling_config

    if args.gold and args.annotator:
        raise CommandError("--gold is the layer of annotator 'gold'; it cannot be combined with --annotator")
    flt = ExportFilter(
        labels=tuple(args.label), annotators=tuple(args.annotator), outlets=tuple(args.outlet),
        done=args.done, gold=args.gold, since=args.since,
    )
    from store.export.files import streams_into

    # Data on standard output (-, /dev/stdout, a pipe): the summary goes to stderr.
    report_to = sys.stderr if str(args.out) == "-" or streams_into(args.out) else sys.stdout
    watched = interactive() and not args.quiet
    with open_store(args) as store:
        if why := store.export_empty(flt):
            print(f"claimdesk: {why}", file=sys.stderr)
            return 1
        total = store.export_count(flt) if watched else None
        try:
            with Progress("exporting", enabled=watched, total=total) as progress:
                report = store.export(
                    args.format, args.out, flt, split=args.split, seed=args.seed, force=args.force,
                    layers=args.layers, raw_csv=args.raw_csv, on_article=progress.update,
                )
        except BrokenPipeError:
            # The reader went away (`| head`): what it wanted was written.
            quiet_stdout()
            return 0
        except OSError as err:
            raise CommandError(f"cannot write {args.out}: {err}; nothing was written under the final name") from None
        except KeyboardInterrupt:
            print("claimdesk: export interrupted; nothing was written under the final name", file=sys.stderr)
            return 130
    print(report.summary(), file=report_to)
    if args.format == "labelstudio":
        print(f"Label Studio labeling config: {labeling_config(report.labels)}", file=report_to)
    return 0
