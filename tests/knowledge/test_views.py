"""Cross-document treatment tables."""

from __future__ import annotations

from lindra.knowledge.views import treatments_for


def test_research_abstracts_stay_out_of_patient_tables() -> None:
    def entry(doc: str, genre: str, stance: str) -> dict[str, object]:
        return {
            "doc_id": doc, "concept": "akupunktur", "concept_id": "acupuncture",
            "condition": "ryggsmärta", "condition_id": "back_pain", "conditions": ["back_pain"],
            "stance": stance, "quote": "…", "start": 0, "end": 1, "genre": genre,
        }  # fmt: skip

    entries = [
        entry("abstract-1", "abstract", "proven_effect"),
        entry("shop", "clinic_shop", "proven_effect"),
        entry("sbu", "guidance", "undocumented"),
    ]
    ids = {"back_pain"}
    titles = lambda doc: (doc, doc)  # noqa: E731
    [row] = treatments_for("ryggsmärta", entries, ids, titles)
    assert [s["doc_id"] for s in row.sources] == ["sbu", "shop"]  # guidance first
    assert row.stance == "mixed"
    [with_research] = treatments_for("ryggsmärta", entries, ids, titles, research=True)
    assert [s["genre"] for s in with_research.sources][-1] == "abstract"
