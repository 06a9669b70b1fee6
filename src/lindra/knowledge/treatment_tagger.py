"""Treatments the thesaurus does not know, found by a CRF trained on real pages.

The mention finder (:mod:`lindra.knowledge.mentions`) knows treatments from the
thesaurus, drug lists and word endings; real pages name many more ("vila",
"lustgas", "embolisering", "nackmobiliseringar"). A linear-chain CRF
(:mod:`lindra.knowledge.crf`) reads each sentence with the entity tagger's token
features (:mod:`lindra.knowledge.ner_features`) plus what the finder made of each
word, and marks treatment names. It is trained on the real-page corpus
(``benchmarks/realpages/``: every occurrence of an annotated treatment's name is a
span) by ``scripts/train_treatment_tagger.py``; ``python benchmarks/realpages.py``
measures it by grouped cross-validation, a tagger trained per fold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from lindra.knowledge.crf import CrfModel, FloatArray, train_crf
from lindra.knowledge.entities import bio_to_spans, default_extractor, word_tokens
from lindra.knowledge.mentions import Mention
from lindra.knowledge.ner_features import FEATURE_VERSION, FeatureExtractor, is_punctuation
from lindra.knowledge.weights import load_weights
from lindra.language.lexicons import packaged_file
from lindra.language.normalize import fold

__all__ = [
    "LABELS",
    "VERSION",
    "WEIGHTS_FILE",
    "TaggedSentence",
    "TreatmentTagger",
    "sentence_features",
    "tagged_sentence",
    "train_treatment_tagger",
]

LABELS: Final = ("O", "B-treatment", "I-treatment")
WEIGHTS_FILE: Final = "sv_treatment_crf.tsv.gz"
VERSION: Final = f"{FEATURE_VERSION}+finder-1"
SCRIPT: Final = "scripts/train_treatment_tagger.py"
# Training: L2 strength (the entity tagger's) and L-BFGS iterations (for the training
# time), fixed before the first cross-validation run, not tuned.
C2: Final = 1.0
ITERATIONS: Final = 100
# How many words' scores a tagger remembers.
_KNOWN_WORDS: Final = 100_000


@dataclass(frozen=True, slots=True)
class TaggedSentence:
    """One sentence for training: its words' features and their BIO tags."""

    features: list[list[str]]
    tags: list[str]


def _finder_features(found: Sequence[Mention], spans: Sequence[tuple[int, int]]) -> list[list[str]]:
    """Per word: whether the finder read it as part of a treatment, known or not."""
    marks: list[list[str]] = []
    for start, end in spans:
        inside = next((m for m in found if m.start <= start and end <= m.end), None)
        if inside is None:
            marks.append([])
        else:
            marks.append(["finder", "finder_known" if inside.known else "finder_unknown"])
    return marks


def _trimmed(text: str, words: Sequence[tuple[int, int]], a: int, b: int) -> tuple[int, int]:
    """Word span [a, b) without punctuation at its edges."""
    while a < b and is_punctuation(text[words[a][0] : words[a][1]]):
        a += 1
    while b > a and is_punctuation(text[words[b - 1][0] : words[b - 1][1]]):
        b -= 1
    return a, b


def _balanced(name: str) -> bool:
    """A name with its brackets closed: "transkutan nervstimulation (TNS)", not
    "progesteronreceptorer (er" (a span cut inside a parenthesis).

    >>> _balanced("nervstimulation (TNS)"), _balanced("receptorer (er")
    (True, False)
    """
    return name.count("(") == name.count(")") and name.count("[") == name.count("]")


def _read(
    extractor: FeatureExtractor, text: str, span: tuple[int, int], found: Sequence[Mention]
) -> tuple[list[tuple[int, int]], list[list[str]], list[list[str]]]:
    """The words of ``text[span[0]:span[1]]`` (offsets into *text*), their own
    features, and the rest of their features (neighbours, phrases, the finder's
    reading: *found* are its treatment mentions there)."""
    start, end = span
    words = [(start + a, start + b) for a, b in word_tokens(text[start:end])]
    texts = [text[a:b] for a, b in words]
    own = extractor.own_features(texts)
    context = extractor.context_features(texts, own)
    marks = _finder_features(found, words)
    return words, own, [[*c, *m] for c, m in zip(context, marks, strict=True)]


