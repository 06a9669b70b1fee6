"""Thesaurus terms analysed ahead of time: the stored file agrees with the analyzer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lindra.language import term_analyses
from lindra.language.swedish import default_thesaurus, thesaurus_term_analysis
from lindra.language.term_analyses import analyses_of, stored_analyses, with_stored

REBUILD = "run python scripts/build_term_analyses.py"


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    stored_analyses.cache_clear()
    yield
    stored_analyses.cache_clear()


def test_every_stored_analysis_is_the_analyzers() -> None:
    stored = stored_analyses()
    assert stored, f"the stored analyses are not used; {REBUILD}"
    analyze = thesaurus_term_analysis()
    stale = [term for term, terms in stored.items() if analyze(term) != terms]
    assert not stale, f"{len(stale)} stale analyses, e.g. {stale[:3]}; {REBUILD}"


def test_every_packaged_term_is_stored() -> None:
    wanted = analyses_of(default_thesaurus(), lambda term: ())
    missing = sorted(wanted.keys() - stored_analyses().keys())
    assert not missing, f"{len(missing)} terms not stored, e.g. {missing[:3]}; {REBUILD}"


def test_analyses_made_for_other_word_lists_are_not_used(
    fresh_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(term_analyses, "word_list_fingerprint", lambda: "other lists")
    assert stored_analyses() == {}


def test_an_unreadable_file_is_not_used(
    fresh_cache: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"terms": [', encoding="utf-8")
    monkeypatch.setattr(term_analyses, "packaged_file", lambda name: broken)
    assert stored_analyses() == {}


def test_a_term_not_stored_is_analysed() -> None:
    analysis = with_stored(lambda term: ("computed",), {"stored": ("kept",)})
    assert analysis("stored") == ("kept",)
    assert analysis("egen term") == ("computed",)
