"""Features of a yes/no question and a Swedish text, for :mod:`lindra.knowledge.verdict`.

:func:`featurize` reads the text the way a clinician skims an abstract's
conclusion and turns what it finds into named values in [0, 1]:

- which sentence talks about the question (most shared word stems);
- whether a negation takes scope there ("inte associerat", "ingen skillnad"),
  whether the wording is negative ("otillräcklig", "låg", "utan CT" for "Är CT
  nödvändig?") or equivalent ("liknande", "jämförbar" for "Finns det en
  skillnad?"), and whether it is hedged ("kan vara", "tyder på");
- what the question asks (a difference, sameness, a need) and the stances of
  the text's sentences.

The same values feed ``scripts/train_verdict.py``, which fits the weights.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from lindra.knowledge.cues import CueLexicon, default_cues
from lindra.knowledge.stance import classify_sentence
from lindra.language.lexicons import load_word_set, packaged_file
from lindra.language.sentences import SentenceSplitter
from lindra.language.stem import SnowballStemmer
from lindra.language.swedish import default_sentence_splitter
from lindra.types import Stance

__all__ = [
    "TextResources",
    "content_stems",
    "featurize",
    "fold_words",
    "sentence_signals",
    "sentence_spans",
    "stem_overlap",
]

_WORD = re.compile(r"\w+(?:-\w+)*")
# Negators. "icke-" stays inside hyphenated words ("icke-invasiv" is no negation).
_NEGATORS = frozenset("inte ej ingen inget inga aldrig varken saknar saknas sakna icke".split())
# "inte bara", "inte minst", "inte nödvändigtvis", "inte alltid" limit or widen a
# claim rather than deny it.
_NOT_DENIAL = frozenset("bara minst endast heller nödvändigtvis alltid helt enbart".split())
# A negation right after "som/vilka/där" sits in a relative clause describing
# something else ("adenom som inte helt resekerats").
_RELATIVE = frozenset("som vilka där".split())


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"^(?:{pattern})$")


# Negative judgements that deny a claim without a negator: "otillräckliga
# riktlinjer", "låg diagnostisk effektivitet", "liten kännedom", "utan CT".
_NEGATIVE = _words(
    r"otillräcklig\w*|oberoende|oavsett|låg\w*|liten|litet|lite|små|begränsa\w*|dålig\w*"
    r"|ineffektiv\w*|onödig\w*|suboptimal\w*|svår\w*|ifrågasätt\w*|brist\w*|få|minimal\w*"
    r"|frånvaro\w*|överdriv\w*|inkorrekt\w*|misslyck\w*|sämre|sämst|ovanlig\w*|sällsynt\w*"
    r"|felaktig\w*|utan|underskatt\w*|tveksam\w*|marginell\w*|obetydlig\w*|försumbar\w*"
)
_NOT_ANTONYMS = frozenset("olika oro oron ofta också omkring oftast orala oralt oral".split())
# Sameness answers "is there a difference?" with no and "is it as good?" with yes.
_SAME = _words(
    r"liknande|jämförbar\w*|likvärdig\w*|lika|samma|densamma|detsamma|oförändrad\w*"
    r"|motsvarande|likartad\w*|identisk\w*|oberoende|oavsett"
)
_DIFFERENT = _words(
    r"skillnad\w*|skiljer|skilde|olika|bättre|sämre|annorlunda|högre|lägre|överlägsen\w*"
)
_HEDGE = _words(
    r"kan|kanske|möjligen|möjligtvis|potentiell\w*|eventuell\w*|verkar|tycks|tyder|antyder"
    r"|sannolikt|troligen|troligtvis|förmodligen|indikerar|skulle|föreslår"
)
_UNCERTAIN = _words(
    r"oklar\w*|osäker\w*|okänd\w*|kontroversiell\w*|motstridig\w*|otydlig\w*|inkonsekvent\w*"
    r"|komplex\w*|varierar|varierande|svårt"
)
# Question words that ask about a difference or an effect ...
_ASKS_DIFFERENCE = (
    "skillnad skiljer bättre sämre annorlunda påverk associer förknipp relater korreler "
    "förutsä förutspå ökar minskar förbättr"
).split()
_ASKS_SAME = frozenset(
    "samma lika likvärdig likvärdiga jämförbar jämförbara detsamma densamma".split()
)
_ASKS_NEED = ("nödvändig", "krävs", "behövs", "behöver", "alltid", "obligatorisk")
# ... and "Är X verkligen/alltid ...?", which challenges a received view and is
# usually answered no.
_QUESTION_CHALLENGE = ("verkligen", "alltid")
_TEXT_STANCES: tuple[Stance, ...] = (
    "proven_effect",
    "some_support",
    "mixed",
    "no_effect",
    "undocumented",
)


@dataclass(frozen=True, slots=True)
class TextResources:
    """The Swedish resources that :func:`featurize` reads text with."""

    cues: CueLexicon
    splitter: SentenceSplitter
    stem: Callable[[str], str]
    stop_words: frozenset[str]
    # Zipf word frequency (wordfreq scale, 0 = unknown): finds o- antonyms.
    frequency: Callable[[str], float] = lambda word: 0.0

    @classmethod
    def default(cls) -> TextResources:
        """Packaged cues, splitter, Snowball stemmer, stop words, wordfreq frequencies."""
        from wordfreq import zipf_frequency

        return cls(
            default_cues(),
            default_sentence_splitter(),
            SnowballStemmer(),
            load_word_set(packaged_file("sv_stop_words.txt")),
            lambda word: float(zipf_frequency(word, "sv")),
        )


def featurize(
    question: str,
    text: str,
    resources: TextResources,
    sentences: Sequence[tuple[int, int]] | None = None,
) -> dict[str, float]:
    """The named features of a question/text pair (values in [0, 1]).

    >>> f = featurize("Finns det en skillnad?", "Resultaten var liknande.", TextResources.default())
    >>> f["asks_difference"], f["asks_difference_x_same"]
    (1.0, 0.5)
    """
    spans = list(sentences) if sentences is not None else sentence_spans(text, resources.splitter)
    q_words = fold_words(question)
    q_stems = content_stems(q_words, resources)
    words = [fold_words(text[a:b]) for a, b in spans] or [[]]
    overlap = [stem_overlap(ws, q_stems, resources) for ws in words]
    best = int(np.argmax(overlap)) if overlap else 0
    everything = [w for ws in words for w in ws]
    values: dict[str, float] = {"bias": 1.0}
    for prefix, ws in (("best_", words[best]), ("first_", words[0]), ("all_", everything)):
        for name, value in sentence_signals(ws, q_stems, resources).items():
            values[prefix + name] = value
    values.update(_question_signals(q_words, everything, q_stems, resources))
    stances = Counter(classify_sentence(text[a:b], resources.cues).stance for a, b in spans)
    for stance in _TEXT_STANCES:
        values["stance_" + stance] = _cap(stances[stance], 2)
    values["best_overlap"] = overlap[best] if overlap else 0.0
    values["best_is_first"] = float(best == 0)
    values["sentences"] = _cap(len(spans), 6)
    return values


def sentence_signals(
    words: Sequence[str], q_stems: frozenset[str], resources: TextResources
) -> dict[str, float]:
    """Negation, negative, same, hedge, uncertain and denied signals of one sentence's words."""
    negations = _negations(words)
    stems = [resources.stem(w) for w in words]
    # A question word within five words after a negation: the claim itself is denied.
    denied = sum(
        1 for k, s in enumerate(stems) if s in q_stems and any(0 < k - j <= 5 for j in negations)
    )
    return {
        "negation": _cap(len(negations), 2),
        "negative": _cap(sum(_is_negative(w, resources) for w in words), 3),
        "same": _cap(sum(bool(_SAME.match(w)) for w in words), 2),
        "hedge": _cap(sum(bool(_HEDGE.match(w)) for w in words), 3),
        "uncertain": _cap(sum(bool(_UNCERTAIN.match(w)) for w in words), 2),
        "denied": _cap(denied, 2),
    }


