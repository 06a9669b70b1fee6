"""Questions about a treatment's practical facts ("Hur länge håller botox?").

The knowledge base stores, per treatment of each page, the sentences that state
its onset, duration, repetition, side effects, requirements, access and so on
(:mod:`lindra.knowledge.facts`). A question that asks for one of those is best
answered by that sentence, which often shares few words with the question:
"Hur ofta måste man ta om sprutan?" → "Man kan upprepa behandlingen efter 3-6
månader".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from lindra.knowledge.facts import FactKind
from lindra.language.normalize import strip_accents

__all__ = ["asked_fact", "asks_how_long", "fact_quotes"]

# How Swedish patients ask for each kind of fact; the first pattern that matches
# decides ("Hur ofta" before "Hur länge", timing before side effects). Both
# sides are compared without å/ä/ö, which patients often leave out.
_PATTERNS: tuple[tuple[FactKind, str], ...] = (
    ("repeat", r"\bhur ofta\b|\bta om\b|\bgöra om\b|\bupprepa\w*|\bnästa (gång|behandling)"),
    ("peak", r"\b(bästa|största|maximala?|fulla?) (effekten|lindringen|verkan)\b"),
    (
        "onset",
        r"\b(innan|tills|förrän)\b.*\b(verka\w*|hjälp\w*|märk\w*|effekt\w*|lindr\w*|funk\w*|"
        r"fungera\w*)|"
        r"\bnär (börjar|kommer|märker|märks|verkar|känns)\b|"
        r"\bhur (snabbt|fort) (verkar|hjälper|märks|kommer|börjar)\b",
    ),
    (
        "duration",
        r"\bhur (länge|lång tid)\b.*\b(håller|varar|sitter|räcker|verkar|hjälper|funkar|"
        r"fungerar)\b|"
        r"\b(håller|varar) (effekten|lindringen)\b",
    ),
    (
        "side_effects",
        r"\bbiverkn\w*|\bbieffekt\w*|\bfarlig\w*|\brisk(er|erna)?\b|\bkan man bli \w+ av\b|"
        r"\bgör det ont\b",
    ),
    ("first_line", r"\bförst av allt\b|\bförstahands\w*|\bförsta (val|alternativ)"),
    (
        "access",
        r"\b(var|hur) får (man|jag)\b|\b(var|hur) kan (man|jag) få\b|\bfå tag på\b|"
        r"\bremiss\b|\bvem (ger|erbjuder|utför)\b",
    ),
    (
        "requirements",
        r"\bmåste (man|jag)\b|\bkrävs\b|\bvem (kan|får)\b|\bkan alla\b|\bförutsättning\w*|"
        r"\bfår (man|jag) \w+ om\b|\b(kan|får) (gravida|ammande)\b|"
        r"\bom (man|jag) (är gravid|ammar)\b",
    ),
    ("administration", r"\bsövd\b|\bsöva\b|\bbedöv\w*|\bnarkos\b|\bhur går det till\b"),
    ("mechanism", r"\bhur (fungerar|funkar|verkar)\b"),
)
_ASKED = tuple(
    (kind, re.compile(strip_accents(pattern), re.IGNORECASE)) for kind, pattern in _PATTERNS
)


# "Hur länge kan ett barn ha feber?", "När växer förkylningsastma bort?": questions
# that a sentence stating a time span answers (compared without å/ä/ö).
_HOW_LONG = re.compile(
    r"\bhur (lange|lang tid|snabbt|fort)\b|\bnar (vaxer|gar|brukar|borjar|slutar|kan)\b",
    re.IGNORECASE,
)


def asks_how_long(question: str) -> bool:
    """True when *question* asks how long or how soon.

    >>> asks_how_long("Hur lange kan ett barn ha feber?"), asks_how_long("Är det farligt?")
    (True, False)
    """
    return _HOW_LONG.search(strip_accents(question)) is not None


def asked_fact(question: str) -> FactKind | None:
    """The kind of practical fact *question* asks for, or None.

    >>> asked_fact("Hur ofta måste man ta om botoxsprutan?")
    'repeat'
    >>> asked_fact("hur lang tid tar det innan botoxen borjar verka")
    'onset'
    >>> asked_fact("Hur länge håller botox i bäckenbotten?")
    'duration'
    >>> asked_fact("hur länge sitter botoxen i")
    'duration'
    >>> asked_fact("hur lång tid tar det innan botox hjälper")
    'onset'
    >>> asked_fact("kan gravida få botox")
    'requirements'
    >>> asked_fact("vilka biverkningar kan man fa")
    'side_effects'
    >>> asked_fact("Hjälper akupunktur mot smärta?") is None
    True
    """
    plain = strip_accents(question)
    for kind, pattern in _ASKED:
        if pattern.search(plain):
            return kind
    return None


def fact_quotes(
    entries: Sequence[Mapping[str, Any]], kind: FactKind, doc_ids: Sequence[str]
) -> tuple[Mapping[str, Any], list[Mapping[str, Any]]] | None:
    """The stored sentences stating *kind* for the treatment entry of the first of
    *doc_ids* that has any, as (entry, quotes with text/start/end); None when no
    entry states it."""
    for doc_id in doc_ids:
        for entry in entries:
            if entry["doc_id"] != doc_id:
                continue
            quotes = entry.get("fact_quotes", {}).get(kind) or []
            if quotes:
                return entry, list(quotes)
    return None
