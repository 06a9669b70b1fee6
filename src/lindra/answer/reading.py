"""How a question is read: what it asks (its intent), about which treatments and
conditions, and the asker's situation, shown in ``ask --json`` → ``reading``.

Intents, first match wins:

* ``emergency`` — the question describes a situation for 112 or 1177;
* ``practical`` — a fact about a treatment: onset, duration, side effects,
  access, how it is done (:func:`lindra.answer.practical.asked_fact`);
* ``effect`` — does X help (:func:`lindra.answer.effect.is_effect_question`);
* ``treatments`` — what can be done for Y ("Vad kan man göra mot ...",
  "Vilka behandlingar finns vid ...");
* ``what_is`` — "Vad är X?", "Vad innebär ...";
* ``other``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lindra.answer.effect import is_effect_question
from lindra.answer.practical import asked_fact
from lindra.knowledge.mentions import Mention, MentionFinder
from lindra.types import Emergency

__all__ = ["QuestionReading", "read_mentions", "read_question"]

_TREATMENTS = re.compile(
    r"\bvad (kan|ska|bör) (man|jag|vi|hon|han) (göra|ta|använda)\b|"
    r"\bvilka? (behandling\w*|mediciner|läkemedel|metoder|alternativ)\b|"
    r"\bvad (finns det för|hjälper) (behandling\w*|medicin\w*|hjälp)?\b|"
    r"\bbehandling\w* (mot|vid|för)\b|\bbota\b|\bbli av med\b",
    re.IGNORECASE,
)
_WHAT_IS = re.compile(r"^\W*(vad är|vad innebär|vad betyder|vad menas med)\b", re.IGNORECASE)
# The asker's situation: who the question is about.
_CHILD = r"\b(mitt|min|vårt|vår) (barn|son|dotter|bebis|baby)\b|\b\d+[- ]?åring"
_RELATIVE = (
    r"\b(min|mitt|mina) (mamma|pappa|man|fru|sambo|partner|mormor|morfar|farmor|farfar|vän)\b"
)
_ABOUT = tuple(
    (who, re.compile(pattern, re.IGNORECASE))
    for who, pattern in (
        ("child", _CHILD),
        ("pregnant", r"\bgravid\w*|\bväntar barn\b"),
        ("relative", _RELATIVE),
        ("self", r"\b(jag|mig|mej|min|mitt|mina)\b"),
    )
)


@dataclass(frozen=True, slots=True)
class QuestionReading:
    """What a question asks and about what (the ``reading`` of ``ask --json``)."""

    intent: str
    fact: str | None
    treatments: tuple[str, ...]
    conditions: tuple[str, ...]
    about: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "intent": self.intent,
            "fact": self.fact,
            "treatments": list(self.treatments),
            "conditions": list(self.conditions),
            "about": self.about,
        }


def read_question(
    question: str,
    treatments: Sequence[Mention],
    conditions: Sequence[Mention],
    emergency: Emergency,
) -> QuestionReading:
    """The reading of *question*, given the treatment and condition mentions in it.

    >>> read_question("Vad är artros?", [], [], Emergency(False)).intent
    'what_is'
    >>> read_question("Vad kan man göra mot ont i ryggen?", [], [], Emergency(False)).intent
    'treatments'
    """
    fact = asked_fact(question)
    if emergency.triggered:
        intent = "emergency"
    elif fact is not None and treatments:
        intent = "practical"
    elif is_effect_question(question) and treatments:
        intent = "effect"
    elif _TREATMENTS.search(question):
        intent = "treatments"
    elif _WHAT_IS.search(question):
        intent = "what_is"
    else:
        intent = "other"
    about = next((who for who, pattern in _ABOUT if pattern.search(question)), None)
    return QuestionReading(
        intent,
        fact if intent == "practical" else None,
        tuple(dict.fromkeys(m.concept for m in treatments)),
        tuple(dict.fromkeys(m.concept for m in conditions)),
        about,
    )


def read_mentions(
    question: str, finder: MentionFinder | None, mentions: Sequence[Mention], emergency: Emergency
) -> QuestionReading:
    """:func:`read_question` from the question's concept *mentions* (as *finder* found them)."""
    if finder is None:
        return read_question(question, [], [], emergency)
    treatments = [m for m in finder.treatments(mentions) if not m.generic]
    return read_question(question, treatments, finder.conditions(mentions), emergency)
