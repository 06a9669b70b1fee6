"""The treatment tagger: training sentences, a small trained model, the extractor's use of it."""

from __future__ import annotations

import gzip
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from lindra.errors import LexiconError
from lindra.ingest.readers import parse_text
from lindra.knowledge.defaults import default_mention_finder
from lindra.knowledge.entities import bio_to_spans, default_extractor
from lindra.knowledge.evidence import EvidenceExtractor
from lindra.knowledge.mentions import Mention, MentionFinder
from lindra.knowledge.ner_features import FeatureExtractor
from lindra.knowledge.treatment_tagger import (
    VERSION,
    TreatmentTagger,
    _WordTable,
    sentence_features,
    tagged_sentence,
    train_treatment_tagger,
)
from lindra.knowledge.weights import load_weights, save_weights
from lindra.language.swedish import default_sentence_splitter, default_thesaurus
from lindra.language.tokenize import Tokenizer
from lindra.types import Document

# Fixture sentences written for this test (not evidence of quality): a treatment
# name, then what it does.
TRAINING = [
    ("Lustgas kan lindra smärtan.", ["lustgas"]),
    ("Embolisering kan minska blödningen.", ["embolisering"]),
    ("Vila kan lindra värken.", ["vila"]),
    ("Akupressur kan minska illamåendet.", ["akupressur"]),
    ("Smärtan kan komma tillbaka.", []),
    ("Värken kan bli värre på natten.", []),
    ("Det kan ta några veckor.", []),
]


@pytest.fixture(scope="module")
def features() -> FeatureExtractor:
    return default_extractor()


@pytest.fixture(scope="module")
def finder() -> MentionFinder:
    return default_mention_finder(default_thesaurus(), Tokenizer())


@pytest.fixture(scope="module")
def tagger(features: FeatureExtractor) -> TreatmentTagger:
    sentences = [
        tagged_sentence(features, text, (0, len(text)), [], names) for text, names in TRAINING
    ]
    return train_treatment_tagger(sentences, features, iterations=50)


def test_every_occurrence_of_an_annotated_name_is_marked(features: FeatureExtractor) -> None:
    text = "Värmekudde eller värmekuddar, och tens (TENS)."
    sentence = tagged_sentence(features, text, (0, len(text)), [], ["värmekudde", "TENS"])
    assert sentence.tags == [
        "B-treatment",
        "O",
        "B-treatment",
        "O",
        "O",
        "B-treatment",
        "O",
        "B-treatment",
        "O",
        "O",
    ]


def test_a_trained_tagger_marks_a_name_it_has_not_seen(tagger: TreatmentTagger) -> None:
    text = "Fotvård kan lindra smärtan."
    assert [text[a:b] for a, b in tagger.spans(text, 0, len(text), [])] == ["Fotvård"]


def test_spans_are_offsets_into_the_whole_text(tagger: TreatmentTagger) -> None:
    text = "Rubrik. Lustgas kan lindra smärtan."
    spans = tagger.spans(text, 8, len(text), [])
    assert [text[a:b] for a, b in spans] == ["Lustgas"]


def test_a_bias_marks_more_names_and_none_marks_as_before(features: FeatureExtractor) -> None:
    packaged = TreatmentTagger.default()
    text = "Hon fick prova akupressur, vila och en kall dusch mot värken."
    plain = packaged.spans(text, 0, len(text), [])
    generous = TreatmentTagger(packaged.model, packaged.extractor, bias=5.0)
    marked = generous.spans(text, 0, len(text), [])

    def covered(spans: list[tuple[int, int]]) -> int:
        return sum(b - a for a, b in spans)

    assert covered(marked) > covered(plain) > 0
    assert (
        TreatmentTagger(packaged.model, packaged.extractor, bias=0.0).spans(text, 0, len(text), [])
        == plain
    )


def test_tagging_scores_the_features_training_saw(
    tagger: TreatmentTagger, features: FeatureExtractor
) -> None:
    text = "Vila och lustgas kan lindra värken, men Alvedon kan också hjälpa."
    words, rows = sentence_features(features, text, (0, len(text)), [])
    decoded = bio_to_spans(tagger.model.decode(rows))
    expected = [(words[a][0], words[b - 1][1]) for a, b, _ in decoded]
    assert tagger.spans(text, 0, len(text), []) == expected
    assert tagger.spans(text, 0, len(text), []) == expected  # words' scores remembered


