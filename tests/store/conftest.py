"""Backends for the store contract: a parametrized ``store`` (SQLite, PostgreSQL).

The PostgreSQL server comes from ``LINDRA_TEST_PG_URL`` when set; otherwise
``scripts/setup-postgres.sh`` installs and starts a throwaway local one (once per
session, and it is idempotent). Each test gets a fresh, empty schema of its own,
so tests (and several pytest sessions) can share one database.
"""

from __future__ import annotations

import functools
import os
import subprocess
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import pytest

from lindra.store.base import Store
from lindra.store.open import open_store

REPO = Path(__file__).resolve().parents[2]
SETUP = REPO / "scripts" / "setup-postgres.sh"

POSTGRES = pytest.param(
    "postgres", marks=[pytest.mark.integration, pytest.mark.postgres], id="postgres"
)
BACKENDS = ["sqlite", POSTGRES]


@functools.cache
def postgres_server() -> tuple[str | None, str]:
    """``(url, "")`` for a reachable server, or ``(None, why not)``."""
    url = os.environ.get("LINDRA_TEST_PG_URL")
    if url:
        return url, ""  # given on purpose: an unreachable server fails the tests
    try:
        done = subprocess.run(
            ["bash", str(SETUP)],
            capture_output=True,
            text=True,
            timeout=900,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"{SETUP.name} could not run: {exc}"
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines or not lines[-1].startswith("postgresql://"):
        tail = " | ".join(done.stderr.strip().splitlines()[-5:])
        return None, f"{SETUP.name} failed (exit {done.returncode}): {tail}"
    return lines[-1], ""


def require_postgres() -> str:
    """The server URL, or skip the test saying why PostgreSQL is not available."""
    url, why = postgres_server()
    if url is None:
        reason = f"PostgreSQL could not be installed or started: {why}"
        _warn_once(reason)
        pytest.skip(reason)
    return url


@functools.cache
def _warn_once(reason: str) -> None:
    # Shown in the warnings summary even without -rs, once per session.
    warnings.warn(reason, stacklevel=3)


def with_search_path(url: str, schema: str) -> str:
    """*url* with *schema* first on the search_path (libpq's ``options`` parameter)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query)
    options = " ".join([*(v for k, v in query if k == "options"), f"-csearch_path={schema}"])
    query = [(k, v) for k, v in query if k != "options"] + [("options", options)]
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


@contextmanager
def fresh_schema(url: str) -> Iterator[str]:
    """A new empty schema for one test: yields *url* pointing at it, drops it after."""
    import psycopg

    schema = f"lindra_t_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield with_search_path(url, schema)
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=BACKENDS)
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a new, still empty knowledge base lives: a SQLite path or a PostgreSQL URL."""
    if request.param == "sqlite":
        yield str(tmp_path / "kb.sqlite")
        return
    with fresh_schema(require_postgres()) as url:
        yield url


@pytest.fixture
def store(location: str) -> Iterator[Store]:
    """An empty store on each backend, opened through ``open_store`` like the engine does."""
    opened = open_store(location, create=True)
    yield opened
    opened.close()
