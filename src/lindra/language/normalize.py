"""Character-level normalisation of Swedish words."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "strip_accents", "swedish_sort_key"]

# Typographic variants that patients and web pages mix freely.
_TRANSLATE = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-", "‐": "-", "‑": "-", "ﬁ": "fi"})

_SWEDISH_PLAIN = str.maketrans("åäöéüÅÄÖÉÜ", "aaoeuAAOEU")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def fold(word: str) -> str:
    """Unicode NFC, unified dashes and apostrophes, case folded.

    >>> fold("Bäckenbotten–Smärta")
    'bäckenbotten-smärta'
    """
    return unicodedata.normalize("NFC", word.translate(_TRANSLATE)).casefold()


def strip_accents(word: str) -> str:
    """Remove diacritics, the way a phone keyboard without å/ä/ö would type it.

    Swedish å, ä, ö become a, a, o; é and ü become e and u.

    >>> strip_accents("bäckenbotten smärta på höger")
    'backenbotten smarta pa hoger'
    """
    plain = word.translate(_SWEDISH_PLAIN)
    if plain.isascii():  # the common case, without decomposing
        return plain
    # Only the runs of other letters are decomposed: a long text (a whole
    # vocabulary joined) is then stripped at C speed.
    return _NON_ASCII.sub(_strip_run, plain)


def _strip_run(match: re.Match[str]) -> str:
    decomposed = unicodedata.normalize("NFD", match.group())
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


# Å, Ä and Ö come after Z, in that order, in Swedish alphabetical order.
_SWEDISH_LAST = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}"})


def swedish_sort_key(text: str) -> str:
    """Sort key for Swedish words (å, ä, ö last).

    >>> sorted(["ödem", "ångest", "äggstock", "zoster"], key=swedish_sort_key)
    ['zoster', 'ångest', 'äggstock', 'ödem']
    """
    return text.casefold().translate(_SWEDISH_LAST)
