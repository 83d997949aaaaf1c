"""The Claims screen: every claim of the corpus grouped into clusters, and the conflicts.

Opening it (or ``r``) runs what ``claimdesk dedup`` runs — cluster every
claim under the annotators' links and "not the same" decisions, store the
cluster ids — in a thread of its own, with its own connection, so the app
keeps drawing. Clusters that repeat are listed most outlets first, each
with its members; then the figure conflicts and contradictions, each with
both claims. Enter opens any of them in the annotate screen; coming back
(``L`` there) returns here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.bindings import CLAIMS, CLAIMS_LIST
from tui.safe_text import visible

if TYPE_CHECKING:
    from store.claims import Claim
    from store.dedup import ClaimCluster, ClaimConflictReport, DedupReport
    from tui.app import ClaimdeskApp

# Clusters listed at most: a corpus of a million claims has hundreds of
# thousands; `claimdesk dedup --json` lists them all.
MAX_CLUSTERS = 2000


def _line(text: str) -> str:
    return visible(text, keep_newlines=False)


def _plural(count: int, thing: str) -> str:
    return f"{count:,} {thing}{'s' * (count != 1)}"


def _member(claim: Claim, note: str = "") -> Text:
    entry = Text(end="")
    entry.append(f"  {_line(claim.outlet)}", "bold")
    entry.append(f"  {_line(claim.title)}", "dim")
    if note:
        entry.append(f"  {note}", "italic")
    entry.append(f"\n    {_line(claim.text)}")
    return entry


def _heading(text: str, style: str = "bold") -> Option:
    return Option(Text(text, style=style, end=""), disabled=True)


def _conflict_heading(conflict: ClaimConflictReport) -> str:
    if conflict.kind == "figure":
        return "FIGURES DIFFER: " + "; ".join(f"{_line(a)} vs {_line(b)}" for a, b in conflict.figures)
    return "CONTRADICTION: " + ("one is negated" if conflict.kind == "negation" else "opposite directions")


class ClaimsList(OptionList, inherit_bindings=False):
    """Clusters and conflicts, one option per claim (headings cannot be chosen)."""

    BINDINGS = CLAIMS_LIST
    DEFAULT_CSS = """
    /* Always a scrollbar: OptionList measures wrapped options once (see MatchesPanel). */
    ClaimsList, ClaimsList:focus { height: 1fr; border: none; padding: 0 1; overflow-y: scroll; }
    """


class ClaimsScreen(Screen):
    """Clusters of the same claim across outlets; see the module docstring."""

    BINDINGS = CLAIMS
    DEFAULT_CSS = """
    ClaimsScreen #claims-header { height: 1; background: $panel; padding: 0 1; }
    """
    AUTO_FOCUS = "ClaimsList"

    app: ClaimdeskApp

    def __init__(self) -> None:
        super().__init__()
        self.members: dict[str, Claim] = {}
        self.report: DedupReport | None = None

    def compose(self) -> ComposeResult:
        yield Static("Clustering the claims…", id="claims-header")
        yield ClaimsList(id="claims")
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        """Cluster every claim again (and store the ids)."""
        self.query_one("#claims-header", Static).update("Clustering the claims…")
        self._cluster()

    @work(thread=True, exclusive=True, group="claims")
    def _cluster(self) -> None:
        from store import Store
        from store.dedup import dedup

        try:
            with Store(self.app.db_path, create=False) as store:
                report = dedup(store.db)
        except Exception as error:  # shown, not raised: the app goes on
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self.show, report)

    def _failed(self, error: Exception) -> None:
        if not self.is_mounted:
            return
        self.query_one("#claims-header", Static).update(Text(_line(f"Could not cluster the claims: {error}")))

    def show(self, report: DedupReport) -> None:
        """List the clusters that repeat and the conflicts."""
        if not self.is_mounted:
            return  # closed while the claims were clustered
        self.report = report
        options: list[Option] = []
        self.members = {}

        def member(claim: Claim, note: str = "") -> Option:
            key = f"m{len(self.members)}"
            self.members[key] = claim
            return Option(_member(claim, note), id=key)

        repeated = [cluster for cluster in report.clusters if len(cluster.members) > 1]
        for cluster in repeated[:MAX_CLUSTERS]:
            options.append(self._cluster_heading(cluster))
            options.extend(member(claim) for claim in cluster.members)
        if len(repeated) > MAX_CLUSTERS:
            options.append(_heading(f"… and {_plural(len(repeated) - MAX_CLUSTERS, 'more cluster')}: "
                                    "claimdesk dedup --json lists them all", "italic"))
        cluster_of = {claim.span_id: cluster.id for cluster in report.clusters for claim in cluster.members}
        for title, kinds in (("Figure conflicts", ("figure",)), ("Contradictions", ("negation", "direction"))):
            conflicts = [c for c in report.conflicts if c.kind in kinds]
            if conflicts:
                options.append(_heading(f"{title}: {len(conflicts):,}", "bold underline"))
            for conflict in conflicts:
                options.append(_heading(_conflict_heading(conflict)))
                options.extend(member(claim, f"cluster {cluster_of[claim.span_id]}") for claim in (conflict.a, conflict.b))
        alone = len(report.clusters) - len(repeated)
        if alone:
            options.append(_heading(f"{_plural(alone, 'claim')} ran in one place only", "italic"))
        claims_list = self.query_one(ClaimsList)
        claims_list.set_options(options)
        claims_list.action_first()
        figure = sum(c.kind == "figure" for c in report.conflicts)
        self.query_one("#claims-header", Static).update(
            f"{_plural(report.claims, 'claim')} · {_plural(len(repeated), 'cluster')} across outlets · "
            f"{_plural(figure, 'figure conflict')} · {_plural(len(report.conflicts) - figure, 'contradiction')}"
            if report.claims else "No claims yet: tag some (c) in the articles, then come back."
        )

    @staticmethod
    def _cluster_heading(cluster: ClaimCluster) -> Option:
        heading = Text(end="")
        heading.append(f"Cluster {cluster.id}", "bold underline")
        heading.append(f" · {_plural(len(cluster.outlets), 'outlet')} · {_plural(len(cluster.members), 'claim')}\n", "bold")
        heading.append(_line(", ".join(cluster.outlets)), "italic")
        return Option(heading, disabled=True)

    @property
    def chosen(self) -> Claim | None:
        """The claim under the cursor."""
        option = self.query_one(ClaimsList).highlighted_option
        return None if option is None or option.disabled else self.members.get(option.id)

    def action_open(self) -> None:
        """Open the claim under the cursor where it stands in its article."""
        claim = self.chosen
        if claim is None:
            self.app.bell()
            return
        self.app.open_article(claim.article_id, claim.start)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open()

    def action_close(self) -> None:
        """Back to where the Claims screen was opened."""
        self.app.pop_screen()