def _question_signals(
    q_words: Sequence[str],
    words: Sequence[str],
    q_stems: frozenset[str],
    resources: TextResources,
) -> dict[str, float]:
    asks_difference = float(any(w.startswith(tuple(_ASKS_DIFFERENCE)) for w in q_words))
    asks_same = float(any(w in _ASKS_SAME for w in q_words))
    asks_need = float(any(w.startswith(_ASKS_NEED) for w in q_words))
    same = _cap(sum(bool(_SAME.match(w)) for w in words), 2)
    different = _cap(sum(bool(_DIFFERENT.match(w)) for w in words), 2)
    # "utan dilatation" answers "Är dilatation nödvändig?".
    without = float(
        any(
            w == "utan" and any(resources.stem(v) in q_stems for v in words[j + 1 : j + 4])
            for j, w in enumerate(words)
        )
    )
    # "otillräckliga" for "tillräckliga", "ineffektiv" for "effektiv".
    antonym = float(
        any(
            (len(w) > 5 and w[0] == "o" and resources.stem(w[1:]) in q_stems)
            or (len(w) > 6 and w[:2] == "in" and resources.stem(w[2:]) in q_stems)
            for w in words
        )
    )
    values = {
        "asks_difference": asks_difference,
        "asks_difference_x_same": asks_difference * same,
        "asks_same": asks_same,
        "asks_same_x_same": asks_same * same,
        "asks_same_x_different": asks_same * different,
        "asks_need": asks_need,
        "asks_need_x_without": asks_need * without,
        "without_question_word": without,
        "antonym_of_question_word": antonym,
        "question_negated": float(bool(_negations(q_words))),
    }
    values["question_challenges"] = float(any(w in _QUESTION_CHALLENGE for w in q_words))
    return values


