"""The Swedish analysis pipeline used for indexing and for queries.

An :class:`Analyzer` is a tokenizer followed by a list of stages. Each stage
takes the token list and returns a new one, so every step can be tested token
by token and shown to a user (``lindra analyze``). Index and query pipelines
share their first stages; query-only stages (synonym expansion) come last.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from lindra.language.normalize import fold
from lindra.language.tokenize import Origin, Token, Tokenizer, TokenKind

__all__ = [
    "EXACT",
    "PREFIX",
    "Analyzer",
    "FoldStage",
    "HyphenStage",
    "Stage",
    "StageTrace",
    "StemStage",
    "StopStage",
    "VariantStage",
    "WordRewrite",
    "is_variant",
]

# The (term, origin, weight) of each token the index stages make of one word.
WordRewrite = tuple[tuple[str, Origin, float], ...]


class Stage(Protocol):
    """One step of the pipeline. A stage whose ``per_token`` attribute is true
    rewrites each token on its own, whatever its neighbours (index terms may then
    be cached per word)."""

    name: str

    def __call__(self, tokens: Sequence[Token]) -> list[Token]: ...


@dataclass(frozen=True, slots=True)
class StageTrace:
    """The token stream after one stage, for ``lindra analyze``."""

    stage: str
    tokens: tuple[Token, ...]


class FoldStage:
    """NFC, unified dashes, case folding."""

    name = "normalised"
    per_token = True

    def __call__(self, tokens: Sequence[Token]) -> list[Token]:
        return [token.with_term(fold(token.term)) for token in tokens]


class HyphenStage:
    """Keep a hyphenated word whole and add its parts: ``blås-störningar`` → + blås, störningar."""

    name = "hyphen"
    per_token = True

    def __call__(self, tokens: Sequence[Token]) -> list[Token]:
        out: list[Token] = []
        for token in tokens:
            out.append(token)
            if token.kind == "word" and "-" in token.term:
                for part in token.term.split("-"):
                    if part:
                        out.append(token.with_term(part, "hyphen"))
        return out


EXACT = "="
PREFIX = "^"


def is_variant(term: str) -> bool:
    """True for the exact-form and prefix variants that :class:`VariantStage` adds.

    >>> is_variant("=och"), is_variant("^smärt"), is_variant("smärt")
    (True, True, False)
    """
    return term.startswith((EXACT, PREFIX))


class StopStage:
    """Stop words only match as written: they become exact-form terms (``=och``)
    and skip stemming. With *drop*, they are removed instead (classic BM25).

    Keeping them as exact terms was measured to help question-to-FAQ matching
    ("Hur länge ...", "Vem får ...") while idf keeps their weight small.
    """

    name = "stop words"
    per_token = True

    def __init__(self, stop_words: frozenset[str], *, drop: bool = False) -> None:
        self.stop_words = stop_words
        self.drop = drop

    def __call__(self, tokens: Sequence[Token]) -> list[Token]:
        out = []
        for token in tokens:
            if token.term not in self.stop_words:
                out.append(token)
            elif not self.drop and token.origin == "text":
                out.append(token.with_term(EXACT + token.term))
        return out


class StemStage:
    """Snowball stemming of words; numbers, abbreviations and variants stay as written."""

    name = "stemmed"
    per_token = True

    def __init__(self, stem: Callable[[str], str]) -> None:
        self.stem = stem

    def __call__(self, tokens: Sequence[Token]) -> list[Token]:
        return [
            t.with_term(self.stem(t.term)) if t.kind == "word" and not is_variant(t.term) else t
            for t in tokens
        ]


class VariantStage:
    """After each stemmed word, add its exact folded form (``=smärtorna``) and a
    prefix of its stem (``^smärt``, :data:`PREFIX_LENGTH` letters).

    Three views of one word, scored together: the exact form rewards a match on
    the very word, the stem the inflected forms, and the prefix the derivations
    Snowball keeps apart (vaccin / vaccinering / vaccination). Measured on the
    dev sets (docs/retrieval.md).
    """

    name = "variants"
    per_token = True

    def __init__(self, prefix_length: int = 5) -> None:
        self.prefix_length = prefix_length

    def __call__(self, tokens: Sequence[Token]) -> list[Token]:
        out: list[Token] = []
        for token in tokens:
            out.append(token)
            if token.origin != "text" or token.kind != "word" or is_variant(token.term):
                continue
            out.append(token.with_term(EXACT + fold(token.text), "exact"))
            if len(token.term) > self.prefix_length:
                out.append(token.with_term(PREFIX + token.term[: self.prefix_length], "prefix"))
        return out


class Analyzer:
    """Tokenizer plus stages; produces index terms and weighted query terms.

    :param tokenizer: splits raw text into tokens.
    :param stages: applied in order for both indexing and queries.
    :param query_stages: applied after *stages* for queries only.
    """

    def __init__(
        self,
        tokenizer: Tokenizer,
        stages: Sequence[Stage],
        query_stages: Sequence[Stage] = (),
    ) -> None:
        self.tokenizer = tokenizer
        self.stages = tuple(stages)
        self.query_stages = tuple(query_stages)
        # When every index stage rewrites each token on its own, a word's index terms
        # depend on the word alone: ingest looks them up instead of running the
        # stages again for each of its thousands of repeats.
        self._per_token = all(getattr(stage, "per_token", False) for stage in self.stages)
        self._word_terms = lru_cache(maxsize=200_000)(self._terms_of_word)
        # Queries repeat words too: their index stages are looked up per word as well.
        self._word_rewrites = lru_cache(maxsize=50_000)(self._rewrite_word)

    def load(self) -> None:
        """Load now what a stage reads at its first use (a stage with a ``load`` method),
        so that a server has it before it freezes its start-up heap."""
        for stage in (*self.stages, *self.query_stages):
            load = getattr(stage, "load", None)
            if load is not None:
                load()

    @property
    def per_token(self) -> bool:
        """Whether a word's index terms depend on the word alone (see :meth:`rewrite_word`)."""
        return self._per_token

    def analyze(
        self,
        text: str,
        *,
        query: bool = False,
        known: Callable[[str], WordRewrite | None] | None = None,
    ) -> list[Token]:
        """The tokens of *text* after the index stages (and the query stages with
        *query*). *known*: a word as written → its index-stage tokens, where already
        worked out (an index's own words, :class:`~lindra.search.word_analyses.WordAnalyses`);
        other words are analysed."""
        tokens = self.tokenizer.tokenize(text)
        stages = self._pipeline(query)
        if self._per_token:
            rewrite = self._word_rewrites if known is None else self._rewrite_with(known)
            tokens = [
                Token(t.text, t.start, t.end, t.position, t.kind, term, origin, weight)
                for t in tokens
                for term, origin, weight in rewrite(t.text, t.kind)
            ]
            stages = self.query_stages if query else ()
        for stage in stages:
            tokens = stage(tokens)
        return tokens

    def trace(self, text: str, *, query: bool = True) -> list[StageTrace]:
        """The token stream after the tokenizer and after every stage."""
        tokens = self.tokenizer.tokenize(text)
        steps = [StageTrace("tokens", tuple(tokens))]
        for stage in self._pipeline(query):
            tokens = stage(tokens)
            steps.append(StageTrace(stage.name, tuple(tokens)))
        return steps

    def index_terms(
        self, text: str, known: Callable[[str], WordRewrite | None] | None = None
    ) -> list[str]:
        """Terms to index for *text*, in order, with repeats (*known* as in :meth:`analyze`)."""
        if not self._per_token:
            return [token.term for token in self.analyze(text)]
        tokens = self.tokenizer.tokenize(text)
        terms: list[str] = []
        if known is None:
            for token in tokens:
                terms.extend(self._word_terms(token.text, token.kind))
            return terms
        rewrite = self._rewrite_with(known)
        for token in tokens:
            terms.extend(term for term, _, _ in rewrite(token.text, token.kind))
        return terms

    def rewrite_word(self, word: str) -> WordRewrite:
        """The index-stage tokens of one plain word, as (term, origin, weight); only
        for a :attr:`per_token` analyzer.

        >>> from lindra.language.tokenize import Tokenizer
        >>> Analyzer(Tokenizer(), [FoldStage()]).rewrite_word("Smärta")
        (('smärta', 'text', 1.0),)
        """
        return self._rewrite_word(word, "word")

    def _rewrite_with(
        self, known: Callable[[str], WordRewrite | None]
    ) -> Callable[[str, TokenKind], WordRewrite]:
        def rewrite(word: str, kind: TokenKind) -> WordRewrite:
            found = known(word) if kind == "word" else None
            return found if found is not None else self._word_rewrites(word, kind)

        return rewrite

    def _terms_of_word(self, word: str, kind: TokenKind) -> tuple[str, ...]:
        return tuple(term for term, _, _ in self._rewrite_word(word, kind))

    def _rewrite_word(self, word: str, kind: TokenKind) -> WordRewrite:
        """(term, origin, weight) of each token the index stages make of one word."""
        tokens = [Token(word, 0, len(word), 0, kind, word)]
        for stage in self.stages:
            tokens = stage(tokens)
        return tuple((token.term, token.origin, token.weight) for token in tokens)

    def query_terms(self, text: str) -> dict[str, float]:
        """Distinct query terms with their weight (the highest weight wins)."""
        weights: dict[str, float] = {}
        for token in self.analyze(text, query=True):
            if token.weight > weights.get(token.term, 0.0):
                weights[token.term] = token.weight
        return weights

    def _pipeline(self, query: bool) -> tuple[Stage, ...]:
        return self.stages + self.query_stages if query else self.stages
