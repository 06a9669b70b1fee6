"""Retrieval benchmark on the dev sets in ../shared/eval (skips cleanly when absent).

    python benchmarks/retrieval.py [--eval-dir ../shared/eval] [--json]

PubMedQA-sv retrieval (1,000 abstracts, 500 dev questions), SweFAQ answer
retrieval (110 answers) and SweFAQ answer selection (ranking restricted to each
question's candidates; Recall@1 is the selection accuracy), default configuration.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from lindra.evaluation.retrieval import evaluate_files

DEFAULT_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    pubmed = args.eval_dir / "pubmedqa_sv"
    if not (pubmed / "dev.jsonl").exists():
        print(f"skipped: no evaluation data at {args.eval_dir}")
        return 0
    started = time.perf_counter()
    results = {
        "PubMedQA-sv " + task: m
        for task, m in evaluate_files(pubmed / "dev.jsonl", pubmed / "corpus.jsonl").items()
    }
    results |= {
        "SweFAQ " + task: m
        for task, m in evaluate_files(args.eval_dir / "swefaq" / "dev.jsonl", None).items()
    }
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'task':30} {'n':>5} {'nDCG@10':>8} {'MRR@10':>8} {'R@1':>7} {'R@10':>7}")
    for task, m in results.items():
        print(
            f"{task:30} {int(m['queries']):5d} {m['ndcg@10']:8.3f} {m['mrr@10']:8.3f} "
            f"{m['recall@1']:7.3f} {m['recall@10']:7.3f}"
        )
    print(f"({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
