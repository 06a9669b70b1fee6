"""Practical facts from single Swedish sentences (table-driven)."""

from __future__ import annotations

import pytest

from lindra.knowledge.facts import duration_in, read_facts

TIMING_CASES = [
    ("Det tar ofta 1-2 veckor innan lindringen börjar komma.", {"onset": "1-2 veckor"}),
    ("Effekten kommer efter ungefär en vecka.", {"onset": "ungefär en vecka"}),
    ("Maximal lindring kommer efter ungefär 4 veckor.", {"peak": "ungefär 4 veckor"}),
    ("Full effekt nås först efter 6–8 veckor.", {"peak": "6–8 veckor"}),
    ("Resultatet håller sedan 3-6 månader.", {"duration": "3-6 månader"}),
    ("Effekten varar i upp till tre månader.", {"duration": "upp till tre månader"}),
    ("Man behöver ofta upprepa behandlingen efter 3-6 månader.", {"repeat": "3-6 månader"}),
    ("Sprutan kan ges om efter tolv veckor.", {"repeat": "tolv veckor"}),
    ("Patienten kan normalt röra sig runt efter få timmar.", {}),
]


@pytest.mark.parametrize("sentence, expected", TIMING_CASES)
def test_timing(sentence: str, expected: dict[str, str]) -> None:
    kinds = ("onset", "peak", "duration", "repeat")
    found = {f.kind: f.value for f in read_facts(sentence, 0) if f.kind in kinds}
    assert found == expected


LIST_CASES = [
    ("Biverkningarna kan vara en liten blödning i stickområdet.", "side_effects"),
    ("Långtidsanvändning av korsett försvagar muskulaturen.", "side_effects"),
    ("För att undvika olyckor skall du vara någorlunda mobil.", "requirements"),
    ("Av hygieniska orsaker får du inte vara inkontinent.", "requirements"),
    ("Man rekommenderar sällan att använda den hela dagen.", "requirements"),
    ("Du kan få sjukgymnastik efter remiss från din egen läkare.", "access"),
    ("Akupunktur används av några behandlare utanför sjukhusväsendet.", "access"),
    ("Det funkar så att det hämmar musklernas förmåga till anspänning.", "mechanism"),
    ("Ingreppet kan utföras under lokalbedövning.", "administration"),
    ("Behandlingen används därför endast sällan hos äldre.", "usage"),
]


@pytest.mark.parametrize("sentence, kind", LIST_CASES)
def test_sentence_facts(sentence: str, kind: str) -> None:
    assert kind in {f.kind for f in read_facts(sentence, 0)}


@pytest.mark.parametrize(
    "sentence, value",
    [
        ("Det ska absolut inte vara förstahandsalternativet för behandling.", "false"),
        ("Fysisk aktivitet är förstahandsbehandling vid artros.", "true"),
        ("Värme används i den akuta fasen.", None),
        ("Topiramat rekommenderas i andra hand.", "false"),
        ("Behandlingen syftar i första hand till att lindra klådan.", None),
    ],
)
def test_first_line(sentence: str, value: str | None) -> None:
    found = [f.value for f in read_facts(sentence, 0) if f.kind == "first_line"]
    assert found == ([value] if value else [])


def test_phase_from_sentence_or_heading() -> None:
    assert {
        f.value
        for f in read_facts("Både akuta och kroniska smärtor kan lindras.", 0)
        if f.kind == "phase"
    } == {"acute", "persistent"}
    assert [
        f.value
        for f in read_facts("Korsett kan användas.", 0, "Vid ihållande smärtor")
        if f.kind == "phase"
    ] == ["persistent"]


def test_indication() -> None:
    sentence = "Om du har smärtsamma muskelspänningar (myoser) kan smärtan lindras med blockader."
    assert [f.value for f in read_facts(sentence, 0) if f.kind == "indications"] == [
        "smärtsamma muskelspänningar (myoser)"
    ]


def test_offsets_are_the_sentence() -> None:
    [fact] = [f for f in read_facts("Resultatet håller 3 månader.", 100) if f.kind == "duration"]
    assert (fact.start, fact.end) == (100, 128)


def test_no_duration_in_plain_numbers() -> None:
    assert duration_in("Studien omfattade 265 patienter.") is None


@pytest.mark.parametrize(
    "sentence, kind, expected",
    [
        # Checked against a blind judge on real pages (benchmarks/facts.py).
        ("Medicinen kan ge illamående och yrsel hos vissa.", "side_effects", True),
        ("En fysioterapeut kan ge dig övningar att göra hemma.", "side_effects", False),
        ("Östrogen utan gestagen ökar risken för livmodercancer.", "side_effects", True),
        ("Med fler riskfaktorer är risken för högt blodtryck högre.", "side_effects", False),
        ("Smärtan beror oftast på en inflammation i senan.", "mechanism", False),
        ("Finasterid hämmar omvandlingen av testosteron till DHT.", "mechanism", True),
        ("Tabletterna verkar inom en timme.", "duration", False),
        ("Effekten kvarstår i ungefär tre månader.", "duration", True),
        ("Salvan kan användas som gel eller plåster.", "requirements", False),
    ],
)
def test_fact_kinds_on_real_wording(sentence: str, kind: str, expected: bool) -> None:
    assert any(f.kind == kind for f in read_facts(sentence, 0)) == expected
