"""The live claim index: the matches of a new claim among the stored ones."""

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.claim_index import ClaimIndex
from corpus.claim_match import compare

STORED = {
    "herald:1": "The government will cut fuel duty by 5p a litre from April, the chancellor said.",
    "courier:4": "Some 100,000 soldiers have been moved to the northern border, the defence ministry said.",
    "post:2": "Waiting times at Ardmore General Hospital have doubled since 2021.",
    "post:3": "Kestrel Airlines cabin crew will strike for three days from Friday, the union said.",
}


def test_the_reworded_twin_from_another_outlet_comes_first_as_a_match():
    index = ClaimIndex.from_claims(STORED.items())
    found = index.query("Fuel duty will be cut by 5p a litre from April, according to the chancellor.", k=3)
    assert found[0].key == "herald:1"
    assert found[0].verdict.same
    assert found[0].text == STORED["herald:1"]


def test_a_conflicting_figure_is_found_and_marked():
    index = ClaimIndex.from_claims(STORED.items())
    top = index.query("Around 10,000 soldiers have been moved to the northern border.", k=1)[0]
    assert top.key == "courier:4"
    assert not top.verdict.same and top.verdict.conflict == "figure"


def test_removed_and_replaced_claims_are_no_longer_found():
    index = ClaimIndex.from_claims(STORED.items())
    index.remove("herald:1")
    assert "herald:1" not in index and len(index) == 3
    assert all(c.key != "herald:1" for c in index.query(STORED["herald:1"], k=5))
    index.add("post:2", "Kestrel Airlines pilots will strike for three days from Friday.")
    assert all(c.key != "post:2" for c in index.query(STORED["post:2"], k=5) if c.verdict.same)
    index.remove("no such key")


def test_the_claim_itself_can_be_left_out():
    index = ClaimIndex.from_claims(STORED.items())
    assert [c.key for c in index.query(STORED["post:3"], k=5, exclude="post:3")][:1] != ["post:3"]


def test_an_empty_index_finds_nothing():
    assert ClaimIndex().query("Anything at all could be said here.") == []


def test_it_builds_from_any_iterator():
    index = ClaimIndex.from_claims((f"k{i}", text) for i, text in enumerate(STORED.values()))
    assert len(index) == len(STORED)


words = st.sampled_from("council river dam budget soldiers border duty fuel strike union crew airline hospital".split())
texts = st.lists(words, min_size=4, max_size=9).map(" ".join)


@settings(max_examples=25, deadline=None)
@given(st.lists(texts, min_size=1, max_size=15), texts)
def test_every_candidate_carries_the_verdict_compare_gives(stored, query):
    index = ClaimIndex.from_claims(enumerate(stored))
    found = index.query(query, k=5)
    scores = [c.verdict.score for c in found]
    assert scores == sorted(scores, reverse=True)
    for candidate in found:
        expected = compare(query, candidate.text)
        assert (candidate.verdict.same, candidate.verdict.conflict) == (expected.same, expected.conflict)
        assert abs(candidate.verdict.score - expected.score) < 1e-3


def test_claims_read_back_from_elsewhere_are_matched_like_kept_ones():
    asked = []

    def texts(keys):
        asked.append(keys)
        return {key: STORED[key] for key in keys if key != "post:3"}  # post:3 deleted since

    index = ClaimIndex.from_claims(STORED.items(), texts=texts)
    found = index.query("Fuel duty will be cut by 5p a litre from April, according to the chancellor.", k=3)
    assert (found[0].key, found[0].text, found[0].verdict.same) == ("herald:1", STORED["herald:1"], True)
    assert len(asked) == 1 and len(asked[0]) <= 3
    assert all(c.key != "post:3" for c in index.query(STORED["post:3"], k=5))


def test_after_most_claims_are_removed_the_rest_are_still_found_under_their_keys():
    index = ClaimIndex.from_claims(STORED.items())
    for number in range(40):
        index.add(f"tmp{number}", f"Temporary claim number {number} about the river dam budget.")
    for number in range(40):
        index.remove(f"tmp{number}")
    index.remove("post:2")
    assert len(index) == 3 and index.claims.numbered < 44  # the leftovers were dropped
    for key in ("herald:1", "courier:4", "post:3"):
        assert index.query(STORED[key], k=1)[0].key == key
    assert all(c.key != "post:2" for c in index.query(STORED["post:2"], k=5))
    assert all(not c.key.startswith("tmp") for c in index.query("Temporary claim number 7 about the river dam budget."))
