"""One export from start to end: select, write every output, rename them into place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from corpus.plural import counted
from store.db import checkpoint
from store.engine import Database
from store.export.files import OutputFile, OutputFolder, streams_into
from store.export.formats import FORMATS
from store.export.formats.base import ExportContext, ExportStats
from store.export.query import ExportError, ExportFilter, ExportQuery
from store.export.split import assign_parts, drop_split_table, part_names


@dataclass
class ExportReport:
    """What an export wrote and where."""

    format: str
    paths: list[Path]
    stats: ExportStats
    labels: tuple[str, ...]  # the labels the export is about, in the label set's order
    layers: bool = False
    notes: list[str] = field(default_factory=list)  # what the export did besides writing (stale files removed...)

    def summary(self) -> str:
        """One line for the end of the command (more when something was left out)."""
        stats = self.stats
        where = ", ".join(
            f"{path} ({counted(count, 'article')})" for path, count in zip(self.paths, stats.per_part)
        ) if len(self.paths) > 1 else str(self.paths[0])
        lines = [f"exported {counted(stats.articles, 'article')} and {counted(stats.spans, 'span')} as {self.format} to {where}"]
        if stats.dropped and self.format == "conll" and self.layers:
            lines.append(f"dropped {counted(stats.dropped, 'span')} that overlap a longer (or as long, earlier) span of their label")
        elif stats.dropped and self.format == "conll":
            lines.append(
                f"dropped {counted(stats.dropped, 'span')} that overlap a span of higher priority (label order, then longer, "
                "then earlier); --layers writes a column per label"
            )
        elif stats.dropped:
            lines.append(f"dropped {counted(stats.dropped, 'span')} of white space only (no token holds them)")
        if stats.not_entities:
            lines.append(
                f"{counted(stats.not_entities, 'span')} overlap{'s' * (stats.not_entities == 1)} a span of higher priority (or repeat one of another "
                "annotator): they are in doc.spans['sc'] but not doc.ents"
            )
        if stats.misaligned:
            lines.append(
                f"{counted(stats.misaligned, 'span')} start{'s' * (stats.misaligned == 1)} or end{'s' * (stats.misaligned == 1)} inside a spaCy token: their token indices cover the whole "
                "tokens, and spaCy's char_span needs alignment_mode='expand' for them"
            )
        lines += self.notes
        if FORMATS[self.format].left_out:
            lines.append(FORMATS[self.format].left_out)
        return "\n".join(lines)


def part_path(out: Path, part: str, suffix: str) -> Path:
    """Where one part of a split goes: ``data.jsonl`` → ``data.train.jsonl``."""
    return out.with_name(f"{out.stem if out.suffix else out.name}.{part}{out.suffix or suffix}")


def _labels(db: Database, flt: ExportFilter) -> tuple[tuple[str, ...], tuple[str, ...]]:
    labels = tuple(row[0] for row in db.execute("SELECT name FROM labels ORDER BY position, name"))
    if unknown := sorted(set(flt.labels) - set(labels)):
        raise ExportError(f"unknown label {unknown[0]!r} (known: {', '.join(labels)})")
    columns = tuple(label for label in labels if not flt.labels or label in flt.labels)
    return labels, columns


def export(
    db: Database,
    fmt: str,
    out: Path,
    flt: ExportFilter,
    *,
    split: tuple[float, ...] | None = None,
    seed: int = 0,
    force: bool = False,
    layers: bool = False,
    raw_csv: bool = False,
    on_article: Callable[[int], None] | None = None,
) -> ExportReport:
    """Write the selected articles as ``fmt`` to ``out`` (or to one file per
    part of ``split``). Nothing appears under a final name unless the whole
    export succeeded.

    The database is read a page of articles at a time, each page (articles
    with their spans) in one short statement: one snapshot held for the
    whole export would stop every checkpoint and let the WAL grow without
    bound while a team keeps annotating. Each article is consistent with its
    spans; work saved during the export may or may not be in it. A
    checkpoint runs at the end.
    """
    writer_class = FORMATS[fmt]
    to_stdout = str(out) == "-"
    if to_stdout and (split or not writer_class.stdout):
        raise ExportError(
            "--out - (standard output) works for one jsonl or csv file"
            + (", not with --split" if split else f", not for {fmt}")
        )
    if split and not to_stdout and (kind := streams_into(out)):
        raise ExportError(f"--split writes a file per part beside --out, which is {kind} ({out}); name a file")
    labels, columns = _labels(db, flt)
    context = ExportContext(labels=labels, columns=columns, stats=ExportStats(), layers=layers, raw_csv=raw_csv)
    query = ExportQuery(flt)
    targets = [part_path(out, name, writer_class.suffix) for name in part_names(split)] if split else [out]
    context.stats.per_part = [0] * len(targets)
    outputs: list[OutputFile | OutputFolder] = []
    try:
        for target in targets:
            outputs.append(OutputFolder(target, force=force) if writer_class.folder else OutputFile(target, force=force))
        writers = [writer_class(output, context) for output in outputs]
        table = assign_parts(db, query, split, seed) if split else None
        stats = context.stats
        for article in query.articles(db, split_table=table):
            writers[article.part].write(article)
            stats.articles += 1
            stats.spans += len(article.spans)
            stats.per_part[article.part] += 1
            if on_article:
                on_article(stats.articles)
        for writer in writers:
            writer.finish()
        for output in outputs:
            output.commit()
    except BaseException:
        for output in outputs:
            output.abort()
        raise
    finally:
        drop_split_table(db)
    checkpoint(db)
    return ExportReport(format=fmt, paths=targets, stats=context.stats, labels=columns, layers=layers,
                        notes=[note for output in outputs for note in output.notes])
