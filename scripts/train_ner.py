"""Train the shipped entity-tagger weights from the 1177 NER dev half.

    python scripts/train_ner.py [--data ../shared/eval/ner_1177/dev.txt]

Writes ``src/lindra/knowledge/data/ner_crf_1177.tsv.gz``. The weights are derived
from the annotated 1177.se sentences (CC BY-SA 4.0, Almgren, Pavlov & Mogren
2016), so the file is shared under CC BY-SA 4.0 as well (see SOURCES.md).
Training is deterministic (L-BFGS from zero weights) and takes about half a
minute on one CPU core.
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from lindra.knowledge.entities import WEIGHTS_FILE, default_extractor
from lindra.knowledge.ner_training import DEFAULT_C2, read_examples, train_tagger
from lindra.knowledge.weights import save_weights

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "ner_1177" / "dev.txt"
OUTPUT = ROOT / "src" / "lindra" / "knowledge" / "data" / WEIGHTS_FILE
# Features whose largest weight is below this are dropped: smaller file, same tags.
MIN_WEIGHT = 0.01


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--c2", type=float, default=DEFAULT_C2)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not args.data.exists():
        raise SystemExit(f"No training data at {args.data}; pass --data PATH/dev.txt.")
    examples = read_examples(args.data)
    started = time.perf_counter()
    tagger = train_tagger(examples, default_extractor(), c2=args.c2)
    seconds = time.perf_counter() - started
    comments = [
        "lindra medical entity tagger: linear-chain CRF weights (scripts/train_ner.py).",
        f"Trained on {len(examples)} sentences of {args.data.name} (ner_1177: 1177.se sentences",
        "annotated by Almgren, Pavlov & Mogren 2016). Licence: CC BY-SA 4.0 (derived data).",
        f"c2={args.c2}; features with all |weight| < {MIN_WEIGHT} dropped.",
    ]
    rows = save_weights(tagger.model, args.output, comments=comments, min_weight=MIN_WEIGHT)
    size = args.output.stat().st_size
    print(
        f"Trained on {len(examples)} sentences in {seconds:.1f}s; "
        f"{rows} of {len(tagger.model.features)} features kept; {args.output} ({size / 1e6:.2f} MB)"
    )


if __name__ == "__main__":
    main()
