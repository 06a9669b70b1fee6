"""Compound splitting: accuracy on the case table, load time, speed and memory.

    python benchmarks/compounds.py [--text FILE ...]

Accuracy is exact match of ``split_compound`` against
``tests/language/cases/compounds.tsv`` (the development table: the splitter's
rules were tuned on it), split into compounds and must-stay-whole words. Speed
is measured on the distinct words of the bundled demo corpus (PubMedQA-sv
abstracts and SweFAQ answers) or of the given text files, uncached and then
through the cached :class:`CompoundSplitter`.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import time
import tracemalloc
from pathlib import Path

from lindra.language.compounds import CompoundSplitter, load_compound_lexicon, split_compound

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "language" / "cases" / "compounds.tsv"
DEMO = ROOT / "src" / "lindra" / "demo"
WORD = re.compile(r"[^\W\d_]+")


def corpus_words(files: list[Path]) -> list[str]:
    texts: list[str] = []
    if files:
        texts = [f.read_text(encoding="utf-8") for f in files]
    else:
        for name in ("pubmedqa_sv.jsonl", "swefaq_answers.jsonl"):
            path = DEMO / name
            if path.exists():
                texts += [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    words = {w.casefold() for text in texts for w in WORD.findall(text)}
    return sorted(words)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", type=Path, nargs="*", default=[])
    args = parser.parse_args()

    loads = []
    for _ in range(3):
        started = time.perf_counter()
        lexicon = load_compound_lexicon()
        loads.append(time.perf_counter() - started)

    rows = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, parts, why = line.split("\t")
            rows.append((word, () if parts == "-" else tuple(parts.split()), why))
    print(f"{'case table':28} {'n':>5} {'correct':>8} {'accuracy':>9}")
    failures = []
    for label, subset in (
        ("compounds (split)", [r for r in rows if r[1]]),
        ("must stay whole", [r for r in rows if not r[1]]),
        ("all", rows),
    ):
        correct = 0
        for word, expected, _why in subset:
            got = split_compound(word, lexicon)
            if got == expected:
                correct += 1
            elif label == "all":
                failures.append(f"  {word}: expected {expected or '-'}, got {got or '-'}")
        print(f"{label:28} {len(subset):5d} {correct:8d} {correct / len(subset):9.3f}")
    print("failures:\n" + "\n".join(failures) if failures else "failures: none")

    words = corpus_words(args.text)
    started = time.perf_counter()
    split = sum(1 for word in words if split_compound(word, lexicon))
    uncached = time.perf_counter() - started
    splitter = CompoundSplitter(lexicon)
    for word in words:
        splitter(word)
    started = time.perf_counter()
    for word in words:
        splitter(word)
    cached = time.perf_counter() - started

    tracemalloc.start()
    lexicon = load_compound_lexicon()
    load_mb = tracemalloc.get_traced_memory()[0] / 1e6
    splitter = CompoundSplitter(lexicon)
    for word in words:
        splitter(word)
    used_mb = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    print()
    print(f"load (3 files, lazy rows)      {min(loads) * 1000:8.0f} ms   (best of 3)")
    print(f"memory: lexicon after load     {load_mb:8.1f} MB   (tracemalloc)")
    print(f"memory: + parsed rows, caches  {used_mb:8.1f} MB   (after splitting the corpus)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process max RSS                {rss:8.1f} MB")
    print(f"distinct corpus words          {len(words):8d}   ({split} split)")
    if words:
        print(
            f"uncached split_compound        {uncached / len(words) * 1e6:8.1f} ms / 1,000 words"
            f"   ({len(words) / uncached:,.0f} words/s)"
        )
        print(f"cached CompoundSplitter        {cached / len(words) * 1e6:8.2f} µs / word")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
