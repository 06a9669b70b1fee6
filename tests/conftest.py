"""Shared fixtures: tiny stores, the Swedish analyzer, sample pages, no network."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from lindra import Engine, Settings
from lindra.language.analyzer import Analyzer
from lindra.language.swedish import default_analyzer
from lindra.store.sqlite import SqliteStore

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def sv_analyzer() -> Analyzer:
    return default_analyzer()


@pytest.fixture
def fresh_store() -> Iterator[SqliteStore]:
    store = SqliteStore(":memory:", create=True)
    yield store
    store.close()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with Engine.from_settings(Settings(db=str(tmp_path / "kb.sqlite")), create=True) as eng:
        yield eng


@pytest.fixture
def sample_engine(engine: Engine, samples_dir: Path) -> Engine:
    """An engine whose base holds the two sample pages."""
    outcomes = list(
        engine.ingest_paths(
            [samples_dir / "osteoporos-smartbehandling.txt", samples_dir / "botox-backenbotten.txt"]
        )
    )
    assert [o.status for o in outcomes] == ["added", "added"]
    return engine


@pytest.fixture(autouse=True)
def _no_network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Block outbound connections unless a test is marked ``integration``."""
    if request.node.get_closest_marker("integration"):
        return
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host in ("127.0.0.1", "::1", "localhost")
            or self.family == socket.AF_UNIX
        ):
            return real_connect(self, address)
        raise RuntimeError(f"network access blocked in tests: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded)
