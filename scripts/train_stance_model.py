"""Train the stance reader on the adjudicated real-page corpus and write its weights.

    python scripts/train_stance_model.py [--c 1.0]

Reads ``benchmarks/realpages/gold.tsv`` (each row's quoted sentence with its
stance) and, when the page texts are cached, every other sentence of those pages
as ``not_stated``; writes ``src/lindra/knowledge/data/sv_stance_model.json``.
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

from realpages import DATA, load_pages, load_rows, training_examples  # noqa: E402

from lindra.knowledge.cues import default_cues  # noqa: E402
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
    sentences = default_sentence_splitter()
    examples = training_examples(pages, gold, lambda t: sentences.spans(t, 0, len(t)))
    model = fit_stance_model(
        examples,
        default_cues(),
        SnowballStemmer(),
        c=args.c,
        info={
            "trained_on": "benchmarks/realpages/gold.tsv",
            "pages": len(pages),
            "sites": len({p.site for p in pages}),
            "cached_pages": sum(p.path.exists() for p in pages),
        },
    )
    OUT.write_text(json.dumps(model.to_json(), ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
    print(f"{len(examples)} sentences, {len(model.vocabulary)} features -> {OUT}")


if __name__ == "__main__":
    main()
