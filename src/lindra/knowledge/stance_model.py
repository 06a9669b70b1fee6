"""The learned stance reader: a linear model over a sentence's words and its cues.

Trained on sentences of real Swedish health pages (``benchmarks/realpages/``, by
``scripts/train_stance_model.py``) with scikit-learn's logistic regression; the
weights ship as ``data/sv_stance_model.json`` and are applied here with NumPy
alone. Its features are what a reader of one sentence sees:

* the word stems and stem bigrams of the sentence ("rekommender inte",
  "bra effekt"), so that wordings the cue lexicon lacks are learned from data;
* the cue lexicon's reading (:func:`lindra.knowledge.stance.classify_sentence`):
  the rule stance, each cue role present, and whether a negation or a hedge took
  scope, so that the rules' knowledge of scope is not lost.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lindra.errors import LexiconError
from lindra.knowledge.cues import CueLexicon
from lindra.knowledge.stance import StanceResult, classify_sentence
from lindra.types import STANCES, Stance

__all__ = ["EXPLICIT_STANCES", "MODEL_FILE", "StanceModel", "sentence_features"]

MODEL_FILE = "sv_stance_model.json"
# The rules' stances that name the evidence itself: the split reader keeps them.
EXPLICIT_STANCES: frozenset[Stance] = frozenset(
    {"some_support", "mixed", "no_effect", "undocumented"}
)

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
Stem = Callable[[str], str]


def sentence_features(
    sentence: str, cues: CueLexicon, stem: Stem, reading: StanceResult | None = None
) -> list[str]:
    """The binary features of *sentence*, as names (*reading*: the rules' reading of
    it, where already made).

    >>> from lindra.knowledge.cues import default_cues
    >>> features = sentence_features("Det saknas studier.", default_cues(), str.casefold)
    >>> [f for f in features if not f.startswith(("w:", "b:"))]
    ['rule:undocumented', 'role:evidence', 'role:negation', 'role:undocumented', 'negated']
    """
    words = [stem(w.casefold()) for w in _WORD.findall(sentence)]
    features = [f"w:{w}" for w in dict.fromkeys(words)]
    features += [f"b:{a} {b}" for a, b in dict.fromkeys(zip(words, words[1:], strict=False))]
    if reading is None:
        reading = classify_sentence(sentence, cues)
    features.append(f"rule:{reading.stance}")
    features += [f"role:{role}" for role in sorted({m.role for m in reading.cues})]
    if reading.negated:
        features.append("negated")
    if reading.hedged:
        features.append("hedged")
    return features


@dataclass(frozen=True, slots=True, repr=False)
class StanceModel:
    """A multinomial logistic regression over :func:`sentence_features`.

    ``weights`` has one row per feature and one column per class in ``classes``.
    """

    vocabulary: Mapping[str, int]
    weights: np.ndarray
    bias: np.ndarray
    classes: tuple[Stance, ...]
    cues: CueLexicon
    stem: Stem
    info: Mapping[str, Any]

    def __repr__(self) -> str:
        return f"StanceModel({len(self.vocabulary)} features, classes={self.classes})"

    def probabilities(self, sentence: str) -> dict[Stance, float]:
        """The model's probability of each stance for *sentence*."""
        scores = self._scores(sentence)
        scores = np.exp(scores - scores.max())
        total = float(scores.sum())
        return {c: float(s) / total for c, s in zip(self.classes, scores, strict=True)}

    def classify(self, sentence: str) -> Stance:
        """The most probable stance of *sentence* (the highest score: no need to normalise)."""
        return self.classes[int(self._scores(sentence).argmax())]

    def classify_split(self, sentence: str) -> Stance:
        """The rules' stance where it names the evidence (:data:`EXPLICIT_STANCES`:
        "saknas vetenskapligt stöd", "tyder på"); elsewhere the more probable of
        ``proven_effect`` and ``not_stated``, which the model tells apart in plain
        evaluations, results and recommendations the rules do not know ("Cirka 70
        procent upplever en förbättring"). Chosen on the two newest blind test sets
        (``benchmarks/realpages/README.md``, twenty-third session)."""
        reading = classify_sentence(sentence, self.cues)
        if reading.stance in EXPLICIT_STANCES or not {"proven_effect", "not_stated"} <= set(
            self.classes
        ):
            return reading.stance
        scores = self._scores(sentence, reading)
        proven, silent = self.classes.index("proven_effect"), self.classes.index("not_stated")
        return "proven_effect" if scores[proven] > scores[silent] else "not_stated"

    def _scores(self, sentence: str, reading: StanceResult | None = None) -> np.ndarray:
        vocabulary = self.vocabulary
        rows = [
            vocabulary[f]
            for f in sentence_features(sentence, self.cues, self.stem, reading)
            if f in vocabulary
        ]
        scores: np.ndarray = self.bias + self.weights[rows].sum(axis=0)
        return scores

    def to_json(self) -> dict[str, Any]:
        features = sorted(self.vocabulary, key=lambda f: self.vocabulary[f])
        return {
            "info": dict(self.info),
            "classes": list(self.classes),
            "bias": [round(float(b), 5) for b in self.bias],
            "features": {
                f: [round(float(w), 5) for w in self.weights[self.vocabulary[f]]] for f in features
            },
        }

    @classmethod
    def from_json(
        cls, data: Mapping[str, Any], cues: CueLexicon, stem: Stem, *, source: str = MODEL_FILE
    ) -> StanceModel:
        """:raises LexiconError: when *data* is not a stance model."""
        try:
            classes = tuple(data["classes"])
            features: Mapping[str, Sequence[float]] = data["features"]
            bias = np.asarray(data["bias"], dtype=np.float64)
            weights = np.asarray(list(features.values()), dtype=np.float64)
        except (KeyError, TypeError, ValueError) as exc:
            raise LexiconError(f"{source}: not a stance model ({exc}); retrain it") from exc
        if not set(classes) <= set(STANCES) or weights.shape[1:] != (len(classes),):
            raise LexiconError(f"{source}: classes and weights do not agree; retrain it")
        vocabulary = {f: i for i, f in enumerate(features)}
        return cls(vocabulary, weights, bias, classes, cues, stem, dict(data.get("info", {})))

    @classmethod
    def load(cls, path: Path, cues: CueLexicon, stem: Stem) -> StanceModel:
        """:raises LexiconError: for a missing or malformed file."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise LexiconError(f"{path}: cannot read the stance model ({exc})") from exc
        return cls.from_json(data, cues, stem, source=str(path))
