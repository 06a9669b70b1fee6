"""What kind of sentence answers what kind of question.

"Varför får man huvudvärk?" is answered by a sentence that gives a cause
("Huvudvärken orsakas ofta av muskelspänningar"), "Är hjärtklappning farligt?" by
one that says how dangerous it is ("Vanligtvis är det inget att oroa sig för"),
though other sentences of the same page may share more words with the question.
The pairs live in ``answer/data/sv_answer_types.tsv`` for editors to change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lindra.errors import LexiconError
from lindra.language.lexicons import load_tsv, packaged_file
from lindra.language.normalize import strip_accents

__all__ = ["AnswerType", "AnswerTypes", "default_answer_types", "load_answer_types"]


@dataclass(frozen=True, slots=True)
class AnswerType:
    kind: str
    question: re.Pattern[str]
    sentence: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class AnswerTypes:
    """Question kinds and the sentences that answer them."""

    types: tuple[AnswerType, ...]

    def asked(self, question: str) -> tuple[AnswerType, ...]:
        """The kinds *question* asks for (a cause, a danger ...), maybe none.

        >>> [t.kind for t in default_answer_types().asked("Varfor far man huvudvark?")]
        ['cause']
        """
        plain = strip_accents(question)
        return tuple(t for t in self.types if t.question.search(plain))

    @staticmethod
    def answers(asked: tuple[AnswerType, ...], sentence: str) -> bool:
        """Whether *sentence* is of a kind the question asked for.

        >>> types = default_answer_types()
        >>> types.answers(types.asked("Är det farligt?"), "Det är inget att oroa sig för.")
        True
        """
        if not asked:
            return False
        plain = strip_accents(sentence)
        return any(t.sentence.search(plain) for t in asked)


def load_answer_types(path: Path) -> AnswerTypes:
    """Read ``kind<TAB>question pattern<TAB>sentence pattern`` rows.

    :raises LexiconError: naming the file and the kind of a malformed pattern.
    """
    types = []
    for kind, question, sentence in load_tsv(path, 3):
        try:
            types.append(
                AnswerType(
                    kind,
                    re.compile(strip_accents(question), re.IGNORECASE),
                    re.compile(strip_accents(sentence), re.IGNORECASE),
                )
            )
        except re.error as exc:
            raise LexiconError(f"{path.name}: answer type {kind!r}: bad pattern: {exc}") from exc
    return AnswerTypes(tuple(types))


def default_answer_types() -> AnswerTypes:
    return load_answer_types(packaged_file("sv_answer_types.tsv", "lindra.answer"))
