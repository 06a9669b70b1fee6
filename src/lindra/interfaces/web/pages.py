"""The page routes: ``/`` (question and answer card), ``/documents/{id}``, ``/treatments``.

Routes prepare values and pick a template; the wording is in the templates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from lindra.errors import QueryError
from lindra.interfaces.api_common import get_engine, known_conditions
from lindra.interfaces.web import PAGE_HEADERS
from lindra.interfaces.web.view import document_view, valid_span
from lindra.types import Answer

__all__ = ["router", "render_answer_page"]

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

MORE_DOCUMENTS = 5


def _page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    templates = request.app.state.templates
    return templates.TemplateResponse(  # type: ignore[no-any-return]
        request, template, context, status_code=status, headers=PAGE_HEADERS
    )


def render_answer_page(
    request: Request,
    q: str,
    answer: Answer | None,
    hits: Sequence[Any] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    """The start page with (optionally) an answer card; tests render Answers directly."""
    return _page(
        request,
        "index.html",
        {"q": q, "answer": answer, "hits": hits or [], "problem": problem},
        status,
    )


@router.get("/", name="home")
def home(request: Request, q: Annotated[str, Query()] = "") -> Response:
    question = q.strip()
    if not question:
        return render_answer_page(request, q, None)
    if len(q) > request.app.state.settings.max_query_chars:
        return render_answer_page(request, q, None, problem="too_long", status=422)
    engine = get_engine(request)
    try:
        answer = engine.ask(question)
    except QueryError:
        return render_answer_page(request, q, None, problem="unusable", status=422)
    # Only documents relevant enough to answer the question, not every search hit.
    hits = engine.route(question, MORE_DOCUMENTS) if answer.found else []
    return render_answer_page(request, q, answer, hits)


@router.get("/documents/{doc_id:path}", name="document")
def document(
    request: Request,
    doc_id: str,
    start: Annotated[int | None, Query()] = None,
    end: Annotated[int | None, Query()] = None,
) -> Response:
    doc = get_engine(request).document(doc_id)
    view = document_view(doc, valid_span(doc, start, end))
    return _page(request, "document.html", {"view": view, "doc": doc})


@router.get("/treatments", name="treatments")
def treatments(request: Request, condition: Annotated[str, Query(max_length=200)] = "") -> Response:
    """Treatments for one condition across documents; without a condition, the known ones."""
    engine = get_engine(request)
    wanted = condition.strip()
    rows = [row.to_json() for row in engine.treatments(wanted)] if wanted else []
    return _page(
        request,
        "treatments.html",
        {"condition": wanted, "rows": rows, "conditions": known_conditions(engine)},
    )
