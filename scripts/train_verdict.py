"""Fit the yes/no/maybe verdict weights on PubMedQA-sv dev and write them to the package.

    python scripts/train_verdict.py [--data ../shared/eval/pubmedqa_sv/dev.jsonl]
                                    [--out src/lindra/knowledge/data/sv_verdict_weights.json]
                                    [--check]

A multinomial logistic regression (L2, scipy L-BFGS) over the features of
``lindra.knowledge.verdict.featurize`` with text = the item's ``conclusion``.
Two hyperparameters are chosen by 10-fold cross-validation, maximising
accuracy + macro-F1: the L2 strength and the margin under which a yes/no
probability gap becomes "kanske" (the rare class; macro-F1 rewards finding it).
The reported scores are *nested*: in every outer fold the hyperparameters are
chosen by an inner 5-fold CV on the training part only, so no number is measured
on data that chose it. ``--check`` refits and fails if the shipped file
differs (reproducibility check).

Data: PubMedQA-sv (BirgerMoell/swedish-medical-benchmark, Swedish translation of
Jin et al. 2019, MIT licence).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize

from lindra.knowledge.verdict import (
    VERDICTS,
    WEIGHTS_FILE,
    TextResources,
    VerdictWeights,
    featurize,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "pubmedqa_sv" / "dev.jsonl"
DEFAULT_OUT = ROOT / "src" / "lindra" / "knowledge" / "data" / WEIGHTS_FILE
L2_GRID = (0.5, 1.0, 2.0, 4.0)
MARGIN_GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
FOLDS = 10
SEEDS = (0, 1, 2)

Matrix = npt.NDArray[np.float64]
Labels = npt.NDArray[np.int64]


def load_examples(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def feature_matrix(
    examples: Sequence[dict[str, Any]], resources: TextResources
) -> tuple[list[str], Matrix]:
    rows = [featurize(e["question"], e["conclusion"], resources) for e in examples]
    names = list(rows[0])
    return names, np.array([[row[n] for n in names] for row in rows], dtype=np.float64)


def fit(x: Matrix, y: Labels, l2: float) -> Matrix:
    """Multinomial logistic regression; column 0 of *x* is the unpenalised bias."""
    n, d = x.shape
    k = len(VERDICTS)
    onehot = np.eye(k)[y]

    def loss(flat: Matrix) -> tuple[float, Matrix]:
        w = flat.reshape(d, k)
        logits = x @ w
        logits -= logits.max(axis=1, keepdims=True)
        log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        penalty = 0.5 * l2 * float((w[1:] ** 2).sum())
        grad = x.T @ (np.exp(log_p) - onehot)
        grad[1:] += l2 * w[1:]
        return (-float((onehot * log_p).sum()) + penalty) / n, grad.ravel() / n

    result = minimize(loss, np.zeros(d * k), jac=True, method="L-BFGS-B")
    return np.asarray(result.x, dtype=np.float64).reshape(d, k)


def folds(y: Labels, k: int, seed: int) -> Labels:
    """Stratified fold numbers: each class is dealt round-robin after a shuffle."""
    rng = np.random.default_rng(seed)
    fold = np.zeros(len(y), dtype=np.int64)
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        rng.shuffle(members)
        fold[members] = np.arange(len(members)) % k
    return fold


def cv_scores(x: Matrix, y: Labels, l2: float, k: int, seed: int) -> Matrix:
    """Out-of-fold logits for every item."""
    fold = folds(y, k, seed)
    scores = np.zeros((len(y), len(VERDICTS)))
    for f in range(k):
        train = fold != f
        scores[~train] = x[~train] @ fit(x[train], y[train], l2)
    return scores


def scores_of(y: Labels, predicted: Labels) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class precision/recall/F1 and the confusion matrix."""
    k = len(VERDICTS)
    confusion = np.zeros((k, k), dtype=np.int64)
    for gold, guess in zip(y, predicted, strict=True):
        confusion[gold, guess] += 1
    per_class = {}
    for c, label in enumerate(VERDICTS):
        tp = confusion[c, c]
        precision = tp / confusion[:, c].sum() if confusion[:, c].sum() else 0.0
        recall = tp / confusion[c].sum() if confusion[c].sum() else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {"precision": precision, "recall": recall, "f1": f1}
    return {
        "accuracy": float(np.trace(confusion) / confusion.sum()),
        "macro_f1": float(np.mean([m["f1"] for m in per_class.values()])),
        "per_class": per_class,
        "confusion": confusion.tolist(),
    }


