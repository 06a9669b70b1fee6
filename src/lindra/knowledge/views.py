"""Cross-document views of the stored evidence: the treatments known for a condition."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lindra.language.normalize import fold
from lindra.types import STANCES

__all__ = ["GENRE_ORDER", "TreatmentRow", "is_research", "main_conditions", "treatments_for"]

# Sources in the order a patient should weigh them: authority guidance and patient
# information first, a clinic's or shop's page and research abstracts last.
GENRE_ORDER = {
    genre: rank
    for rank, genre in enumerate(
        ("guidance", "patient_info", "faq", "reader_qa", "news", "blog", "forum", "clinic_shop",
         "abstract")
    )
}  # fmt: skip


def is_research(entry: dict[str, Any]) -> bool:
    """Whether an evidence entry comes from a research abstract (not a patient source)."""
    return entry.get("genre") == "abstract"


@dataclass(slots=True)
class TreatmentRow:
    """One treatment for a condition, with what each source says about it."""

    concept: str
    concept_id: str
    stances: list[str] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def stance(self) -> str:
        """One stance when the sources agree (ignoring silent ones), else ``mixed``."""
        said = {s for s in self.stances if s != "not_stated"}
        if not said:
            return "not_stated"
        return said.pop() if len(said) == 1 else "mixed"

    @property
    def agree(self) -> bool:
        return len({s for s in self.stances if s != "not_stated"}) <= 1

    def to_json(self) -> dict[str, Any]:
        return {
            "concept": self.concept,
            "concept_id": self.concept_id,
            "stance": self.stance,
            "sources_agree": self.agree,
            "facts": self.facts,
            "sources": self.sources,
        }


def treatments_for(
    condition: str,
    entries: Sequence[dict[str, Any]],
    condition_ids: Collection[str],
    title_of: Callable[[str], tuple[str, str]],
    *,
    research: bool = False,
) -> list[TreatmentRow]:
    """Rows for the stored evidence *entries* whose condition matches *condition*.

    Research abstracts are left out unless *research*: a patient's table of
    treatments is drawn from patient information and guidance. Each row lists its
    sources in :data:`GENRE_ORDER`.

    :param condition_ids: the concept ids *condition* names ("benskörhet" →
        {"osteoporosis"}); entries match on those ids, or on the condition text.
    :param title_of: doc id → (title, source) for citations.
    """
    wanted_ids = set(condition_ids)
    wanted_text = fold(condition.strip())
    rows: dict[str, TreatmentRow] = {}
    for entry in entries:
        if is_research(entry) and not research:
            continue
        entry_condition = entry.get("condition") or ""
        known_ids = {entry.get("condition_id"), *main_conditions(entry)}
        if not (known_ids & wanted_ids or (wanted_text and wanted_text in fold(entry_condition))):
            continue
        row = rows.setdefault(
            entry["concept_id"], TreatmentRow(entry["concept"], entry["concept_id"])
        )
        title, source = title_of(entry["doc_id"])
        row.stances.append(entry["stance"])
        row.sources.append(
            {
                "doc_id": entry["doc_id"],
                "title": title,
                "source": source,
                "stance": entry["stance"],
                "quote": entry["quote"],
                "start": entry["start"],
                "end": entry["end"],
                "genre": entry.get("genre", "patient_info"),
                "claim": bool(entry.get("claim", False)),
            }
        )
        _merge_facts(row.facts, entry.get("facts", {}))
    for row in rows.values():
        row.sources.sort(key=lambda source: GENRE_ORDER.get(source["genre"], 99))
    order: dict[str, int] = {stance: rank for rank, stance in enumerate(STANCES)}
    return sorted(rows.values(), key=lambda r: (order.get(r.stance, 99), r.concept))


def main_conditions(entry: Mapping[str, Any]) -> list[str]:
    """The conditions an evidence entry's page is mainly about (pipeline 15), not every
    one it names: a COPD page that names asthma once is no source on asthma. Entries
    stored before have only ``conditions``, which are read as before.

    >>> main_conditions({"conditions": ["copd", "asthma"], "main_conditions": ["copd"]})
    ['copd']
    >>> main_conditions({"conditions": ["copd", "asthma"]})
    ['copd', 'asthma']
    """
    return list(entry.get("main_conditions", entry.get("conditions", [])))


def _merge_facts(into: dict[str, Any], facts: dict[str, Any]) -> None:
    for key, value in facts.items():
        if value in (None, [], ""):
            continue
        if isinstance(value, list):
            known = into.setdefault(key, [])
            known.extend(v for v in value if v not in known)
        else:
            into.setdefault(key, value)
