"""Effect questions ("Hjälper X mot Y?") and the one-line verdict from stored evidence."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["EffectQuestion", "is_effect_question", "verdict_text"]

# The ways Swedish patients ask whether a treatment works (1177 question
# phrasings and reader questions): "Hjälper/Fungerar/Funkar/Lindrar X ...",
# "Har X (någon) effekt", "Är X bättre än Y", "Kan X hjälpa", "Hur bra är X",
# "Vad vet man om effekten av X", "Är X verkningsfullt/effektivt".
_EFFECT_QUESTION = re.compile(
    r"\b(hjälper|hjälpa|hjalper|fungerar|funkar|lindrar|lindra|verkar|botar|"
    r"effekt\w*|bättre än|battre an|hur bra|verkningsfull\w*|effektiv\w*|nytta|"
    r"värt att|vart att|lönt|bevisat|visat|studier|bra\s+(?:mot|vid|för|att)|"
    r"(?:bäst|bast)\s+(?:mot|vid|för))\b",
    re.IGNORECASE,
)

# "När kommer effekten?", "Hur länge varar effekten?", "Hur fungerar botox i
# musklerna?": asks about timing or mechanism, not whether it works.
_TIMING_QUESTION = re.compile(
    r"^\W*(när|nar|hur (länge|lange|snabbt|fort|ofta|lång tid|lang tid|tidigt|fungerar|"
    r"funkar|verkar)|efter hur)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class EffectQuestion:
    """An effect question: the treatment concepts asked about, and the conditions."""

    treatments: tuple[str, ...]
    conditions: tuple[str, ...]


def is_effect_question(question: str) -> bool:
    """True when the question asks whether something works.

    >>> is_effect_question("Hjälper akupunktur mot smärta vid benskörhet?")
    True
    >>> is_effect_question("Är värme bra mot ryggont?")
    True
    >>> is_effect_question("är kyla eller värme bäst mot ryggvärk")
    True
    >>> is_effect_question("Hur länge håller botox?")
    False
    >>> is_effect_question("När kommer den bästa effekten av botox?")
    False
    >>> is_effect_question("Hur fungerar botox i musklerna?")
    False
    """
    return bool(_EFFECT_QUESTION.search(question)) and not _TIMING_QUESTION.search(question)


_LONG_TERM = re.compile(r"långtid|på sikt|på lång sikt", re.IGNORECASE)


def verdict_text(
    entries: Sequence[Mapping[str, Any]], messages: Mapping[str, str]
) -> tuple[str, str]:
    """The verdict line and stance for the stored evidence *entries* of one treatment.

    >>> m = {"verdict.undocumented": "U", "verdict.no_effect_long_term": "L", "verdict.mixed": "M"}
    >>> verdict_text([{"stance": "undocumented", "quote": "..."}], m)
    ('U', 'undocumented')
    >>> verdict_text([{"stance": "no_effect", "quote": "ingen långtidseffekt"}], m)
    ('L', 'no_effect')
    >>> verdict_text([{"stance": "some_support"}, {"stance": "no_effect"}], m)
    ('M', 'mixed')
    """
    said = {e["stance"] for e in entries if e["stance"] != "not_stated"}
    if not said:
        return messages["verdict.not_stated"], "not_stated"
    if len(said) > 1:
        return messages["verdict.mixed"], "mixed"
    stance = said.pop()
    if stance == "no_effect" and any(_LONG_TERM.search(str(e.get("quote", ""))) for e in entries):
        return messages["verdict.no_effect_long_term"], stance
    return messages[f"verdict.{stance}"], stance
