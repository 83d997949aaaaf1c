"""The Claims screen: every claim of the corpus grouped into clusters, and the conflicts.

Opening it reads the clusters the last ``claimdesk dedup`` (or ``r`` here)
stored — it clusters nothing, so it opens at once however many claims there
are — a page at a time, most outlets first, each with its members; then the
figure conflicts and contradictions, each with both claims. The last line
of a page loads the next. ``r`` brings the clusters up to date with what
was tagged since, in the app's background store thread (tagging and the
library's pages wait for none of it), showing its progress in the header;
a database never clustered is clustered on the first open. Enter opens any claim in the annotate screen; coming back
(``L`` there) returns here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.bindings import CLAIMS, CLAIMS_LIST
from tui.safe_text import visible

if TYPE_CHECKING:
    from store.claims import Claim
    from store.dedup import ClaimCluster, ClaimConflictReport, StoredClusters
    from tui.app import ClaimdeskApp

# The option that loads the next page of clusters.
MORE = "more"
_PHASES = {"reading": "reading claims", "clustering": "clustering", "saving": "storing cluster ids"}


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


def progress_line(phase: str, done: int, total: int | None) -> str:
    """The header while the claims are clustered: the phase and how far it got."""
    of = f" of {total:,}" if total else ""
    return f"Clustering: {_PHASES.get(phase, phase)} {done:,}{of}…"


def _heading(text: str, style: str = "bold") -> Option:
    return Option(Text(text, style=style, end=""), disabled=True)


def _conflict_heading(conflict: ClaimConflictReport) -> str:
    if conflict.kind == "figure":
        return "FIGURES DIFFER: " + "; ".join(f"{_line(a)} vs {_line(b)}" for a, b in conflict.figures)
    return "CONTRADICTION: " + {"negation": "one is negated", "direction": "opposite directions",
                                "roles": "roles swapped"}.get(conflict.kind, conflict.kind)


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
        self.stored: StoredClusters | None = None
        self.shown_clusters = 0

    def compose(self) -> ComposeResult:
        yield Static("Reading the stored clusters…", id="claims-header")
        yield ClaimsList(id="claims")
        yield Footer()

    def on_mount(self) -> None:
        self._read(0)

    def _header(self, text: str | Text) -> None:
        self.query_one("#claims-header", Static).update(text)

    def _read(self, offset: int) -> None:
        """Read a page of the stored clusters (the conflicts with the first);
        cluster first if no run ever stored any."""
        self._load(offset, recluster_first=False)

    def action_refresh(self) -> None:
        """Bring the stored clusters up to date with the claims tagged since, then show them."""
        self._header("Clustering the claims…")
        self._load(0, recluster_first=True)

    def _load(self, offset: int, *, recluster_first: bool) -> None:
        """Read the page in the background store thread and show it (or the error) here."""
        thread = self.app.background
        tell = self.app.reporter(thread, self, lambda line: self._show_progress(line))

        def job(store) -> StoredClusters:
            return store.clusters_page(offset=offset, recluster_first=recluster_first,
                                       progress=lambda phase, done, total: tell(progress_line(phase, done, total)))

        self.app.run_job(thread, job, lambda page: self.show(page, 0 if recluster_first else offset),
                         on_error=self._failed, owner=self)

    def _show_progress(self, line: str) -> None:
        self._header(line)

    def _failed(self, error: Exception) -> None:
        self._header(Text(_line(f"Could not cluster the claims: {error}")))

    def show(self, stored: StoredClusters, offset: int = 0) -> None:
        """List a page of the clusters that repeat (after those shown, or from the
        top with the conflicts when ``offset`` is 0)."""
        if offset and offset != self.shown_clusters:
            return  # a page asked for twice (Enter pressed again while it was read): shown once
        claims_list = self.query_one(ClaimsList)
        if offset == 0:
            self.stored, self.members, self.shown_clusters = stored, {}, 0
            cluster_of = stored.cluster_of
        else:
            cluster_of = {**self.stored.cluster_of, **stored.cluster_of}
            self.stored = replace(self.stored, page=self.stored.page + stored.page, cluster_of=cluster_of)
        options: list[Option] = []

        def member(claim: Claim, note: str = "") -> Option:
            key = f"m{len(self.members)}"
            self.members[key] = claim
            return Option(_member(claim, note), id=key)

        for cluster in stored.page:
            options.append(self._cluster_heading(cluster))
            options.extend(member(claim) for claim in cluster.members)
        self.shown_clusters += len(stored.page)
        left = self.stored.repeated - self.shown_clusters
        if left > 0:
            options.append(Option(Text(f"… {_plural(left, 'more cluster')}: Enter shows the next "
                                       f"{min(left, len(stored.page) or left):,}", style="italic", end=""), id=MORE))
        if offset == 0:
            for title, kinds in (("Figure conflicts", ("figure",)), ("Contradictions", ("negation", "direction", "roles"))):
                conflicts = [c for c in stored.conflicts if c.kind in kinds]
                total = sum(stored.conflict_counts.get(kind, 0) for kind in kinds)
                if conflicts:
                    options.append(_heading(f"{title}: {total:,}", "bold underline"))
                for conflict in conflicts:
                    options.append(_heading(_conflict_heading(conflict)))
                    options.extend(member(claim, f"cluster {cluster_of.get(claim.span_id, '?')}")
                                   for claim in (conflict.a, conflict.b))
                if total > len(conflicts):
                    options.append(_heading(f"… and {_plural(total - len(conflicts), 'more')}, best-scoring first "
                                            "above: claimdesk dedup lists them all", "italic"))
            if stored.alone:
                options.append(_heading(f"{_plural(stored.alone, 'claim')} ran in one place only", "italic"))
            claims_list.set_options(options)
            claims_list.action_first()
        else:
            current = list(claims_list.options)
            at = claims_list.get_option_index(MORE)
            claims_list.set_options([*current[:at], *options, *current[at + 1:]])
            claims_list.highlighted = at
        counts = self.stored.conflict_counts
        figure = counts.get("figure", 0)
        self._header(
            f"{_plural(self.stored.claims, 'claim')} · {_plural(self.stored.repeated, 'cluster')} across outlets · "
            f"{_plural(figure, 'figure conflict')} · {_plural(sum(counts.values()) - figure, 'contradiction')}"
            if self.stored.claims else "No claims yet: tag some (c) in the articles, then come back."
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
        """Open the claim under the cursor where it stands in its article (or, on the
        last line of a page, show the next page)."""
        option = self.query_one(ClaimsList).highlighted_option
        if option is not None and option.id == MORE:
            self._read(self.shown_clusters)
            return
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
