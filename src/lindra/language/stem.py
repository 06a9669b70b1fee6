"""Snowball Swedish stemming (PyStemmer)."""

from __future__ import annotations

from functools import lru_cache

import Stemmer

__all__ = ["SnowballStemmer"]


class SnowballStemmer:
    """Callable Snowball stemmer with a per-instance cache.

    >>> SnowballStemmer()("smärtorna")
    'smärt'
    """

    def __init__(self, language: str = "swedish", cache_size: int = 200_000) -> None:
        self._stemmer = Stemmer.Stemmer(language)
        self._stem = lru_cache(maxsize=cache_size)(self._stemmer.stemWord)

    def __call__(self, word: str) -> str:
        return self._stem(word)  # type: ignore[no-any-return]
