"""The Swedish analysis pipeline used for indexing and for queries.

An :class:`Analyzer` is a tokenizer followed by a list of stages. Each stage
takes the token list and returns a new one, so every step can be tested token
by token and shown to a user (``lindra analyze``). Index and query pipelines
share their first stages; query-only stages (synonym expansion) come last.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from lindra.language.normalize import fold
from lindra.language.tokenize import Token, Tokenizer

__all__ = [
    "Analyzer",
    "FoldStage",
    "HyphenStage",
    "Stage",
    "StageTrace",
    "StemStage",
    "StopStage",
]


class Stage(Protocol):
    """One step of the pipeline."""

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

    def __call__(self, tokens: Sequence[Token]) -> list[Token]:
        return [replace(token, term=fold(token.term)) for token in tokens]


class HyphenStage:
    """Keep a hyphenated word whole and add its parts: ``blås-störningar`` → + blås, störningar."""

    name = "hyphen"

    def __call__(self, tokens: Sequence[Token]) -> list[Token]:
        out: list[Token] = []
        for token in tokens:
            out.append(token)
            if token.kind == "word" and "-" in token.term:
                for part in token.term.split("-"):
                    if part:
                        out.append(replace(token, term=part, origin="hyphen"))
        return out


class StopStage:
    """Drop stop words (a word only counts as one when it stands alone)."""

    name = "stop words"

    def __init__(self, stop_words: frozenset[str]) -> None:
        self.stop_words = stop_words

    def __call__(self, tokens: Sequence[Token]) -> list[Token]:
        return [t for t in tokens if t.term not in self.stop_words]


class StemStage:
    """Snowball stemming of words; numbers and abbreviations are kept as written."""

    name = "stemmed"

    def __init__(self, stem: Callable[[str], str]) -> None:
        self.stem = stem

    def __call__(self, tokens: Sequence[Token]) -> list[Token]:
        return [replace(t, term=self.stem(t.term)) if t.kind == "word" else t for t in tokens]


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

    def analyze(self, text: str, *, query: bool = False) -> list[Token]:
        tokens = self.tokenizer.tokenize(text)
        for stage in self._pipeline(query):
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

    def index_terms(self, text: str) -> list[str]:
        """Terms to index for *text*, in order, with repeats."""
        return [token.term for token in self.analyze(text)]

    def query_terms(self, text: str) -> dict[str, float]:
        """Distinct query terms with their weight (the highest weight wins)."""
        weights: dict[str, float] = {}
        for token in self.analyze(text, query=True):
            if token.weight > weights.get(token.term, 0.0):
                weights[token.term] = token.weight
        return weights

    def _pipeline(self, query: bool) -> tuple[Stage, ...]:
        return self.stages + self.query_stages if query else self.stages
