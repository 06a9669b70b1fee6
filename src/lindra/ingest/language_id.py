"""Is this text Swedish? (py3langid, a langid.py model shipped in its wheel)."""

from __future__ import annotations

import re

from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

__all__ = ["LanguageGuesser", "plainly_swedish"]

# Below this many letters the model cannot tell Swedish from Norwegian or
# Danish reliably, so short texts are accepted as they are.
MIN_LETTERS = 40
# What the model reads of a text.
HEAD = 5000

# Plainly Swedish needs no model (it costs a millisecond a document): common words
# that Norwegian and Danish spell otherwise ("och", not "og"; "är", not "er"), and
# almost no English ones. Of 1,199 real Swedish texts 1,022 pass, none that the model
# would refuse; of 93 English texts and 93 Swedish-then-English ones, none.
_SWEDISH_ONLY = frozenset("och att är inte ett för till jag sig också från även när".split())
_ENGLISH = frozenset("the and of is are with to that this was were have has be".split())
_PLAIN_MIN_WORDS = 20
_PLAIN_SWEDISH_SHARE = 0.08
_PLAIN_ENGLISH_SHARE = 0.02
_WORD = re.compile(r"[^\W\d_]+")


class LanguageGuesser:
    """Guess the language of a text and say whether it is Swedish."""

    def __init__(self) -> None:
        self._identifier = LanguageIdentifier.from_modelpath(
            MODEL_DIR / MODEL_FILE, norm_probs=True
        )

    def guess(self, text: str) -> tuple[str, float]:
        """ISO 639-1 code and probability of the most likely language."""
        language, probability = self._identifier.classify(text[:HEAD])
        return str(language), float(probability)

    def is_swedish(self, text: str) -> tuple[bool, str]:
        """``(True, "sv")`` for Swedish (or too short to tell), else ``(False, code)``."""
        head = text[:HEAD]
        if not _has_letters(head, MIN_LETTERS) or plainly_swedish(head):
            return True, "sv"
        ranking = dict(self._identifier.rank(head)[:5])
        if ranking.get("sv", 0.0) >= 0.3:
            return True, "sv"
        language, _ = self.guess(text)
        return False, language


def plainly_swedish(text: str) -> bool:
    """Whether *text* is Swedish by its common words alone: enough words that only
    Swedish spells so, and hardly any English ones.

    >>> plainly_swedish("Värme kan lindra smärtan och det är bra för ryggen, men det har inte "
    ...                 "dokumenterats att värme hjälper mot smärtan vid benskörhet i längden.")
    True
    >>> plainly_swedish("Varme kan lindre smerten og det er godt for ryggen, men det er ikke "
    ...                 "dokumentert at varme hjelper mot smerten ved beinskjørhet i lengden.")
    False
    """
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) < _PLAIN_MIN_WORDS:
        return False
    count = len(words)
    swedish = sum(w in _SWEDISH_ONLY for w in words)
    english = sum(w in _ENGLISH for w in words)
    return swedish >= _PLAIN_SWEDISH_SHARE * count and english <= _PLAIN_ENGLISH_SHARE * count


def _has_letters(text: str, count: int) -> bool:
    """Whether *text* has at least *count* letters (most texts tell in their first
    few hundred characters; counting all 5,000 took 0.4 ms a document)."""
    seen = 0
    for start in range(0, len(text), 200):
        seen += sum(ch.isalpha() for ch in text[start : start + 200])
        if seen >= count:
            return True
    return False
