"""Verb tenses: the packaged word lists and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from lindra.answer.tense import default_tenses, load_tenses
from lindra.errors import LexiconError


def test_packaged_lists_are_disjoint_and_keep_accents() -> None:
    tenses = default_tenses()
    assert not tenses.past & tenses.present
    assert {"är", "får"} <= tenses.present and {"var", "låg"} <= tenses.past
    assert "andas" not in tenses.present  # an infinitive too: "slutade andas"


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Min son slutade andas och blev blå om läpparna.", {"past"}),
        ("Han andas inte och är blå om läpparna!", {"present"}),
        ("För två år sedan fick jag en stroke och nu mår jag bra.", {"past", "present"}),
        ("Vår son, tre år.", set()),  # "vår" and "år" are no verbs
    ],
)
def test_tenses_of_a_sentence(sentence: str, expected: set[str]) -> None:
    assert default_tenses().of(sentence) == expected


def test_bad_row_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "tenses.tsv"
    path.write_text("# comment\npast\tvar hade\nfuture\tska\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="tenses.tsv line 3"):
        load_tenses(path)
