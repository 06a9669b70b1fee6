"""Yes/no/maybe verdicts on PubMedQA-sv dev (skips cleanly when the data is absent).

    python benchmarks/verdict.py [--eval-dir ../shared/eval] [--recompute-cv] [--json]

Text = each item's conclusion. Prints accuracy, macro-F1, per-class P/R/F1 and
the confusion matrix for:

- nested 10-fold cross-validation (3 seeds; hyperparameters chosen inside each
  training fold): the honest estimate, read from the shipped weights' metadata
  or recomputed with --recompute-cv (a few minutes);
- the shipped model run end to end through ``decide`` (in-sample: the weights
  were fitted on this very set, so this number is optimistic).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import time
from pathlib import Path
from typing import Any

from lindra.knowledge.verdict import VERDICTS, VerdictModel, decide

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = ROOT.parent / "shared" / "eval"


def scores(gold: list[str], predicted: list[str]) -> dict[str, Any]:
    confusion = [[0] * len(VERDICTS) for _ in VERDICTS]
    for g, p in zip(gold, predicted, strict=True):
        confusion[VERDICTS.index(g)][VERDICTS.index(p)] += 1  # type: ignore[arg-type]
    per_class = {}
    for c, label in enumerate(VERDICTS):
        tp = confusion[c][c]
        column = sum(row[c] for row in confusion)
        precision = tp / column if column else 0.0
        recall = tp / sum(confusion[c]) if sum(confusion[c]) else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {"precision": precision, "recall": recall, "f1": f1}
    return {
        "accuracy": sum(confusion[c][c] for c in range(len(VERDICTS))) / len(gold),
        "macro_f1": sum(m["f1"] for m in per_class.values()) / len(VERDICTS),
        "per_class": per_class,
        "confusion": confusion,
    }


def recompute_cv(data: Path) -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location(
        "train_verdict", ROOT / "scripts" / "train_verdict.py"
    )
    assert spec and spec.loader
    train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train)
    from lindra.knowledge.verdict import TextResources

    examples = train.load_examples(data)
    _, x = train.feature_matrix(examples, TextResources.default())
    y = train.np.array([VERDICTS.index(e["decision"]) for e in examples])
    return dict(train.nested_cv(x, y))


def print_table(title: str, result: dict[str, Any]) -> None:
    print(f"\n{title}")
    print(f"  accuracy {result['accuracy']:.3f}   macro-F1 {result['macro_f1']:.3f}")
    print(f"  {'class':8} {'P':>6} {'R':>6} {'F1':>6}")
    for label, m in result["per_class"].items():
        print(f"  {label:8} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}")
    print("  confusion (rows gold, columns predicted): " + " ".join(f"{v:>7}" for v in VERDICTS))
    for label, row in zip(VERDICTS, result["confusion"], strict=True):
        print(f"  {label:>41} " + " ".join(f"{v:7d}" for v in row))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--recompute-cv", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    data = args.eval_dir / "pubmedqa_sv" / "dev.jsonl"
    if not data.exists():
        print(f"skipped: no evaluation data at {data}")
        return 0
    items = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line]
    started = time.perf_counter()
    model = VerdictModel.default()
    predicted = [decide(i["question"], i["conclusion"], model).verdict for i in items]
    elapsed = time.perf_counter() - started
    gold = [i["decision"] for i in items]
    majority = scores(gold, ["ja"] * len(gold))
    cv = recompute_cv(data) if args.recompute_cv else model.weights.meta.get("nested_cv")
    results = {"nested_cv": cv, "in_sample": scores(gold, predicted), "majority": majority}
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"PubMedQA-sv dev: {len(items)} items, text = conclusion")
    if cv:
        seeds = len(cv.get("seeds", [])) or 1
        print_table(
            f"nested {cv.get('folds', 10)}-fold CV x {seeds} seeds (confusion summed over seeds)",
            cv,
        )
    print_table("shipped model, in-sample (optimistic: fitted on this set)", results["in_sample"])
    print(
        f"\nmajority class (ja): accuracy {majority['accuracy']:.3f}, "
        f"macro-F1 {majority['macro_f1']:.3f}"
    )
    print(f"({elapsed:.1f} s for {len(items)} verdicts)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
