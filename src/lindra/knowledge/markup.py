"""The 1177 inline entity markup: brackets as separate, space-separated tokens.

Format of the Swedish medical NER data of Almgren, Pavlov & Mogren (2016,
BioTxtM, "Named Entity Recognition in Swedish Medical Journals with Deep
Bidirectional Character-Based LSTMs")::

    [ Medicinen ] kan också göra att man blöder lättare eftersom den påverkar { blodets } förmåga

``( ... )`` marks a disorder or finding, ``[ ... ]`` a pharmaceutical drug and
``{ ... }`` a body structure. Spans are token index ranges, end exclusive.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Literal

from lindra.errors import LindraError

__all__ = ["LABELS", "Label", "MarkupError", "parse_markup", "to_markup"]

Label = Literal["disorder", "drug", "body"]
LABELS: Final[tuple[Label, ...]] = ("disorder", "drug", "body")

_OPEN: Final[dict[str, Label]] = {"(": "disorder", "[": "drug", "{": "body"}
_CLOSE: Final[dict[str, Label]] = {")": "disorder", "]": "drug", "}": "body"}
_BRACKETS: Final[dict[str, tuple[str, str]]] = {
    "disorder": ("(", ")"),
    "drug": ("[", "]"),
    "body": ("{", "}"),
}


class MarkupError(LindraError, ValueError):
    """A line of 1177 markup whose brackets do not pair up."""


def parse_markup(line: str) -> tuple[list[str], list[tuple[int, int, str]]]:
    """Split a marked-up line into its plain tokens and labelled token spans.

    >>> tokens, spans = parse_markup("[ Kortison ] dämpar ( inflammationen ) i { näsan } .")
    >>> tokens
    ['Kortison', 'dämpar', 'inflammationen', 'i', 'näsan', '.']
    >>> spans
    [(0, 1, 'drug'), (2, 3, 'disorder'), (4, 5, 'body')]

    :raises MarkupError: on a closing bracket without its opening one, nested or
        unclosed brackets.
    """
    tokens: list[str] = []
    spans: list[tuple[int, int, str]] = []
    open_label: Label | None = None
    start = 0
    for token in line.split():
        if token in _OPEN:
            if open_label is not None:
                raise MarkupError(f"Nested entity at token {len(tokens)} in {line!r}.")
            open_label, start = _OPEN[token], len(tokens)
        elif token in _CLOSE:
            if open_label != _CLOSE[token]:
                raise MarkupError(f"Unmatched {token!r} at token {len(tokens)} in {line!r}.")
            if len(tokens) > start:
                spans.append((start, len(tokens), open_label))
            open_label = None
        else:
            tokens.append(token)
    if open_label is not None:
        raise MarkupError(f"Unclosed {_BRACKETS[open_label][0]!r} in {line!r}.")
    return tokens, spans


def to_markup(tokens: Sequence[str], spans: Sequence[tuple[int, int, str]]) -> str:
    """Write tokens with their spans as 1177 markup (the inverse of :func:`parse_markup`).

    Overlapping spans are not representable; a span overlapping an earlier one
    (in start order) is dropped.

    >>> to_markup(["Ta", "paracetamol", "mot", "feber", "."], [(1, 2, "drug"), (3, 4, "disorder")])
    'Ta [ paracetamol ] mot ( feber ) .'
    """
    opens: dict[int, str] = {}
    closes: dict[int, str] = {}
    last_end = 0
    for start, end, label in sorted(spans):
        if start < last_end or not 0 <= start < end <= len(tokens):
            continue
        if label not in _BRACKETS:
            raise MarkupError(f"Unknown entity label {label!r}; expected one of {LABELS}.")
        opening, closing = _BRACKETS[label]
        opens[start], closes[end - 1] = opening, closing
        last_end = end
    out: list[str] = []
    for index, token in enumerate(tokens):
        if index in opens:
            out.append(opens[index])
        out.append(token)
        if index in closes:
            out.append(closes[index])
    return " ".join(out)
