"""A treatment's overall stance and facts from its sentence-level statements."""

from __future__ import annotations

from lindra.knowledge.evidence_summary import Statement, overall_stance, summarise_facts
from lindra.knowledge.facts import Fact


def test_no_statement_is_not_stated() -> None:
    assert overall_stance([]) == ("not_stated", None)


def test_most_weight_wins_and_quotes_its_heaviest_sentence() -> None:
    statements = [
        Statement("some_support", 0, 10, 1.0),
        Statement("undocumented", 20, 30, 1.5),
        Statement("some_support", 40, 50, 1.5),
    ]
    assert overall_stance(statements) == ("some_support", (40, 50))


def test_a_tie_goes_to_the_earlier_statement() -> None:
    statements = [Statement("no_effect", 50, 60, 1.0), Statement("mixed", 10, 20, 1.0)]
    assert overall_stance(statements) == ("mixed", (10, 20))


def test_facts_keep_first_values_lists_and_their_quotes() -> None:
    text = "Det ska inte vara förstahandsval. Effekten håller 3-6 månader. Det kan blöda."
    facts = [
        Fact("first_line", "false", 0, 33),
        Fact("duration", "3-6 månader", 34, 62),
        Fact("duration", "1 år", 34, 62),
        Fact("side_effects", "blödning", 63, 77),
        Fact("side_effects", "blödning", 63, 77),
    ]
    values, quotes = summarise_facts(facts, text)
    assert values["first_line"] is False
    assert values["duration"] == "3-6 månader"
    assert values["side_effects"] == ["blödning"]
    assert values["onset"] is None
    assert quotes["duration"] == [{"text": "Effekten håller 3-6 månader.", "start": 34, "end": 62}]
    assert len(quotes["side_effects"]) == 1
