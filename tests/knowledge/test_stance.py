"""Sentence-level evidence stance, driven by the case files in ``cases/``.

- ``stance.tsv``: the tuning set (handwritten 1177/FASS/SBU-style sentences and the
  two sample pages); every row must pass.
- ``stance_1177.tsv``: real 1177 and authority FAQ sentences, labelled blind; every
  row must pass.
- ``stance_check.tsv``: held aside, never tuned on; only a macro-F1 floor is asserted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lindra.knowledge.cues import CueLexicon, default_cues
from lindra.knowledge.stance import classify_sentence
from lindra.types import STANCES

CASES = Path(__file__).parent / "cases"


def read_cases(name: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in (CASES / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        sentence, stance, note = line.split("\t")
        assert stance in STANCES, f"{name}: unknown stance {stance!r}"
        rows.append((sentence, stance, note))
    return rows


def macro_f1(gold: list[str], pred: list[str]) -> float:
    scores = []
    for label in STANCES:
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, pred, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


@pytest.fixture(scope="module")
def cues() -> CueLexicon:
    return default_cues()


TUNING = read_cases("stance.tsv") + read_cases("stance_1177.tsv")


@pytest.mark.parametrize(
    "sentence, stance, note", TUNING, ids=[f"{i}-{row[1]}" for i, row in enumerate(TUNING)]
)
def test_stance_cases(cues: CueLexicon, sentence: str, stance: str, note: str) -> None:
    result = classify_sentence(sentence, cues)
    assert result.stance == stance, f"{note}; cues: {[(m.role, m.text) for m in result.cues]}"


def test_case_files_cover_every_stance() -> None:
    tuning = {row[1] for row in read_cases("stance.tsv")}
    check = {row[1] for row in read_cases("stance_check.tsv")}
    assert tuning == check == set(STANCES)
    assert len(read_cases("stance.tsv")) + len(read_cases("stance_check.tsv")) >= 80


def test_held_aside_check_set(cues: CueLexicon) -> None:
    rows = read_cases("stance_check.tsv")
    gold = [stance for _, stance, _ in rows]
    pred = [classify_sentence(sentence, cues).stance for sentence, _, _ in rows]
    # The target on unseen pages is 0.75; the check set is our stand-in for them.
    assert macro_f1(gold, pred) >= 0.75


@pytest.mark.parametrize(
    "sentence, negated, hedged",
    [
        ("Det föreligger dock inga undersökningar av effekten av bassängträning.", True, False),
        ("I kontrollerade studier var medlet inte bättre än placebo.", True, False),
        ("De studierna som finns tyder dock på god smärtlindring.", False, True),
        ("Muskelmassage kan också ha en lindrande effekt.", False, True),
        ("Socialstyrelsen rekommenderar KBT vid depression.", False, False),
        ("Om behandlingen inte hjälper kan du få remiss.", False, True),
    ],
)
def test_negated_and_hedged_flags(
    cues: CueLexicon, sentence: str, negated: bool, hedged: bool
) -> None:
    result = classify_sentence(sentence, cues)
    assert (result.negated, result.hedged) == (negated, hedged)


def test_cue_offsets_quote_the_sentence(cues: CueLexicon) -> None:
    for sentence, _, _ in TUNING:
        for match in classify_sentence(sentence, cues).cues:
            assert sentence[match.start : match.end] == match.text


def test_empty_sentence_is_not_stated(cues: CueLexicon) -> None:
    assert classify_sentence("", cues).stance == "not_stated"


def test_tiny_lexicon_from_rows() -> None:
    lexicon = CueLexicon.from_rows(
        [("evidence", "*studie*"), ("negation", "inga"), ("effect", "*effekt*")]
    )
    result = classify_sentence("Det finns inga studier av effekten.", lexicon)
    assert (result.stance, result.negated) == ("undocumented", True)
