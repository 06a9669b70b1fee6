"""Train the treatment tagger on the real-page corpus and write its weights.

    python scripts/train_treatment_tagger.py

Reads ``benchmarks/realpages/gold.tsv`` and the cached page texts (every occurrence
of an annotated treatment's name is a span) and the two sample pages (the thesaurus
finder's treatments, checked there entry by entry); writes
``src/lindra/knowledge/data/sv_treatment_crf.tsv.gz``. ``python
benchmarks/realpages.py`` measures the same training by grouped cross-validation.
Training is deterministic (L-BFGS from zero weights) and takes about five minutes.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from realpages import DATA, load_pages, load_rows, treatment_sentences  # noqa: E402

from lindra.knowledge.defaults import default_mention_finder  # noqa: E402
from lindra.knowledge.entities import default_extractor  # noqa: E402
from lindra.knowledge.treatment_tagger import (  # noqa: E402
    VERSION,
    WEIGHTS_FILE,
    train_treatment_tagger,
)
from lindra.knowledge.weights import save_weights  # noqa: E402
from lindra.language.swedish import (  # noqa: E402
    default_analyzer,
    default_sentence_splitter,
    default_thesaurus,
)

OUT = ROOT / "src" / "lindra" / "knowledge" / "data" / WEIGHTS_FILE
# Features whose largest weight is below this are dropped: a smaller file, the same tags.
MIN_WEIGHT = 0.01


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    pages = load_pages()
    cached = [p for p in pages if p.path.exists()]
    if not cached:
        raise SystemExit(
            "No cached page texts in benchmarks/realpages/cache: the tagger learns from "
            "them (python scripts/cache_worklist.py lists what to fetch)."
        )
    if len(cached) < len(pages):
        print(
            f"warning: {len(pages) - len(cached)} of {len(pages)} pages not cached", file=sys.stderr
        )
    thesaurus = default_thesaurus()
    finder = default_mention_finder(thesaurus, default_analyzer(thesaurus).tokenizer)
    splitter = default_sentence_splitter()
    features = default_extractor()
    started = time.perf_counter()
    sentences = treatment_sentences(
        cached,
        load_rows(DATA / "gold.tsv"),
        finder,
        features,
        lambda text: splitter.spans(text, 0, len(text)),
    )
    tagger = train_treatment_tagger(sentences, features)
    written = save_weights(
        tagger.model,
        OUT,
        comments=[
            "Treatment tagger of lindra: linear-chain CRF (scripts/train_treatment_tagger.py).",
            f"Trained on benchmarks/realpages/gold.tsv over {len(cached)} cached pages "
            f"({len({p.site for p in cached})} sites) and the two sample pages.",
            "MIT (annotations and weights by the lindra project).",
        ],
        min_weight=MIN_WEIGHT,
        version=VERSION,
    )
    print(
        f"{len(sentences)} sentences, {written} features, "
        f"{time.perf_counter() - started:.0f} s -> {OUT}"
    )


if __name__ == "__main__":
    main()
