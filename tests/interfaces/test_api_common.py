"""ComputeLimit: how many requests a server process computes at once, and which wait."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
import pytest
from starlette.types import Message, Receive, Scope, Send

from lindra.interfaces.api_common import ComputeLimit

App = Callable[[Scope, Receive, Send], Awaitable[None]]


def http(path: str, method: str = "GET") -> Scope:
    return {"type": "http", "method": method, "path": path, "headers": []}


def body(*chunks: bytes) -> Receive:
    """A client that sends *chunks* as the request body."""
    messages: list[Message] = [
        {"type": "http.request", "body": chunk, "more_body": n < len(chunks) - 1}
        for n, chunk in enumerate(chunks)
    ]

    async def receive() -> Message:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    return receive


async def ignore(message: Message) -> None:
    pass


def run(main: Callable[..., Awaitable[Any]], *args: Any) -> Any:
    """``anyio.run`` in a thread of its own: a test before this one may leave an event
    loop running in the main thread (Playwright's sync API does)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(anyio.run, main, *args).result()


@pytest.mark.parametrize("slots", [1, 2])
def test_at_most_slots_requests_compute_at_once_in_order_of_arrival(slots: int) -> None:
    inside: list[str] = []
    entered: list[str] = []
    most = 0

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal most
        entered.append(scope["path"])
        inside.append(scope["path"])
        most = max(most, len(inside))
        for _ in range(10):  # let every other request try to get in
            await anyio.sleep(0)
        inside.remove(scope["path"])

    async def main() -> None:
        limit = ComputeLimit(app, slots=slots)
        async with anyio.create_task_group() as group:
            for n in range(5):
                group.start_soon(limit, http(f"/api/search/{n}"), body(b""), ignore)

    run(main)
    assert most == slots
    assert entered == [f"/api/search/{n}" for n in range(5)]


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/healthz"), ("GET", "/static/app.css"), ("POST", "/api/documents")],
)
def test_health_checks_static_files_and_uploads_do_not_wait(method: str, path: str) -> None:
    done: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] == "/":
            await busy.wait()  # holds the only slot until the other request is done
        done.append(scope["path"])

    async def main() -> None:
        limit = ComputeLimit(app, slots=1)
        with anyio.fail_after(10):
            async with anyio.create_task_group() as group:
                group.start_soon(limit, http("/"), body(b""), ignore)
                await anyio.sleep(0)
                await limit(http(path, method), body(b""), ignore)
                busy.set()

    busy = anyio.Event()
    run(main)
    assert done == [path, "/"]


def test_the_body_is_read_before_queueing_and_handed_on_unchanged() -> None:
    read: list[bytes] = []
    sent: list[str] = []

    def client(*chunks: bytes) -> Receive:
        receive = body(*chunks)

        async def tracked() -> Message:
            message = await receive()
            sent.append(message.get("body", b"").decode())
            return message

        return tracked

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] == "/":
            await busy.wait()
            return
        parts = []
        while (message := await receive())["type"] == "http.request":
            parts.append(message["body"])
            if not message["more_body"]:
                break
        read.append(b"".join(parts))

    async def main() -> None:
        limit = ComputeLimit(app, slots=1)
        async with anyio.create_task_group() as group:
            group.start_soon(limit, http("/"), body(b""), ignore)
            await anyio.sleep(0)
            question = client(b'{"question": ', b'"ont"}')
            group.start_soon(limit, http("/api/ask", "POST"), question, ignore)
            for _ in range(10):
                await anyio.sleep(0)
            assert sent == ['{"question": ', '"ont"}']  # all read, while waiting for the slot
            assert read == []
            busy.set()

    busy = anyio.Event()
    run(main)
    assert read == [b'{"question": "ont"}']


def test_a_failure_while_reading_the_body_reaches_the_app_where_it_reads() -> None:
    class TooLarge(Exception):
        pass

    async def refusing() -> Message:
        raise TooLarge

    caught: list[Exception] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await receive()
        except TooLarge as exc:
            caught.append(exc)

    run(ComputeLimit(app), http("/api/ask", "POST"), refusing, ignore)
    assert [type(exc) for exc in caught] == [TooLarge]
