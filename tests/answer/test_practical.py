"""Which practical fact a question asks for."""

from __future__ import annotations

import pytest

from lindra.answer.practical import asked_fact, fact_quotes


@pytest.mark.parametrize(
    "question, kind",
    [
        ("Hur ofta måste man ta om botoxsprutan?", "repeat"),
        ("När kan man upprepa behandlingen?", "repeat"),
        ("När kommer den bästa effekten av botox?", "peak"),
        ("hur lang tid tar det innan botoxen borjar verka", "onset"),
        ("När börjar medicinen verka?", "onset"),
        ("Hur länge håller botox i bäckenbotten?", "duration"),
        ("hur lange varar effekten", "duration"),
        ("hur länge sitter botoxen i", "duration"),
        ("hur lång tid funkar sprutan", "duration"),
        ("hur lång tid tar det innan botox hjälper", "onset"),
        ("hur lange dröjer det innan det funkar", "onset"),
        ("Vilka biverkningar kan botox ge?", "side_effects"),
        ("Kan man bli inkontinent av botox?", "side_effects"),
        ("Ska man prova botox först av allt?", "first_line"),
        ("Är det ett förstahandsval?", "first_line"),
        ("Var får man tag på en stödkorsett?", "access"),
        ("Behövs det remiss till sjukgymnast?", "access"),
        ("Måste man kunna röra sig bra för att träna i bassäng?", "requirements"),
        ("kan gravida få botox", "requirements"),
        ("får jag ta värmekudde om jag är gravid", "requirements"),
        ("Blir man sövd vid vertebroplastik?", "administration"),
        ("Hur fungerar botox i musklerna?", "mechanism"),
    ],
)
def test_asked_fact(question: str, kind: str) -> None:
    assert asked_fact(question) == kind


@pytest.mark.parametrize(
    "question",
    ["Hjälper akupunktur mot smärta?", "Vad är vertebroplastik?", "Vad kostar det?"],
)
def test_questions_that_ask_no_fact(question: str) -> None:
    assert asked_fact(question) is None


def test_fact_quotes_follow_the_order_of_the_quoted_pages() -> None:
    quote_a = {"text": "A", "start": 0, "end": 1}
    quote_b = {"text": "B", "start": 5, "end": 6}
    entries = [
        {"doc_id": "a", "fact_quotes": {"repeat": [quote_a]}},
        {"doc_id": "b", "fact_quotes": {"repeat": [quote_b]}},
        {"doc_id": "c", "fact_quotes": {}},
    ]
    assert fact_quotes(entries, "repeat", ["c", "b", "a"]) == (entries[1], [quote_b])
    assert fact_quotes(entries, "onset", ["a", "b"]) is None
    assert fact_quotes(entries, "repeat", ["x"]) is None
