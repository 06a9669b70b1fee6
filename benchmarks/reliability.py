"""Reliability: hostile input through every reader and the API, and kill -9 during ingest.

    python benchmarks/reliability.py [--cases 10000] [--kills 50] [--pg URL] [--quick]
    make reliability

1. **Reader fuzz**: generated bad inputs (random bytes, broken and hostile JSONL —
   deep nesting, huge integers, lone surrogates, NUL, wrong types —, deeply nested
   and malformed HTML, control characters, enormous words) go through the reader of
   their format and into a store. A crash is any exception that is not lindra's
   own per-file error; a hang is a case over the time budget.
2. **API fuzz**: random and hostile requests to every endpoint (questions with lone
   surrogates, NUL, megabyte strings, wrong types, odd ids, uploads with hostile
   names and bodies). Counted: responses with status 5xx.
3. **Kill loop**: ``lindra ingest`` of a folder in a subprocess, killed with SIGKILL
   at a random moment, then ``lindra check``'s consistency check on the base
   (SQLite; PostgreSQL too with ``--pg``). Counted: inconsistent bases.
4. **Load and shutdown** (``benchmarks/loadtest.py``; not with ``--quick``): p99
   latency of ``lindra serve --workers 2`` alone and beside an ingest, and the
   seconds from SIGTERM to exit while an upload runs.

Prints one table. ``--quick`` (used by the test suite) runs a few hundred cases.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadtest  # noqa: E402

from lindra import Engine, Settings
from lindra.ingest.readers import read_path
from lindra.store.check import check_store
from lindra.store.open import open_store

CASE_SECONDS = 10.0  # a case slower than this counts as a hang
# Seconds of load per run: long enough that p99 rests on more than a handful of
# requests (PostgreSQL serves about 25 requests/s here).
LOAD_SECONDS = 40.0
SAMPLE_PAGE = (
    "Värme mot ryggont\n\nVärmekuddar används ofta. Effekten har aldrig dokumenterats.\n\n"
    "Akupunktur\n\nDet finns ingen dokumentation för behandlingens effekt.\n"
)


class Hang(Exception):
    """A case ran over :data:`CASE_SECONDS`."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


# -- generated inputs --------------------------------------------------------------------


def _hostile_strings(rng: random.Random) -> list[str]:
    return [
        "\ud800",
        "a\udfffb",
        "\x00",
        "x" * rng.randint(1000, 200_000),
        "Värme" + "\u200b" * 50,
        "ryggsmärta" * rng.randint(10, 5000),
        "<script>alert(1)</script>",
        "'; DROP TABLE documents; --",
        "\u202e\ufeff\u0301" * 20,
        "".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(1, 400))),
    ]


def jsonl_case(rng: random.Random) -> str:
    """One hostile JSONL file: a bad line and a good one."""
    pick = rng.randrange(9)
    depth = rng.choice([40, 1000, 5000, 100_000])
    strings = _hostile_strings(rng)
    if pick == 0:
        bad = '{"id": "a", "text": ' + "[" * depth + "]" * depth + "}"
    elif pick == 1:
        bad = '{"id": "a", "text": "x", "n": ' + "9" * rng.choice([4301, 10_000, 50_000]) + "}"
    elif pick == 2:
        bad = '{"id": "\\ud800", "text": "V\\u00e4rme \\udfff hj\\u00e4lper mot ryggont."}'
    elif pick == 3:
        bad = json.dumps({"id": rng.choice(strings), "text": rng.choice(strings)})
    elif pick == 4:
        bad = json.dumps({"id": rng.randint(-(10**30), 10**30), "text": SAMPLE_PAGE, "kind": "x"})
    elif pick == 5:
        bad = json.dumps({"id": ["list"], "text": {"object": 1}, "title": 5})
    elif pick == 6:
        bad = "".join(chr(rng.randint(1, 0x7F)) for _ in range(rng.randint(1, 300)))
    elif pick == 7:
        bad = json.dumps({"id": "t", "text": SAMPLE_PAGE, "title": "\x00" * 10 + "T"})
    else:
        bad = json.dumps({"id": "m", "text": SAMPLE_PAGE, "meta": {"a": [{"b": "\ud800"}] * 50}})
    good = json.dumps({"id": f"ok{rng.randrange(10**6)}", "text": SAMPLE_PAGE}, ensure_ascii=False)
    return f"{bad}\n{good}\n"


