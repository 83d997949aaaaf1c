"""The Stats screen: the figures of ``claimdesk stats`` with bars.

Each figure is printed as a number beside its bar, so nothing depends on
colour. The figures are computed in the reader thread; ``r`` computes them
again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from store.stats import PairStats, TeamStats
from tui.bindings import STATS
from tui.safe_text import visible
from corpus.plural import counted

if TYPE_CHECKING:
    from tui.app import ClaimdeskApp

EIGHTHS = " ▏▎▍▌▋▊▉"
TRACK = "░"  # the empty part of a bar, so its length reads without colour
BAR_WIDTH = 12



def bar(value: float | None, maximum: float, width: int = BAR_WIDTH) -> str:
    """A bar of ``value`` out of ``maximum`` in block characters, to an eighth of a cell."""
    if value is None or maximum <= 0 or value <= 0:
        return TRACK * width
    eighths = round(min(value, maximum) / maximum * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (EIGHTHS[part] if part else "")).ljust(width, TRACK)


def _figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _scale(value: float | None) -> Text:
    """A 0-1 figure with its bar (kappa below 0 shows an empty bar)."""
    return Text.assemble((bar(value, 1.0), "bold"), f" {_figure(value):>5}")


def _people(stats: TeamStats) -> Table:
    labels = [entry.label for entry in stats.labels]
    most_finished = max((p.finished for p in stats.annotators), default=0)
    most_pace = max((p.pace or 0 for p in stats.annotators), default=0)
    table = Table(title="Annotators", title_justify="left", box=None, padding=(0, 1), pad_edge=False)
    table.add_column("annotator")
    table.add_column("finished")
    table.add_column("spans", justify="right")
    for label in labels:
        table.add_column(label, justify="right")
    table.add_column("spans / active hour")
    for person in stats.annotators:
        table.add_row(
            visible(person.annotator, keep_newlines=False),
            Text.assemble((bar(person.finished, most_finished), "bold"), f" {person.finished:>4}"),
            str(person.spans),
            *(str(person.spans_by_label.get(label, 0)) for label in labels),
            Text.assemble((bar(person.pace, most_pace), "bold"),
                          f" {'n/a' if person.pace is None else f'{person.pace:.0f}':>4} ({person.active_hours:.1f} h)"),
        )
    return table


def _labels(stats: TeamStats) -> Table:
    most = max((entry.spans for entry in stats.labels), default=0)
    table = Table(title="Labels", title_justify="left", box=None, padding=(0, 1), pad_edge=False)
    table.add_column("label")
    table.add_column("spans")
    table.add_column("gold", justify="right")
    for entry in stats.labels:
        table.add_row(visible(entry.label, keep_newlines=False),
                      Text.assemble((bar(entry.spans, most), "bold"), f" {entry.spans:>5}"), str(entry.gold))
    return table


def _pairs(title: str, pairs: list[PairStats], empty: str) -> RenderableType:
    if not pairs:
        return Group(Text(title, style="italic"), Text(f"  {empty}"))
    table = Table(title=title, title_justify="left", box=None, padding=(0, 1), pad_edge=False)
    for name in ("pair", "label", "articles", "span F1 exact", "span F1 overlap", "token kappa"):
        table.add_column(name)
    for pair in pairs:
        who = visible(f"{pair.first} ~ {pair.second}", keep_newlines=False)
        table.add_row(who, "all", str(pair.articles), _scale(pair.exact.f1), _scale(pair.overlap.f1), _scale(pair.kappa),
                      style="bold")
        for label, figures in pair.labels.items():
            table.add_row("", visible(label, keep_newlines=False), "", _scale(figures.exact.f1),
                          _scale(figures.overlap.f1), _scale(figures.kappa))
    return table


def render(stats: TeamStats) -> RenderableType:
    """Every section of the screen."""
    if not stats.annotators:
        return Text(f"{counted(stats.articles, 'article')}. Nobody has annotated yet: the figures appear as the team works.")
    return Group(
        Text(f"{counted(stats.articles, 'article')}, {stats.reviewed} reviewed", style="bold"),
        Text(""),
        _people(stats),
        Text(""),
        _labels(stats),
        Text(""),
        _pairs("Agreement between annotators (articles both finished)", stats.pairs,
               "no article is finished by two annotators yet"),
        Text(""),
        _pairs("Agreement with gold (reviewed articles)", stats.versus_gold, "no review is finished yet"),
    )


class StatsScreen(Screen):
    """Progress, pace and agreement of the team."""

    BINDINGS = STATS
    DEFAULT_CSS = """
    StatsScreen #stats-body { padding: 0 1; }
    """

    app: ClaimdeskApp

    def __init__(self) -> None:
        super().__init__()
        self.stats: TeamStats | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stats-scroll"):
            yield Static("computing…", id="stats-body")
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        """Compute the figures again (in the reader thread)."""
        self.app.run_job(self.app.reader, lambda store: store.team_stats(), self.show, owner=self)

    def show(self, stats: TeamStats) -> None:
        """Draw ``stats``."""
        self.stats = stats
        self.query_one("#stats-body", Static).update(render(stats))

    def action_scroll(self, direction: str) -> None:
        """Scroll the figures."""
        scroll = self.query_one("#stats-scroll", VerticalScroll)
        scroll.scroll_down() if direction == "down" else scroll.scroll_up()

    def action_close(self) -> None:
        """Back to where the screen was opened from."""
        self.app.pop_screen()
