"""The packaged Swedish analyzer: the one place that loads the language data files."""

from __future__ import annotations

import functools
import gzip
from pathlib import Path
from typing import Final

from lindra.language.accents import AccentRestorer
from lindra.language.analyzer import (
    Analyzer,
    FoldStage,
    HyphenStage,
    Stage,
    StemStage,
    StopStage,
    VariantStage,
    is_variant,
)
from lindra.language.compounds import CompoundSplitter, CompoundStage, load_compound_lexicon
from lindra.language.lexicons import load_word_set, packaged_file
from lindra.language.sentences import SentenceSplitter
from lindra.language.stem import SnowballStemmer
from lindra.language.synonyms import SynonymStage
from lindra.language.term_analyses import TermAnalysis, stored_analyses, with_stored
from lindra.language.thesaurus import Thesaurus, load_thesaurus
from lindra.language.tokenize import Tokenizer

__all__ = [
    "default_accent_restorer",
    "default_analyzer",
    "default_query_filler",
    "default_sentence_splitter",
    "default_thesaurus",
    "is_common_word",
]

# Zipf frequency (wordfreq's Swedish list) at which a word counts as real,
# common Swedish: about once per 3 million words. "smarta" (4.4) and "botox"
# (3.1) pass; "backenbotten" and "kotkompresion" (0) do not.
COMMON_WORD_ZIPF = 2.5
# Plain words and their dominant accented twins (lindra.language.accents), gzipped.
ACCENT_FORMS = "sv_accent_forms.txt.gz"


def is_common_word(word: str) -> bool:
    """True for a word that is common in Swedish text (wordfreq, CC BY-SA 4.0 data).

    >>> is_common_word("cykel"), is_common_word("kotkompresion")
    (True, False)
    """
    return word in common_words()


@functools.cache
def common_words() -> frozenset[str]:
    """Words of wordfreq's Swedish list at :data:`COMMON_WORD_ZIPF` or above.

    The file is written sorted and NFC by scripts/build_common_words.py, so it is
    read directly: loading takes milliseconds, where wordfreq's own list costs a
    one-off search about 0.3 s.
    """
    lines = packaged_file("sv_common_words.txt").read_text(encoding="utf-8").split("\n")
    return frozenset(line for line in lines if line and not line.startswith("#"))


# Plain words whose accented twin is a health word about as common as the plain one
# (so the frequency table leaves them): asked of a health engine, "smarta i knät" is
# pain, not "smart". In the 1,242 cached real health texts of the benchmarks, the word
# "smärta" occurs 326 times and "smarta" (smart) 3 times.
HEALTH_TWINS: Final = {"smarta": "smärta"}


def default_accent_restorer() -> AccentRestorer:
    """Å/ä/ö restoration from the packaged table of accented twins (derived from
    wordfreq's Swedish frequencies, CC BY-SA 4.0 data, by scripts/build_common_words.py).

    Reading the file takes about 30 ms; building the table from wordfreq took about
    0.7 s of the first question typed without å/ä/ö.
    """

    def forms() -> dict[str, str]:
        text = gzip.decompress(packaged_file(ACCENT_FORMS).read_bytes()).decode("utf-8")
        pairs = (line.split("\t") for line in text.split("\n") if line and line[0] != "#")
        return {plain: word for plain, word in pairs} | HEALTH_TWINS

    return AccentRestorer(forms, common_words)


def default_query_filler() -> frozenset[str]:
    """Question-forming words ("får", "tag", "göra") that do not tell a question's topic."""
    return load_word_set(packaged_file("sv_query_filler.txt"))


def default_sentence_splitter() -> SentenceSplitter:
    return SentenceSplitter(load_word_set(packaged_file("sv_abbreviations.txt")))


def default_thesaurus(extra: Path | None = None) -> Thesaurus:
    """The packaged thesaurus, with a user's file merged over it when given.

    :raises LexiconError: when either file is malformed (naming file and line).
    """
    packaged = packaged_file("sv_thesaurus.tsv")
    thesaurus = load_thesaurus(packaged)
    if extra is None:
        return thesaurus
    merged = thesaurus.merged(load_thesaurus(extra))
    merged.check_hierarchy(f"{extra} (merged over the packaged {packaged.name})")
    return merged


def default_analyzer(thesaurus: Thesaurus | None = None) -> Analyzer:
    """Swedish analysis: tokens → fold → hyphen parts → compound parts → stop words
    → Snowball stems → exact/prefix variants; queries are then expanded with
    thesaurus synonyms."""
    tokenizer, index_stages = _index_pipeline()
    # The packaged terms come analysed ahead of time (0.1 s saved at every start).
    analyze_term = with_stored(_main_terms(tokenizer, index_stages), stored_analyses())
    synonyms = SynonymStage(thesaurus or default_thesaurus(), analyze_term)
    return Analyzer(tokenizer, index_stages, query_stages=[synonyms])


def thesaurus_term_analysis() -> TermAnalysis:
    """How :func:`default_analyzer` analyses a thesaurus term, computed, never read
    from the stored analyses (which are made and checked with it)."""
    return _main_terms(*_index_pipeline())


def _index_pipeline() -> tuple[Tokenizer, list[Stage]]:
    stop_words = load_word_set(packaged_file("sv_stop_words.txt"))
    stages: list[Stage] = [
        FoldStage(),
        HyphenStage(),
        CompoundStage(
            CompoundSplitter.loading(lambda: load_compound_lexicon(stop_words=stop_words))
        ),
        StopStage(stop_words),
        StemStage(SnowballStemmer()),
        VariantStage(),
    ]
    return Tokenizer(load_word_set(packaged_file("sv_abbreviations.txt"))), stages


def _main_terms(tokenizer: Tokenizer, index_stages: list[Stage]) -> TermAnalysis:
    """A term's main tokens after the index stages. Compound splitting leaves those as
    they are and variants are dropped, so both stages are skipped: several times faster."""
    main_only = Analyzer(
        tokenizer,
        [s for s in index_stages if not isinstance(s, CompoundStage | VariantStage)],
    )

    def analyze_term(term: str) -> tuple[str, ...]:
        tokens = main_only.analyze(term)
        return tuple(t.term for t in tokens if t.origin == "text" and not is_variant(t.term))

    return analyze_term
