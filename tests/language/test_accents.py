"""Å/ä/ö put back into questions typed without them."""

from __future__ import annotations

import pytest

from lindra.language.swedish import default_accent_restorer

RESTORED = [
    ("hur lange haller botox", "hur länge håller botox"),
    (
        "jag har benskorhet, vad kan jag gora mot smartan",
        "jag har benskörhet, vad kan jag göra mot smärtan",
    ),
    ("Hjalper varme mot ont i ryggen?", "Hjälper värme mot ont i ryggen?"),
    ("nar ska man soka vard for feber", "när ska man söka vård för feber"),
]


@pytest.mark.parametrize("typed, expected", RESTORED)
def test_questions_typed_without_accents_are_restored(typed: str, expected: str) -> None:
    assert default_accent_restorer().restore(typed) == expected


def test_a_question_with_any_accent_is_left_as_typed() -> None:
    typed = "Hjälper varme mot ont?"  # one å/ä/ö: a Swedish keyboard, "varme" meant so
    assert default_accent_restorer().restore(typed) == typed
