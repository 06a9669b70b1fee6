"""Yes/no/maybe verdicts: what a Swedish text says about a yes/no question.

``decide("Är X associerat med Y?", "X var inte associerat med Y.", model)`` reads
the text the way a clinician skims an abstract's conclusion:

1. find the sentence that talks about the question (most shared word stems);
2. check whether a negation takes scope there ("inte associerat", "ingen
   skillnad"), whether the wording is negative ("otillräcklig", "låg", "utan CT"
   for "Är CT nödvändig?") or equivalent ("liknande", "jämförbar" for "Finns det
   en skillnad?"), and whether it is hedged ("kan vara", "tyder på", "ytterligare
   studier behövs");
3. weigh those signals with a small multinomial logistic regression, and answer
   "kanske" when yes and no come out close or the text reports conflicting
   findings (stance ``mixed``).

The features (steps 1 and 2) live in :mod:`lindra.knowledge.verdict_features`.
The weights (``data/sv_verdict_weights.json``) were fitted on PubMedQA-sv dev by
``scripts/train_verdict.py``; the file records their provenance and the
cross-validated scores. The quote is the sentence the verdict rests on, verbatim.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from lindra.errors import LexiconError
from lindra.knowledge.stance import classify_sentence, combine_stances
from lindra.knowledge.verdict_features import (
    TextResources,
    content_stems,
    featurize,
    fold_words,
    sentence_signals,
    sentence_spans,
    stem_overlap,
)
from lindra.language.lexicons import packaged_file
from lindra.types import Stance

__all__ = [
    "VERDICTS",
    "TextResources",
    "VerdictModel",
    "VerdictResult",
    "VerdictWeights",
    "decide",
    "featurize",
]

logger = logging.getLogger(__name__)

Verdict = Literal["ja", "nej", "kanske"]
VERDICTS: tuple[Verdict, ...] = ("ja", "nej", "kanske")
WEIGHTS_FILE = "sv_verdict_weights.json"


@dataclass(frozen=True, slots=True)
class VerdictResult:
    """A verdict, the stance of the text, and the sentence it rests on.

    ``start``/``end`` index the text passed to :func:`decide`; ``quote`` is
    ``text[start:end]``. ``probabilities`` follow :data:`VERDICTS`.
    """

    verdict: Verdict
    stance: Stance
    quote: str
    start: int
    end: int
    probabilities: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class VerdictWeights:
    """Logistic-regression weights: one column per verdict, one row per feature."""

    features: tuple[str, ...]
    matrix: npt.NDArray[np.float64]
    margin: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)

    def scores(self, values: dict[str, float]) -> npt.NDArray[np.float64]:
        """Class probabilities for one feature dict (unknown features are ignored)."""
        x = np.array([values.get(name, 0.0) for name in self.features])
        logits = x @ self.matrix
        exp = np.exp(logits - logits.max())
        return np.asarray(exp / exp.sum(), dtype=np.float64)

    def verdict(self, probabilities: npt.NDArray[np.float64]) -> Verdict:
        """The most probable verdict, or "kanske" when yes and no are within ``margin``.

        A text whose evidence leans neither way is what PubMedQA's annotators call
        "maybe"; few texts say "maybe" in words, so the margin finds the rest.

        >>> w = VerdictWeights(("bias",), np.zeros((1, 3)), margin=0.2)
        >>> w.verdict(np.array([0.5, 0.4, 0.1])), w.verdict(np.array([0.7, 0.2, 0.1]))
        ('kanske', 'ja')
        """
        if abs(float(probabilities[0] - probabilities[1])) < self.margin:
            return "kanske"
        return VERDICTS[int(probabilities.argmax())]

    def to_json(self) -> dict[str, Any]:
        return {
            **self.meta,
            "labels": list(VERDICTS),
            "kanske_margin": self.margin,
            "weights": {
                name: [round(float(v), 6) for v in row]
                for name, row in zip(self.features, self.matrix, strict=True)
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], source: str = "weights") -> VerdictWeights:
        """:raises LexiconError: when labels, margin or rows have the wrong shape."""
        try:
            if list(data["labels"]) != list(VERDICTS):
                raise ValueError(f"labels must be {list(VERDICTS)}")
            rows = {str(k): [float(v) for v in row] for k, row in data["weights"].items()}
            if any(len(row) != len(VERDICTS) for row in rows.values()):
                raise ValueError("every weight row needs one value per label")
            margin = float(data.get("kanske_margin", 0.0))
            meta = {
                k: v for k, v in data.items() if k not in ("labels", "weights", "kanske_margin")
            }
        except (KeyError, TypeError, ValueError) as exc:
            raise LexiconError(
                f"{source}: not verdict weights ({exc}). Run scripts/train_verdict.py."
            ) from exc
        matrix = np.array(list(rows.values()), dtype=np.float64).reshape(-1, len(VERDICTS))
        return cls(tuple(rows), matrix, margin, meta)

    @classmethod
    def load(cls, path: Path) -> VerdictWeights:
        """:raises LexiconError: when the file is missing or malformed."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise LexiconError(
                f"Cannot read verdict weights '{path}': {exc}. Run scripts/train_verdict.py."
            ) from exc
        return cls.from_json(data, path.name)


