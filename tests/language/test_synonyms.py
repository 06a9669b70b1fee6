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


def analyzer_with(tmp_path: Path, thesaurus_rows: str) -> Analyzer:
    """The Swedish analyzer over a thesaurus of the given rows only."""
    path = tmp_path / "egen.tsv"
    path.write_text(thesaurus_rows, encoding="utf-8")
    return default_analyzer(load_thesaurus(path))


def test_an_accentless_spelling_that_is_a_term_keeps_its_own_concept(tmp_path: Path) -> None:
    analyzer = analyzer_with(
        tmp_path,
        "hill\tother\tbacke\tlay:backen|lay:slänt\npelvis\tbody_part\tbäcken\tpro:pelvis\n",
    )
    assert main_stem(analyzer, "slänt") in analyzer.query_terms("backen")
    assert main_stem(analyzer, "pelvis") not in analyzer.query_terms("backen")


def test_a_term_that_analysis_reduces_to_one_word_is_not_used(tmp_path: Path) -> None:
    """ "vara med barn" loses "vara" and "med" (stop words): "barn" alone is no pregnancy."""
    analyzer = analyzer_with(
        tmp_path,
        "pregnancy\tother\tgraviditet\tlay:gravid|lay:vara med barn\n"
        "back_pain\tsymptom\tryggsmärta\tlay:ont i ryggen\n",
    )
    assert main_stem(analyzer, "graviditet") not in analyzer.query_terms("feber hos barn")
    assert main_stem(analyzer, "barn") not in analyzer.query_terms("gravid")
    assert main_stem(analyzer, "graviditet") in analyzer.query_terms("gravid")
    assert main_stem(analyzer, "ryggsmärta") in analyzer.query_terms("ont i ryggen")


@pytest.mark.parametrize(
    "question, foreign",
    [("feber hos barn", "graviditet"), ("skada i knät", "självskadebeteende")],
)
def test_packaged_thesaurus_does_not_expand_a_common_word(
    sv_analyzer: Analyzer, question: str, foreign: str
) -> None:
    assert main_stem(sv_analyzer, foreign) not in sv_analyzer.query_terms(question)
