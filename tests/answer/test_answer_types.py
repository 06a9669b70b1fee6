"""Question kinds and the sentences that answer them (answer/data/sv_answer_types.tsv)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lindra.answer.answer_types import AnswerTypes, default_answer_types, load_answer_types
from lindra.errors import LexiconError
from tests.conftest import engine_with_page


@pytest.mark.parametrize(
    "question, kinds",
    [
        ("Varför får man huvudvärk?", ["cause"]),
        ("Vad kan detta bero på?", ["cause"]),
        ("Är hjärtklappning farligt?", ["danger"]),
        ("Kan man dö av en panikattack?", ["danger"]),
        ("varfor ar det farligt", ["cause", "danger"]),  # typed without å/ä/ö
        ("Hur länge håller botox?", []),
    ],
)
def test_what_a_question_asks_for(question: str, kinds: list[str]) -> None:
    assert [t.kind for t in default_answer_types().asked(question)] == kinds


def test_a_sentence_of_the_asked_kind_answers() -> None:
    types = default_answer_types()
    cause = types.asked("Varför får man huvudvärk?")
    assert AnswerTypes.answers(cause, "Huvudvärken orsakas ofta av muskelspänningar.")
    assert not AnswerTypes.answers(cause, "Huvudvärk är vanligt.")
    assert not AnswerTypes.answers((), "Huvudvärken orsakas ofta av muskelspänningar.")


def test_a_bad_pattern_names_the_file_and_kind(tmp_path: Path) -> None:
    path = tmp_path / "typer.tsv"
    path.write_text("cause\t(varför\torsak\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="typer.tsv: answer type 'cause': bad pattern"):
        load_answer_types(path)


def test_the_sentence_that_gives_the_cause_is_quoted_first(tmp_path: Path) -> None:
    text = (
        "Huvudvärk\n\nHuvudvärk är mycket vanligt och de flesta får huvudvärk någon gång. "
        "Huvudvärken orsakas ofta av spända muskler i nacken.\n"
    )
    with engine_with_page(tmp_path, "huvudvark.txt", text, answer_threshold=0.0) as engine:
        answer = engine.ask("Varför får man huvudvärk?")
        assert answer.found and "orsakas" in answer.answers[0].text
