"""Citations on the answer card: building them and choosing which leads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from lindra.types import Citation, Document, Passage, Verdict

__all__ = ["citation", "evidence_first", "lead_with"]


def evidence_first(
    answers: tuple[Citation, ...], verdict: Verdict | None, limit: int
) -> tuple[Citation, ...]:
    """Lead with the evidence sentence of a page already quoted: for "Hjälper
    akupunktur?" the answer is "Det finns ingen dokumentation för behandlingarnas
    effekt", which shares no word with the question."""
    if verdict is None or not answers:
        return answers[:limit]
    quoted = {c.doc_id for c in answers}
    lead = next(
        (
            replace(source, score=answers[0].score)
            for source in verdict.sources
            if source.doc_id in quoted
        ),
        None,
    )
    return lead_with(lead, answers)[:limit]


def lead_with(lead: Citation | None, answers: Sequence[Citation]) -> tuple[Citation, ...]:
    """*answers* with *lead* first (and not repeated further down)."""
    if lead is None:
        return tuple(answers)
    rest = [c for c in answers if (c.doc_id, c.start) != (lead.doc_id, lead.start)]
    return (lead, *rest)


def citation(document: Document, passage: Passage, start: int, end: int, score: float) -> Citation:
    """The verbatim quote `document.text[start:end]` (whitespace folded) with its provenance."""
    return Citation(
        text=" ".join(document.text[start:end].split()),
        doc_id=document.id,
        passage_id=passage.id,
        start=start,
        end=end,
        title=document.title,
        section=passage.section,
        source=document.source,
        score=round(score, 4),
        genre=str(document.metadata.get("genre", "")),
    )
