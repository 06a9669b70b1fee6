"""Readers of `lindra serve --workers 2` while another process ingests: no torn documents.

Runs on SQLite (WAL) and, when a server can be had, on PostgreSQL
(``LINDRA_TEST_PG_URL`` or ``scripts/setup-postgres.sh``, as in ``tests/store``).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from lindra import Engine, Settings
from lindra.ingest.readers import read_path
from lindra.types import ParsedDocument

pytestmark = pytest.mark.integration

DATA = Path(__file__).parent.parent / "data"
DOCUMENTS = 30
READERS = 4
QUERY = "värmebehandling ryggvärk värmekudde"
QUESTION = "Hjälper värmebehandling med värmekudde mot ryggvärk?"


def generated_page(number: int) -> str:
    return (
        f"# Dokument {number} om ryggvärk\n\n"
        f"Ryggvärk är vanligt och de flesta blir bättre inom några veckor. Det här är dokument "
        f"nummer {number} i testet.\n\n"
        "## Värmebehandling\n\n"
        f"Värmebehandling med värmekudde kan lindra ryggvärk hos många patienter, skriver "
        f"källa {number}. Värmen får musklerna att slappna av.\n\n"
        "Det är bra att röra på sig så mycket som möjligt även när det gör ont i ryggen.\n\n"
        "## Biverkningar\n\n"
        f"Värmebehandling har få biverkningar, men huden kan bli röd om värmen är för stark "
        f"(dokument {number}).\n"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get_json(url: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json"} if data else {}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


class Reader(threading.Thread):
    """Searches, asks and opens every generated document it sees; records any problem."""

    def __init__(
        self, base: str, expected: dict[str, ParsedDocument], stop: threading.Event
    ) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.expected = expected
        self.stop = stop
        self.problems: list[str] = []
        self.requests = 0
        self.seen: set[str] = set()
        self.partial = 0  # rounds that found some, but not all, of the new documents

    def call(self, path: str, body: dict[str, Any] | None = None) -> Any:
        status, payload = get_json(self.base + path, body)
        self.requests += 1
        if status != 200:
            self.problems.append(f"{path}: {status} {payload}")
            return None
        return payload

    def check_document(self, doc_id: str) -> dict[str, Any] | None:
        doc = self.call(f"/api/documents/{urllib.parse.quote(doc_id)}")
        if doc is None or doc_id not in self.expected:
            return doc
        parsed = self.expected[doc_id]
        got = [(s["heading"], s["text"]) for s in doc["sections"]]
        want = [(s.heading, s.text) for s in parsed.sections]
        if got != want or doc["text"] != parsed.text:
            self.problems.append(f"{doc_id} is incomplete: sections {got!r}")
        self.seen.add(doc_id)
        return doc

    def run(self) -> None:
        query = urllib.parse.urlencode({"q": QUERY, "top": 100})
        while not self.stop.is_set() and len(self.problems) < 20:
            result = self.call(f"/api/search?{query}")
            new = sum(h["doc_id"] in self.expected for h in result["hits"]) if result else 0
            self.partial += 0 < new < len(self.expected)
            for hit in result["hits"] if result else []:
                doc = self.check_document(hit["doc_id"])
                lines = [line for line in hit["text"].split("\n") if line.strip()]
                if doc and not all(line in doc["text"] for line in lines):
                    self.problems.append(f"search hit {hit['passage_id']} is not in its document")
            answer = self.call("/api/ask", {"question": QUESTION})
            for citation in answer["answers"] if answer else []:
                doc = self.check_document(citation["doc_id"])
                if doc is None:
                    continue
                quoted = " ".join(doc["text"][citation["start"] : citation["end"]].split())
                if quoted != citation["text"]:
                    self.problems.append(f"citation {citation['passage_id']} does not quote")
            self.call("/api/stats")


def test_readers_see_only_whole_documents_while_another_process_ingests(
    location: str, tmp_path: Path
) -> None:
    with Engine.from_settings(Settings(db=location), create=True) as engine:
        list(engine.ingest_paths([DATA / "osteoporos-smartbehandling.txt"]))
    folder = tmp_path / "nya"
    folder.mkdir()
    expected: dict[str, ParsedDocument] = {}
    for number in range(DOCUMENTS):
        path = folder / f"gen-{number:03d}.md"
        path.write_text(generated_page(number), encoding="utf-8")
        [parsed] = read_path(path, max_bytes=1_000_000)
        assert isinstance(parsed, ParsedDocument)
        expected[parsed.id] = parsed

    env = {k: v for k, v in os.environ.items() if not k.startswith("LINDRA_")}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "lindra", "serve", "--db", location]
            + ["--port", str(port), "--workers", "2"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        deadline = time.monotonic() + 90
        while not (_up(port) and get_json(f"{base}/healthz")[0] == 200):
            assert server.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, "lindra serve did not start"
            time.sleep(0.3)

        stop = threading.Event()
        readers = [Reader(base, expected, stop) for _ in range(READERS)]
        for reader in readers:
            reader.start()
        time.sleep(1.0)  # readers are running before the first write
        ingest = subprocess.run(
            [sys.executable, "-m", "lindra", "ingest", str(folder), "--db", location, "--json"],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        during = sum(r.requests for r in readers)
        # Rounds after the final write, until every new document has been read (a
        # round opens up to 100 documents, so on a busy machine it takes a while).
        settle = time.monotonic() + 60
        time.sleep(1.0)
        while time.monotonic() < settle and not set(expected) <= set().union(
            *(r.seen for r in readers)
        ):
            time.sleep(0.5)
        stop.set()
        for reader in readers:
            reader.join(timeout=120)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    assert ingest.returncode == 0, ingest.stderr
    report = json.loads(ingest.stdout)
    assert [d["status"] for d in report["documents"]] == ["added"] * DOCUMENTS
    problems = [p for r in readers for p in r.problems]
    server_log = log.read_text(errors="replace")
    assert problems == [], "\n".join(problems[:10]) + "\n" + first_traceback(server_log)
    assert during >= 2 * READERS, "the readers made too few requests while the ingest ran"
    assert sum(r.partial for r in readers) > 0, "no reader ran while the ingest was half done"
    seen = set().union(*(r.seen for r in readers))
    assert seen == set(expected), f"readers saw {len(seen)} of {DOCUMENTS} new documents"
    assert "Traceback" not in server_log, first_traceback(server_log)


def first_traceback(log: str) -> str:
    """The first traceback in the server log, shortened to its last lines."""
    start = log.find("Traceback")
    if start < 0:
        return ""
    lines = log[start:].splitlines()
    end = next((i for i, line in enumerate(lines) if line and not line[0].isspace() and i), 0)
    return "\n".join(lines[max(0, end - 8) : end + 1])


def _up(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0
