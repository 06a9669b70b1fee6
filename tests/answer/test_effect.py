"""Which questions ask whether a treatment works."""

from __future__ import annotations

import pytest

from lindra.answer.effect import is_effect_question


@pytest.mark.parametrize(
    "question",
    [
        "Hjälper akupunktur mot smärta vid benskörhet?",
        "Fungerar botox mot bäckenbottensmärta?",
        "Har vertebroplastik någon effekt på lång sikt?",
        "Är sjukgymnastik bättre än vila?",
        "hjalper varmekudde",
        "Finns det studier som visar att TENS lindrar?",
        "Hur bra är bassängträning?",
    ],
)
def test_effect_questions(question: str) -> None:
    assert is_effect_question(question)


@pytest.mark.parametrize(
    "question",
    [
        "Hur länge håller botox?",
        "När kommer den bästa effekten av botox?",
        "Hur snabbt verkar kortisonet?",
        "Hur ofta måste man ta om behandlingen för att få effekt?",
        "nar borjar effekten",
        "Vilka biverkningar har botox?",
        "Var får man tag på en stödkorsett?",
    ],
)
def test_other_questions(question: str) -> None:
    assert not is_effect_question(question)
