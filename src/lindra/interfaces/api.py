"""The HTTP API: ``create_app(settings)`` builds the FastAPI app (API, web pages, docs).

Read endpoints are open; the write endpoints (upload and delete documents) need
``Authorization: Bearer <token>`` with the token from ``LINDRA_API_TOKEN``, and
are disabled (403) when no token is configured.

    >>> # uvicorn.run(create_app(load_settings()))  # what 'lindra serve' does
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, FastAPI, Path, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from lindra import __version__
from lindra.config import Settings, load_settings
from lindra.engine import Engine
from lindra.errors import DocumentNotFound, IndexNotFound
from lindra.interfaces import render
from lindra.interfaces.api_common import (
    ApiError,
    EngineSlot,
    error_body,
    get_engine,
    install_error_handlers,
    known_conditions,
)
from lindra.interfaces.schemas import AnswerOut, DocumentOut, IngestReport, SearchOut
from lindra.interfaces.uploads import (
    MAX_UPLOAD_FILES,
    Upload,
    check_upload,
    parse_records,
    parse_uploads,
    too_large,
)
from lindra.interfaces.web import make_templates, pages

__all__ = ["create_app", "create_app_from_env"]

logger = logging.getLogger(__name__)

EngineDep = Annotated[Engine, Depends(get_engine)]
DocId = Annotated[str, Path(description="Document id, as in search results.")]

router = APIRouter(prefix="/api")


# -- auth ----------------------------------------------------------------------


bearer = HTTPBearer(
    auto_error=False, description="The token configured as LINDRA_API_TOKEN (write endpoints)."
)


def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Write endpoints need the configured bearer token (403 when none is configured)."""
    token: str | None = request.app.state.settings.api_token
    if not token:
        raise ApiError(
            403,
            "WritesDisabled",
            "Write endpoints are disabled because no API token is configured. Set "
            "LINDRA_API_TOKEN (or api_token in the LINDRA_CONFIG file) and restart "
            "'lindra serve'; then send 'Authorization: Bearer <token>'.",
        )
    given = credentials.credentials if credentials is not None else ""
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise ApiError(
            401,
            "Unauthorized",
            "Missing or wrong API token. Send 'Authorization: Bearer <token>' with the "
            "token configured as LINDRA_API_TOKEN.",
            headers={"WWW-Authenticate": "Bearer"},
        )


# -- read ----------------------------------------------------------------------


@router.get("/search", response_model=SearchOut, summary="Search passages", tags=["answers"])
def search(
    engine: EngineDep,
    q: Annotated[str, Query(description="Words or a question in Swedish.")],
    top: Annotated[int | None, Query(ge=1, le=100, description="Hits to return.")] = None,
) -> SearchOut:
    """Documents ranked by their best passage (the shape of ``lindra search --json``)."""
    return render.search_result(engine, q, top or min(engine.settings.top_k, 100))


@router.post("/ask", summary="Answer a question with cited sentences", tags=["answers"])
def ask(
    engine: EngineDep,
    question: Annotated[str, Body(embed=True, description="A question in Swedish.")],
) -> dict[str, Any]:
    """The answer card (the shape of ``lindra ask --json``)."""
    return AnswerOut.of(engine.ask(question)).model_dump()


@router.get("/treatments", summary="Treatments for a condition", tags=["treatments"])
def treatments(
    engine: EngineDep,
    condition: Annotated[
        str | None, Query(max_length=200, description="A condition, e.g. 'benskörhet'.")
    ] = None,
) -> dict[str, Any]:
    """With a condition, its treatments across documents (``lindra treatments --json``).

    Without one, ``treatments`` is empty and ``conditions`` lists the conditions
    the stored evidence names, with their number of treatments.
    """
    if condition is None or not condition.strip():
        return {"condition": None, "treatments": [], "conditions": known_conditions(engine)}
    condition = condition.strip()
    rows = engine.treatments(condition)
    return {"condition": condition, "treatments": [row.to_json() for row in rows]}


