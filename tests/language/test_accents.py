"""Å/ä/ö put back into questions typed without them."""

from __future__ import annotations

import pytest
import wordfreq

from lindra.language.accents import AccentRestorer, dominant_forms
from lindra.language.swedish import HEALTH_TWINS, default_accent_restorer

RESTORED = [
    ("hur lange haller botox", "hur länge håller botox"),
    (
        "jag har benskorhet, vad kan jag gora mot smartan",
        "jag har benskörhet, vad kan jag göra mot smärtan",
    ),
    ("Hjalper varme mot ont i ryggen?", "Hjälper värme mot ont i ryggen?"),
    ("nar ska man soka vard for feber", "när ska man söka vård för feber"),
    # "ar" after a number or "i" is "år", though "är" is the commoner word.
    ("jag ar 55 ar och har haft ont i 2 aren", "jag är 55 år och har haft ont i 2 åren"),
    ("har haft migran i ar", "har haft migrän i år"),
    # "smärta" is barely commoner than "smarta" (smart), but in a health question it is pain.
    ("hur lindrar man smarta i knat", "hur lindrar man smärta i knät"),
    ("Hur vanligt ar det med agglossningssmarta?", "Hur vanligt är det med ägglossningssmärta?"),
    # "bor" before a subject and an infinitive is "bör"; "bor hemma" is "lives at home".
    ("varfor bor man sova tidigt, jag bor hemma", "varför bör man sova tidigt, jag bor hemma"),
]


@pytest.mark.parametrize("typed, expected", RESTORED)
def test_questions_typed_without_accents_are_restored(typed: str, expected: str) -> None:
    assert default_accent_restorer().restore(typed) == expected


def test_a_question_with_any_accent_is_left_as_typed() -> None:
    typed = "Hjälper varme mot ont?"  # one å/ä/ö: a Swedish keyboard, "varme" meant so
    assert default_accent_restorer().restore(typed) == typed


def test_the_packaged_table_is_what_the_frequencies_give() -> None:
    # sv_accent_forms.txt.gz is derived by scripts/build_common_words.py; rerun it
    # after upgrading wordfreq.
    packaged = default_accent_restorer().forms()
    assert dict(packaged) == dominant_forms(wordfreq.get_frequency_dict("sv")) | HEALTH_TWINS


def test_words_without_a_dominant_twin_stay() -> None:
    restorer = AccentRestorer.from_frequencies(lambda: {"har": 9.0, "här": 5.0, "fore": 1.0})
    assert restorer.restore("har fore") == "har fore"


def _restorer() -> AccentRestorer:
    forms = {"smartan": "smärtan", "fasting": "fästing", "backen": "bäcken", "for": "för"}
    return AccentRestorer(lambda: forms, lambda: frozenset({"biten", "botten", "ont", "i", "ar"}))


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("fastingbiten", "fästingbiten"),  # accented modifier, plain head
        ("backenbottensmartan", "bäckenbottensmärtan"),  # three parts, linking s
        ("Ont i backenbotten", "Ont i bäckenbotten"),
    ],
)
def test_compounds_are_restored_part_by_part(typed: str, expected: str) -> None:
    assert _restorer().restore(typed) == expected


def test_known_words_and_unknown_parts_stay() -> None:
    restorer = _restorer()
    assert restorer.restore("botten") == "botten"  # a known word is never split
    assert restorer.restore("bottenbiten") == "bottenbiten"  # nothing to restore
    assert restorer.restore("xyzfasting") == "xyzfasting"  # a part no list knows


def test_a_compound_that_reads_as_typed_stays() -> None:
    # spik + skor (shoes), not spiks + kör: the longest head that reads as typed wins.
    assert default_accent_restorer().restore("jag springer i spikskor") == "jag springer i spikskor"


def test_a_base_s_own_spelling_beats_a_guess_from_the_parts() -> None:
    asked: list[str] = []

    def spelled(word: str) -> str | None:
        asked.append(word)
        return {"stodkorsett": "stödkorsett", "bottenbiten": "bottenbiten"}.get(word)

    restorer = _restorer()
    assert restorer.restore("i stodkorsett", spelled) == "i stödkorsett"
    assert restorer.restore("bottenbiten", spelled) == "bottenbiten"  # the base has it so
    assert restorer.restore("fastingbiten", spelled) == "fästingbiten"  # unknown: parts
    # Words of the table and known words are not asked about.
    assert restorer.restore("for ont i botten", spelled) == "för ont i botten"
    assert asked == ["stodkorsett", "bottenbiten", "fastingbiten"]
