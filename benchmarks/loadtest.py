"""Serving under load, and shutting down: the server parts of ``make reliability``.

    python benchmarks/loadtest.py [--seconds 20] [--connections 8] [--pg URL]
    python benchmarks/loadtest.py --pg URL --instances [--seconds 20] [--connections 16]

1. **Load beside a writer**: ``lindra serve --workers 2`` on 127.0.0.1 over a base
   of generated pages; *connections* client threads send a mix of web-page
   searches, ``/api/search`` and ``/api/ask`` for *seconds*, first alone, then
   while ``lindra ingest`` re-ingests 600 changed pages in another process (the
   base keeps its size, 660 documents, so the runs compare like with like). Reported: requests,
   errors, p50 and p99 latency of each run and the ratio of the p99s (the goal
   of issue 14: at most 2). ``lindra ingest`` lowers its own CPU priority (nice 10)
   by default; the writer runs once so and once with ``--no-nice``.
2. **Shutdown**: an upload of many records is running when the server gets
   SIGTERM; reported is how long the server takes to exit (uvicorn cancels what
   still runs after ``SHUTDOWN_SECONDS``; the upload stops before its next document).
3. **Instances** (``--instances`` with ``--pg``): the same mixed load spread over 1, 2
   and 4 single-worker ``lindra serve`` instances on one PostgreSQL base, each with a
   cache folder of its own, as on separate machines (they share the index snapshot
   through the database); reported per instance count.

Bounded and loopback only. Dense retrieval is off in these runs (``LINDRA_DENSE=false``)
so that they measure the store and the server, not the embedding model.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

TOKEN = "t" * 32
QUESTIONS = (
    "hjälper värme mot ryggont",
    "akupunktur vid benskörhet",
    "hur länge håller botox",
    "ont i bäckenbotten",
    "korsett efter kotkompression",
    "smärtlindring utan tabletter",
)
PAGE = (
    "Sida {n}: behandling av ryggont\n\n"
    "Värmekuddar används ofta vid ryggont. Effekten har aldrig dokumenterats i studier.\n\n"
    "Fysioterapi\n\nTräning med fysioterapeut har god effekt på smärtan enligt flera "
    "kontrollerade studier. Det tar ofta 4 veckor innan effekten märks.\n\n"
    "Akupunktur\n\nDet finns ingen dokumentation för akupunkturens effekt vid benskörhet.\n"
)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINDRA_")}
    return {**env, "LINDRA_DENSE": "false", **extra}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pages(folder: Path, count: int, start: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(start, start + count):
        (folder / f"sida-{n:04d}.txt").write_text(PAGE.format(n=n) * 3, encoding="utf-8")
    return folder


def _ingest(db: str, folder: Path, nice: bool = True) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "lindra", "ingest", str(folder), "--db", db, "--json"]
        + ([] if nice else ["--no-nice"]),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(),
    )


@contextmanager
def serving(
    db: str, log: Path, workers: int = 2, cache: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """``lindra serve`` on a free loopback port; yields the process (``.port`` set).
    *cache*: its cache folder (a machine of its own for a PostgreSQL base)."""
    port = _free_port()
    extra = {"LINDRA_CACHE_DIR": str(cache)} if cache else {}
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "lindra", "serve", "--db", db, "--port", str(port)]
            + ["--workers", str(workers)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=_env(LINDRA_API_TOKEN=TOKEN, **extra),
        )
    server.port = port  # type: ignore[attr-defined]
    try:
        deadline = time.monotonic() + 120
        while _get(port, "/healthz")[0] != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("lindra serve did not start:\n" + log.read_text("utf-8"))
            time.sleep(0.3)
        yield server
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


def _get(port: int, path: str, body: dict[str, Any] | None = None) -> tuple[int, float]:
    """(status, seconds) of one request; status 0 when the connection failed."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        headers={"Content-Type": "application/json"} if data else {},
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    return status, time.perf_counter() - started


def _client(port: int, stop: threading.Event, seed: int, out: list[tuple[int, float]]) -> None:
    rng = random.Random(seed)
    while not stop.is_set():
        question = rng.choice(QUESTIONS)
        kind = rng.randrange(3)
        if kind == 0:
            out.append(_get(port, "/?q=" + urllib.parse.quote(question)))
        elif kind == 1:
            out.append(_get(port, "/api/search?q=" + urllib.parse.quote(question)))
        else:
            out.append(_get(port, "/api/ask", {"question": question}))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _load(
    port: int | Sequence[int],
    seconds: float,
    connections: int,
    writer: subprocess.Popen[bytes] | None = None,
) -> dict[str, Any]:
    """*connections* clients for *seconds*, or until *writer* has ended; with several
    ports (server instances) the clients are spread evenly over them."""
    ports = [port] if isinstance(port, int) else list(port)
    stop = threading.Event()
    results: list[list[tuple[int, float]]] = [[] for _ in range(connections)]
    threads = [
        threading.Thread(
            target=_client, args=(ports[i % len(ports)], stop, i, results[i]), daemon=True
        )
        for i in range(connections)
    ]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    while time.monotonic() - started < seconds and (writer is None or writer.poll() is None):
        time.sleep(0.1)
    stop.set()
    for thread in threads:
        thread.join(timeout=90)
    elapsed = time.monotonic() - started
    done = [r for rs in results for r in rs]
    latencies = [s for status, s in done if status == 200]
    return {
        "seconds": round(elapsed, 1),
        "requests": len(done),
        "requests/s": round(len(done) / elapsed, 1),
        "errors": sum(status != 200 for status, _ in done),
        "p50_ms": round(1000 * _percentile(latencies, 0.50)),
        "p99_ms": round(1000 * _percentile(latencies, 0.99)),
    }


