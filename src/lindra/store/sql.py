"""The SQL shared by the SQLite and PostgreSQL backends.

Queries are written once with ``?`` placeholders; a backend converts them to
its driver's style. JSON columns are stored as text in both databases so rows
round-trip identically, which keeps search results equal across backends.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any

from lindra.errors import DocumentNotFound, StoreError
from lindra.store.base import DocumentSummary, IndexRow, PassageRecord, StoreStats
from lindra.types import Block, Document, Passage, ReaderQuestion, Section

__all__ = ["SqlStore", "condition_rows", "upgrade_schema"]

_COMPACT = {"ensure_ascii": False, "separators": (",", ":")}
_ID_CHUNK = 500  # passage ids one query reads (SQLite's older limit is 999 "?")


def _dumps(value: Any) -> str:
    return json.dumps(value, **_COMPACT)  # type: ignore[arg-type]


# Entries from research abstracts are left out of patient views (knowledge.views.is_research).
_NOT_RESEARCH = "(genre IS NULL OR genre <> 'abstract')"
_INSERT_CONDITION = (
    "INSERT INTO treatment_conditions (doc_id, ordinal, condition_id, own) VALUES (?, ?, ?, ?)"
)


def condition_rows(doc_id: str, ordinal: int, entry: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """The ``treatment_conditions`` rows of one evidence entry: its own condition
    id, then the other conditions of its page.

    >>> condition_rows("d", 0, {"condition_id": "a", "conditions": ["b", "a"]})
    [('d', 0, 'a', 1), ('d', 0, 'b', 0)]
    """
    own = entry.get("condition_id")
    ids = dict.fromkeys([own, *entry.get("conditions", [])])
    return [(doc_id, ordinal, str(i), int(i == own)) for i in ids if i]


def upgrade_schema(
    cur: Any, sql: Callable[[str], str], found: str, version: str, schema: Iterable[str]
) -> int | None:
    """Inside the caller's transaction, bring a base of schema version *found* to
    *version*: run the (idempotent) *schema* statements, which make the new tables, then
    fill what is new; how many evidence entries were read, or None when another
    process did it first. *sql* converts ``?`` placeholders."""
    row = cur.execute(sql("SELECT value FROM meta WHERE key = 'schema_version'")).fetchone()
    if row is None or row[0] != found:
        return None
    for statement in schema:
        cur.execute(statement)
    entries = _migrate_from_version_2(cur, sql)
    cur.execute(sql("UPDATE meta SET value = ? WHERE key = 'schema_version'"), (version,))
    return entries


def _migrate_from_version_2(cur: Any, sql: Callable[[str], str]) -> int:
    """Fill what schema version 3 adds from the stored entries: ``treatments.genre``
    and ``treatment_conditions`` (made beforehand); how many entries were read."""
    cur.execute("ALTER TABLE treatments ADD COLUMN genre TEXT")
    cur.execute("SELECT doc_id, ordinal, payload FROM treatments")
    entries = [
        (doc_id, ordinal, _stored_entry(doc_id, ordinal, payload))
        for doc_id, ordinal, payload in cur.fetchall()
    ]
    cur.executemany(
        sql("UPDATE treatments SET genre = ? WHERE doc_id = ? AND ordinal = ?"),
        [(e.get("genre"), doc_id, ordinal) for doc_id, ordinal, e in entries if e.get("genre")],
    )
    cur.executemany(
        sql(_INSERT_CONDITION),
        [row for doc_id, ordinal, e in entries for row in condition_rows(doc_id, ordinal, e)],
    )
    return len(entries)


def _stored_entry(doc_id: str, ordinal: int, payload: str) -> dict[str, Any]:
    """One stored evidence entry, decoded for the upgrade.

    :raises StoreError: naming the entry, when its payload is damaged (the caller's
        transaction is rolled back, so the base stays as it was).
    """
    try:
        entry = json.loads(payload)
    except (TypeError, ValueError) as exc:
        problem = f"not valid JSON ({exc})"
    else:
        if isinstance(entry, dict):
            return entry
        problem = f"a JSON {type(entry).__name__}, not an object"
    raise StoreError(
        f"Cannot update the knowledge base: evidence entry {ordinal} of document "
        f"'{doc_id}' is {problem}. The base was not changed. Delete or re-ingest that "
        "document with the lindra version that wrote the base, or build a new base."
    )


class SqlStore:
    """Store logic over a DB-API connection; subclasses supply the connection."""

    location: str
    placeholder = "?"
    # Writes committed through this object: its own searcher rebuilds at once.
    writes = 0

    def _sql(self, query: str) -> str:
        return query if self.placeholder == "?" else query.replace("?", self.placeholder)

    def _rows(self, query: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def _transaction(self) -> Any:
        """Context manager yielding a cursor-like object with ``execute``."""
        raise NotImplementedError

    # -- reads -----------------------------------------------------------------

    def generation(self) -> int:
        rows = self._rows("SELECT value FROM meta WHERE key = 'generation'")
        return int(rows[0][0]) if rows else 0

    def identity(self) -> str:
        rows = self._rows("SELECT value FROM meta WHERE key = 'base_id'")
        return str(rows[0][0]) if rows else ""

    def find_source(self, source: str) -> str | None:
        rows = self._rows(
            "SELECT id FROM documents WHERE source = ? ORDER BY id LIMIT 1", (source,)
        )
        return str(rows[0][0]) if rows else None

    def summary(self, doc_id: str) -> DocumentSummary | None:
        rows = self._rows(
            "SELECT id, title, kind, source, content_hash, ingested_at, pipeline FROM documents "
            "WHERE id = ?",
            (doc_id,),
        )
        return DocumentSummary(*rows[0]) if rows else None

    def documents(self) -> list[DocumentSummary]:
        rows = self._rows(
            "SELECT id, title, kind, source, content_hash, ingested_at, pipeline FROM documents"
        )
        return [DocumentSummary(*row) for row in sorted(rows)]

    def document(self, doc_id: str) -> Document:
        rows = self._rows(
            "SELECT id, source, title, kind, text, language, content_hash, ingested_at, metadata, "
            "pipeline, title_span FROM documents WHERE id = ?",
            (doc_id,),
        )
        if not rows:
            raise DocumentNotFound(
                f"No document with id '{doc_id}'. Run 'lindra search' to find document ids."
            )
        (
            doc_id,
            source,
            title,
            kind,
            text,
            language,
            content_hash,
            ingested_at,
            metadata,
            pipeline,
            title_span,
        ) = rows[0]
        sections = tuple(
            Section(
                heading,
                level,
                tuple(json.loads(path)),
                tuple(Block(k, s, e, text[s:e]) for k, s, e in json.loads(blocks)),
                tuple(span) if (span := json.loads(heading_span)) else None,
            )
            for heading, level, path, blocks, heading_span in self._rows(
                "SELECT heading, level, path, blocks, heading_span FROM sections WHERE doc_id = ? "
                "ORDER BY ordinal",
                (doc_id,),
            )
        )
        questions = tuple(
            ReaderQuestion(q_text, start, end)
            for q_text, start, end in self._rows(
                'SELECT text, start, "end" FROM reader_questions WHERE doc_id = ? ORDER BY ordinal',
                (doc_id,),
            )
        )
        return Document(
            id=doc_id,
            source=source,
            title=title,
            kind=kind,
            text=text,
            sections=sections,
            reader_questions=questions,
            metadata=json.loads(metadata),
            language=language,
            content_hash=content_hash,
            ingested_at=ingested_at,
            pipeline=pipeline,
            title_span=tuple(span) if (span := json.loads(title_span)) else None,
        )

    _PASSAGE_COLUMNS = "id, doc_id, ordinal, section, path, spans, text, kind"

    @staticmethod
    def _passage(row: tuple[Any, ...]) -> Passage:
        pid, doc_id, ordinal, section, path, spans, text, kind = row
        return Passage(
            pid,
            doc_id,
            ordinal,
            section,
            tuple(json.loads(path)),
            tuple((s, e) for s, e in json.loads(spans)),
            text,
            kind,
        )

    def passages(self, passage_ids: Sequence[str]) -> dict[str, Passage]:
        found: dict[str, Passage] = {}
        for row in self._passage_rows(self._PASSAGE_COLUMNS, list(dict.fromkeys(passage_ids))):
            passage = self._passage(row)
            found[passage.id] = passage
        return found

    def _passage_rows(self, columns: str, ids: Sequence[str]) -> list[tuple[Any, ...]]:
        """*columns* of the passages with these *ids* (unknown ids are skipped), read
        :data:`_ID_CHUNK` ids per query."""
        rows: list[tuple[Any, ...]] = []
        for chunk in range(0, len(ids), _ID_CHUNK):
            part = ids[chunk : chunk + _ID_CHUNK]
            marks = ",".join("?" * len(part))
            rows += self._rows(f"SELECT {columns} FROM passages WHERE id IN ({marks})", part)
        return rows

    def passages_of(self, doc_id: str) -> list[Passage]:
        rows = self._rows(
            f"SELECT {self._PASSAGE_COLUMNS} FROM passages WHERE doc_id = ? ORDER BY ordinal",
            (doc_id,),
        )
        return [self._passage(row) for row in rows]

    def index_rows(self) -> Iterator[IndexRow]:
        # Sorted here, not in SQL: database collations differ, and the index
        # must see the same order on every backend. The terms are read a chunk at
        # a time: read at once, their JSON text added 300 MB to the build's peak at
        # 60,000 documents, and grows with the base.
        keys = sorted(self._rows("SELECT doc_id, ordinal, id FROM passages"))
        for chunk in range(0, len(keys), _ID_CHUNK):
            part = keys[chunk : chunk + _ID_CHUNK]
            terms = dict(self._passage_rows("id, terms", [pid for _, _, pid in part]))
            for doc_id, _ordinal, pid in part:
                # A passage deleted since the keys were read: the caller sees the
                # generation move and builds again.
                if pid in terms:
                    yield IndexRow(pid, doc_id, json.loads(terms[pid]))

    def embeddings(self) -> dict[str, bytes]:
        rows = self._rows("SELECT id, embedding FROM passages WHERE embedding IS NOT NULL")
        return {pid: bytes(blob) for pid, blob in rows}

    def unembedded(self, limit: int) -> list[tuple[str, str]]:
        rows = self._rows(
            "SELECT doc_id, id FROM passages WHERE embedding IS NULL "
            "ORDER BY doc_id, ordinal LIMIT ?",
            (limit,),
        )
        return [(str(doc_id), str(pid)) for doc_id, pid in rows]

    def set_embeddings(self, vectors: Mapping[str, bytes]) -> int:
        stored = 0
        with self._transaction() as cur:
            for pid, blob in vectors.items():
                cur.execute(
                    self._sql("UPDATE passages SET embedding = ? WHERE id = ?"), (blob, pid)
                )
                stored += max(cur.rowcount, 0)
            if stored:
                self._bump(cur)
        return stored

    def treatments(
        self, condition: str | None = None, concept: str | None = None, *, research: bool = True
    ) -> list[dict[str, Any]]:
        where = [
            (column, value)
            for column, value in (("condition", condition), ("concept", concept))
            if value is not None
        ]
        tests = [f"{column} = ?" for column, _ in where] + ([] if research else [_NOT_RESEARCH])
        clause = " WHERE " + " AND ".join(tests) if tests else ""
        rows = self._rows(
            f"SELECT doc_id, payload FROM treatments{clause} ORDER BY doc_id, ordinal",
            [value for _, value in where],
        )
        return [{"doc_id": doc_id, **json.loads(payload)} for doc_id, payload in rows]

    def treatments_about(
        self,
        condition_ids: Collection[str],
        condition_names: Collection[str],
        *,
        research: bool = True,
        limit: int | None = None,
        genres: Sequence[str] = (),
    ) -> list[dict[str, Any]]:
        clauses: list[str] = []
        params: list[str] = []
        if condition_ids:
            clauses.append(
                "(doc_id, ordinal) IN (SELECT doc_id, ordinal FROM treatment_conditions "
                f"WHERE condition_id IN ({', '.join('?' * len(condition_ids))}))"
            )
            params.extend(sorted(condition_ids))
        if condition_names:
            clauses.append(f"condition IN ({', '.join('?' * len(condition_names))})")
            params.extend(sorted(condition_names))
        if not clauses:
            return []
        patients_only = "" if research else f" AND {_NOT_RESEARCH}"
        where = f"({' OR '.join(clauses)}){patients_only}"
        if limit is not None:
            # The first *limit* entries in the order of *genres* (then of the documents),
            # chosen on the keys alone: only their payloads are read.
            rank = " ".join(f"WHEN ? THEN {i}" for i in range(len(genres)))
            order = f"CASE genre {rank} ELSE {len(genres)} END, " if genres else ""
            where = (
                "(doc_id, ordinal) IN (SELECT doc_id, ordinal FROM treatments "
                f"WHERE {where} ORDER BY {order}doc_id, ordinal LIMIT {int(limit)})"
            )
            params.extend(genres)
        rows = self._rows(
            f"SELECT doc_id, payload FROM treatments WHERE {where} ORDER BY doc_id, ordinal",
            params,
        )
        return [{"doc_id": doc_id, **json.loads(payload)} for doc_id, payload in rows]

    def condition_names(self) -> list[str]:
        rows = self._rows(
            "SELECT DISTINCT condition FROM treatments WHERE condition IS NOT NULL "
            "ORDER BY condition"
        )
        return [str(name) for (name,) in rows]

    def condition_concepts(self) -> list[tuple[str, str | None, str]]:
        return [
            (str(name), None if own is None else str(own), str(concept))
            for name, own, concept in self._rows(
                "SELECT t.condition, c.condition_id, t.concept FROM treatments t "
                "LEFT JOIN treatment_conditions c ON c.doc_id = t.doc_id "
                "AND c.ordinal = t.ordinal AND c.own = 1 "
                "WHERE t.condition IS NOT NULL AND t.condition <> '' "
                "ORDER BY t.doc_id, t.ordinal"
            )
        ]

    def treatments_of(self, doc_id: str) -> list[dict[str, Any]]:
        rows = self._rows(
            "SELECT payload FROM treatments WHERE doc_id = ? ORDER BY ordinal", (doc_id,)
        )
        return [json.loads(payload) for (payload,) in rows]

    def _count(self, table: str) -> int:
        return int(self._rows(f"SELECT count(*) FROM {table}")[0][0])

    def _size_bytes(self) -> int:
        raise NotImplementedError

    def stats(self) -> StoreStats:
        # Sorted here: GROUP BY order is up to the database.
        kinds = {
            str(kind): int(count)
            for kind, count in sorted(
                self._rows("SELECT kind, count(*) FROM documents GROUP BY kind")
            )
        }
        return StoreStats(
            documents=self._count("documents"),
            sections=self._count("sections"),
            passages=self._count("passages"),
            reader_questions=self._count("reader_questions"),
            treatments=self._count("treatments"),
            size_bytes=self._size_bytes(),
            kinds=kinds,
        )

    # -- writes ----------------------------------------------------------------

    def write_document(
        self,
        document: Document,
        passages: Sequence[PassageRecord],
        treatments: Sequence[dict[str, Any]] = (),
    ) -> None:
        with self._transaction() as cur:
            self._delete(cur, document.id)
            cur.execute(
                self._sql(
                    "INSERT INTO documents (id, source, title, kind, text, language, content_hash, "
                    "ingested_at, metadata, pipeline, title_span) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                (
                    document.id,
                    document.source,
                    document.title,
                    document.kind,
                    document.text,
                    document.language,
                    document.content_hash,
                    document.ingested_at,
                    _dumps(document.metadata),
                    document.pipeline,
                    _dumps(list(document.title_span) if document.title_span else None),
                ),
            )
            # One executemany per table: a round trip per table, not per row.
            cur.executemany(
                self._sql(
                    "INSERT INTO sections (doc_id, ordinal, heading, level, path, blocks, "
                    "heading_span) VALUES (?, ?, ?, ?, ?, ?, ?)"
                ),
                [
                    (
                        document.id,
                        ordinal,
                        section.heading,
                        section.level,
                        _dumps(list(section.path)),
                        _dumps([[b.kind, b.start, b.end] for b in section.blocks]),
                        _dumps(list(section.heading_span) if section.heading_span else None),
                    )
                    for ordinal, section in enumerate(document.sections)
                ],
            )
            cur.executemany(
                self._sql(
                    'INSERT INTO reader_questions (doc_id, ordinal, text, start, "end") '
                    "VALUES (?, ?, ?, ?, ?)"
                ),
                [
                    (document.id, ordinal, q.text, q.start, q.end)
                    for ordinal, q in enumerate(document.reader_questions)
                ],
            )
            cur.executemany(
                self._sql(
                    "INSERT INTO passages (id, doc_id, ordinal, kind, section, path, spans, "
                    "text, terms, embedding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                [
                    (
                        r.passage.id,
                        r.passage.doc_id,
                        r.passage.ordinal,
                        r.passage.kind,
                        r.passage.section,
                        _dumps(list(r.passage.path)),
                        _dumps([list(span) for span in r.passage.spans]),
                        r.passage.text,
                        _dumps(r.terms),
                        r.embedding,
                    )
                    for r in passages
                ],
            )
            cur.executemany(
                self._sql(
                    "INSERT INTO treatments (doc_id, ordinal, concept, condition, stance, "
                    "payload, genre) VALUES (?, ?, ?, ?, ?, ?, ?)"
                ),
                [
                    (
                        document.id,
                        ordinal,
                        # The concept id when extraction gave one: what lookups use.
                        entry.get("concept_id", entry["concept"]),
                        entry.get("condition"),
                        entry["stance"],
                        _dumps(entry),
                        entry.get("genre"),
                    )
                    for ordinal, entry in enumerate(treatments)
                ],
            )
            cur.executemany(
                self._sql(_INSERT_CONDITION),
                [
                    row
                    for ordinal, entry in enumerate(treatments)
                    for row in condition_rows(document.id, ordinal, entry)
                ],
            )
            self._bump(cur)

    def delete_document(self, doc_id: str) -> bool:
        with self._transaction() as cur:
            existed = self._delete(cur, doc_id)
            if existed:
                self._bump(cur)
        return existed

    def _delete(self, cur: Any, doc_id: str) -> bool:
        # Children first, so the delete does not depend on ON DELETE CASCADE.
        for table in (
            "treatment_conditions",
            "treatments",
            "passages",
            "reader_questions",
            "sections",
        ):
            cur.execute(self._sql(f"DELETE FROM {table} WHERE doc_id = ?"), (doc_id,))
        cur.execute(self._sql("DELETE FROM documents WHERE id = ?"), (doc_id,))
        return bool(cur.rowcount)

    def _bump(self, cur: Any) -> None:
        self.writes += 1
        cur.execute(
            self._sql(
                "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) "
                "WHERE key = 'generation'"
            )
        )
