"""The Store contract, run against every backend (``store`` is parametrized in conftest).

A difference between SQLite and PostgreSQL shows up here as a failing test.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from contextlib import closing
from dataclasses import replace
from typing import Any

import pytest

from lindra.errors import DocumentNotFound, IndexNotFound, StoreError
from lindra.store.base import PassageRecord, Store
from lindra.store.open import open_store
from lindra.types import Block, Document, Passage, ReaderQuestion, Section

TEXT = (
    "Benskörhet – osteoporos\n\n"
    "Osteoporos gör skelettet skört, så att det lättare går av.\n\n"
    "Behandling\n\n"
    "Läkemedel som bisfosfonater minskar risken för frakturer.\n\n"
    "Hjälper D-vitamin mot benskörhet?"
)


def span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def block(kind: Any, part: str, text: str = TEXT) -> Block:
    start, end = span(text, part)
    return Block(kind, start, end, part)


def make_document(doc_id: str = "osteoporos", text: str = TEXT, **changes: Any) -> Document:
    title = text.split("\n")[0]
    sections: tuple[Section, ...] = ()
    questions: tuple[ReaderQuestion, ...] = ()
    if text == TEXT:
        sections = (
            Section(
                title,
                1,
                (title,),
                (block("title", title), block("paragraph", "Osteoporos gör skelettet skört")),
                span(TEXT, title),
            ),
            Section(
                "Behandling",
                2,
                (title, "Behandling"),
                (block("heading", "Behandling"), block("list_item", "Läkemedel som")),
                span(TEXT, "Behandling"),
            ),
        )
        question = "Hjälper D-vitamin mot benskörhet?"
        questions = (ReaderQuestion(question, *span(TEXT, question)),)
    fields: dict[str, Any] = {
        "id": doc_id,
        "source": f"https://www.1177.se/{doc_id}/",
        "title": title,
        "kind": "article",
        "text": text,
        "sections": sections,
        "reader_questions": questions,
        "metadata": {"författare": "Åsa Öberg", "granskad": "2024-05-01", "taggar": ["ben", "ö"]},
        "language": "sv",
        "content_hash": f"sha256:{doc_id}",
        "ingested_at": "2024-06-01T12:00:00+00:00",
        "pipeline": "1",
        "title_span": span(text, title),
    }
    fields.update(changes)
    return Document(**fields)


def make_passages(document: Document, count: int = 2) -> list[PassageRecord]:
    records = []
    for ordinal in range(count):
        start, end = 0, min(len(document.text), 20 * (ordinal + 1))
        passage = Passage(
            f"{document.id}#{ordinal}",
            document.id,
            ordinal,
            "Behandling" if ordinal else document.title,
            (document.title,),
            ((start, end),),
            document.text[start:end],
            "question" if ordinal == 1 else "body",
        )
        terms = {"title": {"benskör": 1}, "body": {"osteoporos": ordinal + 1, "skör": 2}}
        records.append(PassageRecord(passage, terms))
    return records


def treatment(concept: str, condition: str | None, stance: str = "proven_effect") -> dict[str, Any]:
    return {"concept": concept, "condition": condition, "stance": stance, "quote": "minskar risken"}


def write(store: Store, doc_id: str, passages: int = 2, **changes: Any) -> Document:
    document = make_document(doc_id, **changes)
    store.write_document(document, make_passages(document, passages))
    return document


# -- an empty store ------------------------------------------------------------


def test_new_store_is_empty(store: Store) -> None:
    assert store.generation() == 0
    assert store.documents() == []
    assert list(store.index_rows()) == []
    assert store.treatments() == []
    assert store.find_source("https://www.1177.se/x/") is None
    assert store.summary("x") is None
    stats = store.stats()
    assert (stats.documents, stats.passages, stats.sections, stats.kinds) == (0, 0, 0, {})
    assert stats.size_bytes > 0


def test_missing_base_raises_index_not_found(location: str) -> None:
    with pytest.raises(IndexNotFound, match="Run 'lindra ingest"):
        open_store(location)


def test_reopening_sees_what_was_written(store: Store, location: str) -> None:
    document = write(store, "osteoporos")
    again = open_store(location)
    try:
        assert again.document("osteoporos") == document
        assert again.generation() == 1
    finally:
        again.close()


# -- documents -----------------------------------------------------------------


def test_document_round_trips_exactly(store: Store) -> None:
    document = make_document()
    store.write_document(document, make_passages(document))
    assert store.document("osteoporos") == document


def test_document_without_spans_round_trips(store: Store) -> None:
    document = make_document("kort", text="Kort text om yrsel.", title_span=None)
    store.write_document(document, [])
    assert store.document("kort") == document


def test_unknown_document_message(store: Store) -> None:
    with pytest.raises(DocumentNotFound) as caught:
        store.document("saknas")
    assert str(caught.value) == (
        "No document with id 'saknas'. Run 'lindra search' to find document ids."
    )


def test_summaries_and_sources(store: Store) -> None:
    # Upper case sorts first by code point, last in Swedish: the order must not
    # depend on the database's collation.
    write(store, "akne", source="https://example.se/delad")
    write(store, "Zoster", source="https://example.se/delad")
    write(store, "c-dok", kind="faq")
    assert [s.id for s in store.documents()] == ["Zoster", "akne", "c-dok"]
    assert store.find_source("https://example.se/delad") == "Zoster"  # lowest id wins
    summary = store.summary("c-dok")
    assert summary is not None
    assert (summary.kind, summary.content_hash, summary.pipeline) == ("faq", "sha256:c-dok", "1")


def test_every_write_bumps_generation(store: Store) -> None:
    write(store, "a")
    write(store, "b")
    write(store, "a")
    assert store.generation() == 3
    assert store.delete_document("a") is True
    assert store.generation() == 4
    assert store.delete_document("a") is False
    assert store.generation() == 4


def test_replace_swaps_the_whole_document(store: Store) -> None:
    old = write(store, "osteoporos", passages=3)
    store.write_document(
        make_document("osteoporos"), make_passages(old, 3), [treatment("bisfosfonat", "x")]
    )
    new = make_document("osteoporos", text="Ny version.", title_span=None)
    store.write_document(new, make_passages(new, 1))
    assert store.document("osteoporos") == new
    assert [p.id for p in store.passages_of("osteoporos")] == ["osteoporos#0"]
    assert store.treatments_of("osteoporos") == []
    assert store.stats().sections == 0


def test_delete_removes_everything(store: Store) -> None:
    document = make_document()
    store.write_document(document, make_passages(document), [treatment("kalcium", "osteoporos")])
    write(store, "kvar")
    assert store.delete_document("osteoporos") is True
    with pytest.raises(DocumentNotFound):
        store.document("osteoporos")
    assert store.passages_of("osteoporos") == []
    assert store.treatments() == []
    stats = store.stats()
    assert (stats.documents, stats.passages, stats.reader_questions) == (1, 2, 1)


# -- passages and the index ----------------------------------------------------


def test_passages_by_id(store: Store) -> None:
    document = write(store, "osteoporos", passages=3)
    found = store.passages(["osteoporos#2", "saknas", "osteoporos#0", "osteoporos#2"])
    assert sorted(found) == ["osteoporos#0", "osteoporos#2"]
    expected = make_passages(document, 3)[2].passage
    assert found["osteoporos#2"] == expected
    assert store.passages_of("osteoporos")[1].kind == "question"


def test_passages_by_id_in_large_batches(store: Store) -> None:
    document = write(store, "lang", passages=1200)
    ids = [f"lang#{i}" for i in range(1200)]
    assert len(store.passages(ids)) == 1200
    assert [p.ordinal for p in store.passages_of(document.id)] == list(range(1200))


def test_index_rows_in_code_point_order(store: Store) -> None:
    # Ids whose order differs between code points and Swedish (or any locale)
    # collation: the index must see the same order on every backend.
    for doc_id in ["ärr", "Zoster", "åksjuka", "akne", "a-2", "a2", "öra"]:
        write(store, doc_id, passages=12)
    rows = list(store.index_rows())
    keys = [(row.doc_id, int(row.passage_id.rsplit("#", 1)[1])) for row in rows]
    assert keys == sorted(keys)
    assert [row.doc_id for row in rows][::12] == [
        "Zoster",
        "a-2",
        "a2",
        "akne",
        "ärr",
        "åksjuka",
        "öra",
    ]
    assert rows[0].terms == {"title": {"benskör": 1}, "body": {"osteoporos": 1, "skör": 2}}


def test_index_rows_read_in_chunks_keep_every_row_in_order(store: Store) -> None:
    # More passages than one read takes (500): each once, in ordinal order.
    write(store, "lang", passages=1200)
    write(store, "kort", passages=3)
    rows = list(store.index_rows())
    assert [row.passage_id for row in rows] == [f"kort#{i}" for i in range(3)] + [
        f"lang#{i}" for i in range(1200)
    ]
    assert rows[-1].terms["body"] == {"osteoporos": 1200, "skör": 2}


# -- treatments and statistics -------------------------------------------------


def test_treatments_by_condition(store: Store) -> None:
    store.write_document(
        make_document("b-dok"),
        [],
        [treatment("kalcium", "osteoporos"), treatment("botox", "inkontinens", "mixed")],
    )
    store.write_document(
        make_document("B-dok"),
        [],
        [treatment("träning", "osteoporos", "some_support"), treatment("vila", None)],
    )
    hits = store.treatments("osteoporos")
    assert [(t["doc_id"], t["concept"]) for t in hits] == [
        ("B-dok", "träning"),
        ("b-dok", "kalcium"),
    ]
    assert hits[0] == {"doc_id": "B-dok", **treatment("träning", "osteoporos", "some_support")}
    assert [t["concept"] for t in store.treatments()] == ["träning", "vila", "kalcium", "botox"]
    assert store.treatments("okänd") == []
    assert store.treatments_of("b-dok") == [
        treatment("kalcium", "osteoporos"),
        treatment("botox", "inkontinens", "mixed"),
    ]


def about(concept: str, condition: str, condition_id: str, page: list[str]) -> dict[str, Any]:
    return {**treatment(concept, condition), "condition_id": condition_id, "conditions": page}


def test_treatments_about_a_condition_by_id_or_name(store: Store) -> None:
    store.write_document(
        make_document("a"),
        [],
        [
            about("kalcium", "benskörhet", "osteoporosis", ["osteoporosis", "fracture"]),
            about("botox", "migrän", "migraine", ["migraine"]),
        ],
    )
    store.write_document(make_document("b"), [], [treatment("värme", "knäartros")])
    store.write_document(
        make_document("c"), [], [about("vila", "fraktur", "fracture", ["fracture"])]
    )

    def concepts(ids: set[str], names: list[str]) -> list[tuple[str, str]]:
        return [(e["doc_id"], e["concept"]) for e in store.treatments_about(ids, names)]

    assert concepts({"osteoporosis"}, []) == [("a", "kalcium")]
    # the page's other conditions count too
    assert concepts({"fracture"}, []) == [("a", "kalcium"), ("c", "vila")]
    assert concepts(set(), ["knäartros"]) == [("b", "värme")]
    assert concepts({"migraine"}, ["knäartros"]) == [("a", "botox"), ("b", "värme")]
    assert concepts(set(), []) == []
    assert store.treatments_about({"migraine"}, [])[0] == {
        "doc_id": "a",
        **about("botox", "migrän", "migraine", ["migraine"]),
    }
    assert store.condition_names() == sorted(["benskörhet", "migrän", "knäartros", "fraktur"])
    assert store.condition_concepts() == [
        ("benskörhet", "osteoporosis", "kalcium"),
        ("migrän", "migraine", "botox"),
        ("knäartros", None, "värme"),
        ("fraktur", "fracture", "vila"),
    ]
    store.write_document(
        make_document("d"), [], [{**about("is", "fraktur", "fracture", []), "genre": "abstract"}]
    )
    assert concepts({"fracture"}, []) == [("a", "kalcium"), ("c", "vila"), ("d", "is")]
    patients = store.treatments_about({"fracture"}, [], research=False)
    assert [e["concept"] for e in patients] == ["kalcium", "vila"]
    assert [e["concept"] for e in store.treatments(concept="is", research=False)] == []
    first = store.treatments_about({"fracture"}, [], limit=2, genres=("abstract",))
    assert [e["concept"] for e in first] == ["kalcium", "is"]  # the abstract first, then by doc
    assert [e["concept"] for e in store.treatments_about({"fracture"}, [], limit=1)] == ["kalcium"]
    store.delete_document("d")
    store.delete_document("a")
    assert concepts({"fracture", "osteoporosis"}, []) == [("c", "vila")]
    store.write_document(make_document("c"), [], [about("is", "fraktur", "fracture", [])])
    assert concepts({"fracture"}, []) == [("c", "is")]


def _execute(location: str, statements: Sequence[str]) -> None:
    """Run *statements* on the base at *location* directly, outside lindra."""
    if location.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(location, autocommit=True) as pg:
            for statement in statements:
                pg.execute(statement)
    else:
        with closing(sqlite3.connect(location)) as lite, lite:
            for statement in statements:
                lite.execute(statement)


def _downgrade_to_version_2(location: str) -> None:
    _execute(
        location,
        [  # what version 3 added
            "DROP TABLE treatment_conditions",
            "ALTER TABLE treatments DROP COLUMN genre",
            "UPDATE meta SET value = '2' WHERE key = 'schema_version'",
        ],
    )


@pytest.mark.parametrize("payload", ["{broken", "[1, 2]"])
def test_a_damaged_entry_stops_the_upgrade_and_changes_nothing(
    store: Store, location: str, payload: str
) -> None:
    store.write_document(
        make_document("a"), [], [about("kalcium", "benskörhet", "osteoporosis", [])]
    )
    store.close()
    _downgrade_to_version_2(location)
    _execute(location, [f"UPDATE treatments SET payload = '{payload}' WHERE doc_id = 'a'"])
    with pytest.raises(StoreError, match="evidence entry 0 of document 'a' is .*not changed"):
        open_store(location)
    with pytest.raises(StoreError, match="evidence entry 0 of document 'a'"):
        open_store(location)  # still version 2: the failed upgrade left nothing behind
    _execute(location, ["DELETE FROM treatments WHERE doc_id = 'a'"])
    open_store(location).close()


def test_a_base_of_schema_version_2_is_brought_up_to_date(store: Store, location: str) -> None:
    research = {**about("is", "fraktur", "fracture", []), "genre": "abstract"}
    store.write_document(
        make_document("a"),
        [],
        [about("kalcium", "benskörhet", "osteoporosis", ["fracture"]), research],
    )
    store.close()
    _downgrade_to_version_2(location)
    reopened = open_store(location)
    try:
        assert [e["concept"] for e in reopened.treatments_about({"fracture"}, [])] == [
            "kalcium",
            "is",
        ]
        patients = reopened.treatments_about({"fracture"}, [], research=False)
        assert [e["concept"] for e in patients] == ["kalcium"]
        assert reopened.condition_concepts() == [
            ("benskörhet", "osteoporosis", "kalcium"),
            ("fraktur", "fracture", "is"),
        ]
    finally:
        reopened.close()
    again = open_store(location)  # the version is now the current one
    again.close()


def test_stats_counts(store: Store) -> None:
    document = make_document()
    store.write_document(document, make_passages(document, 3), [treatment("kalcium", "osteoporos")])
    write(store, "fraga", kind="reader_qa")
    write(store, "fraga-2", kind="reader_qa")
    write(store, "vanlig-fraga", kind="faq")
    store.delete_document("vanlig-fraga")
    write(store, "vanlig-fraga", kind="faq")
    stats = store.stats()
    assert (stats.documents, stats.sections, stats.passages) == (4, 8, 9)
    assert (stats.reader_questions, stats.treatments) == (4, 1)
    assert list(stats.kinds.items()) == [("article", 1), ("faq", 1), ("reader_qa", 2)]


# -- failures and concurrency --------------------------------------------------


def test_failed_write_leaves_nothing(store: Store) -> None:
    before = write(store, "osteoporos")
    broken = make_document("osteoporos", text="Ny text.", title_span=None)
    with pytest.raises(KeyError):  # a treatment without 'concept' fails half-way
        store.write_document(broken, make_passages(broken, 1), [{"stance": "mixed"}])
    assert store.document("osteoporos") == before
    assert len(store.passages_of("osteoporos")) == 2
    assert store.generation() == 1
    with pytest.raises(KeyError):
        store.write_document(make_document("ny"), [], [{"stance": "mixed"}])
    assert store.summary("ny") is None


def test_database_error_rolls_back(store: Store) -> None:
    before = write(store, "osteoporos")
    twice = make_passages(before, 1) * 2  # the same passage id twice violates the key
    with pytest.raises(StoreError, match="Writing '.*' failed"):
        store.write_document(make_document("osteoporos", title="Ny titel"), twice)
    assert store.document("osteoporos") == before
    assert store.generation() == 1


def test_concurrent_writers_count_every_write(store: Store, location: str) -> None:
    # Two store objects stand in for two processes; four threads share each.
    other = open_store(location)
    failures: list[BaseException] = []

    def work(target: Store, worker: int) -> None:
        try:
            for i in range(5):
                write(target, f"d{worker}-{i}", passages=1)
                write(target, "delad", passages=1)  # every worker rewrites one document
        except BaseException as exc:  # noqa: BLE001 - reported by the assert below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(store if n % 2 else other, n)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    other.close()
    assert failures == []
    assert store.generation() == 40
    assert len(store.documents()) == 21
    assert [p.id for p in store.passages_of("delad")] == ["delad#0"]


def test_embeddings_round_trip(store: Store) -> None:
    document = make_document()
    first, second = make_passages(document)
    vector = bytes(range(256)) * 2  # every byte value, NUL included
    store.write_document(document, [replace(first, embedding=vector), second])
    assert store.embeddings() == {"osteoporos#0": vector}


def test_vectors_added_later_to_passages_without_one(store: Store) -> None:
    document = make_document()
    first, second = make_passages(document)
    vector = bytes(range(256)) * 2
    store.write_document(document, [replace(first, embedding=vector), second])
    assert store.unembedded(10) == [("osteoporos", "osteoporos#1")]
    generation = store.generation()
    assert store.set_embeddings({"osteoporos#1": vector, "gone#0": vector}) == 1
    assert store.embeddings() == {"osteoporos#0": vector, "osteoporos#1": vector}
    assert store.unembedded(10) == []
    assert store.generation() == generation + 1
    assert store.set_embeddings({"gone#0": vector}) == 0
    assert store.generation() == generation + 1


def test_other_schema_version_is_refused(store: Store, location: str) -> None:
    store.close()
    update = "UPDATE meta SET value = '0' WHERE key = 'schema_version'"
    if location.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(location, autocommit=True) as pg:
            pg.execute(update)
    else:
        with closing(sqlite3.connect(location)) as lite, lite:
            lite.execute(update)
    with pytest.raises(StoreError, match="has schema version 0; this lindra needs version"):
        open_store(location)
