"""Precision of practical facts per kind, on real pages, judged blind.

    python benchmarks/facts.py

``benchmarks/realpages/facts_sample.tsv`` holds 276 facts lindra extracted from the
cached real pages on 2026-12-05 (at most 40 per kind, chosen by a hash), and
``facts_judged.tsv`` a judge's verdict on each (``yes``/``no``/``unsure``; the judge
saw the guidelines of each kind and the page, not lindra's code). Printed per kind:
the precision of that extraction (yes / (yes + no)) and, when the page texts are
cached, the precision of the rows today's lindra still extracts (rows it no longer
extracts are dropped; new rows are not judged, so this second column can only show
what a fix removed, not what it added).
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from realpages import DATA, read_document  # noqa: E402
from realpages import Page as RealPage  # noqa: E402

from lindra.knowledge.defaults import default_evidence_extractor  # noqa: E402
from lindra.language.swedish import (  # noqa: E402
    default_analyzer,
    default_sentence_splitter,
    default_thesaurus,
)


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def still_extracted(rows: list[dict[str, str]]) -> set[str] | None:
    """The ``n`` of sample rows today's extractor still produces (same page, treatment,
    kind and sentence), or None without the cached page texts."""
    thesaurus = default_thesaurus()
    sentences = default_sentence_splitter()
    extractor = default_evidence_extractor(
        thesaurus, default_analyzer(thesaurus).tokenizer, sentences
    )
    kept: set[str] = set()
    for page_id in sorted({r["page_id"] for r in rows}):
        path = DATA / "cache" / f"{page_id}.txt"
        if not path.exists():
            return None
        document = read_document(RealPage(page_id, "", "", "", path))
        found = {
            (" ".join(e.name.split()), kind, " ".join(q["text"].split()))
            for e in extractor.extract(document)
            for kind, quotes in e.fact_quotes.items()
            for q in quotes
        }
        kept |= {
            r["n"]
            for r in rows
            if r["page_id"] == page_id and (r["treatment"], r["kind"], r["sentence"]) in found
        }
    return kept


def precision(verdicts: list[str]) -> str:
    yes, no = verdicts.count("yes"), verdicts.count("no")
    return f"{yes / (yes + no):.2f}" if yes + no else "-"


def main() -> int:
    sample = read_tsv(DATA / "facts_sample.tsv")
    verdicts = {r["n"]: r["verdict"].strip() for r in read_tsv(DATA / "facts_judged.tsv")}
    rows = [r for r in sample if r["n"] in verdicts]
    kept = still_extracted(rows)
    print(f"{len(rows)} judged facts from {len({r['page_id'] for r in rows})} real pages")
    header = f"{'kind':<16}{'judged':>7}{'yes':>5}{'no':>5}{'unsure':>7}{'precision':>10}"
    print(header + ("" if kept is None else f"{'still extracted':>17}{'precision now':>15}"))
    for kind in [*sorted({r["kind"] for r in rows}), "all"]:
        chosen = [r for r in rows if kind in ("all", r["kind"])]
        said = [verdicts[r["n"]] for r in chosen]
        counts = Counter(said)
        line = (
            f"{kind:<16}{len(chosen):>7}{counts['yes']:>5}{counts['no']:>5}"
            f"{counts['unsure']:>7}{precision(said):>10}"
        )
        if kept is not None:
            now = [verdicts[r["n"]] for r in chosen if r["n"] in kept]
            line += f"{len(now):>17}{precision(now):>15}"
        print(line)
    if kept is None:
        print("(page texts not cached: the columns for today's lindra are skipped)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
