"""The analysis pipeline: index terms, cached per word when every stage allows it."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from lindra.language.analyzer import Analyzer, FoldStage
from lindra.language.swedish import default_analyzer
from lindra.language.tokenize import Origin, Token, Tokenizer

TEXT = (
    "Värmekuddar och bäckenbottensmärta: blås-störningar, t.ex. 3-6 mån. "
    "Botoxinjektioner hjälper OCH värmekuddar hjälper."
)


def test_cached_index_terms_equal_the_stages_run_in_full() -> None:
    analyzer = default_analyzer()
    expected = [token.term for token in analyzer.trace(TEXT, query=False)[-1].tokens]
    assert analyzer.index_terms(TEXT) == expected
    assert analyzer.index_terms(TEXT) == expected  # the second time from the cache


def test_cached_query_tokens_equal_the_stages_run_in_full() -> None:
    analyzer = default_analyzer()
    question = "Hjälper värmekuddar mot bäckenbottensmärta, t.ex. 3-6 mån efter en blås-operation?"
    expected = list(analyzer.trace(question, query=True)[-1].tokens)
    assert analyzer.analyze(question, query=True) == expected
    assert analyzer.analyze(question, query=True) == expected  # the second time from the cache


class _Bigrams:
    """A stage that looks at neighbours: no per-word cache may be used with it."""

    name = "bigrams"

    def __call__(self, tokens: Sequence[Token]) -> list[Token]:
        pairs = [a.with_term(f"{a.term}_{b.term}") for a, b in itertools.pairwise(tokens)]
        return [*tokens, *pairs]


def test_a_stage_that_reads_neighbours_gets_the_whole_text() -> None:
    analyzer = Analyzer(Tokenizer(), [FoldStage(), _Bigrams()])
    assert analyzer.index_terms("Ont i ryggen") == ["ont", "i", "ryggen", "ont_i", "i_ryggen"]


def test_known_words_are_read_not_analysed_and_the_others_are() -> None:
    analyzer = Analyzer(Tokenizer(), [FoldStage()])
    asked: list[str] = []

    def known(word: str) -> tuple[tuple[str, Origin, float], ...] | None:
        asked.append(word)
        return (("ISPACKNING", "text", 1.0),) if word == "Ispackningar" else None

    tokens = analyzer.analyze("Ispackningar 3 gånger", known=known)
    assert [(t.text, t.term) for t in tokens] == [
        ("Ispackningar", "ISPACKNING"),
        ("3", "3"),
        ("gånger", "gånger"),
    ]
    assert asked == ["Ispackningar", "gånger"]  # words as written; a number is never looked up
    assert not Analyzer(Tokenizer(), [FoldStage(), _Bigrams()]).per_token


def test_index_terms_read_known_words_too() -> None:
    analyzer = Analyzer(Tokenizer(), [FoldStage()])

    def known(word: str) -> tuple[tuple[str, Origin, float], ...] | None:
        return (("is", "text", 1.0), ("=is", "exact", 1.0)) if word == "Is" else None

    assert analyzer.index_terms("Is och 3 värme", known) == ["is", "=is", "och", "3", "värme"]
