"""Claim sentences proposed best first, at most a set number per article."""

from corpus.claim_candidates import DEFAULT_LIMIT, find_claim_candidates

ARTICLE = (
    "The dam gave way on Tuesday, flooding three villages and forcing about 4,500 residents from their homes, "
    "officials said. What happens now? "
    '"We will rebuild, and we will do it together," the mayor said. '
    "The regional assembly will meet on Thursday. "
    "Repairs recommended in 2019 were never carried out, according to documents seen by the Wire. "
    "It rained."
)


def sentences(candidates):
    return [c.text for c in candidates]


def test_sentences_with_figures_and_reported_facts_come_first():
    found = sentences(find_claim_candidates(ARTICLE))
    assert found[0].startswith("The dam gave way")
    assert found[1].startswith("Repairs recommended")


def test_questions_quotes_schedules_and_short_sentences_are_not_proposed():
    found = sentences(find_claim_candidates(ARTICLE))
    assert not any(s.startswith(("What happens", '"We will', "The regional assembly", "It rained")) for s in found)


def test_at_most_the_limit_is_proposed_best_first():
    text = " ".join(f"Prices rose {n}% in the year to March, the office said." for n in range(1, 20))
    found = find_claim_candidates(text)
    assert len(found) == DEFAULT_LIMIT
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    assert len(find_claim_candidates(text, limit=2)) == 2
    assert find_claim_candidates(text, limit=0) == []


def test_offsets_cover_the_sentence_text():
    for candidate in find_claim_candidates(ARTICLE):
        assert ARTICLE[candidate.start : candidate.end] == candidate.text


def test_an_empty_article_has_no_candidates():
    assert find_claim_candidates("") == []
