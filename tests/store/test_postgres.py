"""What only the PostgreSQL backend does: driver and server errors, schemas, processes.

The shared behaviour is in test_contract.py; these tests cover the rest.
"""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from lindra.errors import BackendUnavailable, ConfigError, IndexNotFound, StoreError
from lindra.store import postgres
from lindra.store.open import open_store
from lindra.store.postgres import PostgresStore
from lindra.types import Section
from tests.store.conftest import fresh_schema, require_postgres, with_search_path
from tests.store.test_contract import make_document


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_missing_driver_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    missing = ImportError("No module named 'psycopg'", name="psycopg")
    monkeypatch.setattr(postgres, "_MISSING", missing)
    with pytest.raises(BackendUnavailable) as caught:
        open_store("postgresql://lindra@127.0.0.1/kb")
    assert str(caught.value) == (
        "PostgreSQL support is not installed (psycopg is missing). "
        "Install it with: pip install 'lindra[postgres]'"
    )


def test_unreachable_server_names_where_but_not_the_password() -> None:
    port = closed_port()
    with pytest.raises(BackendUnavailable) as caught:
        PostgresStore(f"postgresql://lindra:hemligt@127.0.0.1:{port}/kb")
    message = str(caught.value)
    assert message.startswith(
        f"Cannot connect to PostgreSQL (host 127.0.0.1, port {port}, database 'kb'): "
    )
    assert "scripts/setup-postgres.sh" in message
    assert "hemligt" not in message


def test_bad_url_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="not a valid PostgreSQL URL"):
        PostgresStore("postgresql://lindra:hemligt@127.0.0.1/kb?nosuchoption=1")


@pytest.fixture
def schema_url() -> Iterator[str]:
    with fresh_schema(require_postgres()) as url:
        yield url


@pytest.mark.integration
@pytest.mark.postgres
def test_location_hides_the_password(schema_url: str) -> None:
    # The test cluster trusts local connections, so any password is accepted.
    url = schema_url.replace("postgresql://postgres@", "postgresql://postgres:hemligt@")
    store = PostgresStore(url, create=True)
    try:
        assert "hemligt" not in store.location
        assert store.location.startswith("postgresql://postgres@127.0.0.1:")
    finally:
        store.close()


@pytest.mark.integration
@pytest.mark.postgres
def test_schema_on_search_path_must_exist() -> None:
    url = with_search_path(require_postgres(), "lindra_finns_inte")
    with pytest.raises(IndexNotFound):
        PostgresStore(url)
    with pytest.raises(StoreError, match=r"Create it \(CREATE SCHEMA"):
        PostgresStore(url, create=True)


@pytest.mark.integration
@pytest.mark.postgres
def test_tables_match_the_sqlite_schema(schema_url: str, tmp_path: Path) -> None:
    import psycopg

    open_store(str(tmp_path / "kb.sqlite"), create=True).close()
    open_store(schema_url, create=True).close()
    pg_types = {"TEXT": "text", "INTEGER": "integer", "BLOB": "bytea"}
    with sqlite3.connect(tmp_path / "kb.sqlite") as lite:
        sqlite_columns = [
            (table, column, pg_types[kind])
            for (table,) in lite.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            ).fetchall()
            for _, column, kind, *_ in lite.execute(f"PRAGMA table_info({table})").fetchall()
        ]
    schema = schema_url.rsplit("search_path%3D", 1)[1]
    with psycopg.connect(require_postgres()) as conn:
        pg_columns = conn.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = %s ORDER BY table_name, ordinal_position",
            (schema,),
        ).fetchall()
    assert pg_columns == sqlite_columns


WRITER = textwrap.dedent(
    """
    import sys
    from tests.store.test_contract import write
    from lindra.store.open import open_store

    store = open_store(sys.argv[1], create=True)
    for i in range(10):
        write(store, f"{sys.argv[2]}-{i}", passages=1)
        write(store, "delad", passages=1)
    store.close()
    """
)


@pytest.mark.integration
@pytest.mark.postgres
def test_two_processes_create_and_write_at_once(schema_url: str) -> None:
    from tests.store.conftest import REPO

    processes = [
        subprocess.Popen([sys.executable, "-c", WRITER, schema_url, name], cwd=REPO)
        for name in ("a", "b")
    ]
    assert [p.wait(timeout=120) for p in processes] == [0, 0]
    store = open_store(schema_url)
    try:
        assert store.generation() == 40
        assert len(store.documents()) == 21
    finally:
        store.close()


@pytest.mark.integration
@pytest.mark.postgres
def test_readers_never_see_half_of_a_rewrite(schema_url: str) -> None:
    # One thread keeps replacing a document with version A or B while others read
    # it: a document and its sections are read in one snapshot, so they always match.
    store = PostgresStore(schema_url, create=True)
    versions = [
        make_document(
            "växlar",
            text=f"Version {v}\n\nText {v}.",
            title_span=None,
            sections=(Section(f"Version {v}", 1, (f"Version {v}",), ()),) * (2 if v == "A" else 3),
        )
        for v in "AB"
    ]
    store.write_document(versions[0], [])
    done = threading.Event()
    seen: list[tuple[str, tuple[str, ...]]] = []

    def rewrite() -> None:
        for i in range(60):
            store.write_document(versions[i % 2], [])
        done.set()

    def read() -> None:
        while not done.is_set():
            document = store.document("växlar")
            seen.append((document.title, tuple(s.heading for s in document.sections)))

    threads = [threading.Thread(target=rewrite), *(threading.Thread(target=read) for _ in range(3))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store.close()
    assert seen
    assert set(seen) <= {("Version A", ("Version A",) * 2), ("Version B", ("Version B",) * 3)}
