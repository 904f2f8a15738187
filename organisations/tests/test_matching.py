"""Unit tests for organisations/matching.py: what a person types -> a municipality.

Candidates come from the real register file (organisations/data/gemeenten.csv), without a database.
"""

import pytest

from organisations.matching import Candidate, MatchResult, candidate_names, match, normalise
from organisations.register import read_register


@pytest.fixture(scope="module")
def candidates():
    return [
        Candidate(row["cbs_code"], candidate_names(row["cbs_code"], row["name"], row["common_name"]))
        for row in read_register()
    ]


# --- normalise -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'s-Gravenhage", "s gravenhage"),
        ("\u2019s-Hertogenbosch", "s hertogenbosch"),  # curly apostrophe
        ("Súdwest-Fryslân", "sudwest fryslan"),
        ("  Den   HAAG ", "den haag"),
        ("Bergen (NH.)", "bergen nh"),
        ("Nuenen, Gerwen en Nederwetten", "nuenen gerwen en nederwetten"),
        ("GM0344", "gm0344"),
        ("", ""),
        (None, ""),
        ("'-.", ""),
    ],
)
def test_normalise_ignores_accents_case_apostrophes_and_hyphens(text, expected):
    assert normalise(text) == expected


# --- candidate_names -----------------------------------------------------------------------


def test_candidate_names_adds_the_name_without_province_suffix():
    names = candidate_names("GM0373", "Bergen (NH.)", "Bergen (NH.)")
    assert "Bergen" in names
    assert "Bergen (NH.)" in names
    assert "Bergen NH" in names  # alias


def test_candidate_names_include_aliases_without_duplicates():
    names = candidate_names("GM0518", "'s-Gravenhage", "Den Haag")
    assert set(names) == {"'s-Gravenhage", "Den Haag", "The Hague"}
    assert len(names) == len(set(names))


def test_candidate_names_without_suffix_or_alias_is_just_the_names():
    assert candidate_names("GM0307", "Amersfoort", "Amersfoort") == ("Amersfoort",)


# --- match on the real register ------------------------------------------------------------

FOUND = [
    ("Den Haag", "GM0518"),
    ("den haag", "GM0518"),
    ("'s-Gravenhage", "GM0518"),
    ("s gravenhage", "GM0518"),
    ("The Hague", "GM0518"),
    ("Den Bosch", "GM0796"),
    ("'s-Hertogenbosch", "GM0796"),
    ("hertogenbosch", "GM0796"),
    ("Sudwest-Fryslan", "GM1900"),
    ("súdwest-fryslân", "GM1900"),
    ("Zuidwest-Friesland", "GM1900"),
    ("Bergen (NH.)", "GM0373"),
    ("Bergen NH", "GM0373"),
    ("Bergen (L.)", "GM0893"),
    ("Hengelo", "GM0164"),
    ("Hengelo (O.)", "GM0164"),
    ("gm0344", "GM0344"),
    (" GM0344 ", "GM0344"),
    ("Amersf", "GM0307"),
    ("Utrecht", "GM0344"),  # exact beats the prefix match on "Utrechtse Heuvelrug"
    ("Bergen op", "GM0748"),  # unique prefix
    ("Urk", "GM0184"),
]


@pytest.mark.parametrize(("text", "code"), FOUND)
def test_match_finds_the_municipality(candidates, text, code):
    assert match(text, candidates) == MatchResult(code=code, ambiguous=[])


def test_bergen_is_ambiguous_between_noord_holland_and_limburg(candidates):
    result = match("Bergen", candidates)
    assert result.code is None
    assert result.ambiguous == ["GM0373", "GM0893"]


def test_short_prefix_lists_the_few_candidates(candidates):
    # "ber": Bergen (NH.), Bergen op Zoom, Bergen (L.), Bernheze, Bergeijk, Berkelland, Berg en Dal
    result = match("Ber", candidates)
    assert result.code is None
    assert "GM0373" in result.ambiguous
    assert "GM0893" in result.ambiguous
    assert "GM0748" in result.ambiguous
    assert len(result.ambiguous) == 7
    assert result.ambiguous == sorted(result.ambiguous)


def test_unique_prefix_shorter_than_three_characters_finds_nothing(candidates):
    # only Urk starts with "ur", but two characters are not enough to pick it
    assert match("Ur", candidates) == MatchResult()


def test_prefix_matching_too_many_finds_nothing(candidates):
    # far more than 10 municipalities start with "s"
    assert match("s", candidates) == MatchResult()


@pytest.mark.parametrize("text", ["", "   ", "'-", "Atlantis"])
def test_empty_or_unknown_text_finds_nothing(candidates, text):
    assert match(text, candidates) == MatchResult(code=None, ambiguous=[])


def test_match_on_a_tiny_candidate_list():
    cands = [Candidate("GM0001", ("Aa en Hunze",)), Candidate("GM0002", ("Aalburg",))]
    assert match("aa en hunze", cands).code == "GM0001"
    assert match("Aal", cands).code == "GM0002"
    assert match("Aa", cands).ambiguous == ["GM0001", "GM0002"]
    assert match("gm0002", cands).code == "GM0002"
