"""Corpus-wide clustering: clusters of the same claim, stable ids, annotators' decisions."""

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.claim_clusters import adjusted_rand_index, cluster_claims

FUEL = [
    ("a1", "The government will cut fuel duty by 5p a litre from April, the chancellor said."),
    ("b1", "Fuel duty will be cut by 5p a litre from April, according to the chancellor."),
    ("c1", '"The government will cut fuel duty by 5p a litre from April," the chancellor told reporters.'),
]
TROOPS = [
    ("a2", "Some 100,000 soldiers have been moved to the northern border, the defence ministry said."),
    ("b2", "About 100k soldiers have been moved to the northern border, according to the ministry."),
]
CONFLICTING = ("c2", "Some 10,000 soldiers have been moved to the northern border, the defence ministry said.")
OTHER = ("d3", "Waiting times at Ardmore General Hospital have doubled since 2021.")


def test_rewordings_share_a_cluster_and_other_claims_do_not():
    result = cluster_claims([*FUEL, *TROOPS, OTHER])
    clusters = result.clusters
    assert clusters["a1"] == clusters["b1"] == clusters["c1"]
    assert clusters["a2"] == clusters["b2"] != clusters["a1"]
    assert len({clusters["a1"], clusters["a2"], clusters["d3"]}) == 3
    assert result.leaders[clusters["a1"]] == "a1"


def test_a_figure_conflict_is_reported_between_clusters():
    result = cluster_claims([*TROOPS, CONFLICTING])
    assert result.clusters["c2"] != result.clusters["a2"]
    [conflict] = result.conflicts
    assert conflict.kind == "figure" and {conflict.a, conflict.b} & {"a2", "b2"} and "c2" in (conflict.a, conflict.b)


def test_ids_stay_when_claims_are_added():
    first = cluster_claims([*FUEL[:2], TROOPS[0]])
    second = cluster_claims([OTHER, *FUEL, *TROOPS], previous=first)
    for key in ("a1", "b1", "a2"):
        assert second.clusters[key] == first.clusters[key]
    assert second.clusters["c1"] == first.clusters["a1"]
    assert second.clusters["b2"] == first.clusters["a2"]
    assert second.clusters["d3"] not in first.clusters.values()


def test_a_cluster_keeps_its_id_when_its_leader_is_gone():
    first = cluster_claims(FUEL)
    second = cluster_claims(FUEL[1:], previous=first)
    assert second.clusters["b1"] == second.clusters["c1"] == first.clusters["a1"]
    assert second.leaders[first.clusters["a1"]] == "b1"


def test_a_confirmed_link_always_holds():
    result = cluster_claims([*FUEL, OTHER], links=[("a1", "d3")])
    assert result.clusters["d3"] == result.clusters["a1"]


def test_a_link_merges_earlier_clusters_into_the_smaller_id():
    first = cluster_claims([*FUEL, OTHER])
    second = cluster_claims([*FUEL, OTHER], previous=first, links=[("d3", "b1")])
    assert second.clusters["d3"] == second.clusters["a1"] == min(first.clusters["a1"], first.clusters["d3"])


def test_not_the_same_always_holds():
    result = cluster_claims(FUEL, not_same=[("a1", "c1")])
    assert result.clusters["c1"] != result.clusters["a1"]
    assert result.clusters["b1"] == result.clusters["a1"]


def test_not_the_same_decided_later_splits_a_cluster():
    first = cluster_claims(FUEL)
    second = cluster_claims(FUEL, previous=first, not_same=[("b1", "a1")])
    assert second.clusters["a1"] == first.clusters["a1"]
    assert second.clusters["b1"] != second.clusters["a1"]


def test_a_not_the_same_decision_that_links_overrule_is_reported():
    result = cluster_claims([*FUEL, OTHER], links=[("a1", "d3")], not_same=[("d3", "a1")])
    assert result.clusters["d3"] == result.clusters["a1"]
    assert result.unmet == [("d3", "a1")]


def test_unknown_keys_in_decisions_are_ignored():
    result = cluster_claims(FUEL, links=[("a1", "gone")], not_same=[("gone", "b1")])
    assert len(set(result.clusters.values())) == 1


def test_members_lists_each_cluster():
    result = cluster_claims([*FUEL, OTHER])
    assert sorted(map(sorted, result.members().values())) == [["a1", "b1", "c1"], ["d3"]]


labels = st.lists(st.integers(0, 4), min_size=2, max_size=30)


@settings(max_examples=50)
@given(labels, st.permutations(range(5)))
def test_ari_ignores_how_clusters_are_named(truth, renaming):
    items = dict(enumerate(truth))
    renamed = {item: renaming[label] for item, label in items.items()}
    assert abs(adjusted_rand_index(items, renamed) - 1.0) < 1e-9


def test_ari_of_a_chained_cluster_is_low():
    truth = {i: i // 2 for i in range(20)}
    assert adjusted_rand_index(truth, {i: 0 for i in range(20)}) < 0.1


def test_the_demo_corpus_claims_cluster_by_group_with_the_planted_conflicts():
    rows = [json.loads(line) for line in (Path(__file__).parent / "data" / "demo_claims.jsonl").open(encoding="utf-8")]
    result = cluster_claims((i, row["text"]) for i, row in enumerate(rows))
    assert adjusted_rand_index({i: row["group"] for i, row in enumerate(rows)}, result.clusters) >= 0.9
    reported = {
        (conflict.kind, frozenset((rows[conflict.a]["group"], rows[conflict.b]["group"])))
        for conflict in result.conflicts
    }
    planted = {
        ("figure" if row["figure_conflict_with"] else "negation",
         frozenset((row["group"], row["figure_conflict_with"] or row["negates"])))
        for row in rows if row["figure_conflict_with"] or row["negates"]
    }
    assert planted <= reported
