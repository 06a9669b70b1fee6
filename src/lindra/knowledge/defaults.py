"""The packaged knowledge extractor: the one place that loads the knowledge data files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from lindra.knowledge.cues import default_cues
from lindra.knowledge.evidence import EvidenceExtractor
from lindra.knowledge.gazetteer import DRUG_PRODUCTS_FILE, load_drug_products
from lindra.knowledge.mentions import MentionFinder
from lindra.knowledge.stance import classify_sentence
from lindra.knowledge.stance_model import MODEL_FILE, StanceModel
from lindra.language.lexicons import data_lines, packaged_file
from lindra.language.normalize import fold
from lindra.language.sentences import SentenceSplitter
from lindra.language.stem import SnowballStemmer
from lindra.language.thesaurus import Thesaurus
from lindra.language.tokenize import Tokenizer
from lindra.types import Stance

__all__ = ["StanceReader", "default_evidence_extractor", "default_mention_finder"]

# "rules": the cue lexicon, the default; "learned": the stance model trained on the real-page
# corpus (data/sv_stance_model.json), ahead in cross-validation but behind on the two newest
# blind test sets (benchmarks/realpages/README.md, fourteenth session); "split": the rules
# where they name the evidence, the model between an effect and none elsewhere
# (StanceModel.classify_split; twenty-third session).
StanceReader = Literal["learned", "rules", "split"]

# Zipf frequency under which a word counts as unknown to the language: below once per
# 100 million words.
RARE_ZIPF = 1.0
NOT_TREATMENTS = frozenset(
    {"bedövning", "bedövningsmedel", "narkos", "lustgas", "hormoner", "smärtlindrande",
     "smärtstillande", "lidokain", "xylocain", "articain", "prilokain", "emla"}
)  # fmt: skip


def default_mention_finder(thesaurus: Thesaurus, tokenizer: Tokenizer) -> MentionFinder:
    """Mentions with the packaged generic-treatment and drug lists."""
    stem = SnowballStemmer()

    def normalise(word: str) -> str:
        return stem(fold(word))

    generic = load_word_set_phrases("sv_generic_treatments.txt")
    # Drug names the thesaurus lacks; words that are not themselves a treatment
    # (anaesthesia, adjectives) are left out.
    drugs = load_word_set_phrases("sv_drugs.txt") - NOT_TREATMENTS
    return MentionFinder(
        thesaurus,
        tokenizer.tokenize,
        normalise,
        generic,
        drugs,
        _is_rare,
        drug_products(thesaurus),
    )


def drug_products(thesaurus: Thesaurus) -> dict[str, str]:
    """The medicines of the Swedish product register (``sv_drug_products.tsv``),
    each name → the thesaurus drug of its one substance ("Nexium" → esomeprazole),
    else → that substance ("Requip" → "ropinirol"), else → itself (a combination)."""
    products: dict[str, str] = {}
    path = packaged_file(DRUG_PRODUCTS_FILE, "lindra.knowledge")
    for name, substance in load_drug_products(path).items():
        if name in NOT_TREATMENTS:
            continue
        known = [c.id for c in thesaurus.lookup(substance) if c.category == "drug"]
        products[name] = known[0] if known else substance or name
    return products


def _is_rare(word: str) -> bool:
    """A word wordfreq has not seen in Swedish or English (a brand: "Miniderm")."""
    from wordfreq import zipf_frequency

    return max(zipf_frequency(word, "sv"), zipf_frequency(word, "en")) < RARE_ZIPF


def default_evidence_extractor(
    thesaurus: Thesaurus,
    tokenizer: Tokenizer,
    sentences: SentenceSplitter,
    reader: StanceReader = "rules",
    *,
    tagger: bool = True,
) -> EvidenceExtractor:
    """Evidence extraction with the packaged word lists and stance *reader*; with
    *tagger*, the packaged treatment tagger finds treatments the thesaurus lacks.

    :raises LexiconError: when a packaged model (stance reader, tagger) is damaged.
    """
    cues = default_cues()
    classify: Callable[[str], Stance]
    if reader in ("learned", "split"):
        path = packaged_file(MODEL_FILE, "lindra.knowledge")
        model = StanceModel.load(path, cues, SnowballStemmer())
        classify = model.classify if reader == "learned" else model.classify_split
    else:

        def classify(sentence: str) -> Stance:
            return classify_sentence(sentence, cues).stance

    finder = default_mention_finder(thesaurus, tokenizer)
    treatments = None
    if tagger:  # imported here: a search needs the finder, never the tagger's CRF
        from lindra.knowledge.treatment_tagger import TreatmentTagger

        treatments = TreatmentTagger.default()
    return EvidenceExtractor(finder, classify, sentences.spans, thesaurus, treatments)


def load_word_set_phrases(name: str) -> frozenset[str]:
    """A packaged knowledge list of (possibly multi-word) terms, one per line."""
    return frozenset(
        fold(line.strip()) for _, line in data_lines(packaged_file(name, "lindra.knowledge"))
    )
