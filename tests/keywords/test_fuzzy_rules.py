"""Typo and phrase rules of fuzzy opt-out, apart from the engine."""

from __future__ import annotations

import pytest

from smschannel.keywords import FuzzyMatch, OptOutMatcher
from smschannel.keywords.fuzzy import max_typo_distance
from smschannel.keywords.locales.en import ORDINARY as ORDINARY_WORDS

DEFAULTS = OptOutMatcher(
    [(k.lower(), k) for k in ("STOP", "QUIT", "CANCEL", "END", "UNSUBSCRIBE", "NO")] + [("stopall", "STOP")]
)


DISTANCES = [(1, 0), (2, 0), (3, 1), (4, 1), (6, 1), (9, 1), (10, 2), (11, 2)]


@pytest.mark.parametrize(("length", "distance"), DISTANCES)
def test_allowed_distance_grows_with_keyword_length(length: int, distance: int) -> None:
    assert max_typo_distance(length) == distance


@pytest.mark.parametrize(
    ("word", "keyword"),
    [
        ("stpo", "STOP"),  # adjacent transposition: one edit
        ("stip", "STOP"),  # o -> i, neighbouring keys
        ("st0p", "STOP"),
        ("stp", "STOP"),  # dropped letter, 4-letter keyword
        ("stopo", "STOP"),  # extra key beside its neighbour
        ("stoooop", "STOP"),  # repeated letters squeezed
        ("quti", "QUIT"),
        ("edn", "END"),
        ("emd", "END"),
        ("cancil", "CANCEL"),  # long keyword: any one edit
        ("cancle", "CANCEL"),
        ("unsuscrib", "UNSUBSCRIBE"),  # 11 letters: two edits
        ("nooo", "NO"),
    ],
)
def test_typos(word: str, keyword: str) -> None:
    hit = DEFAULTS.typo(word)
    assert hit is not None
    assert hit[0] == keyword


@pytest.mark.parametrize(
    "word",
    [
        "and",  # END: first letter changed
        "on",  # NO: two-letter keywords only squeeze repeats
        "so",
        "go",
        "non",
        "shop",  # STOP: t -> h are not neighbouring keys
        "top",  # first letter dropped
        "step",  # o -> e are not neighbouring keys
        "stops",  # s is not next to p
        "stoop",  # ordinary word
        "quite",  # QUIT: e is not next to t
        "quiet",
        "suit",
        "qui",  # French, Italian, Spanish
        "ends",  # ordinary word
        "ed",  # END: three-letter keywords lose no letter
        "ende",  # German
        "cancer",  # CANCEL: ordinary word
        "xancel",  # first letter changed
        "tsop",
        "resubscribe",
        "cancelled",  # three edits
    ],
)
def test_not_typos(word: str) -> None:
    assert DEFAULTS.typo(word) is None


def test_ordinary_words_are_normalised() -> None:
    assert all(word == word.casefold() and word.isalpha() for word in ORDINARY_WORDS)


def test_not_typos_argument_excludes_words() -> None:
    matcher = OptOutMatcher([("stop", "STOP")], not_typos=["stip", "stop"])
    assert matcher.typo("stip") is None
    assert matcher.typo("stop") == ("STOP", 1.0)


def test_custom_keywords_follow_the_same_rules() -> None:
    matcher = OptOutMatcher([("arret", "ARRET"), ("baja", "BAJA"), ("opt out", "OPT OUT")])
    assert matcher.match("arrte") == FuzzyMatch("ARRET", 0.8, "keyword")  # one transposition in five letters
    assert matcher.match("bajq") is not None  # a -> q neighbouring keys
    assert matcher.match("bala") is None  # j -> l are not neighbours
    assert matcher.match("optout") == FuzzyMatch("OPT OUT", 1.0, "keyword")
    assert matcher.match("please stop texting me") == FuzzyMatch(None, 1.0, "phrase")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("stpo", FuzzyMatch("STOP", 0.75, "keyword")),
        ("s t o p", FuzzyMatch("STOP", 1.0, "keyword")),
        ("un subscribe", FuzzyMatch("UNSUBSCRIBE", 1.0, "keyword")),
        ("stpo please", FuzzyMatch("STOP", 0.75, "keyword")),
        ("please stop texting me", FuzzyMatch("STOP", 1.0, "keyword")),  # only filler words around STOP
        ("can you stop texting me", FuzzyMatch("STOP", 1.0, "phrase")),
        ("can you stpo texting me", FuzzyMatch("STOP", 0.75, "phrase")),
        ("i want to unsubscribe", FuzzyMatch("UNSUBSCRIBE", 1.0, "phrase")),
        ("unsub", FuzzyMatch("UNSUBSCRIBE", 1.0, "phrase")),
        ("remove me from this list", FuzzyMatch(None, 1.0, "phrase")),
        ("stop! who is this?", FuzzyMatch("STOP", 1.0, "keyword")),
    ],
)
def test_match(text: str, expected: FuzzyMatch) -> None:
    assert DEFAULTS.match(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no thanks",  # NO never resembles with filler words
        "no, i'm good",
        "don't stop texting me",  # negation
        "never stop sending deals",
        "stop by later",
        "the end. thanks",  # END is too short for the sentence rule
        "cancel my order",
        "text me back",
        "don't text me back",
    ],
)
def test_no_match(text: str) -> None:
    assert DEFAULTS.match(text) is None
