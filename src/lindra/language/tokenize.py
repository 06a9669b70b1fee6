"""Tokenisation of Swedish health text into words, numbers and abbreviations."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal, NamedTuple

__all__ = ["Token", "Tokenizer"]

TokenKind = Literal["word", "number", "abbreviation"]
Origin = Literal["text", "hyphen", "compound", "exact", "prefix", "synonym", "spelling"]

# Numbers: decimals with comma or point ("25,9"), ranges ("3-6", "1–2"), percent.
_NUMBER = r"\d+(?:[.,]\d+)*(?:\s?[-–]\s?\d+(?:[.,]\d+)*)?%?"
# Words keep Swedish letters and inner hyphens/apostrophes: "e-postadress",
# "covid-19", "blås-störningar", "BO-105-helikopter".
_WORD = r"[^\W_]+(?:[-–'’][^\W_]+)*"


class Token(NamedTuple):
    """One token and what the analysis stages made of it.

    ``term`` starts as the surface text and is rewritten by each stage
    (normalisation, stemming ...); ``origin`` says which stage created the token
    and ``weight`` how much a match on it counts at query time.

    A named tuple, not a frozen dataclass: ingest makes about a thousand per
    document, and a frozen dataclass takes 3-4 times as long to build.
    """

    text: str
    start: int
    end: int
    position: int
    kind: TokenKind
    term: str
    origin: Origin = "text"
    weight: float = 1.0

    def with_term(
        self, term: str, origin: Origin | None = None, weight: float | None = None
    ) -> Token:
        """A copy with a new term (and origin or weight)."""
        return Token(
            self.text,
            self.start,
            self.end,
            self.position,
            self.kind,
            term,
            self.origin if origin is None else origin,
            self.weight if weight is None else weight,
        )


class Tokenizer:
    """Split text into :class:`Token` values; known abbreviations stay whole.

    >>> [t.text for t in Tokenizer({"t.ex."}).tokenize("Ont i t.ex. ryggen 3-6 mån, 25,9%")]
    ['Ont', 'i', 't.ex.', 'ryggen', '3-6', 'mån', '25,9%']
    """

    def __init__(self, abbreviations: Iterable[str] = ()) -> None:
        abbrevs = sorted({a.casefold() for a in abbreviations}, key=len, reverse=True)
        parts = []
        if abbrevs:
            parts.append(
                "(?P<abbreviation>(?<![^\\W_])"
                + _abbreviation_guard(abbrevs)
                + "(?:"
                + "|".join(map(re.escape, abbrevs))
                + "))"
            )
        parts.append(f"(?P<number>(?<![^\\W_]){_NUMBER}(?![^\\W\\d_]))")
        parts.append(f"(?P<word>{_WORD})")
        self._pattern = re.compile("|".join(parts), re.IGNORECASE)

    def tokenize(self, text: str) -> list[Token]:
        tokens = []
        for position, match in enumerate(self._pattern.finditer(text)):
            kind = match.lastgroup
            assert kind in ("word", "number", "abbreviation")
            surface = match.group()
            tokens.append(
                Token(surface, match.start(), match.end(), position, kind, surface)  # type: ignore[arg-type]
            )
        return tokens


def _abbreviation_guard(abbreviations: list[str]) -> str:
    r"""A look-ahead that every abbreviation passes: when all start with a few letters
    and a full stop ("t.ex.", "bl.a."), the alternation of all of them is tried only
    where such a run starts (tokenising is then twice as fast, with the same tokens).

    >>> print(_abbreviation_guard(["t.ex.", "dvs."]))
    (?=[^\W\d_]{1,3}\.)
    >>> _abbreviation_guard(["t.ex.", "mg"])
    ''
    """
    heads = [re.match(r"[^\W\d_]+\.", a) for a in abbreviations]
    if not all(heads):
        return ""
    longest = max(len(head.group()) - 1 for head in heads if head)
    return rf"(?=[^\W\d_]{{1,{longest}}}\.)"
