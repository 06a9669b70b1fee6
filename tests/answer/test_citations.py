"""Which citation leads the answer card."""

from __future__ import annotations

from lindra.answer.citations import evidence_first, lead_with
from lindra.types import Citation, Verdict


def cite(doc_id: str, start: int, stance: str | None = None) -> Citation:
    return Citation(f"{doc_id}@{start}", doc_id, "p", start, start + 5, "T", "", "s", 0.5, stance)


def test_lead_with_moves_a_quoted_citation_to_the_front() -> None:
    answers = (cite("a", 0), cite("a", 10), cite("b", 0))
    assert lead_with(cite("a", 10), answers) == (cite("a", 10), cite("a", 0), cite("b", 0))
    assert lead_with(None, answers) == answers


def test_evidence_first_only_from_a_page_already_quoted() -> None:
    answers = (cite("a", 0), cite("b", 0))
    verdict = Verdict("V", "undocumented", "x", None, (cite("c", 3), cite("b", 7, "undocumented")))
    led = evidence_first(answers, verdict, limit=2)
    found = [(c.doc_id, c.start, c.stance) for c in led]
    assert found == [("b", 7, "undocumented"), ("a", 0, None)]
    assert evidence_first(answers, None, limit=1) == answers[:1]