def sentence_features(
    extractor: FeatureExtractor, text: str, span: tuple[int, int], found: Sequence[Mention]
) -> tuple[list[tuple[int, int]], list[list[str]]]:
    """The words of the sentence ``text[span[0]:span[1]]`` (offsets into *text*) and
    their features; *found* are the finder's treatment mentions there."""
    words, own, rest = _read(extractor, text, span, found)
    return words, [[*o, *r] for o, r in zip(own, rest, strict=True)]


class TreatmentTagger:
    """Mark treatment names in a sentence.

    :param model: CRF weights over :data:`LABELS`.
    :param extractor: the token features the model was trained with.
    :param bias: added to every word's score for being part of a name: above 0 the
        tagger marks more names (recall) and more that are not (precision).
    """

    def __init__(self, model: CrfModel, extractor: FeatureExtractor, bias: float = 0.0) -> None:
        self.model = model
        self.extractor = extractor
        self.bias = bias
        self._name_labels = [i for i, label in enumerate(model.labels) if label != "O"]
        # A word's own features score the same everywhere: summed once per word.
        self._own: dict[tuple[str, ...], FloatArray] = {}

    @classmethod
    def default(cls) -> TreatmentTagger:
        """The packaged weights (trained on the real-page corpus)."""
        path = packaged_file(WEIGHTS_FILE, "lindra.knowledge")
        return cls(load_weights(path, version=VERSION, script=SCRIPT), default_extractor())

    def spans(
        self, text: str, start: int, end: int, found: Sequence[Mention]
    ) -> list[tuple[int, int]]:
        """Character spans of the treatment names in ``text[start:end]``; *found* are
        the finder's treatment mentions there."""
        words, own, rest = _read(self.extractor, text, (start, end), found)
        if not words:
            return []
        # The same sum as CrfModel.emissions, with each word's own part remembered.
        index = self.model.features
        tokens, rows = [], []
        for t, features in enumerate(rest):
            for feature in features:
                row = index.get(feature)
                if row is not None:
                    tokens.append(t)
                    rows.append(row)
        emissions = np.array([self._own_scores(o) for o in own])
        np.add.at(emissions, tokens, self.model.weights[rows])
        if self.bias:
            emissions[:, self._name_labels] += self.bias
        tags = self.model.viterbi(emissions)
        return [
            (words[a][0], words[b - 1][1])
            for a, b in (_trimmed(text, words, a, b) for a, b, _ in bio_to_spans(tags))
            if a < b and _balanced(text[words[a][0] : words[b - 1][1]])
        ]

    def _own_scores(self, features: Sequence[str]) -> FloatArray:
        key = tuple(features)
        scores = self._own.get(key)
        if scores is None:
            if len(self._own) >= _KNOWN_WORDS:
                self._own.clear()
            scores = self._own[key] = self.model.scores(features)
        return scores


def tagged_sentence(
    extractor: FeatureExtractor,
    text: str,
    span: tuple[int, int],
    found: Sequence[Mention],
    names: Sequence[str],
) -> TaggedSentence:
    """The sentence ``text[span[0]:span[1]]`` for training: every run of words whose
    stems are those of one of *names* (annotated treatments) is a treatment; the
    longest name first.

    >>> text = "Värmekuddar och ett varmt bad kan lindra."
    >>> names = ["värmekudde", "varmt bad"]
    >>> tagged_sentence(default_extractor(), text, (0, len(text)), [], names).tags
    ['B-treatment', 'O', 'O', 'B-treatment', 'I-treatment', 'O', 'O', 'O']
    """
    words, features = sentence_features(extractor, text, span, found)
    stem = extractor.stem
    stems = [stem(fold(text[a:b])) for a, b in words]
    wanted = {tuple(stem(fold(n[a:b])) for a, b in word_tokens(n)) for n in names}
    tags = ["O"] * len(words)
    for name in sorted(filter(None, wanted), key=len, reverse=True):
        size = len(name)
        for i in range(len(stems) - size + 1):
            if tuple(stems[i : i + size]) == name and all(t == "O" for t in tags[i : i + size]):
                tags[i : i + size] = ["B-treatment"] + ["I-treatment"] * (size - 1)
    return TaggedSentence(features, tags)


def train_treatment_tagger(
    sentences: Sequence[TaggedSentence],
    extractor: FeatureExtractor,
    *,
    c2: float = C2,
    iterations: int = ITERATIONS,
) -> TreatmentTagger:
    """Fit the CRF to tagged sentences (:func:`tagged_sentence`)."""
    model = train_crf(
        [s.features for s in sentences],
        [s.tags for s in sentences],
        LABELS,
        c2=c2,
        min_count=2,
        max_iterations=iterations,
    )
    return TreatmentTagger(model, extractor)
