"""Regenerate the bundled demo corpus in src/lindra/demo/ from ../shared.

    python scripts/build_demo_data.py [--shared ../shared]

The output is committed; `lindra demo` (and `make run`) ingest it.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from lindra.evaluation.datasets import answer_id

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "lindra" / "demo"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    (DEMO / "samples").mkdir(parents=True, exist_ok=True)
    for page in sorted((args.shared / "samples").glob("*.txt")):
        shutil.copyfile(page, DEMO / "samples" / page.name)

    with (DEMO / "pubmedqa_sv.jsonl").open("w", encoding="utf-8") as out:
        for line in (args.shared / "eval" / "pubmedqa_sv" / "corpus.jsonl").open(encoding="utf-8"):
            row = json.loads(line)
            record = {
                "id": row["id"],
                "text": row["text"],
                "kind": "abstract",
                "url": f"https://pubmed.ncbi.nlm.nih.gov/{row['id']}/",
                "mesh_sv": row["mesh_sv"],
                "year": row["year"],
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    shutil.copyfile(args.shared / "eval" / "pubmedqa_sv" / "LICENSE", DEMO / "LICENSE-pubmedqa.txt")

    seen: set[str] = set()
    with (DEMO / "swefaq_answers.jsonl").open("w", encoding="utf-8") as out:
        for line in (args.shared / "eval" / "swefaq" / "dev.jsonl").open(encoding="utf-8"):
            row = json.loads(line)
            answer = row["candidate_answers"][row["label"]]
            doc_id = answer_id(answer)
            if doc_id in seen:
                continue
            seen.add(doc_id)
            record = {
                "id": doc_id,
                "text": answer,
                "kind": "faq",
                "url": row["meta"]["link"],
                "publisher": row["meta"]["source"],
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