@router.get(
    "/documents/{doc_id:path}/evidence",
    summary="Treatment evidence of one document",
    tags=["treatments"],
)
def evidence(engine: EngineDep, doc_id: DocId) -> dict[str, Any]:
    """Each treatment the document mentions: stance, quote, facts (``lindra evidence --json``)."""
    return {"doc_id": doc_id, "treatments": engine.evidence(doc_id)}


@router.get(
    "/documents/{doc_id:path}",
    response_model=DocumentOut,
    summary="One document",
    tags=["documents"],
)
def document(engine: EngineDep, doc_id: DocId) -> DocumentOut:
    """The cleaned document with sections and provenance (the shape of ``lindra show --json``)."""
    return DocumentOut.of(engine.document(doc_id))


@router.get("/stats", summary="Counts and index size", tags=["service"])
def stats(engine: EngineDep) -> dict[str, Any]:
    """The numbers of ``lindra stats --json``."""
    return render.stats(engine)


# -- write ---------------------------------------------------------------------

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": ".txt, .md, .html or .jsonl files",
                        }
                    },
                    "required": ["files"],
                }
            },
            "application/json": {
                "schema": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/RecordIn"},
                        {"type": "array", "items": {"$ref": "#/components/schemas/RecordIn"}},
                    ]
                }
            },
        },
    },
}


@router.post(
    "/documents",
    response_model=IngestReport,
    summary="Upload documents (needs the API token)",
    tags=["documents"],
    dependencies=[Depends(require_token)],
    openapi_extra=_UPLOAD_BODY,
    responses={
        401: {"description": "Missing or wrong token"},
        403: {"description": "Writes disabled: no token configured"},
        413: {"description": "A file is over max_file_bytes"},
        415: {"description": "Unsupported file type"},
        422: {"description": "No document could be ingested; the report is in 'documents'"},
    },
)
async def upload(request: Request, engine: EngineDep) -> Any:
    """Ingest uploaded files (multipart field ``files``) or JSON records, like ``lindra ingest``.

    Answers with the ``lindra ingest --json`` report; 422 (with the report) when
    every input was skipped.
    """
    max_bytes: int = request.app.state.settings.max_file_bytes
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        uploads = await _read_files(request, max_bytes)
        items = await run_in_threadpool(parse_uploads, uploads, max_bytes=max_bytes)
    elif content_type.startswith("application/json"):
        body = await _read_body(request, max_bytes)
        items = await run_in_threadpool(parse_records, body, max_bytes=max_bytes)
    else:
        raise ApiError(
            415,
            "UnsupportedFormat",
            f"Unsupported content type '{content_type or '(none)'}'. Upload files as "
            "multipart/form-data (field 'files') or send JSON records as application/json.",
        )
    outcomes = await run_in_threadpool(engine.ingest_documents, items)
    report = IngestReport.of(outcomes)
    if outcomes and all(o.status == "skipped" for o in outcomes):
        first = next(o.error for o in outcomes if o.error)
        more = f" (and {len(outcomes) - 1} more)" if len(outcomes) > 1 else ""
        return JSONResponse(
            error_body(
                "IngestError", f"Nothing was ingested: {first}{more}", **report.model_dump()
            ),
            status_code=422,
        )
    return report


@router.delete(
    "/documents/{doc_id:path}",
    summary="Delete a document (needs the API token)",
    tags=["documents"],
    dependencies=[Depends(require_token)],
)
def delete(engine: EngineDep, doc_id: DocId) -> dict[str, Any]:
    """Remove a document and everything derived from it."""
    if not engine.store.delete_document(doc_id):
        raise DocumentNotFound(
            f"No document with id '{doc_id}'. Run 'lindra search' to find document ids."
        )
    return {"id": doc_id, "deleted": True}


async def _read_body(request: Request, max_bytes: int) -> bytes:
    _check_length(request, max_bytes)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise too_large(size, max_bytes, "request-body")
        chunks.append(chunk)
    return b"".join(chunks)