def text_case(rng: random.Random) -> bytes:
    pick = rng.randrange(7)
    if pick == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 3000)))
    if pick == 1:
        return (SAMPLE_PAGE + "A" * rng.choice([100_000, 1_000_000])).encode()
    if pick == 2:
        return ("data:image/png;base64," + "QUJD" * 50_000 + "\n" + SAMPLE_PAGE).encode()
    if pick == 3:
        return SAMPLE_PAGE.encode("utf-32")
    if pick == 4:
        return (SAMPLE_PAGE + "\x01\x02\x1b[31m" * 3).encode()
    if pick == 5:
        return b"\xef\xbb\xbf" + SAMPLE_PAGE.encode("cp1252")
    return "\n".join(rng.choice(_hostile_strings(rng)) for _ in range(5)).encode(
        "utf-8", "surrogatepass"
    )


def html_case(rng: random.Random) -> str:
    pick = rng.randrange(4)
    depth = rng.choice([100, 1000, 10_000])
    if pick == 0:
        return "<div>" * depth + "<p>" + SAMPLE_PAGE + "</p>" + "</div>" * depth
    if pick == 1:
        return "<html><body><p>" + SAMPLE_PAGE + "<table>" * depth
    if pick == 2:
        return "<p>" + "&#xD800;&#0;" * 100 + SAMPLE_PAGE + "</p><script>" + "x" * 10_000
    return "".join(rng.choice(["<", ">", "/", "p", "div", " ", "ä", "&", ";"]) for _ in range(5000))


def cases(count: int, seed: int = 0) -> Iterator[tuple[str, bytes]]:
    """``(file name, content)`` for *count* generated inputs."""
    rng = random.Random(seed)
    for i in range(count):
        kind = i % 3
        if kind == 0:
            yield f"case{i}.jsonl", jsonl_case(rng).encode("utf-8", "surrogatepass")
        elif kind == 1:
            yield f"case{i}.txt", text_case(rng)
        else:
            yield f"case{i}.html", html_case(rng).encode("utf-8", "surrogatepass")


# -- the three parts ---------------------------------------------------------------------


def reader_fuzz(count: int, folder: Path) -> dict[str, int]:
    """Run *count* generated inputs through the readers and an in-memory store."""
    signal.signal(signal.SIGALRM, _alarm)
    outcomes: Counter[str] = Counter()
    settings = Settings(db=":memory:", dense=False, max_file_bytes=5_000_000)
    with Engine.from_settings(settings, create=True) as engine:
        for name, content in cases(count):
            path = folder / name
            path.write_bytes(content)
            signal.setitimer(signal.ITIMER_REAL, CASE_SECONDS)
            try:
                for item in read_path(path, max_bytes=settings.max_file_bytes):
                    outcome = engine.ingest_documents([item])[0]
                    outcomes[outcome.status] += 1
            except Hang:
                outcomes["hang"] += 1
            except Exception as exc:  # what we count: anything not lindra's own error
                outcomes["crash"] += 1
                print(f"crash on {name}: {type(exc).__name__}: {exc}"[:300], file=sys.stderr)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                path.unlink()
    return {"cases": count, **outcomes}


def api_fuzz(count: int, folder: Path, seed: int = 1) -> dict[str, int]:
    """*count* hostile requests against an app over a small base; 5xx are counted."""
    from fastapi.testclient import TestClient

    from lindra.interfaces.api import create_app

    rng = random.Random(seed)
    db = folder / "api.sqlite"
    page = folder / "sida.txt"
    page.write_text(SAMPLE_PAGE, encoding="utf-8")
    with Engine.from_settings(Settings(db=str(db), dense=False), create=True) as engine:
        list(engine.ingest_paths([page]))
    settings = Settings(db=str(db), dense=False, api_token="t" * 32, max_file_bytes=100_000)
    statuses: Counter[str] = Counter()
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        auth = {"authorization": "Bearer " + "t" * 32}
        requests: list[Callable[[str], object]] = [
            lambda s: client.post(
                "/api/ask",
                content=json.dumps({"question": s}).encode("utf-8", "surrogatepass"),
                headers={"content-type": "application/json"},
            ),
            lambda s: client.post(
                "/api/ask",
                content=json.dumps({"question": [s]}).encode(),
                headers={"content-type": "application/json"},
            ),
            lambda s: client.get(f"/api/search?q={_url(s)}&top={rng.randint(-5, 5000)}"),
            lambda s: client.get(f"/api/treatments?condition={_url(s)}"),
            lambda s: client.get(f"/api/documents/{_url(s[:200])}"),
            lambda s: client.get(f"/api/documents/{_url(s[:200])}/evidence"),
            lambda s: client.get(f"/?q={_url(s)}"),
            lambda s: client.post(
                "/api/documents",
                files=[("files", (_url(s[:400]) + ".txt", SAMPLE_PAGE.encode(), "text/plain"))],
                headers=auth,
            ),
            lambda s: client.post(
                "/api/documents",
                content=s.encode("utf-8", "surrogatepass")[:50_000],
                headers={**auth, "content-type": "application/json"},
            ),
        ]
        for i in range(count):
            text = rng.choice(_hostile_strings(rng))[:20_000]
            response = requests[i % len(requests)](text)
            status = getattr(response, "status_code", 0)
            statuses["5xx" if status >= 500 else f"{status // 100}xx"] += 1
    return {"requests": count, **statuses}


