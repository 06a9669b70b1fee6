"""Query-time synonym expansion, including words typed without å/ä/ö."""

from __future__ import annotations

from pathlib import Path

import pytest

from lindra.language.analyzer import Analyzer, is_variant
from lindra.language.swedish import default_analyzer
from lindra.language.thesaurus import load_thesaurus


def main_stem(analyzer: Analyzer, word: str) -> str:
    (stem,) = (
        t.term for t in analyzer.analyze(word) if t.origin == "text" and not is_variant(t.term)
    )
    return stem


@pytest.mark.parametrize(
    "typed, added",
    [
        ("benskorhet", "osteoporos"),
        ("sjukgymnastik", "fysioterapi"),
        ("backenbottentraning", "bäckenbottenträning"),
    ],
)
def test_accentless_words_are_expanded(sv_analyzer: Analyzer, typed: str, added: str) -> None:
    assert main_stem(sv_analyzer, added) in sv_analyzer.query_terms(typed)


def test_an_accentless_spelling_that_is_a_term_keeps_its_own_concept(tmp_path: Path) -> None:
    path = tmp_path / "egen.tsv"
    path.write_text(
        "hill\tother\tbacke\tlay:backen|lay:slänt\npelvis\tbody_part\tbäcken\tpro:pelvis\n",
        encoding="utf-8",
    )
    analyzer = default_analyzer(load_thesaurus(path))
    assert main_stem(analyzer, "slänt") in analyzer.query_terms("backen")
    assert main_stem(analyzer, "pelvis") not in analyzer.query_terms("backen")
