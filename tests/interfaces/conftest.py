"""Fixtures for the interface tests."""

# The SQLite/PostgreSQL ``location`` fixture of the store contract tests, reused by
# the concurrency test.
from tests.store.conftest import location  # noqa: F401
