"""Is a text Swedish? Short texts are let through; others go by the model."""

from __future__ import annotations

import pytest

from lindra.ingest.language_id import LanguageGuesser, plainly_swedish


@pytest.fixture(scope="module")
def guesser() -> LanguageGuesser:
    return LanguageGuesser()


def test_swedish_text_is_swedish(guesser: LanguageGuesser) -> None:
    text = "Värme kan lindra smärtan vid benskörhet, men effekten har aldrig dokumenterats."
    assert guesser.is_swedish(text) == (True, "sv")


def test_english_text_is_named(guesser: LanguageGuesser) -> None:
    text = "Heat may relieve the pain of osteoporosis, but the effect has never been documented."
    assert guesser.is_swedish(text) == (False, "en")


def test_too_few_letters_to_tell_count_as_swedish(guesser: LanguageGuesser) -> None:
    assert guesser.is_swedish("Pain: 3-6 weeks, 25 %") == (True, "sv")
    # 31 letters, after more than 200 characters of digits: still too few.
    sparse = " ".join(["1234567890"] * 30) + " heat relief for pain in the back today"
    assert guesser.is_swedish(sparse) == (True, "sv")


NORWEGIAN = (
    "Varme kan lindre smerten ved beinskjørhet, og mange synes at en varmepute hjelper. "
    "Det er likevel ikke dokumentert at behandlingen virker over tid, og du bør snakke "
    "med legen din før du begynner med trening etter et brudd i ryggen."
)
DANISH = (
    "Varme kan lindre smerterne ved knogleskørhed, og mange synes, at en varmepude hjælper. "
    "Det er dog ikke dokumenteret, at behandlingen virker på længere sigt, og du bør tale "
    "med din læge, før du begynder at træne efter et brud i ryggen."
)


@pytest.mark.parametrize("text", [NORWEGIAN, DANISH])
def test_norwegian_and_danish_are_not_plainly_swedish(guesser: LanguageGuesser, text: str) -> None:
    assert not plainly_swedish(text)
    assert guesser.is_swedish(text)[0] is False


def test_swedish_with_english_goes_to_the_model() -> None:
    swedish = "Värme kan lindra smärtan och det är inte farligt att prova för en tid. " * 2
    english = "This is the effect of heat and it was shown with the patients that have pain. " * 3
    assert plainly_swedish(swedish * 2)
    assert not plainly_swedish(swedish + english)
