"""Does a knowledge base hold together? Documents, passages, index rows and evidence.

Used by ``lindra check`` and by the kill-9 loop of ``make reliability``: after an
ingest is killed at any moment, every document must be whole (its passages, its
index rows and its evidence present, offsets inside its text) and nothing may
point at a document that is not there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lindra.store.base import Store

__all__ = ["StoreReport", "check_store"]


@dataclass(slots=True)
class StoreReport:
    """What :func:`check_store` counted and every inconsistency it found."""

    documents: int = 0
    passages: int = 0
    index_rows: int = 0
    treatments: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_store(store: Store) -> StoreReport:
    """Check every document of *store* and everything that refers to one."""
    report = StoreReport()
    summaries = {s.id: s for s in store.documents()}
    report.documents = len(summaries)
    passage_ids: set[str] = set()
    for doc_id in summaries:
        document = store.document(doc_id)
        passages = store.passages_of(doc_id)
        if not passages:
            report.problems.append(f"document {doc_id!r} has no passages")
        for passage in passages:
            passage_ids.add(passage.id)
            if not all(0 <= a <= b <= len(document.text) for a, b in passage.spans):
                report.problems.append(f"passage {passage.id!r} points outside its document")
        for entry in store.treatments_of(doc_id):
            report.treatments += 1
            if not 0 <= entry["start"] <= entry["end"] <= len(document.text):
                report.problems.append(
                    f"evidence for {entry['concept']!r} in {doc_id!r} quotes outside the text"
                )
    report.passages = len(passage_ids)
    indexed: set[str] = set()
    for row in store.index_rows():
        report.index_rows += 1
        indexed.add(row.passage_id)
        if row.doc_id not in summaries:
            report.problems.append(f"index row {row.passage_id!r} of a missing document")
    missing = passage_ids - indexed
    if missing:
        report.problems.append(f"{len(missing)} passages have no index row")
    for entry in store.treatments():
        if entry["doc_id"] not in summaries:
            report.problems.append(f"evidence row of a missing document {entry['doc_id']!r}")
    return report
