"""A treatment's overall stance and its facts, from what each sentence said."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lindra.knowledge.facts import FACT_KINDS, Fact
from lindra.types import Stance

__all__ = ["Statement", "overall_stance", "summarise_facts"]

_BOOLEANS = {"true": True, "false": False}
_LIST_FACTS = frozenset(
    {"phase", "side_effects", "requirements", "mechanism", "administration", "indications", "usage"}
)


@dataclass(slots=True)
class Statement:
    """One sentence's evidence stance about a treatment, and how much it weighs."""

    stance: Stance
    start: int
    end: int
    weight: float


def overall_stance(statements: Sequence[Statement]) -> tuple[Stance, tuple[int, int] | None]:
    """The stance with the most statement weight; ties go to the earlier statement."""
    if not statements:
        return "not_stated", None
    totals: dict[Stance, float] = {}
    first_at: dict[Stance, int] = {}
    for statement in statements:
        totals[statement.stance] = totals.get(statement.stance, 0.0) + statement.weight
        first_at.setdefault(statement.stance, statement.start)
    stance = max(totals, key=lambda s: (totals[s], -first_at[s]))
    best = max(
        (s for s in statements if s.stance == stance),
        key=lambda s: (s.weight, -s.start),
    )
    return stance, (best.start, best.end)


def summarise_facts(
    facts: Sequence[Fact], text: str
) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The ``facts`` of an evidence entry (lists for list kinds, else the first
    value stated) and ``fact_quotes``: per kind, the sentences they rest on."""
    values: dict[str, Any] = {k: [] if k in _LIST_FACTS else None for k in FACT_KINDS}
    quotes: dict[str, list[dict[str, Any]]] = {}
    for fact in facts:
        kind = fact.kind
        if kind in _LIST_FACTS:
            if fact.value not in values[kind]:
                values[kind].append(fact.value)
            else:
                continue
        elif values[kind] is None:
            values[kind] = (
                _BOOLEANS.get(fact.value, fact.value) if kind == "first_line" else fact.value
            )
        else:
            continue
        quote = " ".join(text[fact.start : fact.end].split())
        entries = quotes.setdefault(kind, [])
        if all(e["start"] != fact.start for e in entries):
            entries.append({"text": quote, "start": fact.start, "end": fact.end})
    return values, quotes
