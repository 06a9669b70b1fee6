"""Store the analysed form of every packaged thesaurus term, for a faster start.

    python scripts/build_term_analyses.py

Writes ``src/lindra/language/data/sv_thesaurus_analysed.json`` (see
``lindra.language.term_analyses``). Run it after changing the thesaurus, the stop
words, the abbreviations or the analysis code; ``tests/language/test_term_analyses.py``
fails while a stored analysis disagrees with the analyzer.
"""

from __future__ import annotations

import json
from pathlib import Path

from lindra.language.swedish import default_thesaurus, thesaurus_term_analysis
from lindra.language.term_analyses import ANALYSES_FILE, analyses_of, word_list_fingerprint

OUT = Path(__file__).resolve().parents[1] / "src" / "lindra" / "language" / "data" / ANALYSES_FILE


def main() -> None:
    analyses = analyses_of(default_thesaurus(), thesaurus_term_analysis())
    # One term a line, so that a thesaurus edit shows as a readable diff.
    terms = ",\n".join(
        f"{json.dumps(term, ensure_ascii=False)}: {json.dumps(list(analysed), ensure_ascii=False)}"
        for term, analysed in analyses.items()
    )
    head = {"about": "thesaurus terms analysed by scripts/build_term_analyses.py"}
    head["word_lists"] = word_list_fingerprint()
    opening = json.dumps(head, ensure_ascii=False)[:-1]
    OUT.write_text(f'{opening}, "terms": {{\n{terms}\n}}}}\n', "utf-8")
    print(f"{len(analyses)} terms -> {OUT}")


if __name__ == "__main__":
    main()
