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


# Issue 16: speakers as a reader finds them. Every case is written for these
# tests (none comes from the held-out set).
@pytest.mark.parametrize(
    ("text", "speaker", "rule"),
    [
        # "said X", "X said", "X told reporters", "according to X"
        ('"The port will reopen on Friday," said harbour master Ines Vall.', "Ines Vall", "speaker-after"),
        ('"The port will reopen on Friday," Ines Vall told reporters.', "Ines Vall", "speaker-after"),
        ('Nobody knew. "The port will reopen on Friday," according to harbour master Ines Vall.', "Ines Vall",
         "speaker-after"),
        ('In the words of Ines Vall, the port is "ready to reopen on Friday".', "Ines Vall", "speaker-before"),
        # a bare title: the person named with that role earlier
        ('The finance minister, Hugo Brandt, presented the plan on Monday. Critics called it thin.\n\n'
         '"We have no money left to waste," the minister said.', "Hugo Brandt", "speaker-after"),
        ('Governor Alma Ruiz visited the site. The governor said the damage was "far worse than we were told".',
         "Alma Ruiz", "speaker-before"),
        # a pronoun: the person named last
        ('Police chief Mara Lenz spoke first. "Nobody was hurt in the fire," she said.', "Mara Lenz",
         "speaker-after"),
        # the speaker introduced in the sentence or paragraph before
        ('Its spokesman, Karl Ode, was asked about the delay.\n\n"We are doing what we can with the staff we have."',
         "Karl Ode", "speaker-paragraph-opening"),
        # named in the next sentence
        ('"We were lied to from the start." Those were the words of Lena Marsh, a resident of the estate.',
         "Lena Marsh", "speaker-next-sentence"),
        # an institution when no person speaks, with its full name
        ('"The border stays closed until further notice," the Interior Ministry said.', "Interior Ministry",
         "speaker-after"),
        ('The National Grid Office issued a warning. "Demand will peak tonight," the office said.',
         "National Grid Office", "speaker-after"),
        # translated word order, speech verbs beyond "said"
        ('„The bridge is safe and will stay open“, declared the mayor Tomas Grell to the newspaper.', "Tomas Grell",
         "speaker-after"),
        ('« We will not give up the fight », affirmed the union leader, Rémi Vautrin.', "Rémi Vautrin",
         "speaker-after"),
        ('"This is a scandal and someone must resign," one protester shouted.', "protester", "speaker-after"),
        ('A nurse who asked not to be named said: "We are exhausted and nobody is listening."', "nurse",
         "speaker-before"),
        # a headline's "Name: '…'"
        ('Union leader Jana Kos: "We will strike again if we must"', "Jana Kos", "speaker-heading"),
        # a partial quote keeps its speaker
        ('Mayor Ivo Kral said he was open to "genuine talks about the budget".', "Ivo Kral", "speaker-before"),
    ],
)
def test_speakers_as_a_reader_finds_them(text, speaker, rule):
    quote = only_quote(text)
    assert quote.speaker == speaker
    assert quote.rule == rule
    assert text[quote.speaker_start : quote.speaker_end] == speaker


def test_no_speaker_when_the_text_does_not_say():
    quote = only_quote('The wall was covered overnight. "Nobody listens to us any more."')
    assert quote.speaker is None and quote.rule == "no-speaker"


@pytest.mark.parametrize(
    "text",
    [
        'The council launched its "greener streets for everyone" scheme in May.',
        'Her memoir, "A life between two rivers", sold well.',
        'The so-called "coalition of the willing" met again in Oslo.',
        'Officials like to talk about "a level playing field" when it suits them.',
        'The paper ran the story under the headline "Mayor in hot water".',
        'Nobody knows what the "new deal for towns" will contain.',
        'The campaign slogan "Take back the river" was painted on every bridge.',
        "The ministry's \"fit for the future\" review closed six offices.",
    ],
)
def test_scare_quotes_and_titles_of_three_words_or_more_are_not_quotes(text):
    assert find_quotes(text) == []


@pytest.mark.parametrize(
    "text",
    [
        'Oskar Venn said the plan was "the worst I have seen in years".',
        'The union called the offer "an insult to every driver".',
        '"We will not be moved," the tenants chanted.',
        'She told the court she had been "frightened for my life".',
        'A sign on the door read "Closed until further notice".',
        'Asked about the delay, Irma Holt replied: "Ask the contractor."',
        'The wall was covered overnight. "Nobody listens to us any more."',
    ],
)
def test_what_someone_says_or_writes_is_a_quote(text):
    assert len(find_quotes(text)) == 1


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # "she" is the subject of the sentence before, not the person named last
        ('Mayor Lena Fisk met the minister, Karl Dorn, on Monday. "We agreed on nothing," she said.', "Lena Fisk"),
        ('Councillor Karl Dorn thanked the mayor, Lena Fisk, on Friday. "She has done well, whatever they say," he said.', "Karl Dorn"),
        # a name with a role in apposition is a person
        ('Lena Fisk, the mayor, spoke after the vote.\n\n"This is not the end of the matter," she said.',
         "Lena Fisk"),
        # a title with no first name given
        ('Ms Fisk was not convinced. "We will see about that," she told the council.', "Fisk"),
        # "the envoy" is the envoy named before
        ("The U.N. envoy, Sara Holm, arrived on Monday.\n\n"
         'The envoy told reporters the talks were "serious and constructive".', "Sara Holm"),
    ],
)
def test_pronouns_and_titles_find_the_person_a_reader_would(text, speaker):
    assert find_quotes(text)[-1].speaker == speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('"The decision is final," said a statement from the Transport Ministry.', "Transport Ministry"),
        ('Giving evidence, Ruth Ames, who ran the depot from 2015, said:\n\n"I wrote to them twice about the roof.'
         '\n\n"Nobody answered either letter."', "Ruth Ames"),
        ('"Enough is enough," the crowd chanted outside parliament.', "crowd"),
        ('Tomas Berg and Ilse Moor led the march. "We will be back every week until they listen," Moor said.',
         "Ilse Moor"),
    ],
)
def test_statements_colons_over_paragraphs_and_crowds(text, speaker):
    (quote,) = find_quotes(text)
    assert quote.speaker == speaker
