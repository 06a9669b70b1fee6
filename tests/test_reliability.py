"""The fast part of ``make reliability``: hostile input and kill -9, a few hundred cases."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import load_benchmark


@pytest.fixture(scope="module")
def reliability() -> ModuleType:
    return load_benchmark("reliability")


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
    loadtest = load_benchmark("loadtest")
    assert loadtest.shutdown_seconds(tmp_path, records=200) <= 15
