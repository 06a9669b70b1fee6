"""The abstention model: its features, its file, its training, and its place in ask."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from lindra import Engine, Settings
from lindra.answer.abstention import (
    FEATURES,
    AbstentionModel,
    PassageScore,
    abstention_features,
)
from lindra.answer.abstention_training import (
    AbstentionExample,
    cross_validated,
    fit_abstention,
    outcome,
)
from lindra.errors import LexiconError
from tests.conftest import settings_for_tests

# A question's cosine with passages on other topics: mean and spread.
BACKGROUND = (0.80, 0.02)


def _features(relevance: float, **changes: float) -> dict[str, float]:
    passages = [
        PassageScore("a", relevance, 0.80 + relevance / 10, relevance),
        PassageScore("b", 0.2, 0.82, 0.2),
    ]
    return {**(abstention_features(passages, 4, 0, BACKGROUND) or {}), **changes}


def _model(threshold: float) -> AbstentionModel:
    weights = np.asarray([1.0 if name == "relevance" else 0.0 for name in FEATURES])
    ones = np.ones(len(FEATURES))
    return AbstentionModel(np.zeros(len(FEATURES)), ones, weights, 0.0, threshold, {})


def test_features_describe_the_best_passage_and_its_lead() -> None:
    passages = [
        PassageScore("a", 0.6, 0.88, 0.7),
        PassageScore("b", 0.7, 0.90, 0.6),
        PassageScore("a", 0.3, 0.85, 0.4),
    ]
    features = abstention_features(passages, words=5, unseen=2, background=BACKGROUND)
    assert features is not None and set(features) == set(FEATURES)
    assert features["relevance"] == 0.7 and features["coverage"] == 0.6
    assert features["similarity_z"] == pytest.approx((0.88 - 0.80) / 0.02)
    assert features["best_similarity_z"] == pytest.approx(5.0)
    assert features["best_coverage"] == 0.7
    assert features["lead"] == pytest.approx(0.88 - 0.90)
    assert (features["same_document"], features["unseen"]) == (2.0, 0.4)
    assert features["sentence_z"] == 0.0  # no sentence read: as close as the background


def test_the_closest_sentence_counts_against_the_background() -> None:
    passages = [PassageScore("a", 0.6, 0.88, 0.7)]
    features = abstention_features(passages, 5, 0, BACKGROUND, closest_sentence=0.86)
    assert features is not None
    assert features["sentence_z"] == pytest.approx((0.86 - 0.80) / 0.02)


def test_nothing_found_has_no_features_and_one_document_leads_alone() -> None:
    assert abstention_features([], 3, 0, BACKGROUND) is None
    alone = abstention_features([PassageScore("a", 0.5, 0.9, 0.6)], 3, 0, BACKGROUND)
    assert alone is not None and alone["lead"] > 0


def test_the_model_answers_above_its_threshold_and_never_without_features() -> None:
    model = _model(threshold=0.5)
    assert model.answers(_features(0.8))
    assert not model.answers(_features(0.3))
    assert not model.answers(None)


def test_a_model_survives_its_file(tmp_path: Path) -> None:
    model = replace(_model(0.5), info={"questions": 3})
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model.to_json()), "utf-8")
    loaded = AbstentionModel.load(path)
    assert loaded.score(_features(0.8)) == pytest.approx(model.score(_features(0.8)))
    assert (loaded.threshold, loaded.info) == (0.5, {"questions": 3})


def test_a_damaged_or_outdated_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text("{", "utf-8")
    with pytest.raises(LexiconError, match="model.json"):
        AbstentionModel.load(path)
    data = _model(0.5).to_json()
    path.write_text(json.dumps({**data, "features": ["relevance"]}), "utf-8")
    with pytest.raises(LexiconError, match="retrain"):
        AbstentionModel.load(path)
    del data["bias"]
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(LexiconError, match="not an abstention model"):
        AbstentionModel.load(path)


def test_the_packaged_model_answers_more_readily_when_passages_are_more_relevant() -> None:
    model = AbstentionModel.default()
    assert model.score(_features(0.9)) > model.score(_features(0.3))
    assert model.info["answerable"] > 0 and model.info["unanswerable"] > 0


def _examples() -> list[AbstentionExample]:
    """Good answers have relevant passages; the unanswerable questions do not."""
    rng = np.random.default_rng(1)
    examples = []
    for i in range(40):
        good = i % 2 == 0
        relevance = (0.7 if good else 0.35) + float(rng.normal(0, 0.05))
        examples.append(AbstentionExample(_features(relevance), good, good, f"site{i % 4}"))
    return examples


def test_training_learns_where_to_stop_answering() -> None:
    examples = _examples()
    model = fit_abstention(examples, info={"set": "fixture"})
    rates = outcome(examples, [model.answers(e.features) for e in examples])
    assert rates == {"answered": 1.0, "answered from the right page": 1.0, "found nothing": 1.0}
    assert model.info["set"] == "fixture" and model.info["questions"] == 40


def test_cross_validation_decides_each_question_by_a_model_of_the_other_folds() -> None:
    examples = _examples()
    answered = cross_validated(examples, lambda e: e.group)
    assert answered == [e.good for e in examples]


def test_training_needs_both_kinds_of_question() -> None:
    good = [AbstentionExample(_features(0.8), True, True) for _ in range(3)]
    with pytest.raises(ValueError, match="right page and others"):
        fit_abstention(good)


def test_the_model_decides_only_with_the_calibrated_defaults(tmp_path: Path) -> None:
    with Engine.from_settings(settings_for_tests(tmp_path / "kb.sqlite"), create=True) as engine:
        assert engine.answerer.abstention is not None
    settings = Settings(**{**settings_for_tests(tmp_path / "kb.sqlite").model_dump()})
    with Engine.from_settings(settings.model_copy(update={"answer_threshold": 0.0})) as engine:
        assert engine.answerer.abstention is None


def test_without_embeddings_the_relevance_bar_decides(
    sample_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sample_engine.answerer, "abstention", _model(np.inf))
    assert sample_engine.ask("Hur länge håller botox?").found


@pytest.mark.slow_model
def test_with_embeddings_the_model_decides(
    dense_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not a practical fact (a stored fact sentence would answer it whatever the model says).
    question = "Botox i bäckenbotten, hur länge?"
    features = dense_sample_engine.abstention_features(question)
    assert features is not None and features["same_document"] >= 1
    # The botox page stands far above the question's cosine with the base at large.
    assert features["best_similarity_z"] > 2
    monkeypatch.setattr(dense_sample_engine.answerer, "abstention", _model(np.inf))
    assert not dense_sample_engine.ask(question).found
    monkeypatch.setattr(dense_sample_engine.answerer, "abstention", _model(-np.inf))
    answer = dense_sample_engine.ask(question)
    assert answer.found and answer.answers[0].doc_id == "botox-backenbotten"
