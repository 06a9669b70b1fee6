"""What only the SQLite store does: waiting for another process's writes."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from lindra.errors import StoreError
from lindra.store.sqlite import SqliteStore
from tests.store.test_contract import make_document


def test_a_writer_that_cannot_get_the_lock_says_so_and_writes_nothing(tmp_path: Path) -> None:
    location = str(tmp_path / "kb.sqlite")
    store = SqliteStore(location, create=True)
    try:
        store._conn.execute("PRAGMA busy_timeout = 50")  # not the 30 s a user waits
        with closing(sqlite3.connect(location, isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")  # another process in a long write
            with pytest.raises(StoreError, match="is busy: another process"):
                store.write_document(make_document("a"), [], [])
            other.execute("ROLLBACK")
        assert store.stats().documents == 0
        store.write_document(make_document("a"), [], [])  # free again: it writes
        assert store.stats().documents == 1
    finally:
        store.close()
