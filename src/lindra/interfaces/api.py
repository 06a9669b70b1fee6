"""The HTTP API: ``create_app(settings)`` builds the FastAPI app (API, web pages, docs).

Read endpoints are open; the write endpoints (upload and delete documents) need
``Authorization: Bearer <token>`` with the token from ``LINDRA_API_TOKEN``, and
are disabled (403) when no token is configured.

    >>> # uvicorn.run(create_app(load_settings()))  # what 'lindra serve' does
"""

from __future__ import annotations

import gc
import hmac
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, FastAPI, Path, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from lindra import __version__
from lindra.config import Settings, load_settings
from lindra.engine import Engine
from lindra.errors import DocumentNotFound, IndexNotFound
from lindra.interfaces import render
from lindra.interfaces.api_common import (
    ApiError,
    BodyLimit,
    ComputeLimit,
    EngineSlot,
    SecurityHeaders,
    error_body,
    get_engine,
    install_error_handlers,
    known_conditions,
    without_server_paths,
)
from lindra.interfaces.api_docs import (
    UPLOAD_REQUEST_BODY,
    add_record_schema,
    error_responses,
    install_docs,
)
from lindra.interfaces.schemas import (
    AnswerOut,
    DeletedOut,
    DocumentOut,
    EvidenceOut,
    HealthOut,
    IngestErrorOut,
    IngestReport,
    SearchOut,
    StatsOut,
    TreatmentsOut,
)
from lindra.interfaces.uploads import (
    ingest_while_connected,
    parse_records,
    parse_uploads,
    read_files,
    read_json_body,
)
from lindra.interfaces.web import make_templates, pages

__all__ = ["WARM_UP_QUESTION", "create_app", "create_app_from_env", "warm_up"]

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


@router.get(
    "/search",
    response_model=SearchOut,
    summary="Search passages",
    tags=["answers"],
    responses=error_responses(422, 503),
)
def search(
    engine: EngineDep,
    q: Annotated[str, Query(description="Words or a question in Swedish.")],
    top: Annotated[int | None, Query(ge=1, le=100, description="Hits to return.")] = None,
) -> SearchOut:
    """Documents ranked by their best passage (the shape of ``lindra search --json``)."""
    result = render.search_result(engine, q, top or min(engine.settings.top_k, 100))
    return SearchOut.model_validate(without_server_paths(result.model_dump()))


@router.post(
    "/ask",
    response_model=AnswerOut,
    summary="Answer a question with cited sentences",
    tags=["answers"],
    responses=error_responses(400, 413, 422, 503),
)
def ask(
    engine: EngineDep,
    question: Annotated[str, Body(embed=True, description="A question in Swedish.")],
) -> AnswerOut:
    """The answer card (the shape of ``lindra ask --json``)."""
    answer = AnswerOut.of(engine.ask(question))
    return AnswerOut.model_validate(without_server_paths(answer.model_dump()))


# Routes whose models leave out keys the response does not have (rather than sending
# null) are serialized with response_model_exclude_unset.
@router.get(
    "/treatments",
    response_model=TreatmentsOut,
    response_model_exclude_unset=True,
    summary="Treatments for a condition",
    tags=["treatments"],
    responses=error_responses(422, 503),
)
def treatments(
    engine: EngineDep,
    condition: Annotated[
        str | None, Query(max_length=200, description="A condition, e.g. 'benskörhet'.")
    ] = None,
    research: Annotated[
        bool, Query(description="Include research abstracts (left out of patient tables).")
    ] = False,
) -> TreatmentsOut:
    """With a condition, its treatments across documents (``lindra treatments --json``).

    Without one, ``treatments`` is empty and ``conditions`` lists the conditions
    the stored evidence names, with their number of treatments.
    """
    if condition is None or not condition.strip():
        body = {"condition": None, "treatments": [], "conditions": known_conditions(engine)}
        return TreatmentsOut.model_validate(body)
    condition = condition.strip()
    rows = engine.treatments(condition, research=research)
    return TreatmentsOut.model_validate(
        without_server_paths(
            {"condition": condition, "treatments": [row.to_json() for row in rows]}
        )
    )


@router.get(
    "/documents/{doc_id:path}/evidence",
    response_model=EvidenceOut,
    response_model_exclude_unset=True,
    summary="Treatment evidence of one document",
    tags=["treatments"],
    responses=error_responses(404, 503),
)
def evidence(engine: EngineDep, doc_id: DocId) -> EvidenceOut:
    """Each treatment the document mentions: stance, quote, facts (``lindra evidence --json``)."""
    return EvidenceOut.model_validate({"doc_id": doc_id, "treatments": engine.evidence(doc_id)})


@router.get(
    "/documents/{doc_id:path}",
    response_model=DocumentOut,
    summary="One document",
    tags=["documents"],
    responses=error_responses(404, 503),
)
def document(engine: EngineDep, doc_id: DocId) -> DocumentOut:
    """The cleaned document with sections and provenance (the shape of ``lindra show --json``)."""
    document = DocumentOut.of(engine.document(doc_id))
    return DocumentOut.model_validate(without_server_paths(document.model_dump()))


@router.get(
    "/stats",
    response_model=StatsOut,
    summary="Counts and index size",
    tags=["service"],
    responses=error_responses(503),
)
def stats(engine: EngineDep) -> StatsOut:
    """The numbers of ``lindra stats --json``."""
    return StatsOut.model_validate(without_server_paths(render.stats(engine)))


