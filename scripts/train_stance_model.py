"""Train the stance reader on the adjudicated real-page corpus and write its weights.

    python scripts/train_stance_model.py [--c 1.0]

Reads ``benchmarks/realpages/gold.tsv`` (each row's quoted sentence with its
stance), when the page texts are cached every other sentence of those pages as
``not_stated``, and every sentence of the two sample pages with the stance the
rules give it (they are checked on those pages entry by entry); writes
``src/lindra/knowledge/data/sv_stance_model.json``.
``python benchmarks/realpages.py`` measures the same training by grouped
cross-validation before the weights are trusted.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from realpages import (  # noqa: E402
    DATA,
    SAMPLE_PAGES,
    load_pages,
    load_rows,
    sample_examples,
    training_examples,
)

from lindra.knowledge.cues import default_cues  # noqa: E402
from lindra.knowledge.stance import classify_sentence  # noqa: E402
from lindra.knowledge.stance_model import MODEL_FILE  # noqa: E402
from lindra.knowledge.stance_training import DEFAULT_C, fit_stance_model  # noqa: E402
from lindra.language.stem import SnowballStemmer  # noqa: E402
from lindra.language.swedish import default_sentence_splitter  # noqa: E402

OUT = ROOT / "src" / "lindra" / "knowledge" / "data" / MODEL_FILE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c", type=float, default=DEFAULT_C)
    args = parser.parse_args()
    pages = load_pages()
    gold = load_rows(DATA / "gold.tsv")
    missing = [p.id for p in pages if not p.path.exists()]
    if missing:
        print(
            f"warning: {len(missing)} of {len(pages)} page texts are not cached; their other"
            f" sentences are left out of training (python scripts/cache_worklist.py)",
            file=sys.stderr,
        )
    sentences = default_sentence_splitter()
    cues = default_cues()

    def split(text: str) -> list[tuple[int, int]]:
        return sentences.spans(text, 0, len(text))

    examples = training_examples(pages, gold, split)
    examples += sample_examples(split, lambda s: classify_sentence(s, cues).stance)
    model = fit_stance_model(
        examples,
        cues,
        SnowballStemmer(),
        c=args.c,
        info={
            "trained_on": "benchmarks/realpages/gold.tsv",
            "pages": len(pages),
            "sites": len({p.site for p in pages}),
            "cached_pages": sum(p.path.exists() for p in pages),
            "rule_read_pages": sorted(p.name for p in SAMPLE_PAGES.glob("*.txt")),
        },
    )
    OUT.write_text(json.dumps(model.to_json(), ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
    print(f"{len(examples)} sentences, {len(model.vocabulary)} features -> {OUT}")


if __name__ == "__main__":
    main()
