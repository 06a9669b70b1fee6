"""The optional backend: a PostgreSQL database, shared by many threads and processes.

Concurrency model:

* Each store owns a small ``psycopg_pool.ConnectionPool``. A thread borrows a
  connection for one query or one transaction, so API requests served from a
  thread pool read in parallel, and a long ingest transaction never blocks them
  (PostgreSQL readers see the last committed version and do not wait for writers).
* Every process (``uvicorn --workers N``) opens its own store and pool; never
  share one across ``fork``.
* A write is one transaction per document. It starts by locking the
  ``generation`` row of ``meta`` (``SELECT ... FOR UPDATE``), so writers, in any
  process, take turns, as SQLite's ``BEGIN IMMEDIATE`` makes them: two processes
  ingesting the same document cannot both insert it, and every committed write
  bumps the counter exactly once.
* Reads that take several queries (a whole document, the statistics) run in one
  ``REPEATABLE READ`` snapshot, so they never mix two versions of a document.

The SQL itself is shared with SQLite (:mod:`lindra.store.sql`); the schema is
``schema/postgres.sql``.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lindra.errors import BackendUnavailable, ConfigError, IndexNotFound, StoreError
from lindra.store.base import StoreStats
from lindra.store.sql import SqlStore, upgrade_schema
from lindra.store.sqlite import MIGRATED_VERSIONS, SCHEMA_VERSION
from lindra.types import Document

try:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict
    from psycopg_pool import ConnectionPool
except ImportError as exc:  # the optional 'postgres' extra is not installed
    _MISSING: ImportError | None = exc
else:
    _MISSING = None

__all__ = ["PostgresStore", "redact_url"]

logger = logging.getLogger(__name__)

INSTALL_HINT = "pip install 'lindra[postgres]'"
TABLES = (
    "meta",
    "documents",
    "sections",
    "reader_questions",
    "passages",
    "treatments",
    "treatment_conditions",
)
# pg_advisory_xact_lock key that serialises schema creation within one database.
_SCHEMA_LOCK = 0x6C696E647261  # "lindra"
# Index snapshots (files of a search index, per store generation) kept for every
# process; a cache beside the schema, made when first needed, so bases created by an
# older lindra need no migration.
_SNAPSHOT_TABLE = """
CREATE TABLE IF NOT EXISTS index_snapshots (
    generation BIGINT NOT NULL,
    key        TEXT COLLATE "C" NOT NULL,
    name       TEXT COLLATE "C" NOT NULL,
    part       INTEGER NOT NULL,
    data       BYTEA NOT NULL,
    PRIMARY KEY (generation, key, name, part)
)"""
_PART_BYTES = 32 * 1024 * 1024  # a file is stored in parts of this size (BYTEA holds up to 1 GB)


def redact_url(url: str) -> str:
    """*url* without its password, for messages and ``Store.location``.

    >>> redact_url("postgresql://lindra:s3cret@db.example:5432/kb?sslmode=require&password=x")
    'postgresql://lindra@db.example:5432/kb?sslmode=require'
    >>> redact_url("host=db.example dbname=kb password=s3cret")
    'host=db.example dbname=kb'
    """
    if "://" not in url:  # a libpq key=value string
        return " ".join(p for p in url.split() if not p.startswith("password="))
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        netloc = f"{userinfo.split(':', 1)[0]}@{host}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "password"], safe="/:,")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _reason(exc: BaseException) -> str:
    """The driver's (multi-line) message on one line, ending like a sentence."""
    text = " ".join(str(exc).split())
    return text if text.endswith((".", "?", "!")) else text + "."


