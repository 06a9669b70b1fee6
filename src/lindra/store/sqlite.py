"""The default backend: one SQLite file in WAL mode (no server needed)."""

from __future__ import annotations

import logging
import sqlite3
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from lindra.errors import IndexNotFound, StoreError
from lindra.store.sql import SqlStore, upgrade_schema

__all__ = ["SqliteStore"]

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "3"
# Versions a base is brought up to date from when it is opened (2: before the
# treatment_conditions table and treatments.genre).
MIGRATED_VERSIONS = frozenset({"2"})
# How long a writer waits for another process's write transaction to end.
BUSY_SECONDS = 30


class SqliteStore(SqlStore):
    """A knowledge base in one SQLite file (or ``:memory:`` for tests).

    :param path: the database file.
    :param create: create the file when missing; otherwise raise :class:`IndexNotFound`.
    """

    def __init__(self, path: str | Path, *, create: bool = False) -> None:
        self.location = str(path)
        memory = self.location == ":memory:"
        if not memory and not Path(path).exists():
            if not create:
                raise IndexNotFound(
                    f"No knowledge base at '{self.location}'. Run 'lindra ingest <path>' first, "
                    "or pass --db / set LINDRA_DB."
                )
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            # Autocommit mode; writes open explicit BEGIN IMMEDIATE transactions.
            self._conn = sqlite3.connect(
                self.location, isolation_level=None, check_same_thread=False, timeout=BUSY_SECONDS
            )
            self._lock = threading.RLock()
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
            if not memory:
                self._conn.execute("PRAGMA journal_mode = WAL")
                self._conn.execute("PRAGMA synchronous = NORMAL")
            self._ensure_schema()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"'{self.location}' is not a lindra SQLite database ({exc}). "
                "Choose another --db path."
            ) from exc

    def _ensure_schema(self) -> None:
        with self._lock:
            if self._conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
            ).fetchone():
                row = self._conn.execute(
                    "SELECT value FROM meta WHERE key = 'schema_version'"
                ).fetchone()
                found = row[0] if row else "unknown"
                if found in MIGRATED_VERSIONS:
                    self._migrate(found)
                elif found != SCHEMA_VERSION:
                    raise StoreError(
                        f"The knowledge base '{self.location}' has schema version {found}; this "
                        f"lindra needs version {SCHEMA_VERSION}. Rebuild it: remove the file and "
                        "run 'lindra ingest' (or 'lindra demo') again."
                    )
                return
            schema = (resources.files("lindra.store") / "schema" / "sqlite.sql").read_text("utf-8")
            # One script in one transaction; every statement is idempotent, so two
            # processes creating the same file at once end with the same schema.
            self._conn.executescript(
                "BEGIN IMMEDIATE;"
                + schema
                + "INSERT OR IGNORE INTO meta (key, value) VALUES "
                + f"('schema_version', '{SCHEMA_VERSION}'), ('generation', '0'), "
                + f"('base_id', '{uuid.uuid4().hex}');"
                + "COMMIT;"
            )

    def _migrate(self, found: str) -> None:
        """Bring a base of schema version *found* up to date, in one transaction
        (another process doing the same at once waits, then finds it done)."""
        schema = (resources.files("lindra.store") / "schema" / "sqlite.sql").read_text("utf-8")
        with self._transaction() as cur:
            entries = upgrade_schema(cur, self._sql, found, SCHEMA_VERSION, _statements(schema))
        if entries is not None:
            logger.info(
                "'%s': schema %s → %s (%d entries)", self.location, found, SCHEMA_VERSION, entries
            )

    def _rows(self, query: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._conn.execute(query, tuple(params)).fetchall()
            except sqlite3.Error as exc:
                raise StoreError(f"Reading '{self.location}' failed: {exc}") from exc

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Cursor]:
        with self._lock:
            cursor = self._conn.cursor()
            try:
                try:
                    cursor.execute("BEGIN IMMEDIATE")
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) and "busy" not in str(exc):
                        raise  # another failure: reported below
                    raise StoreError(
                        f"'{self.location}' is busy: another process has been writing to it "
                        f"for {BUSY_SECONDS} s (a long ingest, or an upgrade of an older base). "
                        f"Nothing was written; try again when it has finished ({exc})."
                    ) from exc
                yield cursor
                cursor.execute("COMMIT")
            except BaseException as exc:
                if self._conn.in_transaction:
                    cursor.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(f"Writing '{self.location}' failed: {exc}") from exc
                raise
            finally:
                cursor.close()

    def _size_bytes(self) -> int:
        if self.location == ":memory:":
            page_count = self._rows("PRAGMA page_count")[0][0]
            page_size = self._rows("PRAGMA page_size")[0][0]
            return int(page_count) * int(page_size)
        base = Path(self.location)
        return sum(
            p.stat().st_size for p in (base, Path(f"{base}-wal"), Path(f"{base}-shm")) if p.exists()
        )

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _statements(script: str) -> Iterator[str]:
    """The SQL statements of *script*, one by one (cut where SQLite says one ends)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            yield statement
            statement = ""
