"""The claim matcher: same claim, figure conflict, contradiction, or unrelated."""

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.claim_match import DEFAULT_THRESHOLD, compare, similarity, similarity_matrix, word_similarity
from corpus.claim_text import prepare_claim


def test_a_reworded_claim_with_other_attribution_is_the_same():
    verdict = compare(
        "The government will cut fuel duty by 5p a litre from April, the chancellor said.",
        "Fuel duty will be cut by 5p a litre from April, according to the chancellor.",
    )
    assert verdict.same and verdict.conflict is None


def test_a_different_figure_is_a_figure_conflict_not_a_match():
    verdict = compare(
        "Some 100,000 soldiers have been moved to the northern border, the ministry said.",
        "Some 10,000 soldiers have been moved to the northern border, the ministry said.",
    )
    assert not verdict.same
    assert verdict.conflict == "figure"
    assert verdict.figures == (("Some 100,000 soldiers", "Some 10,000 soldiers"),)


def test_a_figure_the_reader_does_not_parse_still_conflicts():
    verdict = compare("The government will cut fuel duty by 5p a litre from April.",
                      "The government will cut fuel duty by 3p a litre from April.")
    assert verdict.conflict == "figure" and verdict.figures == (("5p", "3p"),)


def test_a_year_is_exact():
    verdict = compare("The coal plant at Brennock will close in 2030.", "The coal plant at Brennock will close in 2035.")
    assert verdict.conflict == "figure"


def test_a_rounded_or_qualified_figure_agrees():
    assert compare("The River Esk dam project is $43.9bn over budget.",
                   "The River Esk dam project is $44bn over budget.").same
    assert compare("About 30,000 people are living in the Tessin camp.",
                   "Some 29,000 people are living in the Tessin camp.").same


def test_a_bare_number_pairs_with_the_counted_one():
    assert compare(
        "About 30,000 people are living in the Tessin camp, which was built for 8,000.",
        "The Tessin camp, built for 8,000 people, is now home to about 30,000.",
    ).conflict is None


def test_a_one_sided_negation_is_a_contradiction():
    verdict = compare("A trade deal with the Ostrava bloc is on the table, the secretary said.",
                      "A trade deal with the Ostrava bloc is not on the table, the secretary said.")
    assert not verdict.same and verdict.conflict == "negation"


def test_negation_on_both_sides_is_the_same_claim():
    assert compare("The government won't raise VAT before the next election.",
                   "The government will not raise VAT before the next election, the chancellor said.").same


def test_opposite_directions_are_a_contradiction():
    verdict = compare("Inflation rose to 4.1% in March, the highest level in two years.",
                      "Inflation fell to 4.1% in March, the highest level in two years.")
    assert not verdict.same and verdict.conflict == "direction"


def test_a_claim_contained_in_a_longer_one_is_not_the_same():
    # token_set_ratio alone scores this 100.
    verdict = compare("The Halden Bridge will close in May.",
                      "The Halden Bridge will close in May and the new ferry terminal will open in its place.")
    assert not verdict.same


def test_the_same_frame_about_another_place_is_not_the_same():
    verdict = compare("Police in Kocher arrested 11 people after the protest on Wednesday.",
                      "Police in Touvshurk arrested 11 people after the protest on Wednesday.")
    assert not verdict.same and verdict.conflict is None


def test_short_claims_are_never_matched_automatically():
    verdict = compare("Prices rose sharply.", "Prices rose sharply.")
    assert verdict.score == 100 and not verdict.same


claims = st.lists(st.sampled_from("fuel duty will be cut by 5p from April the minister said not 3.5% rise".split()),
                  min_size=1, max_size=12).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(claims, claims)
def test_the_matrix_gives_the_pairwise_scores(a, b):
    prepared_a, prepared_b = prepare_claim(a), prepare_claim(b)
    matrix = similarity_matrix([prepared_a.words], [prepared_b.words])
    assert abs(float(matrix[0, 0]) - similarity(prepared_a, prepared_b)) < 1e-3


@settings(max_examples=60, deadline=None)
@given(claims, claims)
def test_compare_is_symmetric(a, b):
    one, other = compare(a, b), compare(b, a)
    assert (one.score, one.same, one.conflict) == (other.score, other.same, other.conflict)


def test_identical_long_claims_match_at_the_default_threshold():
    text = "The new metro line between Port Calder and Lowmoor will open in December."
    assert word_similarity(prepare_claim(text).words, prepare_claim(text).words) == 100 >= DEFAULT_THRESHOLD
    assert compare(text, text).same


def test_swapped_roles_are_kept_apart():
    verdict = compare("Russia accused Ukraine of shelling the Zaporizhzhia nuclear power plant.",
                      "Ukraine accused Russia of shelling the Zaporizhzhia nuclear power plant.")
    assert not verdict.same and verdict.conflict == "roles"
    verdict = compare("Washington warned Beijing against supplying weapons to Russia.",
                      "Beijing warned Washington against supplying weapons to Russia.")
    assert verdict.conflict == "roles"


def test_a_speaker_who_is_the_actor_counts_as_a_role():
    verdict = compare("The Kremlin said it was ready for talks without preconditions.",
                      "Kyiv said it was ready for talks without preconditions.")
    assert verdict.conflict == "roles"


def test_a_passive_or_names_joined_by_and_keep_their_roles():
    assert compare("Russia accused Ukraine of shelling the Zaporizhzhia nuclear power plant.",
                   "Ukraine was accused by Russia of shelling the Zaporizhzhia nuclear power plant.").same
    assert compare("Russia and Ukraine exchanged 230 prisoners of war in a deal brokered by the UAE.",
                   "Ukraine and Russia exchanged 230 prisoners of war in a deal brokered by the UAE.").same


def test_a_denial_verb_is_a_negation():
    verdict = compare("Russia accused Ukraine of shelling the Zaporizhzhia nuclear power plant.",
                      "Russia denied shelling the Zaporizhzhia nuclear power plant.")
    assert not verdict.same
    assert compare("NATO ruled out sending troops to Ukraine.", "NATO said it would not send troops to Ukraine.").conflict is None
