"""Each indexed word's analysis, worked out once per index and saved with its snapshot.

Most words of a question are words the base holds, and analysing a word for the
first time in a process (above all splitting compounds) was about half of a
first-seen question's time. The index keeps every word it was built from as an
exact-form term (``=smärtlindringen``), so the tokens the index stages make of that
word can be stored per term, as column numbers into the same vocabulary, and read
back by every process that maps the snapshot. A word the table lacks (new to the
base, or not a plain word) is analysed as before.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import get_args

import numpy as np
import numpy.typing as npt

from lindra.language.analyzer import EXACT, WordRewrite
from lindra.language.normalize import fold
from lindra.language.tokenize import Origin
from lindra.search.bm25 import Bm25Index

__all__ = ["WordAnalyses"]

ORIGINS: tuple[Origin, ...] = get_args(Origin)
ARRAY_NAMES = ("word_starts", "word_columns", "word_origins", "word_weights")


class WordAnalyses:
    """Word → its index-stage tokens, for the words of one index.

    :param index: the index whose exact-form terms name the words and whose
        vocabulary numbers the terms.
    :param arrays: ``word_starts`` (per vocabulary column, where its tokens begin;
        one more entry than columns), and per token its term's column, origin (a
        position in :data:`ORIGINS`) and weight.
    """

    def __init__(self, index: Bm25Index, arrays: dict[str, np.ndarray]) -> None:
        """:raises ValueError: when the arrays do not fit *index* or each other (a
        damaged snapshot: its reader then rebuilds it)."""
        starts, columns = arrays["word_starts"], arrays["word_columns"]
        tokens = len(columns)
        if len(starts) != len(index.vocabulary) + 1:
            raise ValueError("the word analyses do not match the index's terms")
        if (
            starts[0] != 0
            or starts[-1] != tokens
            or np.any(np.diff(starts) < 0)
            or len(arrays["word_origins"]) != tokens
            or len(arrays["word_weights"]) != tokens
            or (tokens and (columns.min() < 0 or columns.max() >= len(index.vocabulary)))
            or (tokens and arrays["word_origins"].max() >= len(ORIGINS))
        ):
            raise ValueError("the word analyses are damaged: their arrays do not add up")
        self._index = index
        self._starts = arrays["word_starts"]
        self._columns = arrays["word_columns"]
        self._origins = arrays["word_origins"]
        self._weights = arrays["word_weights"]
        # A question's words repeat across questions: each spelling is looked up once.
        self._decoded = lru_cache(maxsize=50_000)(self._decode)

    @classmethod
    def build(
        cls,
        index: Bm25Index,
        rewrite: Callable[[str], WordRewrite],
        previous: WordAnalyses | None = None,
    ) -> WordAnalyses:
        """Analyse every word of *index* with *rewrite* (the analyzer's index stages),
        reading the words that *previous* (the last generation's table, made by the same
        analyzer) holds from there. A word with a token that is not an index term is
        left out: it is analysed at query time."""
        vocabulary = index.vocabulary
        starts = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        columns: list[int] = []
        origins: list[int] = []
        weights: list[float] = []
        for column, term in enumerate(index.terms):
            if term.startswith(EXACT):
                word = term[len(EXACT) :]
                # Straight to the decoding: the old table's cache would only fill up.
                earlier = previous._decode(word) if previous is not None else None
                tokens = earlier or rewrite(word)
                if all(t in vocabulary for t, _, _ in tokens):
                    columns.extend(vocabulary[t] for t, _, _ in tokens)
                    origins.extend(ORIGINS.index(origin) for _, origin, _ in tokens)
                    weights.extend(weight for _, _, weight in tokens)
            starts[column + 1] = len(columns)
        return cls(
            index,
            {
                "word_starts": starts,
                "word_columns": np.array(columns, dtype=np.int32),
                "word_origins": np.array(origins, dtype=np.int8),
                "word_weights": np.array(weights, dtype=np.float64),
            },
        )

    @classmethod
    def empty(cls, index: Bm25Index) -> WordAnalyses:
        """A table that holds no word (for an analyzer whose tokens depend on their
        neighbours, so that a word has no analysis of its own)."""
        return cls.build(index, lambda word: ())

    def arrays(self) -> dict[str, npt.NDArray[np.generic]]:
        """The arrays to save with the index snapshot (see :mod:`snapshot_files`)."""
        return {
            "word_starts": self._starts,
            "word_columns": self._columns,
            "word_origins": self._origins,
            "word_weights": self._weights,
        }

    def __call__(self, word: str) -> WordRewrite | None:
        """The index-stage tokens of *word* (as written: it is folded here), or None
        when the table lacks it."""
        return self._decoded(word)

    def _decode(self, word: str) -> WordRewrite | None:
        column = self._index.vocabulary.get(EXACT + fold(word))
        if column is None:
            return None
        start, end = int(self._starts[column]), int(self._starts[column + 1])
        if start == end:
            return None
        terms = self._index.terms
        return tuple(
            (terms[c], ORIGINS[o], w)
            for c, o, w in zip(
                self._columns[start:end].tolist(),
                self._origins[start:end].tolist(),
                self._weights[start:end].tolist(),
                strict=True,
            )
        )
