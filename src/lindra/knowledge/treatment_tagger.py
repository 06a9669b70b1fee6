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
from lindra.knowledge.ner_features import (
    FEATURE_VERSION,
    WINDOW,
    FeatureExtractor,
    first_word,
    is_punctuation,
    passed_on,
    premodified_features,
    window_features,
)
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


def sentence_features(
    extractor: FeatureExtractor, text: str, span: tuple[int, int], found: Sequence[Mention]
) -> tuple[list[tuple[int, int]], list[list[str]]]:
    """The words of the sentence ``text[span[0]:span[1]]`` (offsets into *text*) and
    their features: their own, their neighbours' and phrases', and the finder's
    reading (*found* are its treatment mentions there)."""
    start, end = span
    words = [(start + a, start + b) for a, b in word_tokens(text[start:end])]
    texts = [text[a:b] for a, b in words]
    own = extractor.own_features(texts)
    context = extractor.context_features(texts, own)
    marks = _finder_features(found, words)
    return words, [[*o, *c, *m] for o, c, m in zip(own, context, marks, strict=True)]


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
        # What a word adds to its own scores and its neighbours', summed once per word.
        self._words = _WordTable(len(model.labels))
        self._edges = {
            offset: model.scores(window_features(offset, "<s>" if offset < 0 else "</s>", ()))
            for offset in WINDOW
        }

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
        words, emissions = self.emissions(text, start, end, found)
        if not words:
            return []
        if self.bias:
            emissions[:, self._name_labels] += self.bias
        tags = self.model.viterbi(emissions)
        return [
            (words[a][0], words[b - 1][1])
            for a, b in (_trimmed(text, words, a, b) for a, b, _ in bio_to_spans(tags))
            if a < b and _balanced(text[words[a][0] : words[b - 1][1]])
        ]

    def emissions(
        self, text: str, start: int, end: int, found: Sequence[Mention]
    ) -> tuple[list[tuple[int, int]], FloatArray]:
        """The words of ``text[start:end]`` and their label scores: the sum
        :meth:`CrfModel.emissions` takes over :func:`sentence_features`, with what
        each word adds to itself and its neighbours summed once per word."""
        words = [(start + a, start + b) for a, b in word_tokens(text[start:end])]
        if not words:
            return [], np.zeros((0, len(self.model.labels)))
        texts = [text[a:b] for a, b in words]
        first = first_word(texts)
        table = self._words
        if len(table.lower) + len(texts) > _KNOWN_WORDS:
            table.clear()
        get = table.ids.get
        ids = [get((w, i == first), -1) for i, w in enumerate(texts)]
        if -1 in ids:
            ids = [
                self._add_word(w, i == first) if row < 0 else row
                for i, (w, row) in enumerate(zip(texts, ids, strict=True))
            ]
        scores = table.own[ids]
        near = table.near[ids]  # (words, offsets, labels)
        for k, offset in enumerate(WINDOW):
            # The word at i + offset tells word i; past the edges, <s> and </s> do.
            if offset < 0:
                scores[-offset:] += near[:offset, k]
                scores[:-offset] += self._edges[offset]
            else:
                scores[:-offset] += near[offset:, k]
                scores[-offset:] += self._edges[offset]
        # A premodifier ("kronisk") hears what the next word's gazetteer hits tell it.
        index = np.asarray(ids)
        premodifiers = np.flatnonzero(table.premodifier[index[:-1]])
        scores[premodifiers] += table.premodified[index[premodifiers + 1]]
        lowers = [table.lower[row] for row in ids]
        scores += self.model.emissions(self.extractor.phrase_features(texts, lowers))
        scores += self.model.emissions(_finder_features(found, words))
        return words, scores

    def _add_word(self, word: str, first: bool) -> int:
        """The row of a word not seen before this sentence (at its start or not)."""
        seen = self._words.ids.get((word, first))
        if seen is not None:  # new twice in one sentence
            return seen
        own = self.extractor.word_features(word, first)
        lower = fold(word)
        passed = passed_on(own)
        groups = [own, *(window_features(o, lower, passed) for o in WINDOW)]
        scores = self.model.emissions([*groups, premodified_features(passed)])
        return self._words.add(
            (word, first), lower, scores[0], scores[1:-1], "premod" in own, scores[-1]
        )


class _WordTable:
    """Each word's label scores, one row per word, so that a sentence's rows are
    gathered with one index: from its own features (*own*); what it tells a word
    it stands at each of :data:`WINDOW` from (*near*: -1 for the word after it);
    whether it is a premodifier; what it tells a premodifier just before it
    (*premodified*). A word is keyed with whether it opens its sentence."""

    def __init__(self, labels: int, capacity: int = 4096) -> None:
        self._labels = labels
        self._allocate(capacity)

    def _allocate(self, capacity: int) -> None:
        self.ids: dict[tuple[str, bool], int] = {}
        self.lower: list[str] = []
        self.own = np.zeros((capacity, self._labels))
        self.near = np.zeros((capacity, len(WINDOW), self._labels))
        self.premodifier = np.zeros(capacity, dtype=bool)
        self.premodified = np.zeros((capacity, self._labels))

    def clear(self) -> None:
        self._allocate(len(self.own))

    def add(
        self,
        key: tuple[str, bool],
        lower: str,
        own: FloatArray,
        near: FloatArray,
        premodifier: bool,
        premodified: FloatArray,
    ) -> int:
        row = len(self.lower)
        if row == len(self.own):  # full: twice the room
            grown = 2 * row
            self.own = np.resize(self.own, (grown, self._labels))
            self.near = np.resize(self.near, (grown, len(WINDOW), self._labels))
            self.premodifier = np.resize(self.premodifier, grown)
            self.premodified = np.resize(self.premodified, (grown, self._labels))
        self.ids[key] = row
        self.lower.append(lower)
        self.own[row] = own
        self.near[row] = near
        self.premodifier[row] = premodifier
        self.premodified[row] = premodified
        return row


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
