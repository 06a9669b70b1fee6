"""Answer-card benchmark: first quoted sentence, and the "found nothing" calibration.

    python benchmarks/answers.py [--eval-dir ../shared/eval] [--json]

1. Lay questions about the two sample pages (benchmarks/data/sample_questions.tsv,
   written by the maintainers): how often the first quoted sentence is the one
   that answers the question, on the demo base.
2. PubMedQA-sv dev on the demo base: how often the first quote comes from the
   question's own abstract.
3. "No answer" calibration: the dev questions are split in two halves; for each
   half, a base without that half's abstracts is built, and the question is asked
   there (abstract absent) and on the other base (abstract present). For each
   relevance threshold the table shows the share of "found nothing" when the
   abstract is absent and of "found" when it is present. Goal: ≥ 0.70 and ≥ 0.90.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from lindra import Engine, Settings
from lindra.interfaces.render import demo_files

HERE = Path(__file__).resolve().parent
DEFAULT_EVAL = HERE.parents[1] / "shared" / "eval"
THRESHOLDS = [round(0.30 + 0.05 * i, 2) for i in range(12)]


def sample_questions() -> list[tuple[str, str, list[str]]]:
    rows = []
    for line in (HERE / "data" / "sample_questions.tsv").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            question, doc_id, phrases = line.split("\t")
            rows.append((question, doc_id, [p.casefold() for p in phrases.split("|")]))
    return rows


def build(db: Path, files: list[Path], skip_ids: set[str] = frozenset()) -> Engine:
    engine = Engine.from_settings(Settings(db=str(db), answer_threshold=0.0), create=True)
    for path in files:
        if path.suffix == ".jsonl" and skip_ids:
            kept = db.parent / f"{db.stem}-{path.name}"
            lines = [
                line
                for line in path.read_text("utf-8").splitlines()
                if json.loads(line)["id"] not in skip_ids
            ]
            kept.write_text("\n".join(lines) + "\n", "utf-8")
            path = kept
        list(engine.ingest_paths([path]))
    return engine


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--samples-only", action="store_true", help="only the lay sample questions (a minute)"
    )
    args = parser.parse_args()
    results: dict[str, object] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        files = demo_files()
        engine = build(Path(tmp) / "demo.sqlite", files)
        rows = sample_questions()
        hits = 0
        right_page = 0
        misses = []
        for question, doc_id, phrases in rows:
            top = engine.search(question, 1)
            right_page += bool(top) and top[0].doc_id == doc_id
            answer = engine.ask(question)
            first = answer.answers[0] if answer.answers else None
            ok = (
                first is not None
                and first.doc_id == doc_id
                and any(p in first.text.casefold() for p in phrases)
            )
            hits += ok
            if not ok:
                misses.append((question, first.text if first else "(nothing)"))
        results["sample questions, right page ranked first"] = {
            "n": len(rows),
            "rate": right_page / len(rows),
        }
        results["sample questions, first quote answers"] = {
            "n": len(rows),
            "rate": hits / len(rows),
        }

        dev_path = args.eval_dir / "pubmedqa_sv" / "dev.jsonl"
        if dev_path.exists() and not args.samples_only:
            dev = [json.loads(line) for line in dev_path.read_text("utf-8").splitlines()]
            right = sum(
                1
                for item in dev
                if (a := engine.ask(item["question"])).answers
                and a.answers[0].doc_id == item["relevant"][0]
            )
            results["PubMedQA-sv dev, first quote from the right abstract"] = {
                "n": len(dev),
                "rate": right / len(dev),
            }
            engine.close()
            results["no-answer calibration"] = calibrate(Path(tmp), files, dev)
        else:
            engine.close()
    results["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return 0
    for name, value in results.items():
        if name == "no-answer calibration":
            print("\nthreshold  absent→nothing  present→found")
            for row in value:  # type: ignore[union-attr]
                absent, present = row["absent_nothing"], row["present_found"]
                print(f"{row['threshold']:9.2f}  {absent:14.3f}  {present:13.3f}")
        elif isinstance(value, dict):
            print(f"{name}: {value['rate']:.3f} (n={value['n']})")
        else:
            print(f"{name}: {value}")
    if misses:
        print("\nsample questions whose first quote missed:")
        for question, text in misses:
            print(f"  {question} -> {text[:100]}")
    return 0


def calibrate(tmp: Path, files: list[Path], dev: list[dict]) -> list[dict[str, float]]:
    halves = [dev[0::2], dev[1::2]]
    absent: list[float] = []
    present: list[float] = []
    for number, half in enumerate(halves):
        removed = {item["relevant"][0] for item in half}
        engine = build(tmp / f"without-{number}.sqlite", files, removed)
        other = halves[1 - number]
        absent.extend(engine.ask(item["question"]).relevance for item in half)
        present.extend(engine.ask(item["question"]).relevance for item in other)
        engine.close()
    return [
        {
            "threshold": t,
            "absent_nothing": sum(r < t for r in absent) / len(absent),
            "present_found": sum(r >= t for r in present) / len(present),
        }
        for t in THRESHOLDS
    ]


if __name__ == "__main__":
    raise SystemExit(main())
