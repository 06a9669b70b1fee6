"""The packaged Swedish analyzer: the one place that loads the language data files."""

from __future__ import annotations

from lindra.language.analyzer import Analyzer, FoldStage, HyphenStage, StemStage, StopStage
from lindra.language.lexicons import load_word_set, packaged_file
from lindra.language.sentences import SentenceSplitter
from lindra.language.stem import SnowballStemmer
from lindra.language.tokenize import Tokenizer

__all__ = ["default_analyzer", "default_sentence_splitter"]


def default_sentence_splitter() -> SentenceSplitter:
    return SentenceSplitter(load_word_set(packaged_file("sv_abbreviations.txt")))


def default_analyzer() -> Analyzer:
    """Swedish analysis: tokens → fold → hyphen parts → stop words → Snowball stems."""
    abbreviations = load_word_set(packaged_file("sv_abbreviations.txt"))
    stop_words = load_word_set(packaged_file("sv_stop_words.txt"))
    return Analyzer(
        Tokenizer(abbreviations),
        [FoldStage(), HyphenStage(), StopStage(stop_words), StemStage(SnowballStemmer())],
    )
