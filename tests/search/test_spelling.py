"""Spelling help: accents restored, typos corrected, correct words left alone."""

from __future__ import annotations

import pytest

from lindra.search.spelling import SpellingHelper

VOCABULARY = ["bäckenbott", "smärt", "smart", "kotkompression", "värmekud", "ont", "botox"]
DOC_FREQ = {"smärt": 40, "smart": 1}


@pytest.fixture
def helper() -> SpellingHelper:
    return SpellingHelper(VOCABULARY, lambda term: DOC_FREQ.get(term, 3))


CASES = [
    # term typed, is it a common Swedish word, expected suggestions
    ("backenbott", False, {"bäckenbott": 1.0}),  # å/ä/ö missing
    ("varmekud", False, {"värmekud": 1.0}),
    ("kotkompresion", False, {"kotkompression": 0.8}),  # one letter missing
    ("kotkomprssion", False, {"kotkompression": 0.8}),
    ("smart", True, {"smärt": 0.5}),  # a real word, but the accented twin is far more common
    ("smärt", True, {}),  # correct: never corrected
    ("botox", True, {}),
    ("ont", True, {}),
    ("bot", False, {}),  # too short to guess
    ("cykel", True, {}),  # a real word the base does not know: no guess
]


@pytest.mark.parametrize("term, known, expected", CASES)
def test_suggestions(
    helper: SpellingHelper, term: str, known: bool, expected: dict[str, float]
) -> None:
    assert helper.suggest(term, known_word=known) == expected


def test_expand_keeps_the_typed_term(helper: SpellingHelper) -> None:
    expanded = helper.expand({"backenbott": 1.0, "=backenbotten": 1.0})
    assert expanded == {"backenbott": 1.0, "=backenbotten": 1.0, "bäckenbott": 1.0}


def test_a_repeated_term_gets_the_same_suggestions(helper: SpellingHelper) -> None:
    first = helper.suggest("backenbott")
    first.clear()  # the caller owns what it gets: the remembered answer is unchanged
    assert helper.suggest("backenbott") == {"bäckenbott": 1.0}
    assert helper.suggest("backenbott", known_word=True) == {"bäckenbott": 0.8}
