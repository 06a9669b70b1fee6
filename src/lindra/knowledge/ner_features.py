"""Token features for the medical entity tagger (a linear-chain CRF).

Every feature is a string; a token's features are the strings that are true of
it. The features aim to generalise beyond the training sentences: word shape and
suffixes, Swedish medical word endings, gazetteer hits (whole words, phrases,
compound heads and modifiers), word frequency and the neighbouring words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final

from lindra.knowledge.gazetteer import Gazetteer
from lindra.language.normalize import fold

__all__ = [
    "DISORDER_PREMODIFIERS",
    "FEATURE_VERSION",
    "WINDOW",
    "FeatureExtractor",
    "first_word",
    "is_punctuation",
    "passed_on",
    "premodified_features",
    "split_punctuation",
    "window_features",
]

# Bump when features change: the weight file records it and the loader checks it.
FEATURE_VERSION: Final = "ner-features-1"
# The neighbours whose words a token's window features name (window_features).
WINDOW: Final = (-2, -1, 1, 2)
# How many words' own features a feature extractor remembers.
_KNOWN_WORDS: Final = 100_000

Frequency = Callable[[str], float]

# Word endings of Swedish medical vocabulary, mostly Greek/Latin loans as spelled
# in Swedish (artr-it, artr-os, melan-om, fibromy-algi, leuk-emi, neur-opati ...;
# drug stems follow the WHO INN stem list: -cillin, -mycin, -pril, -sartan,
# -statin, -olol, -prazol, -profen, -xib ...). Longest ending first.
_MEDICAL_ENDINGS: Final[tuple[tuple[str, str], ...]] = (
    ("inflammation", "disorder"),
    ("sjukdom", "disorder"),
    ("syndrom", "disorder"),
    ("floxacin", "drug"),
    ("cillin", "drug"),
    ("cyklin", "drug"),
    ("profen", "drug"),
    ("sartan", "drug"),
    ("statin", "drug"),
    ("opati", "disorder"),
    ("algi", "disorder"),
    ("prazol", "drug"),
    ("mycin", "drug"),
    ("dipin", "drug"),
    ("fenak", "drug"),
    ("azol", "drug"),
    ("olol", "drug"),
    ("pril", "drug"),
    ("pam", "drug"),
    ("lam", "drug"),
    ("xib", "drug"),
    ("mab", "drug"),
    ("nib", "drug"),
    ("vir", "drug"),
    ("emi", "disorder"),
    ("itis", "disorder"),
    ("ism", "disorder"),
    ("son", "drug"),
    ("kain", "drug"),
    ("amin", "drug"),
    ("tin", "drug"),
    ("ol", "drug"),
    ("it", "disorder"),
    ("os", "disorder"),
    ("om", "disorder"),
)

# Adjectives that grade or classify a disorder and belong to its name in clinical
# usage ("kronisk inflammation", "hög feber", "återkommande magsår"), in their
# common, neuter and plural/definite forms.
DISORDER_PREMODIFIERS: Final = frozenset(
    """
    akut akuta allergisk allergiska allergiskt allvarlig allvarliga allvarligt bakteriell
    bakteriella elakartad elakartade förhöjd förhöjda förhöjt försämrad försämrade
    försämrat godartad godartade hög höga högt inflammatorisk inflammatoriska
    kraftig kraftiga kraftigt kronisk kroniska kroniskt lindrig lindriga lindrigt
    långdragen långdragna långvarig långvariga långvarigt låg låga lågt lätt lätta
    nedsatt nedsatta reumatisk reumatiska smittsam smittsamma svår svåra svårt
    viral virala återkommande ovanlig ovanliga vanlig vanliga
    """.split()
)

_PAIN_WORDS: Final = frozenset({"ont", "värk", "smärta", "smärtor", "klåda", "svullnad"})

# Leading and trailing characters that are separate tokens in running text. In the
# 1177 files they are glued to words except after an entity's closing bracket: a
# tagger that saw them as-is would learn the annotation format, not the language.
_PUNCTUATION: Final = ",.;:!?\"'()[]{}«»“”‘’…"
_EDGE = re.compile(f"^([{re.escape(_PUNCTUATION)}]*)(.*?)([{re.escape(_PUNCTUATION)}]*)$", re.S)


def is_punctuation(token: str) -> bool:
    """True when *token* has no letter or digit.

    >>> is_punctuation(","), is_punctuation("–"), is_punctuation("B12")
    (True, True, False)
    """
    return not any(ch.isalnum() for ch in token)


def split_punctuation(token: str) -> list[str]:
    """Split leading and trailing punctuation off a token, one character each.

    >>> split_punctuation("lättare."), split_punctuation("(TBE),"), split_punctuation("...")
    (['lättare', '.'], ['(', 'TBE', ')', ','], ['...'])
    """
    match = _EDGE.match(token)
    if match is None or not match.group(2):
        return [token]
    lead, core, trail = match.groups()
    return [*lead, core, *trail]


def _shape(word: str) -> str:
    """A short word shape: X upper, x lower, d digit, other characters kept.

    >>> _shape("Cox-hämmare"), _shape("B12")
    ('Xx-x', 'Xd')
    """
    out: list[str] = []
    for ch in word:
        kind = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)


def _frequency_band(zipf: float) -> str:
    """Bucket a Zipf frequency: 0 (unknown), 1-2 rare ... 6+ function words.

    >>> _frequency_band(0.0), _frequency_band(2.7), _frequency_band(7.4)
    ('0', '2', '6')
    """
    return str(min(6, int(zipf)))


@dataclass(frozen=True, slots=True)
class FeatureExtractor:
    """Turn a sentence of tokens into CRF feature strings (one list per token).

    :param gazetteer: labelled medical terms.
    :param stem: a stemmer for lower-case words (Snowball Swedish in production).
    :param frequency: Zipf frequency of a lower-case word (0.0 when unknown).
    """

    gazetteer: Gazetteer
    stem: Callable[[str], str]
    frequency: Frequency
    # A word's own features, computed once: words repeat in every text.
    _known: dict[tuple[str, bool], tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def word_features(self, word: str, first: bool) -> list[str]:
        """Features of one token that do not depend on its neighbours."""
        key = (word, first)
        found = self._known.get(key)
        if found is None:
            if len(self._known) >= _KNOWN_WORDS:
                self._known.clear()
            found = self._known[key] = tuple(self._word_features(word, first))
        return list(found)

    def _word_features(self, word: str, first: bool) -> list[str]:
        lower = fold(word)
        if is_punctuation(word):
            return ["bias", "punct", "w=" + lower]
        key = self.stem(lower)
        zipf = self.frequency(lower)
        feats = ["bias", "w=" + lower, "stem=" + key, "shape=" + _shape(word)]
        feats += ["suf3=" + lower[-3:], "suf4=" + lower[-4:], "suf5=" + lower[-5:]]
        feats += ["pre3=" + lower[:3], "pre4=" + lower[:4], "freq=" + _frequency_band(zipf)]
        if len(lower) <= 3:
            feats.append("short")
        if word[0].isupper():
            feats.append("cap_first" if first else "cap")
            if zipf < 3.0:
                feats.append("cap_rare_first" if first else "cap_rare")
        if any(ch.isdigit() for ch in word):
            feats.append("digit")
        if lower in DISORDER_PREMODIFIERS:
            feats.append("premod")
        for ending, label in _MEDICAL_ENDINGS:
            if lower.endswith(ending) and len(lower) >= len(ending) + 3:
                feats.append(f"ending={label}")
                feats.append(f"ending={label}:rare{int(zipf < 3.5)}")
                break
        rarity = "rare" if zipf < 3.5 else "common"
        for label in self.gazetteer.word_labels(word):
            feats += ["gaz=" + label, f"gaz={label}:{rarity}"]
        for label in self.gazetteer.head_labels(word):
            feats += ["head=" + label, f"head={label}:{rarity}"]
        for label in self.gazetteer.modifier_labels(word):
            feats.append("mod=" + label)
        return feats

    def sentence_features(self, words: Sequence[str]) -> list[list[str]]:
        """Features of every token, including window features from its neighbours.

        *words* should have punctuation split off (see :func:`split_punctuation`).
        """
        own = self.own_features(words)
        return [[*o, *c] for o, c in zip(own, self.context_features(words, own), strict=True)]

    def own_features(self, words: Sequence[str]) -> list[list[str]]:
        """Each token's :meth:`word_features` (the first word of the sentence marked)."""
        first = first_word(words)
        return [self.word_features(w, i == first) for i, w in enumerate(words)]

    def context_features(
        self, words: Sequence[str], own: Sequence[Sequence[str]]
    ) -> list[list[str]]:
        """Each token's features from its neighbours and the phrases it is part of
        (*own*: the tokens' :meth:`own_features`)."""
        lowers = [fold(w) for w in words]
        context = self.phrase_features(words, lowers)
        passed = [passed_on(feats) for feats in own]
        for i, feats in enumerate(own):
            row = context[i]
            for offset in WINDOW:
                j = i + offset
                if 0 <= j < len(words):
                    row += window_features(offset, lowers[j], passed[j])
                else:
                    row += window_features(offset, "<s>" if j < 0 else "</s>", ())
            if "premod" in feats and i + 1 < len(words):
                row += premodified_features(passed[i + 1])
        return context

    def phrase_features(self, words: Sequence[str], lowers: Sequence[str]) -> list[list[str]]:
        """Each token's context features that no single neighbour decides: the
        gazetteer phrase it is part of, a pain finding, word pairs (*lowers*: the
        words folded)."""
        context: list[list[str]] = [[] for _ in words]
        phrase = ["O"] * len(words)
        for start, end, label in self.gazetteer.phrase_matches(words, lowers):
            if end - start < 2:
                continue  # single words have their gaz= feature
            phrase[start] = "B-" + label
            for i in range(start + 1, end):
                phrase[i] = "I-" + label
        # "ont i magen", "värk i lederna": a pain word, "i", a body part is one finding.
        for i in range(len(words) - 2):
            if lowers[i] in _PAIN_WORDS and lowers[i + 1] == "i":
                if "body" in self.gazetteer.word_labels(words[i + 2]):
                    for j, position in zip(range(i, i + 3), ("B", "I", "I"), strict=True):
                        context[j].append(f"pain_i_body={position}")
        for i, row in enumerate(context):
            if phrase[i] != "O":
                row.append("phrase=" + phrase[i])
            if i > 0:
                row.append(f"w[-1:0]={lowers[i - 1]}|{lowers[i]}")
                if phrase[i - 1] != "O":
                    row.append("[-1]phrase=" + phrase[i - 1])
            if i + 1 < len(words):
                row.append(f"w[0:1]={lowers[i]}|{lowers[i + 1]}")
                if phrase[i + 1] != "O":
                    row.append("[+1]phrase=" + phrase[i + 1])
        return context


def first_word(words: Sequence[str]) -> int:
    """The index of a sentence's first word (its first token that is no punctuation)."""
    return next((i for i, w in enumerate(words) if not is_punctuation(w)), 0)


def passed_on(own: Sequence[str]) -> list[str]:
    """The gazetteer features of a word that its neighbours see ("[-1]gaz=drug")."""
    return [f for f in own if f.startswith(("gaz=", "head="))]


def window_features(offset: int, lower: str, passed: Sequence[str]) -> list[str]:
    """What the word *offset* places away tells a token: the word (*lower*, or
    ``<s>``/``</s>`` past the sentence's edge) and, next door, its :func:`passed_on`
    features."""
    row = [f"w[{offset}]={lower}"]
    if offset in (-1, 1):
        row += [f"[{offset:+d}]{f}" for f in passed]
    return row


def premodified_features(passed: Sequence[str]) -> list[str]:
    """What a premodifier ("kronisk", "akut") sees of the next word's gazetteer hits."""
    return [f"premod+{f}" for f in passed]
