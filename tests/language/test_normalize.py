"""Character normalisation: accents stripped the way a keyboard without them types."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from lindra.language.normalize import strip_accents


def _decompose_everything(text: str) -> str:
    """The plain definition: decompose, drop combining marks, recompose."""
    text = text.translate(str.maketrans("åäöéüÅÄÖÉÜ", "aaoeuAAOEU"))
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


@given(st.text())
def test_stripping_only_the_non_ascii_runs_is_the_plain_definition(text: str) -> None:
    assert strip_accents(text) == _decompose_everything(text)


def test_a_joined_vocabulary_keeps_its_lines() -> None:
    words = ["smärta", "crème", "naïv", "akupunktur", "Ångström"]
    assert strip_accents("\n".join(words)).split("\n") == [
        "smarta",
        "creme",
        "naiv",
        "akupunktur",
        "Angstrom",
    ]
