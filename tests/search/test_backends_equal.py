"""SQLite and PostgreSQL give the same search results, score for score.

Both bases get the two sample pages and a small JSONL corpus; every query must
then rank the same documents and passages with identical scores, and answer
cards must be identical too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from lindra import Engine, Settings
from lindra.types import Document
from tests.store.conftest import fresh_schema, require_postgres

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

# Written for this test. Ids mix upper case and å/ä/ö, whose order differs
# between code points and Swedish collation.
RECORDS = [
    {
        "id": "Yrsel-1",
        "title": "Yrsel hos äldre",
        "text": "Yrsel är vanligt hos äldre. Balansträning minskar risken att falla. "
        "Kontakta vårdcentralen om yrseln inte går över.",
    },
    {
        "id": "yrsel-2",
        "kind": "faq",
        "title": "Kan blodtrycksmedicin ge yrsel?",
        "text": "Ja, blodtryckssänkande läkemedel kan ge yrsel när du reser dig snabbt. "
        "Prata med din läkare innan du ändrar dosen.",
    },
    {
        "id": "ärr",
        "title": "Ärr efter operation",
        "text": "Ett ärr läker under flera månader. Silikonplåster kan göra ärret mjukare, "
        "men effekten är osäker.",
    },
    {
        "id": "åksjuka",
        "title": "Åksjuka hos barn",
        "text": "Åksjuka ger illamående och yrsel i bil eller båt. Titta ut genom fönstret "
        "och undvik att läsa under resan.",
    },
    {
        "id": "Öroninflammation",
        "title": "Öroninflammation",
        "text": "Öroninflammation ger ont i örat och feber. Receptfria smärtstillande "
        "läkemedel lindrar värken. Antibiotika behövs oftast inte.",
    },
    {
        "id": "ryggont",
        "title": "Ont i ryggen",
        "text": "Ryggsmärta går oftast över av sig själv. Värme och rörelse lindrar. "
        "Sjukgymnastik kan hjälpa vid långvarig smärta.",
    },
    {
        "id": "42",
        "kind": "abstract",
        "title": "D-vitamin och frakturer",
        "text": "I studien minskade tillskott av D-vitamin och kalcium risken för höftfrakturer "
        "hos äldre kvinnor med benskörhet.",
    },
]

QUERIES = [
    "ryggsmärta värme",
    "hjälper sjukgymnastik mot smärta",
    "benskörhet frakturer",
    "D-vitamin kalcium",
    "botox bäckenbotten",
    "urininkontinens behandling",
    "yrsel",
    "yrsel av blodtrycksmedicin",
    "åksjuka barn",
    "ont i örat",
    "ärr silikon",
    "kotkompression träning",
    "läkemedel",
    "xyzzy okänt ord",
]


@pytest.fixture(scope="module")
def engines(
    tmp_path_factory: pytest.TempPathFactory, samples_dir: Path
) -> Iterator[dict[str, Engine]]:
    tmp = tmp_path_factory.mktemp("backends")
    corpus = tmp / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), "utf-8")
    inputs = [
        samples_dir / "osteoporos-smartbehandling.txt",
        samples_dir / "botox-backenbotten.txt",
        corpus,
    ]
    with fresh_schema(require_postgres()) as url:
        opened = {
            "sqlite": Engine.from_settings(Settings(db=str(tmp / "kb.sqlite")), create=True),
            "postgres": Engine.from_settings(Settings(db=url), create=True),
        }
        try:
            for engine in opened.values():
                outcomes = list(engine.ingest_paths(inputs))
                assert {o.status for o in outcomes} == {"added"}, outcomes
            yield opened
        finally:
            for engine in opened.values():
                engine.close()


def stored(document: Document) -> Document:
    return replace(document, ingested_at="")  # the one field that depends on when


def test_same_documents_and_passages(engines: dict[str, Engine]) -> None:
    lite, pg = engines["sqlite"].store, engines["postgres"].store
    ids = [d.id for d in lite.documents()]
    assert len(ids) == len(RECORDS) + 2
    assert [d.id for d in pg.documents()] == ids
    for doc_id in ids:
        assert stored(pg.document(doc_id)) == stored(lite.document(doc_id))
        assert pg.passages_of(doc_id) == lite.passages_of(doc_id)
        assert pg.treatments_of(doc_id) == lite.treatments_of(doc_id)
    assert list(pg.index_rows()) == list(lite.index_rows())


@pytest.mark.parametrize("query", QUERIES)
def test_same_search_results(engines: dict[str, Engine], query: str) -> None:
    lite, pg = engines["sqlite"], engines["postgres"]
    hits = lite.search(query, k=10)
    assert pg.search(query, k=10) == hits  # doc ids, passage ids and exact float scores
    assert pg.searcher.passages(query, 25) == lite.searcher.passages(query, 25)


def test_queries_find_something(engines: dict[str, Engine]) -> None:
    # Guards the comparison above against comparing two empty lists.
    found = [q for q in QUERIES if engines["sqlite"].search(q, k=10)]
    assert len(found) >= len(QUERIES) - 1


def test_same_candidate_ranking(engines: dict[str, Engine]) -> None:
    candidates = ["Yrsel-1", "yrsel-2", "åksjuka", "ryggont"]
    for query in ("yrsel", "ont", "xyzzy"):
        expected = engines["sqlite"].search(query, k=10, candidates=candidates)
        assert engines["postgres"].search(query, k=10, candidates=candidates) == expected


@pytest.mark.parametrize("question", ["Hjälper värme mot ryggsmärta?", "Vad är åksjuka?"])
def test_same_answers(engines: dict[str, Engine], question: str) -> None:
    assert engines["postgres"].ask(question) == engines["sqlite"].ask(question)
