"""The learned stance reader: training, its JSON form, broken files, the shipped weights."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lindra.errors import LexiconError
from lindra.knowledge.cues import default_cues
from lindra.knowledge.defaults import default_evidence_extractor
from lindra.knowledge.stance_model import MODEL_FILE, StanceModel, sentence_features
from lindra.knowledge.stance_training import StanceExample, fit_stance_model
from lindra.language.lexicons import packaged_file
from lindra.language.stem import SnowballStemmer
from lindra.language.swedish import default_analyzer, default_sentence_splitter, default_thesaurus
from lindra.types import STANCES

# Toy sentences written for these tests: they check the mechanics, not quality.
EXAMPLES = [
    StanceExample("Värme har god effekt mot smärtan.", "proven_effect", "a"),
    StanceExample("Träning har mycket god effekt vid artros.", "proven_effect", "b"),
    StanceExample("Akupunktur har ingen effekt mot ryggont.", "no_effect", "a"),
    StanceExample("Massage har ingen effekt vid artros.", "no_effect", "c"),
    StanceExample("Tabletten tas med ett glas vatten.", "not_stated", "b"),
    StanceExample("Krämen finns på apoteket.", "not_stated", "c"),
]


@pytest.fixture(scope="module")
def model() -> StanceModel:
    return fit_stance_model(EXAMPLES, default_cues(), str.casefold)


def test_features_hold_the_words_and_the_rules_reading() -> None:
    features = sentence_features("Värme har ingen effekt.", default_cues(), str.casefold)
    assert {"w:värme", "b:ingen effekt", "rule:no_effect", "negated"} <= set(features)


def test_a_trained_model_reads_its_own_sentences(model: StanceModel) -> None:
    for example in EXAMPLES:
        assert model.classify(example.sentence) == example.stance
    probabilities = model.probabilities("Yoga har ingen effekt mot smärtan.")
    assert max(probabilities, key=lambda c: probabilities[c]) == "no_effect"
    assert sum(probabilities.values()) == pytest.approx(1.0)


def test_one_stance_is_not_enough_to_train() -> None:
    with pytest.raises(ValueError, match="two stances"):
        fit_stance_model(EXAMPLES[:2], default_cues(), str.casefold)


def test_the_json_form_gives_the_same_readings(model: StanceModel, tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model.to_json()), encoding="utf-8")
    loaded = StanceModel.load(path, default_cues(), str.casefold)
    for example in EXAMPLES:
        assert loaded.probabilities(example.sentence) == pytest.approx(
            model.probabilities(example.sentence), abs=1e-4
        )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "cannot read"),
        ('{"classes": ["proven_effect"]}', "not a stance model"),
        (
            '{"classes": ["proven_effect", "maybe"], "bias": [0, 0], "features": {"w:x": [1, 2]}}',
            "classes and weights",
        ),
        (
            '{"classes": ["proven_effect", "no_effect"], "bias": [0, 0], "features": {"w:x": [1]}}',
            "classes and weights",
        ),
    ],
)
def test_a_broken_model_file_is_named(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "model.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError, match=message) as raised:
        StanceModel.load(path, default_cues(), str.casefold)
    assert str(path) in str(raised.value)


def test_a_missing_model_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="cannot read"):
        StanceModel.load(tmp_path / "absent.json", default_cues(), str.casefold)


def test_the_shipped_model_is_trained_on_the_real_pages_and_the_samples() -> None:
    model = StanceModel.load(
        packaged_file(MODEL_FILE, "lindra.knowledge"), default_cues(), SnowballStemmer()
    )
    assert model.classes == STANCES
    assert model.info["trained_on"] == "benchmarks/realpages/gold.tsv"
    assert model.info["cached_pages"] >= 600
    assert model.info["rule_read_pages"] == [
        "botox-backenbotten.txt",
        "osteoporos-smartbehandling.txt",
    ]
    assert repr(model).startswith(f"StanceModel({len(model.vocabulary)} features")


def _word_model(word: str, **weights: float) -> StanceModel:
    """A model that knows one word, weighted per stance."""
    data = {
        "classes": list(STANCES),
        "bias": [0.0] * len(STANCES),
        "features": {f"w:{word}": [weights.get(stance, 0.0) for stance in STANCES]},
    }
    return StanceModel.from_json(data, default_cues(), str.casefold)


def test_the_split_reader_keeps_the_rules_where_they_name_the_evidence() -> None:
    model = _word_model("underbar", proven_effect=5.0)
    # The rules say nothing here; the model tells an effect from none.
    assert model.classify_split("Värmen är underbar.") == "proven_effect"
    assert model.classify_split("Värmen är varm.") == "not_stated"
    # An explicit evidence phrase keeps the rules' verdict, whatever the model says.
    assert model.classify_split("Det saknas studier om värmen, som är underbar.") == "undocumented"


def test_the_split_reader_chooses_only_between_an_effect_and_none() -> None:
    model = _word_model("underbar", mixed=9.0, proven_effect=1.0)
    assert model.classify("Värmen är underbar.") == "mixed"
    assert model.classify_split("Värmen är underbar.") == "proven_effect"


@pytest.mark.parametrize("reader", ["learned", "rules", "split"])
def test_the_default_extractor_reads_with_the_chosen_reader(reader: str) -> None:
    thesaurus = default_thesaurus()
    extractor = default_evidence_extractor(
        thesaurus, default_analyzer(thesaurus).tokenizer, default_sentence_splitter(), reader
    )
    is_model = isinstance(getattr(extractor.classify, "__self__", None), StanceModel)
    assert is_model == (reader != "rules")
    # A plain verdict of the sample pages, read the same by all three.
    sentence = "Värmekuddar används ofta, men behandlingseffekten har aldrig dokumenterats."
    assert extractor.classify(sentence) == "undocumented"


def test_the_rules_are_the_default_reader() -> None:
    thesaurus = default_thesaurus()
    extractor = default_evidence_extractor(
        thesaurus, default_analyzer(thesaurus).tokenizer, default_sentence_splitter()
    )
    assert not isinstance(getattr(extractor.classify, "__self__", None), StanceModel)
