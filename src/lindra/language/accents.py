"""Putting å, ä and ö back into a question typed on a keyboard without them.

Patients on phones and foreign keyboards write "hur lange haller botox" for
"hur länge håller botox". A question with no å, ä or ö at all gets each word
replaced by its accented twin when that twin is much more common in Swedish
(wordfreq's Swedish frequencies, read into a packaged table by
``scripts/build_common_words.py``): "lange" → "länge", "smartan" → "smärtan",
"for" → "för"; "har" (more common than "här") and words without a twin stay.
The rest of the pipeline then reads the question as if it had been typed with
them, so the answer does not depend on the keyboard. A compound no list holds is
restored part by part when every part is a known word: "backenbottensmartan" →
"bäckenbottensmärtan", "fastingbiten" → "fästingbiten".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping

from lindra.language.normalize import strip_accents

__all__ = ["AccentRestorer", "dominant_forms"]

# The accented form must be this many times more frequent than the plain one.
DOMINANCE = 2.0
# The shortest part of a compound restored part by part.
MIN_PART = 3
_ACCENTED = frozenset("åäöÅÄÖ")
_WORD = re.compile(r"[A-Za-z]+")
# "ar" after a number or "i" is "år" ("55 ar", "i ar"), whatever its frequency says.
_YEARS = {"ar": "år", "aren": "åren"}
_BEFORE_YEARS = re.compile(r"(?:\d|\bi)\s+$", re.IGNORECASE)
# "bor" before a subject and an infinitive is the modal "bör" ("varfor bor man sova",
# "hur bor jag ta dem"); "bor" (lives) is followed by where or how ("bor hemma").
_MODAL_AFTER = re.compile(
    r"\s+(?:man|jag|du|vi|ni|de|dom|han|hon|hen)\s+(?:inte\s+)?(?:[a-z]+a|se|ge|do|bo)\b",
    re.IGNORECASE,
)


class AccentRestorer:
    """Restore å/ä/ö from a table of plain words and their dominant accented twins,
    loaded on first use.

    >>> restorer = AccentRestorer.from_frequencies(
    ...     lambda: {"länge": 9.0, "lange": 1.0, "har": 9.0, "här": 5.0}
    ... )
    >>> restorer.restore("Hur Lange har det gatt?")
    'Hur Länge har det gatt?'
    >>> restorer.restore("Hur länge har det gått?")  # typed with them: left as it is
    'Hur länge har det gått?'
    >>> AccentRestorer.from_frequencies(lambda: {"är": 9.0, "ar": 1.0}).restore("Jag ar 55 ar")
    'Jag är 55 år'
    >>> AccentRestorer.from_frequencies(dict).restore("Varfor bor man sova tidigt? Jag bor hemma.")
    'Varfor bör man sova tidigt? Jag bor hemma.'
    """

    def __init__(
        self,
        forms: Callable[[], Mapping[str, str]],
        known: Callable[[], Collection[str]] = frozenset,
    ) -> None:
        """:param known: words that need no accent as they are ("biten", "ont"): a
        compound is restored part by part only when each part is one of them or
        has an accented twin, and a known word is never split."""
        self._load = forms
        self._forms: Mapping[str, str] | None = None
        self._load_known = known
        self._known: Collection[str] | None = None

    @classmethod
    def from_frequencies(cls, frequencies: Callable[[], Mapping[str, float]]) -> AccentRestorer:
        """A restorer whose table is built from word frequencies at first use."""
        return cls(lambda: dominant_forms(frequencies()))

    def forms(self) -> Mapping[str, str]:
        """Plain word → its dominant accented form."""
        if self._forms is None:
            self._forms = self._load()
        return self._forms

    def restore(self, text: str, spelled: Callable[[str], str | None] | None = None) -> str:
        """*text* with å/ä/ö restored, or unchanged when it has any of them.

        :param spelled: how a knowledge base spells a word (itself, an accented form,
            or None when it has neither); asked for the words the frequency table
            neither restores nor knows, before they are restored part by part. A
            base's own "trängningsinkontinens" beats a guess from the parts.

        >>> restorer = AccentRestorer.from_frequencies(lambda: {"smärta": 9.0})
        >>> restorer.restore("agglossningssmarta", {"agglossningssmarta": "ägglossningssmärta"}.get)
        'ägglossningssmärta'
        """
        if _ACCENTED.intersection(text):
            return text
        forms = self.forms()

        def replace(match: re.Match[str]) -> str:
            word = match.group()
            key = word.casefold()
            if key in _YEARS and _BEFORE_YEARS.search(text, 0, match.start()):
                restored: str | None = _YEARS[key]
            elif key == "bor" and _MODAL_AFTER.match(text, match.end()):
                restored = "bör"
            else:
                restored = forms.get(key)
                if restored is None and spelled is not None and key not in self.known():
                    restored = spelled(key)
                restored = restored or self._compound(key)
            if restored is None:
                return word
            if word.isupper() and len(word) > 1:
                return restored.upper()
            return restored[0].upper() + restored[1:] if word[0].isupper() else restored

        return _WORD.sub(replace, text)

    def known(self) -> Collection[str]:
        """Words that need no accent as they are."""
        if self._known is None:
            self._known = self._load_known()
        return self._known

    def _compound(self, word: str, depth: int = 2) -> str | None:
        """*word* restored as a compound of known parts (the head as long as
        possible, a linking "s" allowed), or None when no part needs an accent.

        >>> restorer = AccentRestorer(lambda: {"kor": "kör", "skorhet": "skörhet"},
        ...                           lambda: {"spik", "skor", "ben"})
        >>> restorer._compound("spikskor"), restorer._compound("benskorhet")
        (None, 'benskörhet')
        """
        known = self.known()
        if word in known or len(word) < 2 * MIN_PART:
            return None
        forms = self.forms()
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            head = forms.get(word[cut:]) or (word[cut:] if word[cut:] in known else None)
            if head is None:
                continue
            left = word[:cut]
            lefts = [(left, "")]
            if left.endswith("s") and len(left) > MIN_PART:
                lefts.append((left[:-1], "s"))
            for part, link in lefts:
                first = forms.get(part) or (part if part in known else None)
                if first is None and depth > 1:
                    first = self._compound(part, depth - 1)
                if first is None:
                    continue
                restored = f"{first}{link}{head}"
                # The longest head that reads as typed wins: "spikskor" is spik + skor,
                # not spiks + kör.
                return restored if restored != word else None
        return None


def dominant_forms(counts: Mapping[str, float]) -> dict[str, str]:
    """Each plain word whose most frequent accented twin is :data:`DOMINANCE` times
    more frequent than the plain word itself, with that twin.

    >>> dominant_forms({"länge": 9.0, "lange": 1.0, "har": 9.0, "här": 5.0})
    {'lange': 'länge'}
    """
    best: dict[str, tuple[str, float]] = {}
    for word, frequency in counts.items():
        plain = strip_accents(word)
        if plain != word and (plain not in best or frequency > best[plain][1]):
            best[plain] = (word, frequency)
    return {
        plain: word
        for plain, (word, frequency) in best.items()
        if frequency > DOMINANCE * counts.get(plain, 0.0)
    }
