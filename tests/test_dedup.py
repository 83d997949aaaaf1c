"""``claimdesk dedup`` on the demo corpus with its claims tagged: clusters across outlets, the
planted figure conflict, the JSON shape, ids that stay, and the annotators' decisions."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from claim_support import demo_claim_rows, locate, tag_demo_claims

from store import Store
from store.claims import ClaimStore
from tui.cli import main
from headless_support import assert_runs_without_textual
from test_export_fixtures import load_demo_into

pytestmark = pytest.mark.both_engines

MEMBER_KEYS = {"article", "start", "end", "text", "outlet", "annotator"}


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """The sentence index cache goes to a temporary folder, not the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def demo_store(db_path):
    """The demo corpus in a database of the engine under test."""
    with load_demo_into(db_path) as store:
        yield store


@pytest.fixture
def tagged(demo_store):
    """The demo database with every labelled demo claim tagged; returns (path, span ids by row)."""
    spans = tag_demo_claims(demo_store)
    return demo_store.path, spans


def dedup(path, *args, capsys):
    code = main(["dedup", *args, "--db", str(path)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def dedup_json(path, capsys, *args):
    return json.loads(dedup(path, "--json", *args, capsys=capsys))


def cluster_of(report, article, start):
    return next(c for c in report["clusters"] if any(m["article"] == article and m["start"] == start for m in c["members"]))


def test_reworded_claims_come_out_as_clusters_spanning_their_outlets(tagged, capsys):
    path, _ = tagged
    report = dedup_json(path, capsys)
    rows = demo_claim_rows()
    with Store(path) as store:
        located = [locate(store, row["source"], row["text"]) for row in rows]
    groups = defaultdict(set)
    for row, (article, start, _) in zip(rows, located):
        groups[row["group"]].add(cluster_of(report, article, start)["id"])
    assert all(len(ids) == 1 for ids in groups.values()), groups
    assert len({next(iter(ids)) for ids in groups.values()}) == len(groups)
    audit = cluster_of(report, *located[0][:2])
    assert len(audit["members"]) == 5 and len(audit["outlets"]) == 5
    # Most outlets first.
    spread = [len(c["outlets"]) for c in report["clusters"]]
    assert spread == sorted(spread, reverse=True) and spread[0] >= 4


def test_the_planted_figure_conflict_is_reported(tagged, capsys):
    path, _ = tagged
    report = dedup_json(path, capsys)
    [conflict] = report["conflicts"]
    assert {conflict["a"]["article"], conflict["b"]["article"]} == {"the-ostel-courier/soldiers-issued-failed-vests", "wire-0003"}
    assert set(conflict["figures"]) == {"Nearly 8,000 soldiers", "Nearly 80,000 soldiers"}
    # Each figure as its own claim states it.
    assert all(figure in side["text"] for figure, side in zip(conflict["figures"], (conflict["a"], conflict["b"])))
    text = dedup(path, capsys=capsys)
    assert "1 figure conflict" in text.splitlines()[0]
    conflicts = text[text.index("Figure conflicts"):]
    assert "'Nearly 8,000 soldiers' against 'Nearly 80,000 soldiers'" in conflicts
    assert "Contradictions" in text and "is not on the table" in text[text.index("Contradictions"):]


def test_the_json_has_exactly_the_documented_shape(tagged, capsys):
    path, _ = tagged
    report = dedup_json(path, capsys)
    assert set(report) == {"scorer", "clusters", "conflicts"}
    for cluster in report["clusters"]:
        assert set(cluster) == {"id", "outlets", "members", "untagged"}
        assert cluster["outlets"] == sorted({m["outlet"] for m in cluster["members"]})
        for member in cluster["members"]:
            assert set(member) == MEMBER_KEYS | {"matched_by"}
        for sentence in cluster["untagged"]:
            assert set(sentence) == {"article", "start", "end", "text", "score"}
    for conflict in report["conflicts"]:
        assert set(conflict) == {"a", "b", "figures"} and set(conflict["a"]) == set(conflict["b"]) == MEMBER_KEYS
        assert len(conflict["figures"]) == 2
    with Store(path) as store:
        for cluster in report["clusters"]:
            for item in cluster["members"] + cluster["untagged"]:
                assert store.articles.get(item["article"]).text[item["start"]:item["end"]] == item["text"]


def test_an_untagged_repeat_is_listed_and_leaves_the_list_once_tagged(tagged, capsys):
    path, _ = tagged
    report = dedup_json(path, capsys)
    untagged = {(s["article"], s["text"]) for c in report["clusters"] for s in c["untagged"]}
    repeat = ("wire-0001", "The army ordered 100,000 ceramic armour vests from Halvard under the deal in 2024, "
                           "with deliveries beginning last spring.")
    assert repeat in untagged
    with Store(path) as store:
        article, start, end = locate(store, "wire-0001", repeat[1])
        store.spans.add(article, start, end, "claim", "bo")
    again = dedup_json(path, capsys)
    assert repeat not in {(s["article"], s["text"]) for c in again["clusters"] for s in c["untagged"]}
    assert len(cluster_of(again, article, start)["members"]) == 4


def test_ids_stay_when_a_claim_is_added(demo_store, capsys):
    rows = demo_claim_rows()
    tag_demo_claims(demo_store, rows=rows[1:])
    path = demo_store.path
    first = dedup_json(path, capsys, "--no-untagged")
    ids = {(m["article"], m["start"]): c["id"] for c in first["clusters"] for m in c["members"]}
    tag_demo_claims(demo_store, annotator="bo", rows=rows[:1])
    second = dedup_json(path, capsys, "--no-untagged")
    assert {(m["article"], m["start"]): c["id"] for c in second["clusters"] for m in c["members"]
            if (m["article"], m["start"]) in ids} == ids
    article, start, _ = locate(demo_store, rows[0]["source"], rows[0]["text"])
    assert cluster_of(second, article, start)["id"] == cluster_of(second, *locate(demo_store, rows[1]["source"], rows[1]["text"])[:2])["id"]
    # What is stored on the spans is what was printed.
    stored = {(c.article_id, c.start): c.cluster for c in ClaimStore(demo_store.db).claims()}
    assert stored == {(m["article"], m["start"]): c["id"] for c in second["clusters"] for m in c["members"]}
    assert "0 cluster ids stored" in dedup(path, "--no-untagged", capsys=capsys).splitlines()[0]


def test_links_and_not_the_same_always_hold(tagged, capsys):
    path, spans = tagged
    rows = demo_claim_rows()
    audit, other_audit = spans[0], spans[1]
    lone = next(spans[n] for n, row in enumerate(rows) if row["group"] == "inquiry_duration")
    with Store(path) as store:
        claims = ClaimStore(store.db)
        claims.decide(audit, other_audit, "not_same", "ann")
        claims.decide(audit, lone, "same", "ann")
        by_id = claims.get(spans.values())
    report = dedup_json(path, capsys, "--no-untagged")

    def cluster(span_id):
        claim = by_id[span_id]
        return cluster_of(report, claim.article_id, claim.start)["id"]

    assert cluster(audit) != cluster(other_audit)
    assert cluster(audit) == cluster(lone)


def test_a_threshold_outside_0_to_100_is_refused(tagged, capsys):
    path, _ = tagged
    assert main(["dedup", "--threshold", "140", "--db", str(path)]) == 2
    assert "--threshold must be above 0 and at most 100" in capsys.readouterr().err


def test_dedup_never_imports_textual(tagged, tmp_path):
    path, _ = tagged
    assert_runs_without_textual(["dedup", "--db", str(path)],
                                env={"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": ""})


def test_a_sentence_marked_not_the_same_leaves_the_clusters_untagged_list(tagged, capsys):
    path, spans = tagged
    report = dedup_json(path, capsys)
    cluster = next(c for c in report["clusters"] if c["untagged"])
    sentence = cluster["untagged"][0]
    member = cluster["members"][-1]
    with Store(path) as store:
        claims = ClaimStore(store.db)
        [span_id] = [c.span_id for c in claims.claims() if (c.article_id, c.start) == (member["article"], member["start"])]
        claims.decide_sentence(span_id, sentence["article"], sentence["start"], sentence["end"], "not_same", "ann")
    again = dedup_json(path, capsys)
    assert sentence not in next(c for c in again["clusters"] if c["id"] == cluster["id"])["untagged"]
