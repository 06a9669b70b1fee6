"""Train the abstention model on the real lay questions and write its weights.

    python scripts/train_abstention.py [--c 0.1]

Builds the lay-question base (``benchmarks/layquestions/``: the cached answer pages,
git-ignored), asks every question as written with no bar, and learns when the card's
first quote comes from the page that answers it (unanswerable questions: never).
Prints the grouped cross-validation (by site, and by collection batch) beside the
single relevance bar, then writes ``src/lindra/answer/data/sv_abstention.json``
trained on all questions.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from answers import LayBase, abstention_examples, lay_base, model_cv  # noqa: E402

from lindra.answer.abstention import MODEL_FILE  # noqa: E402
from lindra.answer.abstention_training import DEFAULT_C, fit_abstention, outcome  # noqa: E402

OUT = ROOT / "src" / "lindra" / "answer" / "data" / MODEL_FILE


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c", type=float, default=DEFAULT_C)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = lay_base(Path(tmp))
        if not isinstance(base, LayBase):
            print("no cached lay-question pages: python scripts/cache_worklist.py", file=sys.stderr)
            return 1
        examples = abstention_examples(base)
    for name, rates in model_cv(examples, base.questions, c=args.c).items():
        print(f"held out, {name}: " + ", ".join(f"{k} {v:.3f}" for k, v in rates.items()))
    answerable = sum(e.answerable for e in examples)
    model = fit_abstention(
        examples,
        c=args.c,
        info={
            "answerable": answerable,
            "unanswerable": len(examples) - answerable,
            "sites": len({e.group for e in examples}),
            "pages": base.pages,
            "trained by": "scripts/train_abstention.py",
        },
    )
    OUT.write_text(json.dumps(model.to_json(), indent=1, ensure_ascii=False) + "\n", "utf-8")
    rates = outcome(examples, [model.answers(e.features) for e in examples])
    print(
        f"trained on all {len(examples)} (in sample): "
        + ", ".join(f"{k} {v:.3f}" for k, v in rates.items())
    )
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
