"""Shared fixtures: tiny stores, the Swedish analyzer, sample pages, no network."""

from __future__ import annotations

import contextlib
import importlib.util
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import settings

from lindra import Engine, Settings
from lindra.language.analyzer import Analyzer
from lindra.language.swedish import default_analyzer
from lindra.store.sqlite import SqliteStore

DATA = Path(__file__).parent / "data"

# Speed is measured in benchmarks/, not here: no per-example deadline, which a busy
# CI machine would otherwise turn into random failures.
settings.register_profile("lindra", deadline=None)
settings.load_profile("lindra")


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


def load_script(path: Path) -> ModuleType:
    """A script outside the package as a module (registered, so that its dataclasses
    can find it)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def load_benchmark(name: str) -> ModuleType:
    """The script ``benchmarks/<name>.py`` as a module."""
    return load_script(Path(__file__).parents[1] / "benchmarks" / f"{name}.py")


def settings_for_tests(db: Path, **overrides: object) -> Settings:
    """Settings for a test base. Dense retrieval is off unless a test asks for it:
    the model is exercised by tests/search/test_dense.py and the hybrid tests."""
    values: dict[str, object] = {
        "db": str(db),
        "dense": False,
        "cache_dir": str(db.parent / "cache"),
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@contextlib.contextmanager
def engine_over(tmp_path: Path, *paths: Path, **overrides: object) -> Iterator[Engine]:
    """A new base in *tmp_path* holding *paths*; *overrides* go to :func:`settings_for_tests`."""
    settings = settings_for_tests(tmp_path / "kb.sqlite", **overrides)
    with Engine.from_settings(settings, create=True) as eng:
        list(eng.ingest_paths(list(paths)))
        yield eng


@contextlib.contextmanager
def engine_with_page(tmp_path: Path, name: str, text: str, **overrides: object) -> Iterator[Engine]:
    """An engine over one page written for the test (a fixture, not evidence of quality)."""
    page = tmp_path / name
    page.write_text(text, encoding="utf-8")
    with engine_over(tmp_path, page, **overrides) as eng:
        yield eng


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with Engine.from_settings(settings_for_tests(tmp_path / "kb.sqlite"), create=True) as eng:
        yield eng


@pytest.fixture(scope="session")
def dense_sample_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """One engine per test session with dense retrieval on, holding the two samples."""
    db = tmp_path_factory.mktemp("dense") / "kb.sqlite"
    with Engine.from_settings(settings_for_tests(db, dense=True), create=True) as eng:
        list(
            eng.ingest_paths(
                [DATA / "osteoporos-smartbehandling.txt", DATA / "botox-backenbotten.txt"]
            )
        )
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
