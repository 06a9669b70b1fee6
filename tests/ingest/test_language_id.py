"""Is a text Swedish? Short texts are let through; others go by the model."""

from __future__ import annotations

import pytest

from lindra.ingest.language_id import LanguageGuesser


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
