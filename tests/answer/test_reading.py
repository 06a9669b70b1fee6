"""How questions are read into intent, treatments, conditions and situation."""

from __future__ import annotations

import pytest

from lindra import Engine

READINGS = [
    ("Hur länge håller botox?", "practical", "duration"),
    ("Hjälper akupunktur mot smärta vid benskörhet?", "effect", None),
    ("Vad kan man göra mot ont i ryggen?", "treatments", None),
    ("Vad är vertebroplastik?", "what_is", None),
    ("Min pappa har tryck över bröstet sedan en halvtimme och är kallsvettig", "emergency", None),
]


@pytest.mark.parametrize("question, intent, fact", READINGS)
def test_intent_and_fact(sample_engine: Engine, question: str, intent: str, fact: str) -> None:
    reading = sample_engine.ask(question).reading
    assert reading is not None
    assert (reading["intent"], reading["fact"]) == (intent, fact)


def test_treatments_conditions_and_who(sample_engine: Engine) -> None:
    reading = sample_engine.ask("Kan min dotter få akupunktur mot benskörhet?").reading
    assert reading is not None
    assert reading["treatments"] == ["acupuncture"]
    assert "osteoporosis" in reading["conditions"]
    assert reading["about"] == "child"
