"""What the API routes and the web pages share: the engine on ``app.state`` and error handling.

Every error leaves the server in one shape, ``{"error": "<ErrorType>", "message": "..."}``
(web pages get the same information as a Swedish HTML page). The status codes:

=====================================  ======
lindra error                           status
=====================================  ======
QueryError, BadRecord, NotSwedish ...  422
UnsupportedFormat                      415
InputTooLarge                          413
DocumentNotFound                       404
IndexNotFound, BackendUnavailable      503
other LindraError                      500
=====================================  ======
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lindra.engine import Engine
from lindra.errors import (
    BackendUnavailable,
    DocumentNotFound,
    IndexNotFound,
    IngestError,
    InputTooLarge,
    LindraError,
    QueryError,
    UnsupportedFormat,
)
from lindra.interfaces.web import COMMON_HEADERS, PAGE_HEADERS

__all__ = [
    "COMPUTE_SLOTS",
    "READ_BODY_LIMIT",
    "ApiError",
    "SecurityHeaders",
    "BodyLimit",
    "ComputeLimit",
    "EngineSlot",
    "error_body",
    "get_engine",
    "install_error_handlers",
    "known_conditions",
    "status_for",
    "without_server_paths",
]

logger = logging.getLogger(__name__)

# Most specific class first: the first match decides the status code.
_STATUS: tuple[tuple[type[LindraError], int], ...] = (
    (UnsupportedFormat, 415),
    (InputTooLarge, 413),
    (IngestError, 422),
    (QueryError, 422),
    (DocumentNotFound, 404),
    (IndexNotFound, 503),
    (BackendUnavailable, 503),
)

_HTTP_NAMES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    413: "InputTooLarge",
    415: "UnsupportedFormat",
    422: "ValidationError",
}


class ApiError(Exception):
    """An HTTP-level refusal that is not a library error (auth, request shape).

    :param status: the HTTP status code.
    :param error: the ``error`` field of the response, e.g. ``"Unauthorized"``.
    :param message: what happened and what to do.
    """

    def __init__(
        self, status: int, error: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.headers = headers


def status_for(exc: LindraError) -> int:
    """The HTTP status code for a library error.

    >>> status_for(QueryError("empty"))
    422
    """
    for kind, status in _STATUS:
        if isinstance(exc, kind):
            return status
    return 500


def error_body(error: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": error, "message": message, **extra}


class EngineSlot:
    """The app's one engine, opened at start-up or, if the base was missing then, on first use.

    Requests run in a thread pool, so opening is guarded by a lock. The engine's
    store is thread-safe and its searcher rebuilds the index when another process
    has written to the base (the store's generation changed).
    """

    def __init__(self, engine: Engine | None, open_engine: Callable[[], Engine]) -> None:
        self._engine = engine
        self._open = open_engine
        self._lock = threading.Lock()

    def get(self) -> Engine:
        """:raises IndexNotFound: while there is still no knowledge base."""
        engine = self._engine
        if engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = self._open()
                engine = self._engine
        return engine

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.close()
                self._engine = None


def get_engine(request: Request) -> Engine:
    """FastAPI dependency: the engine of the app serving *request*."""
    slot: EngineSlot = request.app.state.engine_slot
    return slot.get()


def _wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith(("/api/", "/healthz", "/openapi.json", "/docs")):
        return False
    return "text/html" in request.headers.get("accept", "")


def _respond(
    request: Request,
    status: int,
    body: dict[str, Any],
    headers: Mapping[str, str] | None = None,
) -> Response:
    if _wants_html(request):
        templates = request.app.state.templates
        return templates.TemplateResponse(  # type: ignore[no-any-return]
            request,
            "error.html",
            {"status": status, "error": body["error"], "message": body["message"]},
            status_code=status,
            headers={**PAGE_HEADERS, **(headers or {})},
        )
    return JSONResponse(body, status_code=status, headers=headers)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _allowed_methods(request: Request) -> str:
    """Every method a route serves at the request's path, for the ``Allow`` header of a
    405 (Starlette names only the methods of the first route whose path matched)."""
    routes = [route for route in request.app.router.routes if not isinstance(route, Mount)]
    return ", ".join(
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes
        )
    )


def install_error_handlers(app: FastAPI) -> None:
    """Map lindra errors, refusals and validation errors to the one error shape."""

    async def lindra_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LindraError)
        status = status_for(exc)
        if status >= 500:
            logger.error("%s on %s: %s", type(exc).__name__, request.url.path, exc)
        return _respond(request, status, error_body(type(exc).__name__, str(exc)))

    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return _respond(request, exc.status, error_body(exc.error, exc.message), exc.headers)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err.get('loc', ()) if p != 'body') or 'body'}: "
            f"{err.get('msg', 'invalid')}"
            for err in exc.errors()
        )
        return _respond(
            request,
            422,
            error_body("ValidationError", f"Invalid request ({problems}). See /docs."),
        )

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        name = _HTTP_NAMES.get(exc.status_code, "HTTPError")
        message = str(exc.detail)
        headers = exc.headers
        if exc.status_code == 404 and message == "Not Found":
            message = f"No such page or endpoint: '{request.url.path}'. See /docs for the API."
        if exc.status_code == 405 and headers and "Allow" in headers:
            headers = {**headers, "Allow": _allowed_methods(request) or headers["Allow"]}
        return _respond(request, exc.status_code, error_body(name, message), headers)

    app.add_exception_handler(LindraError, lindra_error)
    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)


READ_BODY_LIMIT = 64 * 1024  # bytes; a question is at most max_query_chars long


class SecurityHeaders:
    """ASGI middleware adding :data:`COMMON_HEADERS` to every response that lacks them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.extra = [(k.lower().encode(), v.encode()) for k, v in COMMON_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                missing = [(k, v) for k, v in self.extra if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *missing]}
            await send(message)

        await self.app(scope, receive, with_headers)


def _is_upload(scope: Scope) -> bool:
    return scope["method"] == "POST" and bool(scope["path"].rstrip("/").endswith("/api/documents"))


class BodyLimit:
    """ASGI middleware refusing request bodies over *limit* bytes with 413.

    Uploads (``POST /api/documents``) are left to their own, configurable limit.
    """

    def __init__(self, app: ASGIApp, limit: int = READ_BODY_LIMIT) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _is_upload(scope):
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            await JSONResponse(self._body(int(length)), status_code=413)(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise StarletteHTTPException(413, self._body(received)["message"])
            return message

        await self.app(scope, counted, send)

    def _body(self, size: int) -> dict[str, Any]:
        return error_body(
            "InputTooLarge",
            f"The request body is {size:,} bytes, over the limit of {self.limit:,} for this "
            "endpoint. Send a shorter question.",
        )


# Requests one server process computes at once (see ComputeLimit): two overlap one
# request's hops between the event loop and the thread pool with another's work.
COMPUTE_SLOTS = 2


class ComputeLimit:
    """ASGI middleware: a server process computes at most *slots* requests at once; the
    others wait their turn, in order of arrival.

    Searching and answering are CPU-bound Python. Side by side in the thread pool, the
    requests of a busy process share one GIL, so each takes about as long as all of
    them together (a verdict page that needs 0.15 s alone takes seconds), and the
    objects they hold meanwhile keep the garbage collector busy. In line, a request
    takes its own time plus that of the requests before it. A request's body is read
    before it queues, so a slow client holds no slot. Health checks, static files and
    uploads (long, and paced by their client) do not queue.
    """

    def __init__(self, app: ASGIApp, slots: int = COMPUTE_SLOTS) -> None:
        self.app = app
        self.slots = anyio.Semaphore(slots)  # first come, first served

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or path == "/healthz"
            or path.startswith("/static/")
            or _is_upload(scope)
        ):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        failure: Exception | None = None
        try:
            while not messages or messages[-1].get("more_body"):
                messages.append(await receive())
        except Exception as exc:  # BodyLimit's 413: raised again where the app reads
            failure = exc

        async def replay() -> Message:
            if messages:
                return messages.pop(0)
            if failure is not None:
                raise failure
            return await receive()

        async with self.slots:
            await self.app(scope, replay, send)


def known_conditions(engine: Engine) -> list[dict[str, Any]]:
    """Each condition named by stored evidence, with how many treatments it has."""
    return [{"name": name, "treatments": count} for name, count in engine.conditions()]


_PATH_KEYS = frozenset({"source", "location"})
_Body = TypeVar("_Body")


def without_server_paths(body: _Body) -> _Body:
    """A response body in which no server path shows: a ``source`` or ``location``
    that is a file path becomes its file name (URLs and upload names stay).

    >>> without_server_paths([{"source": "/srv/kb/sida.txt"}, {"source": "https://a.se/x"}])
    [{'source': 'sida.txt'}, {'source': 'https://a.se/x'}]
    """
    if isinstance(body, dict):
        cleaned: dict[Any, Any] = {
            k: _public_path(v)
            if k in _PATH_KEYS and isinstance(v, str)
            else without_server_paths(v)
            for k, v in body.items()
        }
        return cast(_Body, cleaned)
    if isinstance(body, list):
        return cast(_Body, [without_server_paths(item) for item in body])
    return body


def _public_path(value: str) -> str:
    if (
        "://" in value
        or value.startswith("upload:")
        or not (value.startswith(("/", "\\", "~")) or value[1:3] in (":\\", ":/"))
    ):
        return value
    return value.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
