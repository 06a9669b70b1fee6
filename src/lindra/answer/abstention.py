"""Whether the card answers or says "Hittade inget": a small learned model.

One relevance bar misjudges lay questions both ways: a long letter shares few of
its words with the page that answers it, and a short question can share them with
a page on another topic. The model weighs what the search saw for the question —
the best passage's relevance, word coverage and embedding similarity (measured
against the question's similarity with the base at large), how close the closest
of the sentences it would quote comes to the question, how far that
passage's document leads the others, how many of the first passages it holds, how
long the question is and how many of its words the base has never seen — and says
whether the card should quote.

It is a logistic regression trained on real lay questions (``benchmarks/layquestions/``,
by ``scripts/train_abstention.py``; see :mod:`lindra.answer.abstention_training`) and
applied here with NumPy alone; the weights ship as ``data/sv_abstention.json``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lindra.errors import LexiconError
from lindra.language.lexicons import packaged_file

__all__ = [
    "FEATURES",
    "MODEL_FILE",
    "AbstentionModel",
    "PassageScore",
    "abstention_features",
]

MODEL_FILE = "sv_abstention.json"

FEATURES = (
    "relevance",  # the best passage's relevance (coverage and similarity mixed)
    "coverage",  # ... its share of the question's words
    "similarity_z",  # ... its embedding cosine with the question, against the background
    "best_similarity_z",  # the highest cosine of any passage, likewise
    "lead",  # the best passage's cosine minus the best of another document's
    "best_coverage",  # the highest coverage of any passage
    "words",  # log(1 + the question's content words)
    "unseen",  # share of those words the base has never seen
    "same_document",  # how many of the first five passages the best one's document holds
    "sentence_z",  # the closest candidate sentence's cosine, against the background
)

# The lead of a passage whose document is the only one found.
_LEAD_ALONE = 0.1


@dataclass(frozen=True, slots=True)
class PassageScore:
    """What the card knows about one passage the search found, in rank order."""

    doc_id: str
    coverage: float
    similarity: float
    relevance: float


def abstention_features(
    passages: Sequence[PassageScore],
    words: int,
    unseen: int,
    background: tuple[float, float],
    closest_sentence: float | None = None,
) -> dict[str, float] | None:
    """The model's inputs for a question whose search found *passages* (rank order),
    with *words* content words of which *unseen* the base does not know; None when
    nothing was found.

    :param background: mean and spread of the question's cosine with the base's
        passages at large. A cosine counts by how many spreads it stands above that
        mean: a short question scores lower cosines with everything than a long
        letter does, relevant passages included.
    :param closest_sentence: the highest cosine of the card's best candidate
        sentences with the question (none read: counted as the background mean).

    >>> found = [PassageScore("a", 0.5, 0.90, 0.7), PassageScore("b", 0.4, 0.86, 0.5)]
    >>> features = abstention_features(found, 4, 1, (0.80, 0.02))
    >>> round(features["similarity_z"], 2), round(features["lead"], 2)
    (5.0, 0.04)
    >>> features["same_document"], features["unseen"]
    (1.0, 0.25)
    """
    if not passages:
        return None
    mean, spread = background
    best = max(passages, key=lambda p: p.relevance)
    others = [p.similarity for p in passages if p.doc_id != best.doc_id]
    return {
        "relevance": best.relevance,
        "coverage": best.coverage,
        "similarity_z": (best.similarity - mean) / spread,
        "best_similarity_z": (max(p.similarity for p in passages) - mean) / spread,
        "lead": best.similarity - max(others) if others else _LEAD_ALONE,
        "best_coverage": max(p.coverage for p in passages),
        "words": math.log1p(words),
        "unseen": unseen / words if words else 0.0,
        "same_document": float(sum(p.doc_id == best.doc_id for p in passages[:5])),
        "sentence_z": (closest_sentence - mean) / spread if closest_sentence is not None else 0.0,
    }


@dataclass(frozen=True, slots=True)
class AbstentionModel:
    """A logistic regression over standardised :data:`FEATURES`; the card answers
    when the score reaches ``threshold`` (chosen when training)."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    threshold: float
    info: Mapping[str, Any]

    def score(self, features: Mapping[str, float]) -> float:
        """The model's log-odds that the card's first quote comes from a page that
        answers the question."""
        values = np.asarray([features[name] for name in FEATURES], dtype=np.float64)
        return float(((values - self.mean) / self.scale) @ self.weights + self.bias)

    def answers(self, features: Mapping[str, float] | None) -> bool:
        """Whether the card should quote (never when nothing was found)."""
        return features is not None and self.score(features) >= self.threshold

    def to_json(self) -> dict[str, Any]:
        def rounded(values: np.ndarray) -> dict[str, float]:
            return {name: round(float(v), 6) for name, v in zip(FEATURES, values, strict=True)}

        return {
            "info": dict(self.info),
            "features": list(FEATURES),
            "mean": rounded(self.mean),
            "scale": rounded(self.scale),
            "weights": rounded(self.weights),
            "bias": round(self.bias, 6),
            "threshold": round(self.threshold, 6),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, source: str = MODEL_FILE) -> AbstentionModel:
        """:raises LexiconError: when *data* is not an abstention model for :data:`FEATURES`."""
        try:
            if tuple(data["features"]) != FEATURES:
                raise LexiconError(
                    f"{source}: trained on other features than this version reads; "
                    "retrain it with scripts/train_abstention.py"
                )

            def vector(key: str) -> np.ndarray:
                return np.asarray([float(data[key][name]) for name in FEATURES])

            return cls(
                vector("mean"),
                vector("scale"),
                vector("weights"),
                float(data["bias"]),
                float(data["threshold"]),
                dict(data.get("info", {})),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise LexiconError(f"{source}: not an abstention model ({exc}); retrain it") from exc

    @classmethod
    def load(cls, path: Path) -> AbstentionModel:
        """:raises LexiconError: for a missing or malformed file."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise LexiconError(f"{path}: cannot read the abstention model ({exc})") from exc
        return cls.from_json(data, source=str(path))

    @classmethod
    def default(cls) -> AbstentionModel:
        """The packaged model."""
        return cls.load(packaged_file(MODEL_FILE, "lindra.answer"))