def _url(text: str) -> str:
    """*text* percent-encoded as raw bytes: lone surrogates reach the server as
    the invalid UTF-8 an attacker would send."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def kill_loop(kills: int, folder: Path, db: str | None = None, seed: int = 2) -> dict[str, int]:
    """Kill ``lindra ingest`` at random moments; check the base after each kill."""
    rng = random.Random(seed)
    pages = folder / "pages"
    pages.mkdir(exist_ok=True)
    for i in range(80):
        (pages / f"sida{i}.txt").write_text(
            f"Sida {i}\n\n" + SAMPLE_PAGE * rng.randint(1, 30), encoding="utf-8"
        )
    target = db or str(folder / "kill.sqlite")
    lindra = [sys.executable, "-m", "lindra"]
    inconsistent = landed = 0
    for i in range(kills):
        if i % 5 == 0:  # change some pages so later runs replace documents
            for path in rng.sample(sorted(pages.iterdir()), 5):
                path.write_text(path.read_text("utf-8") + f"\nÄndring {i}.\n", encoding="utf-8")
        process = subprocess.Popen(
            [*lindra, "ingest", str(pages), "--db", target, "--json"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**_env(), "LINDRA_DENSE": "false"},
        )
        time.sleep(rng.uniform(1.0, 4.0))
        if process.poll() is None:
            process.kill()
            landed += 1
        process.wait()
        try:
            store = open_store(target)
        except Exception:  # a base that was never created is consistent
            continue
        try:
            report = check_store(store)
        finally:
            store.close()
        if not report.ok:
            inconsistent += 1
            print(f"kill {i}: {report.problems[:3]}", file=sys.stderr)
    return {"kills": kills, "landed mid-ingest": landed, "inconsistent": inconsistent}


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("LINDRA_")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--pg", help="also run the kill loop on this PostgreSQL URL")
    parser.add_argument("--quick", action="store_true", help="a few hundred cases (CI)")
    args = parser.parse_args()
    if args.quick:
        args.cases, args.requests, args.kills = 300, 300, 5
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="lindra-reliability-"))
    try:
        rows = {
            "reader fuzz": reader_fuzz(args.cases, folder),
            "API fuzz": api_fuzz(args.requests, folder),
            "kill -9 loop (SQLite)": kill_loop(args.kills, folder),
        }
        if args.pg:
            rows["kill -9 loop (PostgreSQL)"] = kill_loop(args.kills, folder, args.pg)
        if not args.quick:
            for backend, db in (("SQLite", None), ("PostgreSQL", args.pg)):
                if backend == "SQLite" or db:
                    load = loadtest.load_beside_ingest(folder / backend, LOAD_SECONDS, 8, db)
                    rows[f"load beside ingest ({backend})"] = {
                        "p99 ms alone": load["alone"]["p99_ms"],
                        "beside ingest": load["beside ingest"]["p99_ms"],
                        "ratio": load["p99 ratio"],
                        "errors": load["alone"]["errors"] + load["beside ingest"]["errors"],
                    }
            rows["SIGTERM during an upload"] = {
                "seconds to exit": loadtest.shutdown_seconds(folder)
            }
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for name, counts in rows.items():
        print(f"{name:28} " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"({time.perf_counter() - started:.0f} s)")
    failed = (
        rows["reader fuzz"].get("crash", 0)
        + rows["reader fuzz"].get("hang", 0)
        + rows["API fuzz"].get("5xx", 0)
        + sum(r.get("inconsistent", 0) for n, r in rows.items() if n.startswith("kill"))
        + sum(r["ratio"] > 2 or r["errors"] > 0 for n, r in rows.items() if n.startswith("load"))
        + (rows.get("SIGTERM during an upload", {}).get("seconds to exit", 0) > 15)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