async def _read_files(request: Request, max_bytes: int) -> list[Upload]:
    _check_length(request, max_bytes * MAX_UPLOAD_FILES + 1_000_000)
    form = await request.form(max_files=MAX_UPLOAD_FILES, max_fields=MAX_UPLOAD_FILES)
    try:
        files = [v for _, v in form.multi_items() if isinstance(v, UploadFile)]
        if not files:
            raise ApiError(
                422,
                "ValidationError",
                "No file in the upload. Send one or more files in the multipart field 'files'.",
            )
        uploads = []
        for file in files:
            name = file.filename or "upload"
            check_upload(name, file.size, max_bytes)
            data = await file.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise too_large(len(data), max_bytes, f"upload:{name}")
            uploads.append(Upload(name, data))
        return uploads
    finally:
        await form.close()


def _check_length(request: Request, limit: int) -> None:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise too_large(int(length), limit, "request")


# -- health and docs -----------------------------------------------------------

health = APIRouter()


@health.get("/healthz", summary="Liveness and readiness", tags=["service"])
def healthz(request: Request) -> dict[str, Any]:
    """``ready`` is false while there is no knowledge base at the configured location."""
    try:
        engine = get_engine(request)
    except IndexNotFound:
        return {"status": "ok", "ready": False, "version": __version__}
    return {
        "status": "ok",
        "ready": True,
        "version": __version__,
        "generation": engine.store.generation(),
    }


def _install_docs(app: FastAPI) -> None:
    """Serve Swagger UI from the ``swagger-ui-bundle-v2`` package: no CDN is needed."""
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:  # pragma: no cover - depends on the installation
        logger.warning("swagger-ui-bundle-v2 is not installed; /docs is disabled")

        @app.get("/docs", include_in_schema=False)
        def docs_missing() -> HTMLResponse:
            return HTMLResponse(
                "<p>API docs need the Python package swagger-ui-bundle-v2 "
                "(pip install swagger-ui-bundle-v2). The OpenAPI schema is at "
                "<a href='openapi.json'>/openapi.json</a>.</p>",
                status_code=503,
            )

        return

    app.mount("/docs-assets", StaticFiles(directory=str(swagger_ui_path)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}/openapi.json",
            title="lindra API",
            swagger_js_url=f"{root}/docs-assets/swagger-ui-bundle.js",
            swagger_css_url=f"{root}/docs-assets/swagger-ui.css",
            swagger_favicon_url=f"{root}/docs-assets/favicon-32x32.png",
        )


def _openapi_records(app: FastAPI) -> None:
    """Add the JSON record shape that the upload body refers to."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = original()
            schema.setdefault("components", {}).setdefault("schemas", {})["RecordIn"] = {
                "type": "object",
                "required": ["id", "text"],
                "properties": {
                    "id": {"type": ["string", "integer"]},
                    "text": {"type": "string"},
                    "title": {"type": "string"},
                    "url": {"type": "string"},
                    "kind": {"type": "string", "enum": ["article", "reader_qa", "faq", "abstract"]},
                },
                "additionalProperties": True,
            }
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


# -- the app -------------------------------------------------------------------


def create_app(settings: Settings) -> FastAPI:
    """The API, the Swedish web pages and the API docs, over the configured knowledge base.

    The engine is opened at start-up (lifespan) and closed at shutdown; when the
    base does not exist yet, requests answer 503 until it does.
    """

    def open_engine() -> Engine:
        return Engine.from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            engine: Engine | None = open_engine()
        except IndexNotFound as exc:
            logger.warning("%s", exc)
            engine = None
        app.state.engine_slot = EngineSlot(engine, open_engine)
        try:
            yield
        finally:
            app.state.engine_slot.close()

    app = FastAPI(
        title="lindra",
        version=__version__,
        summary="Swedish patient information: search, cited answers and treatment evidence.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.templates = make_templates(settings)
    install_error_handlers(app)
    app.include_router(router)
    app.include_router(health)
    app.include_router(pages.router)
    static = resources.files("lindra.interfaces.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    _install_docs(app)
    _openapi_records(app)
    return app


def create_app_from_env() -> FastAPI:
    """App factory for uvicorn workers: settings from ``LINDRA_*`` and ``LINDRA_CONFIG``."""
    return create_app(load_settings())
