"""The tense of a sentence's verbs, which tells a story told afterwards ("Han slutade
andas och blev blå") from what happens now ("Han andas inte och är blå").

Words are compared lower-cased with their accents, unlike the emergency cues
(which fold å/ä/ö for phone typing): "är" must not be "år", nor "var" "vår".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from lindra.errors import LexiconError
from lindra.language.lexicons import data_lines, packaged_file

__all__ = ["Tense", "TenseLexicon", "default_tenses", "load_tenses"]

Tense = Literal["past", "present"]

_WORD = re.compile(r"\w+")
_MIN_ENDING_WORD = 5  # "hade" is listed; shorter words with a past ending are not verbs


@dataclass(frozen=True, slots=True)
class TenseLexicon:
    """Finite verb forms by tense, and the endings of regular past forms."""

    past: frozenset[str]
    present: frozenset[str]
    past_endings: tuple[str, ...] = ()

    def of(self, sentence: str) -> frozenset[Tense]:
        """The tenses of the verbs in *sentence* (empty when it has none known).

        >>> tenses = TenseLexicon(frozenset({"blev"}), frozenset({"är"}), ("ade",))
        >>> sorted(tenses.of("Han slutade andas och blev blå."))
        ['past']
        >>> sorted(tenses.of("Han är blå, för två år sedan var han frisk."))
        ['present']
        """
        found: set[Tense] = set()
        for word in _WORD.findall(sentence.lower()):
            if word in self.present:
                found.add("present")
            elif word in self.past or (
                len(word) >= _MIN_ENDING_WORD and word.endswith(self.past_endings)
            ):
                found.add("past")
        return frozenset(found)


def load_tenses(path: Path) -> TenseLexicon:
    """Load ``tense<TAB>words`` rows (``past``, ``present`` or ``past_ending``).

    :raises LexiconError: naming file and line for an unknown tense.
    """
    words: dict[str, set[str]] = {"past": set(), "present": set(), "past_ending": set()}
    for number, line in data_lines(path):
        tense, tab, listed = line.partition("\t")
        if tense not in words or not tab or not listed.split():
            raise LexiconError(
                f"{path.name} line {number}: expected past, present or past_ending, "
                f"a tab and words; got {line!r}"
            )
        words[tense].update(listed.split())
    return TenseLexicon(
        frozenset(words["past"]),
        frozenset(words["present"]),
        tuple(sorted(words["past_ending"])),
    )


def default_tenses() -> TenseLexicon:
    """The packaged Swedish verb forms, ``lindra/answer/data/sv_tenses.tsv``."""
    return load_tenses(packaged_file("sv_tenses.tsv", "lindra.answer"))