# -- write ---------------------------------------------------------------------


@router.post(
    "/documents",
    response_model=IngestReport,
    summary="Upload documents (needs the API token)",
    tags=["documents"],
    dependencies=[Depends(require_token)],
    openapi_extra=UPLOAD_REQUEST_BODY,
    responses=error_responses(
        400,
        401,
        403,
        413,
        415,
        422,
        503,
        models={422: IngestErrorOut},
        descriptions={
            422: "No file in the upload, a body that is not records (BadRecord), or nothing "
            "could be ingested (IngestError, with the report in 'documents')"
        },
    ),
)
async def upload(request: Request, engine: EngineDep) -> Any:
    """Ingest uploaded files (multipart field ``files``) or JSON records, like ``lindra ingest``.

    Answers with the ``lindra ingest --json`` report; 422 (with the report) when
    every input was skipped.
    """
    max_bytes: int = request.app.state.settings.max_file_bytes
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        uploads = await read_files(request, max_bytes)
        items = await run_in_threadpool(parse_uploads, uploads, max_bytes=max_bytes)
    elif content_type.startswith("application/json"):
        body = await read_json_body(request, max_bytes)
        items = await run_in_threadpool(parse_records, body, max_bytes=max_bytes)
    else:
        raise ApiError(
            415,
            "UnsupportedFormat",
            f"Unsupported content type '{content_type or '(none)'}'. Upload files as "
            "multipart/form-data (field 'files') or send JSON records as application/json.",
        )
    outcomes = await ingest_while_connected(request, engine, items)
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
    response_model=DeletedOut,
    summary="Delete a document (needs the API token)",
    tags=["documents"],
    dependencies=[Depends(require_token)],
    responses=error_responses(401, 403, 404, 503),
)
def delete(engine: EngineDep, doc_id: DocId) -> DeletedOut:
    """Remove a document and everything derived from it."""
    if not engine.store.delete_document(doc_id):
        raise DocumentNotFound(
            f"No document with id '{doc_id}'. Run 'lindra search' to find document ids."
        )
    return DeletedOut(id=doc_id, deleted=True)


# -- health and docs -----------------------------------------------------------

health = APIRouter()


@health.get(
    "/healthz",
    response_model=HealthOut,
    response_model_exclude_unset=True,
    summary="Liveness and readiness",
    tags=["service"],
    responses=error_responses(503),
)
def healthz(request: Request) -> HealthOut:
    """``ready`` is false while there is no knowledge base at the configured location;
    503 when its database is unreachable."""
    try:
        engine = get_engine(request)
    except IndexNotFound:
        return HealthOut(status="ok", ready=False, version=__version__)
    return HealthOut(
        status="ok", ready=True, version=__version__, generation=engine.store.generation()
    )


# -- the app -------------------------------------------------------------------

# A verdict question: answering it loads every part a question can need.
WARM_UP_QUESTION = "Hjälper värme mot ont i ryggen?"


def warm_up(app: FastAPI, engine: Engine) -> None:
    """Do before the first request what it would otherwise do while others wait behind
    it (seconds under load): map the index, load the emergency detector and the
    compound lexicon, compile the page templates. Then move everything loaded so far
    out of the garbage collector's sight (:func:`gc.freeze`): otherwise every full
    collection, one per few requests under load, walks the lexicons again.
    """
    try:
        engine.analyzer.load()
        render.search_result(engine, WARM_UP_QUESTION, 10)
        engine.ask(WARM_UP_QUESTION)
        engine.route(WARM_UP_QUESTION, pages.MORE_DOCUMENTS)
    except Exception:  # only slower first requests are at stake: serve all the same
        logger.exception("Warming up with the question '%s' failed", WARM_UP_QUESTION)
    templates = app.state.templates.env
    for name in templates.list_templates():
        templates.get_template(name)
    gc.collect()
    gc.freeze()


def create_app(settings: Settings, *, warm: bool = False) -> FastAPI:
    """The API, the Swedish web pages and the API docs, over the configured knowledge base.

    The engine is opened at start-up (lifespan) and closed at shutdown; when the
    base does not exist yet, requests answer 503 until it does. With *warm* (what
    ``lindra serve`` does), start-up also runs :func:`warm_up` over an existing base.
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
        if warm and engine is not None:
            warm_up(app, engine)
        app.state.engine_slot = EngineSlot(engine, open_engine)
        try:
            yield
        finally:
            app.state.engine_slot.close()
            if warm:
                gc.unfreeze()  # the closed engine may be collected again

    app = FastAPI(
        title="lindra",
        version=__version__,
        summary="Swedish patient information: search, cited answers and treatment evidence.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    # The last added runs first: sizes are checked before a request queues for a slot.
    app.add_middleware(ComputeLimit)
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)
    app.state.settings = settings
    app.state.templates = make_templates(settings)
    install_error_handlers(app)
    app.include_router(router)
    app.include_router(health)
    app.include_router(pages.router)
    static = resources.files("lindra.interfaces.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    install_docs(app)
    add_record_schema(app)
    return app


def create_app_from_env() -> FastAPI:
    """App factory for uvicorn workers: settings from ``LINDRA_*`` and ``LINDRA_CONFIG``,
    warmed up at start-up."""
    return create_app(load_settings(), warm=True)