def load_beside_ingest(
    folder: Path, seconds: float, connections: int, db: str | None = None
) -> dict[str, Any]:
    """p50/p99 under load, alone and while another process re-ingests 600 changed
    pages (the base keeps its size, so the runs compare like with like)."""
    target = db or str(folder / "load.sqlite")
    changed = _pages(folder / "changed", 600, start=1000)
    for first in (_ingest(target, _pages(folder / "base", 60)), _ingest(target, changed)):
        first.wait()
    with serving(target, folder / "load-serve.log") as server:
        port = server.port  # type: ignore[attr-defined]
        _load(port, 2.0, connections)  # warm both workers
        runs: dict[str, Any] = {"alone": _load(port, seconds, connections)}
        for round_, (run, nice) in enumerate(
            (("beside ingest", True), ("beside --no-nice", False))
        ):
            for path in changed.iterdir():
                path.write_text(path.read_text("utf-8") + f"\nÄndring {round_}.\n", "utf-8")
            writer = _ingest(target, changed, nice)
            # Measured only while the writer runs.
            runs[run] = _load(port, seconds, connections, writer)
            writer.wait()
    alone = runs["alone"]["p99_ms"]
    return {
        **runs,
        "p99 ratio": round(runs["beside ingest"]["p99_ms"] / max(alone, 1), 2),
        "p99 ratio, --no-nice": round(runs["beside --no-nice"]["p99_ms"] / max(alone, 1), 2),
    }


def instances_scaling(
    folder: Path, seconds: float, connections: int, db: str, counts: Sequence[int] = (1, 2, 4)
) -> dict[int, dict[str, Any]]:
    """Mixed load spread over 1, 2, 4 ... single-worker ``lindra serve`` instances on
    one PostgreSQL base, each with a cache folder of its own (as on its own machine):
    the first builds and publishes the index snapshot, the others fetch it."""
    for pages in (_pages(folder / "base", 60), _pages(folder / "more", 600, start=1000)):
        _ingest(db, pages).wait()
    rows = {}
    for count in counts:
        with ExitStack() as stack:
            servers = [
                stack.enter_context(
                    serving(db, folder / f"serve-{count}-{i}.log", 1, folder / f"m{count}-{i}")
                )
                for i in range(count)
            ]
            ports = [server.port for server in servers]  # type: ignore[attr-defined]
            _load(ports, 2.0, connections)  # warm every instance
            rows[count] = _load(ports, seconds, connections)
    return rows


def shutdown_seconds(folder: Path, records: int = 400) -> float:
    """Seconds from SIGTERM to exit while an upload of *records* records runs."""
    target = str(folder / "shutdown.sqlite")
    first = _ingest(target, _pages(folder / "shutdown-base", 2))
    first.wait()
    body = [{"id": f"post-{n}", "title": f"Sida {n}", "text": PAGE.format(n=n) * 3}
            for n in range(records)]  # fmt: skip
    with serving(target, folder / "shutdown-serve.log", workers=1) as server:
        port = server.port  # type: ignore[attr-defined]

        def upload() -> None:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/documents",
                data=json.dumps(body).encode(),
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"},
            )
            try:
                urllib.request.urlopen(request, timeout=120).read()
            except OSError:
                pass  # the server went away: expected

        thread = threading.Thread(target=upload, daemon=True)
        thread.start()
        time.sleep(2.0)  # the upload is being ingested
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=120)
        except subprocess.TimeoutExpired:
            return float("inf")
        return round(time.monotonic() - started, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--pg", help="also run the load test on this PostgreSQL URL")
    parser.add_argument(
        "--instances",
        action="store_true",
        help="with --pg: spread the load over 1, 2 and 4 server instances instead",
    )
    args = parser.parse_args()
    if args.instances:
        if not args.pg:
            parser.error("--instances needs --pg URL (the instances share a PostgreSQL base)")
        with tempfile.TemporaryDirectory(prefix="lindra-load-") as name:
            scaling = instances_scaling(Path(name), args.seconds, args.connections, args.pg)
        print(f"{'instances':<10}{'seconds':>8}{'requests':>9}{'req/s':>7}{'errors':>8}"
              f"{'p50 ms':>8}{'p99 ms':>8}")  # fmt: skip
        for count, r in scaling.items():
            print(
                f"{count:<10}{r['seconds']:>8}{r['requests']:>9}{r['requests/s']:>7}"
                f"{r['errors']:>8}{r['p50_ms']:>8}{r['p99_ms']:>8}"
            )
        return 0
    with tempfile.TemporaryDirectory(prefix="lindra-load-") as name:
        folder = Path(name)
        rows = {"SQLite": load_beside_ingest(folder / "sqlite", args.seconds, args.connections)}
        if args.pg:
            rows["PostgreSQL"] = load_beside_ingest(
                folder / "pg", args.seconds, args.connections, args.pg
            )
        stop = shutdown_seconds(folder)
    print(
        f"{'backend':<11}{'run':<18}{'seconds':>8}{'requests':>9}{'req/s':>7}{'errors':>8}"
        f"{'p50 ms':>8}{'p99 ms':>8}"
    )
    for backend, row in rows.items():
        for run in ("alone", "beside ingest", "beside --no-nice"):
            r = row[run]
            print(
                f"{backend:<11}{run:<18}{r['seconds']:>8}{r['requests']:>9}{r['requests/s']:>7}"
                f"{r['errors']:>8}{r['p50_ms']:>8}{r['p99_ms']:>8}"
            )
        print(
            f"{backend:<11}p99 beside / alone: {row['p99 ratio']} "
            f"(ingest --no-nice: {row['p99 ratio, --no-nice']})"
        )
    print(f"SIGTERM during an upload: the server exited after {stop} s")
    failed = any(r["p99 ratio"] > 2 for r in rows.values()) or stop > 15
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
