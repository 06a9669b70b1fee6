"""Medical named entities in Swedish text: disorders/findings, drugs, body structures.

The label set and its markup follow the 1177 part of the Swedish medical NER data
of Almgren, Pavlov & Mogren (2016); see :mod:`lindra.knowledge.markup`. A CRF
(:mod:`lindra.knowledge.crf`) over gazetteer, morphology and context features
(:mod:`lindra.knowledge.ner_features`) does the tagging.

    >>> tagger = EntityTagger.default()
    >>> [(e.label, e.text) for e in tagger.tag("Paracetamol sänker febern.")]
    [('drug', 'Paracetamol'), ('disorder', 'febern')]
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal, cast

from lindra.knowledge.crf import CrfModel
from lindra.knowledge.gazetteer import Gazetteer, load_terms
from lindra.knowledge.markup import LABELS, Label
from lindra.knowledge.ner_features import (
    FeatureExtractor,
    is_punctuation,
    split_punctuation,
)
from lindra.knowledge.weights import load_weights
from lindra.language.lexicons import packaged_file
from lindra.language.stem import SnowballStemmer

__all__ = [
    "BIO_LABELS",
    "EntitySpan",
    "EntityTagger",
    "GAZETTEER_FILES",
    "TRUSTED_CATEGORIES",
    "WEIGHTS_FILE",
    "bio_to_spans",
    "default_extractor",
    "spans_to_bio",
    "split_sentence",
    "word_tokens",
]

BIO_LABELS: Final[tuple[str, ...]] = ("O",) + tuple(
    f"{prefix}-{label}" for label in LABELS for prefix in ("B", "I")
)
# Gazetteer category → file in lindra/knowledge/data. Categories are feature names,
# finer than the entity labels: general words ("sjukdom", "läkemedel") behave
# differently from names of specific disorders and drugs.
GAZETTEER_FILES: Final[dict[str, str]] = {
    "disorder": "sv_disorders.txt",
    "disorder_general": "sv_disorders_general.txt",
    "drug": "sv_drugs.txt",
    "drug_form": "sv_drug_forms.txt",
    "body": "sv_body_structures.txt",
}
WEIGHTS_FILE: Final = "ner_crf_1177.tsv.gz"
# Chosen by 5-fold cross-validation on the 1177 dev half (micro-F1 +0.01).
TRUSTED_CATEGORIES: Final[tuple[str, ...]] = ("drug", "body")

# Words with inner hyphens or apostrophes ("hjärt-kärlsjukdom", "covid-19") and a
# dangling hyphen of a shortened compound ("mag- och tarmfunktionerna"); any other
# visible character is a token of its own.
_TOKEN = re.compile(r"[^\W_]+(?:[-–'’][^\W_]+)*-?|\S")


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """An entity found in a text: character offsets into that text, label and surface."""

    start: int
    end: int
    label: Literal["disorder", "drug", "body"]
    text: str


def word_tokens(text: str) -> list[tuple[int, int]]:
    """Character spans of the tokens of free text (punctuation separate).

    >>> text = "Ont i mag- och tarmkanalen, t.ex."
    >>> [text[s:e] for s, e in word_tokens(text)]
    ['Ont', 'i', 'mag-', 'och', 'tarmkanalen', ',', 't', '.', 'ex', '.']
    """
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text)]


def spans_to_bio(length: int, spans: Sequence[tuple[int, int, str]]) -> list[str]:
    """BIO tags of *length* tokens from labelled spans (end exclusive).

    >>> spans_to_bio(4, [(1, 3, "drug")])
    ['O', 'B-drug', 'I-drug', 'O']
    """
    tags = ["O"] * length
    for start, end, label in spans:
        tags[start] = "B-" + label
        for i in range(start + 1, end):
            tags[i] = "I-" + label
    return tags


def bio_to_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Labelled spans from BIO tags; a stray ``I-`` starts a new span.

    >>> bio_to_spans(["B-drug", "I-drug", "O", "I-body", "B-body"])
    [(0, 2, 'drug'), (3, 4, 'body'), (4, 5, 'body')]
    """
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and tag[2:] == label and start >= 0
        if inside:
            continue
        if start >= 0:
            spans.append((start, i, label))
            start, label = -1, ""
        if tag != "O":
            start, label = i, tag[2:]
    return spans


