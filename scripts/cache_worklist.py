"""List the third-party page texts missing from the benchmarks' local caches.

    python scripts/cache_worklist.py [--out FOLDER]

The real-text benchmarks (``benchmarks/realpages``, ``narratives``, ``layquestions``)
read whole page texts from git-ignored ``cache/`` folders, which a new checkout
lacks. The texts are rebuilt from the search tool's ``pages`` corpus: search with
the page's ``query`` (or its title, or a quote), take the result whose address is
the page's ``url``, and save its excerpt as ``save_to``. This script writes one
work list per corpus (JSONL: ``id``, ``url``, ``query``, ``title``, ``save_to``,
``quotes_to_check``) for the pages whose text is missing, and prints how many
there are. The quotes let whoever rebuilds a text check it.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
QUOTES_KEPT = 3


def _jsonl(paths: list[Path]) -> Iterator[dict[str, object]]:
    for path in paths:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"{path} line {number}: {exc}") from exc


def _realpages_quotes(folder: Path) -> dict[str, list[str]]:
    quotes: dict[str, list[str]] = defaultdict(list)
    for path in sorted(folder.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as rows:
            for row in csv.DictReader(rows, delimiter="\t"):
                if row.get("page_id") and row.get("quote"):
                    quotes[row["page_id"]].append(row["quote"])
    return quotes


def _lay_quotes(folder: Path) -> dict[str, list[str]]:
    quotes: dict[str, list[str]] = defaultdict(list)
    for item in _jsonl(sorted(folder.glob("questions*.jsonl"))):
        if item.get("answer_page") and item.get("answer_quote"):
            quotes[str(item["answer_page"])].append(str(item["answer_quote"]))
    return quotes


def _narrative_quotes(folder: Path) -> dict[str, list[str]]:
    return {
        str(item["id"]): [str(item["quote"])]
        for item in _jsonl(sorted(folder.glob("narratives*.jsonl")))
        if item.get("quote")
    }


CORPORA = {
    "realpages": ("pages*.jsonl", _realpages_quotes),
    "layquestions": ("pages*.jsonl", _lay_quotes),
    "narratives": ("narratives*.jsonl", _narrative_quotes),
}


def missing(corpus: str) -> list[dict[str, object]]:
    """The work list of *corpus*: its pages whose cached text is missing."""
    pattern, quotes_of = CORPORA[corpus]
    folder = BENCHMARKS / corpus
    quotes = quotes_of(folder)
    items: dict[str, dict[str, object]] = {}
    for page in _jsonl(sorted(folder.glob(pattern))):
        page_id = str(page["id"])
        save_to = folder / "cache" / f"{page_id}.txt"
        if page_id in items or save_to.exists():
            continue
        query = page.get("query")
        if not isinstance(query, str) or query.startswith("("):
            query = None  # "(from the lay-question answer pages)" is a note, not a search
        items[page_id] = {
            "id": page_id,
            "url": page["url"],
            "query": query,
            "title": page.get("title"),
            "save_to": str(save_to),
            "quotes_to_check": sorted(set(quotes.get(page_id, [])))[:QUOTES_KEPT],
        }
    return list(items.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write <corpus>.jsonl work lists here")
    args = parser.parse_args()
    # Every corpus is read before anything is written: a broken line leaves no lists.
    works = {corpus: missing(corpus) for corpus in CORPORA}
    for corpus, work in works.items():
        print(f"{corpus}: {len(work)} page texts missing")
        if args.out and work:
            args.out.mkdir(parents=True, exist_ok=True)
            lines = (json.dumps(item, ensure_ascii=False) for item in work)
            (args.out / f"{corpus}.jsonl").write_text("\n".join(lines) + "\n", "utf-8")


if __name__ == "__main__":
    main()