def objective(result: dict[str, Any]) -> float:
    # Both targets count: accuracy and macro-F1 (which needs the rare "kanske").
    return float(result["accuracy"] + result["macro_f1"])


def predict(logits: Matrix, margin: float) -> Labels:
    """Argmax, or "kanske" where P(ja) and P(nej) are within *margin* (VerdictWeights.verdict)."""
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    predicted = p.argmax(axis=1)
    predicted[np.abs(p[:, 0] - p[:, 1]) < margin] = VERDICTS.index("kanske")
    return np.asarray(predicted, dtype=np.int64)


def choose(x: Matrix, y: Labels, k: int, seeds: Sequence[int]) -> tuple[float, float]:
    """(l2, kanske margin) with the best CV objective on (x, y)."""
    best = (L2_GRID[0], 0.0)
    best_value = -1.0
    for l2 in L2_GRID:
        logits = [cv_scores(x, y, l2, k, seed) for seed in seeds]
        for margin in MARGIN_GRID:
            value = np.mean([objective(scores_of(y, predict(s, margin))) for s in logits])
            if value > best_value:
                best, best_value = (l2, margin), float(value)
    return best


def nested_cv(x: Matrix, y: Labels, seeds: Sequence[int] = SEEDS) -> dict[str, Any]:
    """Honest scores: hyperparameters chosen inside each outer training fold."""
    runs = []
    for seed in seeds:
        fold = folds(y, FOLDS, seed)
        predicted = np.zeros(len(y), dtype=np.int64)
        for f in range(FOLDS):
            train = fold != f
            l2, margin = choose(x[train], y[train], 5, (seed,))
            predicted[~train] = predict(x[~train] @ fit(x[train], y[train], l2), margin)
        runs.append(scores_of(y, predicted))
    return {
        "accuracy": float(np.mean([r["accuracy"] for r in runs])),
        "macro_f1": float(np.mean([r["macro_f1"] for r in runs])),
        "per_class": {
            label: {
                m: float(np.mean([r["per_class"][label][m] for r in runs]))
                for m in ("precision", "recall", "f1")
            }
            for label in VERDICTS
        },
        "confusion": np.sum([r["confusion"] for r in runs], axis=0).tolist(),
        "folds": FOLDS,
        "seeds": list(seeds),
    }


def train(examples: Sequence[dict[str, Any]], resources: TextResources) -> VerdictWeights:
    names, x = feature_matrix(examples, resources)
    assert names[0] == "bias"
    y = np.array([VERDICTS.index(e["decision"]) for e in examples], dtype=np.int64)
    l2, margin = choose(x, y, FOLDS, SEEDS)
    cv = nested_cv(x, y)
    meta = {
        "model": "multinomial logistic regression over lindra.knowledge.verdict.featurize",
        "trained_on": "PubMedQA-sv dev (500 items, text = conclusion); "
        "BirgerMoell/swedish-medical-benchmark, MIT licence",
        "script": "scripts/train_verdict.py",
        "l2": l2,
        "nested_cv": _rounded(cv),
    }
    return VerdictWeights(tuple(names), fit(x, y, l2), margin, meta)


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="Fail if the shipped file differs.")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"No training data at {args.data}; pass --data PATH.", file=sys.stderr)
        return 1
    weights = train(load_examples(args.data), TextResources.default())
    text = json.dumps(weights.to_json(), ensure_ascii=False, indent=1) + "\n"
    cv = weights.meta["nested_cv"]
    print(f"nested {FOLDS}-fold CV: accuracy {cv['accuracy']:.3f}, macro-F1 {cv['macro_f1']:.3f}")
    print(f"chosen: l2 {weights.meta['l2']}, kanske margin {weights.margin}")
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print("shipped weights reproduce" if same else f"{args.out} differs from a fresh fit")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
