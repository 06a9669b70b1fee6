"""The packaged knowledge extractor: the one place that loads the knowledge data files."""

from __future__ import annotations

from lindra.knowledge.evidence import EvidenceExtractor
from lindra.knowledge.mentions import MentionFinder
from lindra.knowledge.stance import classify_sentence, default_cues
from lindra.language.lexicons import data_lines, packaged_file
from lindra.language.normalize import fold
from lindra.language.sentences import SentenceSplitter
from lindra.language.stem import SnowballStemmer
from lindra.language.thesaurus import Thesaurus
from lindra.language.tokenize import Tokenizer
from lindra.types import Stance

__all__ = ["default_evidence_extractor"]


def default_evidence_extractor(
    thesaurus: Thesaurus, tokenizer: Tokenizer, sentences: SentenceSplitter
) -> EvidenceExtractor:
    """Evidence extraction with the packaged cue lexicon and generic-treatment list."""
    stem = SnowballStemmer()
    cues = default_cues()
    generic = load_word_set_phrases("sv_generic_treatments.txt")

    def normalise(word: str) -> str:
        return stem(fold(word))

    def classify(sentence: str) -> Stance:
        return classify_sentence(sentence, cues).stance

    finder = MentionFinder(thesaurus, tokenizer.tokenize, normalise, generic)
    return EvidenceExtractor(finder, classify, sentences.spans, thesaurus)


def load_word_set_phrases(name: str) -> frozenset[str]:
    """A packaged knowledge list of (possibly multi-word) terms, one per line."""
    return frozenset(
        fold(line.strip()) for _, line in data_lines(packaged_file(name, "lindra.knowledge"))
    )