class EntityTagger:
    """Tag disorders, drugs and body structures with a trained CRF.

    :param model: the CRF weights.
    :param extractor: the features the model was trained with.
    :param trusted: gazetteer categories that always make an entity of the same
        label when the CRF left the word outside any entity. Names of specific
        drugs and body structures are unambiguous; general words are not.
    """

    def __init__(
        self,
        model: CrfModel,
        extractor: FeatureExtractor,
        trusted: Sequence[str] = TRUSTED_CATEGORIES,
    ) -> None:
        self.model = model
        self.extractor = extractor
        self.trusted = tuple(trusted)

    @classmethod
    def default(cls) -> EntityTagger:
        """The packaged tagger: gazetteers, wordfreq frequencies and the shipped weights."""
        return cls(
            load_weights(packaged_file(WEIGHTS_FILE, "lindra.knowledge")), default_extractor()
        )

    def tag_tokens(self, tokens: Sequence[str]) -> list[tuple[int, int, str]]:
        """Entity spans over *tokens* as ``(start, end, label)`` token indices, end exclusive.

        Punctuation glued to a token ("feber,") is split off before tagging; a span
        still covers whole input tokens.
        """
        words, origin = split_sentence(tokens)
        if not words:
            return []
        tags = self.model.decode(self.extractor.sentence_features(words))
        for i, word in enumerate(words):
            if tags[i] == "O" and not is_punctuation(word):
                labels = self.extractor.gazetteer.word_labels(word)
                label = next((c for c in self.trusted if c in labels), None)
                if label is not None:
                    tags[i] = "B-" + label
        spans: list[tuple[int, int, str]] = []
        for start, end, label in bio_to_spans(tags):
            while start < end and is_punctuation(words[start]):
                start += 1
            while end > start and is_punctuation(words[end - 1]):
                end -= 1
            if start < end:
                span = (origin[start], origin[end - 1] + 1, label)
                if not spans or span[0] >= spans[-1][1]:
                    spans.append(span)
        return spans

    def tag(self, text: str) -> list[EntitySpan]:
        """Entities in free text, with character offsets into *text*."""
        offsets = word_tokens(text)
        spans = self.tag_tokens([text[s:e] for s, e in offsets])
        entities: list[EntitySpan] = []
        for start, end, label in spans:
            begin, finish = offsets[start][0], offsets[end - 1][1]
            entities.append(EntitySpan(begin, finish, cast(Label, label), text[begin:finish]))
        return entities


def split_sentence(tokens: Sequence[str]) -> tuple[list[str], list[int]]:
    """Tokens with punctuation split off, and the input token each piece came from.

    >>> split_sentence(["Mot", "feber,", "värk", "."])
    (['Mot', 'feber', ',', 'värk', '.'], [0, 1, 1, 2, 3])
    """
    words: list[str] = []
    origin: list[int] = []
    for index, token in enumerate(tokens):
        for piece in split_punctuation(token):
            words.append(piece)
            origin.append(index)
    return words, origin


def default_extractor() -> FeatureExtractor:
    """Features over the packaged gazetteers, Snowball stems and wordfreq frequencies."""
    from wordfreq import get_frequency_dict

    terms = {
        label: load_terms(packaged_file(name, "lindra.knowledge"))
        for label, name in GAZETTEER_FILES.items()
    }
    table = get_frequency_dict("sv")

    def zipf(word: str) -> float:
        share = table.get(word, 0.0)
        return math.log10(share) + 9.0 if share > 0 else 0.0

    return FeatureExtractor(Gazetteer(terms), SnowballStemmer(), zipf)