class PostgresStore(SqlStore):
    """A knowledge base in a PostgreSQL database (in the schema first on its search_path).

    >>> # store = PostgresStore("postgresql://lindra@127.0.0.1:5432/lindra", create=True)

    To keep lindra in its own schema, put it on the URL:
    ``postgresql://.../db?options=-csearch_path%3Dlindra`` (the schema must exist).

    :param url: a ``postgresql://`` URL (libpq syntax, so ``?sslmode=...`` etc. work).
    :param create: create the tables when missing; otherwise raise :class:`IndexNotFound`.
    :param pool_size: most connections this store opens at once.
    :raises BackendUnavailable: when psycopg is not installed or the server is unreachable.
    :raises IndexNotFound: when the database has no lindra tables and *create* is false.
    """

    placeholder = "%s"

    def __init__(self, url: str, *, create: bool = False, pool_size: int = 4) -> None:
        if _MISSING is not None:
            raise BackendUnavailable(
                f"PostgreSQL support is not installed ({_MISSING.name or _MISSING} is missing). "
                f"Install it with: {INSTALL_HINT}"
            ) from _MISSING
        self.location = redact_url(url)
        try:
            params = conninfo_to_dict(url)
        except psycopg.ProgrammingError as exc:
            raise ConfigError(
                f"'{self.location}' is not a valid PostgreSQL URL ({exc}). "
                "Use postgresql://user@host:port/database."
            ) from exc
        host = params.get("host") or "the local socket"
        self._where = (
            f"host {host}, port {params.get('port') or 5432}, "
            f"database '{params.get('dbname') or params.get('user') or '(default)'}'"
        )
        self._local = threading.local()
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
                self._ensure_schema(conn, create)
        except psycopg.OperationalError as exc:
            raise BackendUnavailable(
                f"Cannot connect to PostgreSQL ({self._where}): {_reason(exc)} "
                "Check that the server runs and the --db URL (or LINDRA_DB); "
                "scripts/setup-postgres.sh starts a local test server."
            ) from exc
        except psycopg.Error as exc:
            raise StoreError(f"Opening '{self.location}' failed: {exc}") from exc
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            kwargs={"autocommit": True},
            name="lindra",
            open=True,
        )

    def _ensure_schema(self, conn: psycopg.Connection[Any], create: bool) -> None:
        if self._has_schema(conn):
            self._check_version(conn)
            return
        if not create:
            raise IndexNotFound(
                f"No lindra knowledge base in PostgreSQL ({self._where}). "
                f"Run 'lindra ingest --db {self.location} <path>' first, or check --db / LINDRA_DB."
            )
        row = conn.execute("SHOW server_encoding").fetchone()
        encoding = row[0] if row else "unknown"
        if encoding != "UTF8":
            raise StoreError(
                f"The PostgreSQL database ({self._where}) uses encoding {encoding}; "
                "lindra needs UTF8. Create the database with ENCODING 'UTF8'."
            )
        schema = (resources.files("lindra.store") / "schema" / "postgres.sql").read_text("utf-8")
        # Two processes creating the base at once: the second waits, then finds it. The
        # lock is taken before the transaction begins, so that the transaction sees the
        # tables the first process made: a transaction begun before them can miss them in
        # its catalog cache, run the schema again beside the first one's writes, and
        # deadlock with them (seen in tests/store/test_postgres.py).
        conn.execute("SELECT pg_advisory_lock(%s)", (_SCHEMA_LOCK,))
        try:
            self._create_schema(conn, schema)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_SCHEMA_LOCK,))

    def _create_schema(self, conn: psycopg.Connection[Any], schema: str) -> None:
        with conn.transaction():
            if self._has_schema(conn):
                return
            if conn.execute("SELECT current_schema()").fetchone() in (None, (None,)):
                raise StoreError(
                    f"No schema on the search_path exists in PostgreSQL ({self._where}). "
                    "Create it (CREATE SCHEMA ...) or fix the URL's search_path option."
                )
            conn.execute(schema)  # several statements: no parameters, simple protocol
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', %s), ('generation', '0'), "
                "('base_id', %s) ON CONFLICT (key) DO NOTHING",
                (SCHEMA_VERSION, uuid.uuid4().hex),
            )
            # Snapshots of a base that was dropped and is made again are another base's.
            conn.execute("DROP TABLE IF EXISTS index_snapshots")
        logger.info("created the lindra tables in %s", self.location)

    def _check_version(self, conn: psycopg.Connection[Any]) -> None:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        found = row[0] if row else "unknown"
        if found in MIGRATED_VERSIONS:
            self._migrate(conn, found)
        elif found != SCHEMA_VERSION:
            raise StoreError(
                f"The knowledge base in PostgreSQL ({self._where}) has schema version {found}; "
                f"this lindra needs version {SCHEMA_VERSION}. Rebuild it: drop lindra's tables "
                f"({', '.join(TABLES)}) and run "
                "'lindra ingest' again."
            )

    def _migrate(self, conn: psycopg.Connection[Any], found: str) -> None:
        """Bring a base of schema version *found* up to date, in one transaction under
        the schema lock (another process doing the same at once finds it done)."""
        schema = (resources.files("lindra.store") / "schema" / "postgres.sql").read_text("utf-8")
        conn.execute("SELECT pg_advisory_lock(%s)", (_SCHEMA_LOCK,))
        try:
            with conn.transaction(), conn.cursor() as cur:
                entries = upgrade_schema(cur, self._sql, found, SCHEMA_VERSION, [schema])
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_SCHEMA_LOCK,))
        if entries is not None:
            logger.info(
                "%s: schema %s → %s (%d entries)", self.location, found, SCHEMA_VERSION, entries
            )

    @staticmethod
    def _has_schema(conn: psycopg.Connection[Any]) -> bool:
        row = conn.execute(
            "SELECT to_regclass('meta') IS NOT NULL AND to_regclass('passages') IS NOT NULL"
        ).fetchone()
        return bool(row and row[0])

    # -- connections -----------------------------------------------------------

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        """The thread's snapshot connection inside :meth:`_snapshot`, else a pooled one."""
        bound: psycopg.Connection[Any] | None = getattr(self._local, "conn", None)
        if bound is not None:
            yield bound
            return
        with self._pool.connection() as conn:
            yield conn

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Run this thread's reads in one read-only REPEATABLE READ transaction."""
        if getattr(self._local, "conn", None) is not None:
            yield
            return
        with self._errors("Reading"), self._pool.connection() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            self._local.conn = conn
            try:
                yield
            finally:
                self._local.conn = None

    @contextmanager
    def _errors(self, verb: str) -> Iterator[None]:
        try:
            yield
        except psycopg.OperationalError as exc:
            # Also psycopg_pool.PoolTimeout: no connection could be had in time.
            raise BackendUnavailable(
                f"{verb} '{self.location}' failed, PostgreSQL ({self._where}) is unavailable: "
                f"{_reason(exc)} Check that the server runs."
            ) from exc
        except psycopg.Error as exc:
            raise StoreError(f"{verb} '{self.location}' failed: {exc}") from exc

    def _rows(self, query: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._errors("Reading"), self._connection() as conn:
            return conn.execute(self._sql(query), tuple(params)).fetchall()

    @contextmanager
    def _transaction(self) -> Iterator[psycopg.Cursor[Any]]:
        with (
            self._errors("Writing"),
            self._pool.connection() as conn,
            conn.transaction(),
            conn.cursor() as cur,
        ):
            # Writers queue here, in every process: see the module docstring.
            cur.execute("SELECT value FROM meta WHERE key = 'generation' FOR UPDATE")
            yield cur

    # -- reads that need one snapshot --------------------------------------------

    def document(self, doc_id: str) -> Document:
        with self._snapshot():
            return super().document(doc_id)

    def stats(self) -> StoreStats:
        with self._snapshot():
            return super().stats()

    def _size_bytes(self) -> int:
        rows = self._rows(
            "SELECT coalesce(sum(pg_total_relation_size(to_regclass(t))), 0) "
            "FROM unnest(%s::text[]) AS t",
            [list(TABLES)],
        )
        return int(rows[0][0])

    # -- index snapshots shared by every process (lindra.search.snapshot_files) ----

    def has_snapshot(self, generation: int, key: str) -> bool:
        with self._errors("Reading"), self._connection() as conn:
            if not self._has_snapshot_table(conn):
                return False
            row = conn.execute(
                "SELECT 1 FROM index_snapshots WHERE generation = %s AND key = %s LIMIT 1",
                (generation, key),
            ).fetchone()
            return row is not None

    def fetch_snapshot(self, generation: int, key: str, into: Path) -> bool:
        with self._errors("Reading"), self._connection() as conn:
            if not self._has_snapshot_table(conn):
                return False
            parts = conn.execute(
                "SELECT name, part FROM index_snapshots WHERE generation = %s AND key = %s "
                "ORDER BY name, part",
                (generation, key),
            ).fetchall()
            if not parts:
                return False
            for name, part in parts:  # one part at a time: a snapshot can be large
                row = conn.execute(
                    "SELECT data FROM index_snapshots "
                    "WHERE generation = %s AND key = %s AND name = %s AND part = %s",
                    (generation, key, name, part),
                ).fetchone()
                if row is None:  # a newer generation's publisher removed it meanwhile
                    return False
                with (into / name).open("ab") as out:
                    out.write(row[0])
        return True

    def publish_snapshot(self, generation: int, key: str, files: Sequence[Path]) -> None:
        with self._errors("Writing"), self._pool.connection() as conn, conn.transaction():
            # All parts or none, and older generations go. Publishers take turns: two
            # processes creating the table at once would collide.
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            conn.execute(_SNAPSHOT_TABLE)
            for path in files:
                with path.open("rb") as source:
                    for part, data in enumerate(iter(partial(source.read, _PART_BYTES), b"")):
                        conn.execute(
                            "INSERT INTO index_snapshots (generation, key, name, part, data) "
                            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                            (generation, key, path.name, part, data),
                        )
            conn.execute("DELETE FROM index_snapshots WHERE generation < %s", (generation,))

    @staticmethod
    def _has_snapshot_table(conn: psycopg.Connection[Any]) -> bool:
        row = conn.execute("SELECT to_regclass('index_snapshots') IS NOT NULL").fetchone()
        return bool(row and row[0])

    def close(self) -> None:
        self._pool.close()
