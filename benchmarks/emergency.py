"""Emergency triage precision and recall on the case files in tests/answer/cases.

    python benchmarks/emergency.py [--errors tuned|held-out|all] [--json]

Two tasks: "112 vs rest" (112 cases positive; 1177 and negative cases negative)
and "any trigger" (112 and 1177 cases positive, negative cases negative).
Each case file has a part used while writing the rules ("tuned") and a part
below its "held-out" marker that was not looked at while tuning; both are
reported, so the held-out numbers estimate how the rules generalise.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from lindra.answer.emergency import EmergencyDetector

CASES = Path(__file__).resolve().parents[1] / "tests" / "answer" / "cases"
HELD_OUT_MARKER = "=== held-out"
PARTS = ("tuned", "held-out", "all")


def read_cases(path: Path) -> dict[str, list[str]]:
    """Questions of a case file, split at the held-out marker (comments and blanks dropped)."""
    parts: dict[str, list[str]] = {"tuned": [], "held-out": []}
    part = "tuned"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") and HELD_OUT_MARKER in line:
            part = "held-out"
        elif line.strip() and not line.startswith("#"):
            parts[part].append(line.strip())
    parts["all"] = parts["tuned"] + parts["held-out"]
    return parts


def scores(pairs: list[tuple[bool, bool]]) -> dict[str, float]:
    """Precision, recall and counts of ``(expected, predicted)`` pairs."""
    tp = sum(e and p for e, p in pairs)
    fp = sum(p and not e for e, p in pairs)
    fn = sum(e and not p for e, p in pairs)
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "positives": float(tp + fn),
        "negatives": float(len(pairs) - tp - fn),
        "fp": float(fp),
        "fn": float(fn),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", choices=PARTS, help="list misclassified questions of a part")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    detector = EmergencyDetector.default()
    files = {lvl: read_cases(CASES / f"emergency_{lvl}.txt") for lvl in ("112", "1177", "negative")}
    results: dict[str, dict[str, float]] = {}
    errors: list[str] = []
    questions = 0
    for part in PARTS:
        rows = [
            (expected, question, detector.detect(question).level or "none")
            for expected, cases in (("112", files["112"]), ("1177", files["1177"]))
            + (("none", files["negative"]),)
            for question in cases[part]
        ]
        questions = len(rows)  # the last part, "all", holds every question
        results[f"112 vs rest ({part})"] = scores([(e == "112", g == "112") for e, _, g in rows])
        results[f"any trigger ({part})"] = scores([(e != "none", g != "none") for e, _, g in rows])
        if part == args.errors:
            errors = [f"expected {e:>4}, got {g:>4}: {q}" for e, q, g in rows if e != g]
    elapsed = time.perf_counter() - started
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'task':28} {'pos':>4} {'neg':>4} {'precision':>9} {'recall':>7} {'FP':>3} {'FN':>3}")
    for task, m in results.items():
        print(
            f"{task:28} {int(m['positives']):4d} {int(m['negatives']):4d} "
            f"{m['precision']:9.3f} {m['recall']:7.3f} {int(m['fp']):3d} {int(m['fn']):3d}"
        )
    print(f"({questions} questions scored, {elapsed:.1f} s including loading)")
    for line in errors:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
