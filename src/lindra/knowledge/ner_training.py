"""Training and honest measurement of the entity tagger on 1177-format data.

Used by ``scripts/train_ner.py`` (the shipped weights) and ``benchmarks/ner.py``
(cross-validated scores). Scores are exact-span precision, recall and F1 per
label and micro-averaged, as in the CoNLL shared tasks (Tjong Kim Sang & De
Meulder 2003).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lindra.knowledge.crf import train_crf
from lindra.knowledge.entities import BIO_LABELS, EntityTagger, spans_to_bio, split_sentence
from lindra.knowledge.markup import LABELS, parse_markup
from lindra.knowledge.ner_features import FeatureExtractor

__all__ = [
    "Example",
    "Scores",
    "cross_validate",
    "make_folds",
    "read_examples",
    "score_spans",
    "train_tagger",
]

# L2 penalty, chosen by 5-fold cross-validation on dev among 0.1, 0.3, 1, 3 and 10
# (micro-F1 0.776 to 0.788: the choice matters little).
DEFAULT_C2 = 1.0


@dataclass(frozen=True, slots=True)
class Example:
    """One annotated sentence: tokens and labelled token spans."""

    tokens: tuple[str, ...]
    spans: tuple[tuple[int, int, str], ...]


@dataclass(frozen=True, slots=True)
class Scores:
    """Exact-span counts of one label (or all): true positives, predicted, gold."""

    tp: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        total = self.predicted + self.gold
        return 2 * self.tp / total if total else 0.0


def read_examples(path: Path) -> list[Example]:
    """Read a 1177 markup file, one sentence per non-empty line."""
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            tokens, spans = parse_markup(line)
            examples.append(Example(tuple(tokens), tuple(spans)))
    return examples


def score_spans(
    gold: Sequence[Sequence[tuple[int, int, str]]],
    predicted: Sequence[Sequence[tuple[int, int, str]]],
) -> dict[str, Scores]:
    """Exact-span scores per label and ``"micro"`` over all labels.

    >>> s = score_spans([[(0, 1, "drug"), (2, 3, "body")]], [[(0, 1, "drug"), (2, 4, "body")]])
    >>> s["drug"].f1, s["body"].f1, s["micro"].precision
    (1.0, 0.0, 0.5)
    """
    counts = {label: [0, 0, 0] for label in (*LABELS, "micro")}
    for gold_spans, predicted_spans in zip(gold, predicted, strict=True):
        wanted, found = set(gold_spans), set(predicted_spans)
        for label in LABELS:
            g = {s for s in wanted if s[2] == label}
            p = {s for s in found if s[2] == label}
            for key in (label, "micro"):
                counts[key][0] += len(g & p)
                counts[key][1] += len(p)
                counts[key][2] += len(g)
    return {label: Scores(*values) for label, values in counts.items()}


def _training_tags(example: Example) -> tuple[list[str], list[str]]:
    """Split-punctuation words and their BIO tags (entities never include punctuation)."""
    words, origin = split_sentence(example.tokens)
    token_tags = spans_to_bio(len(example.tokens), example.spans)
    tags: list[str] = []
    for i, source in enumerate(origin):
        tag = token_tags[source]
        if tag != "O" and i > 0 and origin[i - 1] == source and tag.startswith("B-"):
            tag = "I-" + tag[2:]  # second piece of the same token
        tags.append(tag)
    # Punctuation pieces at span edges stay outside the entity.
    for i, word in enumerate(words):
        if tags[i] != "O" and not any(ch.isalnum() for ch in word):
            tags[i] = "O"
            if i + 1 < len(tags) and tags[i + 1].startswith("I-"):
                tags[i + 1] = "B-" + tags[i + 1][2:]
    return words, tags


def train_tagger(
    examples: Sequence[Example],
    extractor: FeatureExtractor,
    *,
    c2: float = DEFAULT_C2,
) -> EntityTagger:
    """Train a CRF tagger on annotated sentences."""
    sentences: list[list[list[str]]] = []
    tags: list[list[str]] = []
    for example in examples:
        words, word_tags = _training_tags(example)
        sentences.append(extractor.sentence_features(words))
        tags.append(word_tags)
    model = train_crf(sentences, tags, BIO_LABELS, c2=c2)
    return EntityTagger(model, extractor)


def make_folds(examples: Sequence[Example], k: int, seed: int = 1177) -> list[list[int]]:
    """Split example indices into *k* sentence-level folds.

    Identical sentences (1177 repeats some) go to the same fold, so no test
    sentence is also a training sentence.

    >>> ex = [Example(("a",), ()), Example(("b",), ()), Example(("a",), ())]
    >>> sorted(sorted(f) for f in make_folds(ex, 2))
    [[0, 2], [1]]
    """
    groups: dict[tuple[str, ...], list[int]] = {}
    for index, example in enumerate(examples):
        groups.setdefault(example.tokens, []).append(index)
    order = list(groups.values())
    random.Random(seed).shuffle(order)
    folds: list[list[int]] = [[] for _ in range(k)]
    for group in order:
        min(folds, key=len).extend(group)
    return folds


def cross_validate(
    examples: Sequence[Example],
    extractor: FeatureExtractor,
    *,
    k: int = 5,
    c2: float = DEFAULT_C2,
    seed: int = 1177,
) -> dict[str, Scores]:
    """Train on k-1 folds, tag the held-out fold, and score all held-out predictions."""
    gold: list[tuple[tuple[int, int, str], ...]] = []
    predicted: list[list[tuple[int, int, str]]] = []
    for fold in make_folds(examples, k, seed):
        held_out = set(fold)
        train = [e for i, e in enumerate(examples) if i not in held_out]
        tagger = train_tagger(train, extractor, c2=c2)
        for index in fold:
            gold.append(examples[index].spans)
            predicted.append(tagger.tag_tokens(examples[index].tokens))
    return score_spans(gold, predicted)
