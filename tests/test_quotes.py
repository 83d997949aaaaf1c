"""Quotations in every mark style, scare quotes and titles left out, and their speakers."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.quotes import find_quotes


def only_quote(text):
    quotes = find_quotes(text)
    assert len(quotes) == 1, quotes
    return quotes[0]


@pytest.mark.parametrize(
    ("text", "quoted", "speaker"),
    [
        ("“We will rebuild the bridge within a year,” said Mayor Ana Torres.",
         "“We will rebuild the bridge within a year,”", "Ana Torres"),
        ('Defence Minister Tomas Reyl said: "We will not send soldiers out in untested vests."',
         '"We will not send soldiers out in untested vests."', "Tomas Reyl"),
        ("„The situation is serious and we are acting“, said Jana Kroll of the city council.",
         "„The situation is serious and we are acting“", "Jana Kroll"),
        ("« We will not give in to threats », said Paul Roux, the union leader.",
         "« We will not give in to threats »", "Paul Roux"),
        ('"Prices will rise again next month," according to Lena Varga, an economist.',
         '"Prices will rise again next month,"', "Lena Varga"),
        ("The opposition leader, Mara Quist, called the budget “a gift to the banks and nobody else”.",
         "“a gift to the banks and nobody else”", "Mara Quist"),
        ('"We have no comment on the matter," a company spokeswoman said.',
         '"We have no comment on the matter,"', "company spokeswoman"),
    ],
)
def test_a_quote_is_found_with_its_marks_and_its_speaker(text, quoted, speaker):
    quote = only_quote(text)
    assert (quote.text, quote.speaker) == (quoted, speaker)
    assert text[quote.start : quote.end] == quoted
    assert text[quote.speaker_start : quote.speaker_end] == speaker


def test_a_surname_or_a_pronoun_is_given_as_the_full_name():
    text = (
        "Senator Ada Lind spoke first. \"We have waited long enough for this vote,\" she said.\n\n"
        "Union secretary Jon Berg disagreed. \"Nobody asked the workers what they want,\" Berg told reporters."
    )
    assert [q.speaker for q in find_quotes(text)] == ["Ada Lind", "Jon Berg"]


def test_a_quote_that_runs_over_paragraphs_is_one_quote():
    text = (
        "She told the Courier:\n\n“We ordered the vests in March. Every one will be tested.\n\n"
        "“The first arrive in September.”\n\nThe ministry confirmed the order."
    )
    quote = only_quote(text)
    assert quote.text.startswith("“We ordered") and quote.text.endswith("September.”")


def test_an_unclosed_quote_does_not_swallow_the_next_paragraph():
    text = '"This mark is never closed and the paragraph ends.\n\nThe next paragraph says "something else entirely" here.'
    assert [q.text for q in find_quotes(text)] == ['"something else entirely"']


@pytest.mark.parametrize(
    "text",
    [
        'The talks ended in a "stalemate" on Friday.',
        'Officials called the situation "very serious" yesterday.',
        'The report, titled "Lessons From The Armour Programme", was not published.',
        "No quotation marks here at all.",
    ],
)
def test_scare_quotes_and_titles_are_not_quotes(text):
    assert find_quotes(text) == []


def test_a_quote_with_no_attribution_has_no_speaker():
    quote = only_quote('Protesters carried banners reading "Hands off our pensions" through the square.')
    assert quote.speaker is None and quote.speaker_start is None


def test_the_group_is_the_group_named_before():
    text = (
        "Consumer group Fair Travel said passengers deserved more. "
        '"Airlines always blame the weather when they can," the group said.'
    )
    assert only_quote(text).speaker == "Fair Travel"


def test_a_second_quote_in_the_paragraph_keeps_the_speaker():
    text = '"We had a line holding at dusk," Aduriz said. "Nobody here has seen a fire move like this."'
    assert [q.speaker for q in find_quotes(text)] == ["Aduriz", "Aduriz"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab cD."“”„«»,:\nsaid She Mr ')), max_size=200))
def test_any_text_of_marks_and_names_gives_consistent_offsets(text):
    for quote in find_quotes(text):
        assert 0 <= quote.start < quote.end <= len(text)
        assert text[quote.start : quote.end] == quote.text
        if quote.speaker is not None:
            assert text[quote.speaker_start : quote.speaker_end] == quote.speaker


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_arbitrary_unicode_never_breaks_it(text):
    for quote in find_quotes(text):
        assert text[quote.start : quote.end] == quote.text


def test_the_listener_of_told_is_not_taken_for_the_speaker():
    text = (
        "Nadia Oresh, whose son serves abroad, told Civic Radio she had learned about it from the news.\n\n"
        '"Nobody has phoned us. Nobody has written," she said.'
    )
    assert only_quote(text).speaker == "Nadia Oresh"


def test_a_name_inside_a_relative_clause_is_not_the_speaker():
    text = (
        "Nadia Oresh, whose son serves with the 4th Rifle Brigade, told Civic Radio she was not informed.\n\n"
        '"Nobody has phoned us. Nobody has written," she said.'
    )
    assert only_quote(text).speaker == "Nadia Oresh"
