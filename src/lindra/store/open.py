"""Open the backend named by a ``--db`` value: a file path or a postgresql:// URL."""

from __future__ import annotations

from lindra.store.base import Store

__all__ = ["is_postgres_url", "open_store"]


def is_postgres_url(location: str) -> bool:
    """Whether a ``--db`` value names a PostgreSQL database rather than a file."""
    return location.startswith(("postgresql://", "postgres://"))


def open_store(location: str, *, create: bool = False) -> Store:
    """A SQLite store for a path, a PostgreSQL store for a ``postgresql://`` URL.

    :raises IndexNotFound: when a SQLite file is missing and *create* is false.
    :raises BackendUnavailable: when PostgreSQL support is not installed or unreachable.
    """
    if is_postgres_url(location):
        from lindra.store.postgres import PostgresStore

        return PostgresStore(location, create=create)
    from lindra.store.sqlite import SqliteStore

    return SqliteStore(location, create=create)
