"""Yes/no/maybe verdicts: handwritten items and the ``lindra verdict`` command.

No test reads ../shared; the PubMedQA-sv numbers live in benchmarks/verdict.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from lindra.errors import LexiconError
from lindra.interfaces.cli import app
from lindra.knowledge.verdict import (
    VERDICTS,
    TextResources,
    VerdictModel,
    VerdictWeights,
    decide,
    featurize,
)
from lindra.types import STANCES


@pytest.fixture(scope="module")
def model() -> VerdictModel:
    return VerdictModel.default()


VERDICT_CASES = [
    (
        "Är högt blodtryck associerat med stroke hos äldre?",
        "Högt blodtryck var inte associerat med stroke hos äldre i denna kohort.",
        "nej",
    ),
    (
        "Minskar fysisk träning smärtan vid knäartros?",
        "Fysisk träning minskade smärtan signifikant jämfört med kontrollgruppen. "
        "Effekten kvarstod efter ett år.",
        "ja",
    ),
    (
        "Är datortomografi alltid nödvändig vid trubbigt buktrauma?",
        "Klinisk undersökning möjliggör korrekt bedömning av buken utan datortomografi.",
        "nej",
    ),
    (
        "Finns det en skillnad i överlevnad mellan metoderna?",
        "Det fanns ingen skillnad i överlevnad mellan de två metoderna.",
        "nej",
    ),
    (
        "Hjälper zink mot förkylning?",
        "Studier av zink vid förkylning har gett motstridiga resultat.",
        "kanske",
    ),
]


@pytest.mark.parametrize("question, text, verdict", VERDICT_CASES)
def test_decide(model: VerdictModel, question: str, text: str, verdict: str) -> None:
    result = decide(question, text, model)
    assert result.verdict == verdict
    assert result.stance in STANCES
    assert text[result.start : result.end] == result.quote
    assert len(result.probabilities) == len(VERDICTS)


def test_quote_is_the_sentence_that_carries_the_verdict(model: VerdictModel) -> None:
    text = (
        "Studien omfattade 120 patienter. "
        "Högt blodtryck var inte associerat med stroke. "
        "Fler studier behövs."
    )
    result = decide("Är högt blodtryck associerat med stroke?", text, model)
    assert result.quote == "Högt blodtryck var inte associerat med stroke."


def test_stance_of_text(model: VerdictModel) -> None:
    text = "Behandlingseffekten har aldrig dokumenterats."
    assert decide("Hjälper värmekudde?", text, model).stance == "undocumented"


def test_empty_text_still_gives_a_verdict(model: VerdictModel) -> None:
    result = decide("Hjälper värme?", "", model)
    assert result.verdict in VERDICTS
    assert (result.quote, result.start, result.end) == ("", 0, 0)


def test_features_are_bounded() -> None:
    values = featurize(
        "Är X inte säkert?",
        "X var inte säkert; risken var hög. Inga fler data.",
        TextResources.default(),
    )
    assert values["bias"] == 1.0
    assert all(0.0 <= v <= 1.0 for v in values.values())
    assert values["question_negated"] == 1.0


def test_packaged_weights_match_features(model: VerdictModel) -> None:
    names = set(featurize("Är X bra?", "X är bra.", model.resources))
    assert set(model.weights.features) == names
    assert "nested_cv" in model.weights.meta and "trained_on" in model.weights.meta


def test_margin_turns_close_calls_into_kanske() -> None:
    weights = VerdictWeights(("bias",), np.zeros((1, 3)), margin=0.1)
    assert weights.verdict(np.array([0.45, 0.4, 0.15])) == "kanske"
    assert weights.verdict(np.array([0.2, 0.7, 0.1])) == "nej"


def test_weights_round_trip() -> None:
    weights = VerdictWeights(("bias", "x"), np.arange(6.0).reshape(2, 3), 0.2, {"note": "t"})
    again = VerdictWeights.from_json(json.loads(json.dumps(weights.to_json())))
    assert again.features == weights.features and again.margin == 0.2
    assert np.allclose(again.matrix, weights.matrix) and again.meta == {"note": "t"}


def test_bad_weights_file(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text('{"labels": ["ja", "nej"], "weights": {}}', "utf-8")
    with pytest.raises(LexiconError, match="w.json: not verdict weights"):
        VerdictWeights.load(path)
    with pytest.raises(LexiconError, match="Cannot read verdict weights"):
        VerdictWeights.load(tmp_path / "missing.json")


def test_cli_verdict_in_order_with_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    lines = [
        {"id": "a", "question": VERDICT_CASES[0][0], "text": VERDICT_CASES[0][1]},
        "not json",
        {"id": "c", "question": "Hjälper det?"},
        "",
        {"id": "d", "question": VERDICT_CASES[1][0], "text": VERDICT_CASES[1][1]},
    ]
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines),
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["verdict", "--jsonl", str(path)])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["a", None, "c", "d"]
    assert out[0] == {
        "id": "a",
        "verdict": "nej",
        "stance": out[0]["stance"],
        "quote": VERDICT_CASES[0][1],
    }
    assert out[1]["error"].startswith(f"{path} line 2:")
    assert out[2]["error"] == f"{path} line 3: missing or non-string field(s): text"
    assert out[3]["verdict"] == "ja"


def test_cli_verdict_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["verdict", "--jsonl", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1
    assert "Error: No such file" in result.output


def test_cli_verdict_reads_stdin() -> None:
    line = json.dumps({"id": 7, "question": VERDICT_CASES[3][0], "text": VERDICT_CASES[3][1]})
    result = CliRunner().invoke(app, ["verdict", "--jsonl", "-"], input=line + "\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["verdict"] == "nej"
