"""An upload's ingest stops when its client leaves."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from lindra import Engine, Settings
from lindra.ingest.readers import read_path
from lindra.interfaces import uploads


class LeavingClient:
    """A request whose client disconnects once the base holds a document."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def is_disconnected(self) -> bool:
        return self.engine.store.stats().documents > 0


def test_an_upload_stops_when_the_client_leaves(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(uploads, "DISCONNECT_POLL_SECONDS", 0.01)
    items = []
    for n in range(40):
        path = tmp_path / f"sida{n}.txt"
        path.write_text(f"Sida {n}\n\nIspackningar lindrar svullnad efter en stukning.\n", "utf-8")
        items += list(read_path(path, max_bytes=10_000))
    settings = Settings(db=str(tmp_path / "kb.sqlite"), dense=False)
    with Engine.from_settings(settings, create=True) as engine:
        client = LeavingClient(engine)
        outcomes = asyncio.run(uploads.ingest_while_connected(client, engine, items))  # type: ignore[arg-type]
        written = engine.store.stats().documents
    assert 1 <= written < len(items)
    assert len(outcomes) == written
