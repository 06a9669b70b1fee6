"""The fast part of ``make reliability``: hostile input and kill -9, a few hundred cases."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).parents[1] / "benchmarks" / "reliability.py"


@pytest.fixture(scope="module")
def reliability() -> ModuleType:
    spec = importlib.util.spec_from_file_location("reliability", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hostile_files_never_crash_or_hang(reliability: ModuleType, tmp_path: Path) -> None:
    counts = reliability.reader_fuzz(150, tmp_path)
    assert counts.get("crash", 0) == 0 and counts.get("hang", 0) == 0, counts
    assert counts.get("added", 0) > 0 and counts.get("skipped", 0) > 0


def test_hostile_requests_never_get_a_500(reliability: ModuleType, tmp_path: Path) -> None:
    counts = reliability.api_fuzz(180, tmp_path)
    assert counts.get("5xx", 0) == 0, counts


def test_a_killed_ingest_leaves_a_consistent_base(reliability: ModuleType, tmp_path: Path) -> None:
    counts = reliability.kill_loop(3, tmp_path)
    assert counts["inconsistent"] == 0, counts


def test_the_server_exits_within_seconds_of_sigterm_during_an_upload(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("loadtest", SCRIPT.with_name("loadtest.py"))
    assert spec is not None and spec.loader is not None
    loadtest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loadtest)
    assert loadtest.shutdown_seconds(tmp_path, records=200) <= 15
