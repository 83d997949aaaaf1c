"""``claimdesk stats``: progress, pace and agreement of the team."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from typing import TYPE_CHECKING

from corpus.plural import counted
from tui.commands.options import add_db_option, open_store

if TYPE_CHECKING:
    from store.stats import PairStats, TeamStats

DESCRIPTION = """\
Per annotator: articles finished, spans per label, and pace (spans per hour
of active time; pauses over 5 minutes are breaks). Per label: spans by
annotators and in gold. Agreement between every two annotators on the
articles both finished, and between each annotator and gold on reviewed
articles: span F1 with exact match and with overlap (same label, sharing a
character), per label, and token-level Cohen's kappa. Only accepted spans
count; pending suggestions do not."""


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``stats`` to the command line."""
    parser = commands.add_parser(
        "stats", help="progress, pace and inter-annotator agreement", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    add_db_option(parser)
    parser.set_defaults(run=run)


def _figure(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _pair_lines(pair: PairStats) -> Iterator[str]:
    yield f"{pair.first} ~ {pair.second}: {counted(pair.articles, 'article')}, {counted(pair.tokens, 'token')}"
    yield f"  {'label':<12}{'F1 exact':>10}{'F1 overlap':>12}{'kappa':>8}{'spans':>12}"
    rows = [("all", pair.exact, pair.overlap, pair.kappa)]
    rows += [(label, f.exact, f.overlap, f.kappa) for label, f in pair.labels.items()]
    for label, exact, overlap, kappa in rows:
        yield (f"  {label:<12}{_figure(exact.f1):>10}{_figure(overlap.f1):>12}{_figure(kappa):>8}"
               f"{exact.first:>6}/{exact.second:<5}")


def render(stats: TeamStats) -> str:
    """The figures as plain-text tables."""
    labels = [entry.label for entry in stats.labels]
    lines = [f"{counted(stats.articles, 'article')}, {stats.reviewed} reviewed", "", "Annotators"]
    header = f"  {'name':<16}{'finished':>9}{'spans':>7}" + "".join(f"{label[:9]:>10}" for label in labels)
    lines.append(header + f"{'active h':>10}{'spans/h':>9}")
    for person in stats.annotators:
        lines.append(
            f"  {person.annotator[:16]:<16}{person.finished:>9}{person.spans:>7}"
            + "".join(f"{person.spans_by_label.get(label, 0):>10}" for label in labels)
            + f"{person.active_hours:>10.1f}{_figure(person.pace, 0):>9}"
        )
    if not stats.annotators:
        lines.append("  nobody has annotated yet")
    lines += ["", "Labels", f"  {'label':<16}{'spans':>7}{'gold':>7}"]
    lines += [f"  {entry.label:<16}{entry.spans:>7}{entry.gold:>7}" for entry in stats.labels]
    lines += ["", "Agreement between annotators (articles both finished)"]
    if not stats.pairs:
        lines.append("  no article is finished by two annotators yet")
    for pair in stats.pairs:
        lines += [f"  {line}" for line in _pair_lines(pair)]
    lines += ["", "Agreement with gold (reviewed articles)"]
    if not stats.versus_gold:
        lines.append("  no review is finished yet")
    for pair in stats.versus_gold:
        lines += [f"  {line}" for line in _pair_lines(pair)]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Compute and print."""
    with open_store(args) as store:
        stats = store.team_stats()
    print(stats.model_dump_json(indent=2) if args.json else render(stats))
    return 0
