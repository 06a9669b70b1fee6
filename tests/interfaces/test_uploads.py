"""An upload's ingest stops when its client leaves."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from lindra import Engine, Settings
from lindra.ingest.readers import read_path
from lindra.interfaces import uploads


class LeavingClient:
    """A request whose client disconnects once the base holds a document."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def is_disconnected(self) -> bool:
        return self.engine.store.stats().documents > 0


def test_an_upload_stops_when_the_client_leaves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uploads, "DISCONNECT_POLL_SECONDS", 0.01)
    items = []
    for n in range(5):
        path = tmp_path / f"sida{n}.txt"
        path.write_text(f"Sida {n}\n\nIspackningar lindrar svullnad efter en stukning.\n", "utf-8")
        items += list(read_path(path, max_bytes=10_000))
    settings = Settings(db=str(tmp_path / "kb.sqlite"), dense=False)
    with Engine.from_settings(settings, create=True) as engine:
        ingest_item = engine._ingest_item

        def one_then_wait(item: Any, any_language: Any, cancelled: Callable[[], bool]) -> Any:
            # After the first document, wait (at most 10 s) until the watcher has seen
            # the client leave, however busy the machine is.
            outcome = ingest_item(item, any_language, cancelled)
            deadline = time.monotonic() + 10
            while not cancelled() and time.monotonic() < deadline:
                time.sleep(0.01)
            return outcome

        monkeypatch.setattr(engine, "_ingest_item", one_then_wait)
        client = LeavingClient(engine)
        # A thread of its own: another test's event loop may be running in this one.
        with ThreadPoolExecutor(1) as pool:
            coroutine = uploads.ingest_while_connected(client, engine, items)  # type: ignore[arg-type]
            outcomes = pool.submit(asyncio.run, coroutine).result()
        written = engine.store.stats().documents
    assert written == 1
    assert [o.status for o in outcomes] == ["added"]
