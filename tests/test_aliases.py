"""Aliases: a capital, a seat of government or a spelling variant is read as the name it stands for."""

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus import aliases
from corpus.aliases import AliasError, apply_aliases, check_entry, parse_aliases
from corpus.claim_match import compare
from corpus.claim_text import prepare_claim


@pytest.fixture
def no_aliases():
    aliases.set_table(aliases.EMPTY)
    yield
    aliases.set_table(None)


def test_seats_of_government_and_spellings_become_one_name():
    assert apply_aliases("Brussels and the Kremlin") == "EU and Russia"
    assert apply_aliases("Downing Street said the White House agreed") == "UK said US agreed"
    assert apply_aliases("Zelenskyy, Zelenskiy and Volodymyr Zelensky in Kiev") == "Zelensky, Zelensky and Zelensky in Ukraine"
    assert apply_aliases("Viktor Orbán met Erdoğan in Türkiye") == "Orban met Erdogan in Turkey"


def test_an_acronym_variant_is_matched_in_its_own_case_and_only_as_a_whole_word():
    assert apply_aliases("the USA told us") == "the US told us"
    assert apply_aliases("Moscowitz visited Brusselsprout") == "Moscowitz visited Brusselsprout"


def test_a_claim_told_with_a_capital_for_its_state_matches_only_with_aliases(no_aliases):
    a = "Ministers in Brussels agreed to extend sanctions on Russian banks."
    b = "Ministers in the EU agreed to extend sanctions on Russian banks."
    assert not compare(a, b).same
    aliases.set_table(None)
    assert compare(a, b).same


def test_a_spelling_variant_of_a_name_matches_only_with_aliases(no_aliases):
    a = "Talks with Zelensky in Kyiv ended without a deal on Crimea."
    b = "Talks with Zelenskyy in Kiev ended without a deal on Crimea."
    assert not compare(a, b).same
    aliases.set_table(None)
    assert compare(a, b).same


_WORDS = [*list(aliases.BUILT_IN)[::3], "not", "no", "never", "didn't", "said", "about", "troops", "killed",
          "5,000", "3.5%", "$2bn", "ten", "a third", "in 2023", "rose", "fell", "the", "and", "Kyiv", "Moscow"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=14))
def test_applying_aliases_never_moves_a_figure_or_a_negation(words):
    text = " ".join(words)
    aliases.set_table(aliases.EMPTY)
    try:
        plain = prepare_claim(text)
    finally:
        aliases.set_table(None)
    aliased = prepare_claim(text)
    assert aliased.figures == plain.figures
    assert aliased.other_numbers == plain.other_numbers
    assert aliased.negated == plain.negated
    assert [t for t in aliased.words.split() if t.startswith("#")] == [t for t in plain.words.split() if t.startswith("#")]


@given(st.text(max_size=40), st.text(max_size=40))
def test_an_accepted_entry_holds_no_digit_and_no_negation(variant, name):
    if check_entry(variant, name) is None:
        assert not any(c.isdigit() for c in variant + name)
        assert not {"not", "no", "never"} & set((variant + " " + name).lower().split())


def test_a_user_file_adds_and_removes_entries():
    added, removed = parse_aliases('[aliases]\n"Foggy Bottom" = "US"\n\n[removed]\nvariants = ["London"]\n')
    table = aliases.AliasTable.build(aliases.combined(added, removed))
    assert apply_aliases("Foggy Bottom met London", table) == "US met London"


@pytest.mark.parametrize("text, where", [
    ('[aliases]\n"Kyiv" = "Ukraine"\n"No 10" = "UK"\n', "aliases.toml:3: the variant 'No 10' holds a digit"),
    ('[aliases]\n"Somebody" = "not anyone"\n', "aliases.toml:2: the name 'not anyone' holds a negation word"),
    ('[aliases]\nx = \n', "aliases.toml:2:"),
    ('[names]\n', "aliases.toml:1: unknown table [names]"),
])
def test_a_bad_user_file_names_its_line(text, where):
    with pytest.raises(AliasError, match=r"^" + where.replace("[", r"\[").replace("]", r"\]")):
        parse_aliases(text)


def _claimdesk(*args, config):
    env = {**os.environ, "XDG_CONFIG_HOME": str(config)}
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], capture_output=True, text=True, env=env, timeout=60)


def test_aliases_command_adds_lists_and_removes(tmp_path):
    assert _claimdesk("aliases", "add", "Foggy Bottom", "US", config=tmp_path).returncode == 0
    listed = _claimdesk("aliases", "list", "US", config=tmp_path).stdout
    assert "Foggy Bottom" in listed and "yours" in listed and "the White House" in listed
    assert _claimdesk("aliases", "remove", "the White House", config=tmp_path).returncode == 0
    assert "the White House" not in _claimdesk("aliases", "list", "US", config=tmp_path).stdout
    refused = _claimdesk("aliases", "add", "No 10", "UK", config=tmp_path)
    assert refused.returncode == 2 and "holds a digit" in refused.stderr


def test_a_broken_aliases_file_stops_a_command_with_its_line(tmp_path):
    (tmp_path / "claimdesk").mkdir()
    (tmp_path / "claimdesk" / "aliases.toml").write_text('[aliases]\n"Kyiv" =\n')
    result = _claimdesk("stats", "--db", str(tmp_path / "x.db"), config=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"claimdesk: {tmp_path / 'claimdesk' / 'aliases.toml'}:2:")
    assert "Traceback" not in result.stderr