@pytest.mark.parametrize(
    "text",
    [
        "Kronisk smärta och ont i magen: Alvedon eller vila hjälper.",
        "Lustgas.",
        "Vid akut migrän kan triptaner och fysisk aktivitet lindra, säger hon.",
    ],
)
def test_emissions_are_the_sum_over_the_training_features(text: str) -> None:
    """The tagger sums each word's share once; the sum is the one the CRF was trained on."""
    packaged = TreatmentTagger.default()
    at = text.find("Alvedon")
    found = [Mention("paracetamol", "treatment", at, at + 7, "Alvedon")] if at >= 0 else []
    words, rows = sentence_features(packaged.extractor, text, (0, len(text)), found)
    tagged_words, scores = packaged.emissions(text, 0, len(text), found)
    assert tagged_words == words
    assert np.allclose(scores, packaged.model.emissions(rows))


def test_words_new_twice_in_a_sentence_and_a_growing_table_keep_the_sum() -> None:
    packaged = TreatmentTagger.default()
    packaged._words = _WordTable(len(packaged.model.labels), capacity=2)  # grows at once
    sentences = [
        "Så ont, så ont: vila och vila igen hjälper så att värken går över.",
        "Värme och kyla, värme igen, och sedan vila.",
    ]
    for text in sentences * 2:
        words, rows = sentence_features(packaged.extractor, text, (0, len(text)), [])
        assert np.allclose(
            packaged.emissions(text, 0, len(text), [])[1], packaged.model.emissions(rows)
        )


class _Tagger:
    """Stands in for the CRF: marks the given words wherever they occur."""

    def __init__(self, *words: str) -> None:
        self.words = words

    def spans(self, text: str, start: int, end: int, found: list[Mention]) -> list[tuple[int, int]]:
        sentence = text[start:end]
        return [
            (start + sentence.index(w), start + sentence.index(w) + len(w))
            for w in self.words
            if w in sentence
        ]


def _extract(
    finder: MentionFinder, tagger: object, text: str, genre: str = "patient_info"
) -> dict[str, str]:
    extractor = EvidenceExtractor(
        finder,
        lambda sentence: "proven_effect" if "visat" in sentence else "not_stated",
        default_sentence_splitter().spans,
        default_thesaurus(),
        tagger,  # type: ignore[arg-type]
    )
    document = Document.of(parse_text(text, doc_id="doc", source="doc.txt"), ingested_at="")
    document = replace(document, metadata={**document.metadata, "genre": genre})
    return {e.concept_id: e.stance for e in extractor.extract(document)}


def test_the_extractor_adds_what_the_tagger_finds_and_the_finder_does_not(
    finder: MentionFinder,
) -> None:
    text = "Lustgas har visat god effekt. Värmekuddar har visat effekt."
    assert _extract(finder, None, text) == {"heat_therapy": "proven_effect"}
    found = _extract(finder, _Tagger("Lustgas", "Värmekuddar"), text)
    # A tagger span over a finder's mention adds nothing: the finder's concept stays.
    assert found == {finder.normalise("lustgas"): "proven_effect", "heat_therapy": "proven_effect"}


def test_research_abstracts_are_read_by_the_finder_alone(finder: MentionFinder) -> None:
    text = "Multivariat Cox-analys har visat effekt."
    assert _extract(finder, _Tagger("Multivariat Cox-analys"), text, genre="abstract") == {}


def test_a_generic_word_is_no_treatment_even_when_tagged(finder: MentionFinder) -> None:
    found = _extract(finder, _Tagger("Behandlingen"), "Behandlingen har visat god effekt.")
    assert found == {}


def test_weights_for_other_features_are_refused(tmp_path: Path, tagger: TreatmentTagger) -> None:
    path = tmp_path / "weights.tsv.gz"
    save_weights(tagger.model, path, version=VERSION)
    assert load_weights(path, version=VERSION).labels == tagger.model.labels
    with pytest.raises(LexiconError, match="scripts/train_treatment_tagger.py"):
        load_weights(path, script="scripts/train_treatment_tagger.py")
    path.write_bytes(gzip.compress(b"@version\tother\n"))
    with pytest.raises(LexiconError, match="other"):
        load_weights(path, version=VERSION)