def _negations(words: Sequence[str]) -> list[int]:
    """Positions of negators that deny something (see ``_NOT_DENIAL``, ``_RELATIVE``).

    >>> _negations("x var inte bara säker utan inte associerad".split())
    [6]
    >>> _negations("adenom som inte resekerats".split())
    []
    """
    return [
        j
        for j, w in enumerate(words)
        if w in _NEGATORS
        and not (j + 1 < len(words) and words[j + 1] in _NOT_DENIAL)
        and not any(words[k] in _RELATIVE for k in range(max(0, j - 2), j))
    ]


def _is_negative(word: str, resources: TextResources) -> bool:
    """A negative judgement: listed, or an o- antonym of a common word ("ovanliga").

    >>> freq = {"vanliga": 5.0, "ovanliga": 3.9, "fta": 0.0, "ofta": 5.5}.get
    >>> res = TextResources(CueLexicon(()), SentenceSplitter(), str, frozenset(),
    ...                     lambda w: freq(w, 0.0))
    >>> _is_negative("ovanliga", res), _is_negative("ofta", res), _is_negative("låg", res)
    (True, False, True)
    """
    if _NEGATIVE.match(word):
        return True
    # Swedish negates adjectives with o- ("tillräcklig" → "otillräcklig"): the
    # stem must be a common word in its own right, and commoner than the o-form
    # allows for (which rules out "olika"/"lika" and "oro"/"ro").
    if len(word) < 6 or word[0] != "o" or word in _NOT_ANTONYMS:
        return False
    base = resources.frequency(word[1:])
    return base >= 2.3 and base > resources.frequency(word) - 2.0


def sentence_spans(text: str, splitter: SentenceSplitter) -> list[tuple[int, int]]:
    """Sentence spans, also split at "; ", which joins independent clauses in Swedish."""
    spans = []
    for start, end in splitter.spans(text) or ([(0, len(text))] if text.strip() else []):
        cursor = start
        for match in re.finditer(r";\s+", text[start:end]):
            spans.append((cursor, start + match.start() + 1))
            cursor = start + match.end()
        spans.append((cursor, end))
    return spans


def fold_words(text: str) -> list[str]:
    """The case-folded words of *text*; hyphenated words stay whole."""
    return [w.casefold() for w in _WORD.findall(text)]


def content_stems(words: Sequence[str], resources: TextResources) -> frozenset[str]:
    """The stems of *words* that carry content: no stop words, more than two letters."""
    return frozenset(
        resources.stem(w) for w in words if w not in resources.stop_words and len(w) > 2
    )


def stem_overlap(words: Sequence[str], q_stems: frozenset[str], resources: TextResources) -> float:
    """Share of the question's content stems that occur in *words*."""
    if not q_stems:
        return 0.0
    return len(q_stems & {resources.stem(w) for w in words}) / len(q_stems)


def _cap(count: int, top: int) -> float:
    """A count scaled to [0, 1], saturating at *top*.

    >>> _cap(3, 2), _cap(1, 4)
    (1.0, 0.25)
    """
    return min(count, top) / top