@dataclass(frozen=True, slots=True)
class VerdictModel:
    """Weights plus the resources their features were computed with."""

    weights: VerdictWeights
    resources: TextResources

    @classmethod
    def default(cls) -> VerdictModel:
        """The packaged weights (``data/sv_verdict_weights.json``) and resources."""
        path = packaged_file(WEIGHTS_FILE, "lindra.knowledge")
        return cls(VerdictWeights.load(path), TextResources.default())


def decide(question: str, text: str, model: VerdictModel) -> VerdictResult:
    """What *text* answers to the yes/no *question*: ``ja``, ``nej`` or ``kanske``.

    >>> model = VerdictModel.default()
    >>> r = decide("Är högt blodtryck associerat med stroke?",
    ...            "Högt blodtryck var inte associerat med stroke i denna kohort.", model)
    >>> r.verdict, r.quote
    ('nej', 'Högt blodtryck var inte associerat med stroke i denna kohort.')
    """
    sentences = sentence_spans(text, model.resources.splitter)
    values = featurize(question, text, model.resources, sentences)
    probabilities = model.weights.scores(values)
    stances = [classify_sentence(text[a:b], model.resources.cues).stance for a, b in sentences]
    stance = combine_stances(stances)
    # A text that reports conflicting findings ("motstridiga resultat") answers
    # neither yes nor no, whatever its other words lean to.
    verdict = "kanske" if stance == "mixed" else model.weights.verdict(probabilities)
    start, end = _quote_span(question, text, sentences, verdict, model.resources)
    return VerdictResult(
        verdict,
        stance,
        text[start:end],
        start,
        end,
        tuple(round(float(p), 4) for p in probabilities),
    )


def _quote_span(
    question: str,
    text: str,
    sentences: Sequence[tuple[int, int]],
    verdict: Verdict,
    resources: TextResources,
) -> tuple[int, int]:
    """The sentence that best carries *verdict*: question overlap plus a matching signal."""
    if not sentences:
        return 0, len(text)
    q_stems = content_stems(fold_words(question), resources)
    best, best_score = sentences[0], -1.0
    for index, (a, b) in enumerate(sentences):
        words = fold_words(text[a:b])
        signals = sentence_signals(words, q_stems, resources)
        signal = {
            "ja": 0.0,
            "nej": signals["negation"] + signals["denied"] + signals["negative"],
            "kanske": signals["hedge"] + signals["uncertain"],
        }[verdict]
        # Earlier sentences win ties: conclusions state their main finding first.
        score = stem_overlap(words, q_stems, resources) + 0.5 * min(signal, 1.0) - 0.01 * index
        if score > best_score:
            best, best_score = (a, b), score
    return best
