"""The API's documentation: Swagger UI served from a local package, and the OpenAPI extras.

FastAPI's default ``/docs`` page loads Swagger UI from a CDN, which is not
reachable everywhere lindra runs; :func:`install_docs` serves the copy shipped
in the ``swagger-ui-bundle-v2`` package instead.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel

from lindra.interfaces.schemas import ErrorOut

__all__ = [
    "UPLOAD_REQUEST_BODY",
    "add_record_schema",
    "docs_policy",
    "error_responses",
    "install_docs",
]

logger = logging.getLogger(__name__)

# The upload endpoint reads its body itself (after the token check), so its
# request body is described here for the OpenAPI schema.
UPLOAD_REQUEST_BODY: dict[str, Any] = {
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


# What each error status means, as the API docs show it (the body is always ErrorOut).
ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "The request body cannot be parsed: not UTF-8 JSON, or broken multipart (BadRequest)",
    401: "Missing or wrong API token (Unauthorized)",
    403: "Write endpoints disabled: no API token is configured (WritesDisabled)",
    404: "No document with that id (DocumentNotFound)",
    413: "The request body (or an uploaded file) is over its limit (InputTooLarge)",
    415: "Unsupported content type or file type (UnsupportedFormat)",
    422: "Invalid request (ValidationError) or an unusable query (QueryError)",
    503: "No knowledge base at the configured location yet (IndexNotFound), "
    "or its database is unreachable (BackendUnavailable)",
}


def error_responses(
    *statuses: int,
    models: dict[int, type[BaseModel]] | None = None,
    descriptions: dict[int, str] | None = None,
) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of a route for the error *statuses* it can return.

    >>> error_responses(404)[404]["description"]
    'No document with that id (DocumentNotFound)'

    :param models: a body model other than :class:`ErrorOut` for some statuses.
    :param descriptions: what some statuses mean for this route, if not the usual.
    """
    models = models or {}
    descriptions = {**ERROR_DESCRIPTIONS, **(descriptions or {})}
    return {
        status: {"model": models.get(status, ErrorOut), "description": descriptions[status]}
        for status in statuses
    }


def install_docs(app: FastAPI) -> None:
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
        page = get_swagger_ui_html(
            openapi_url=f"{root}/openapi.json",
            title="lindra API",
            swagger_js_url=f"{root}/docs-assets/swagger-ui-bundle.js",
            swagger_css_url=f"{root}/docs-assets/swagger-ui.css",
            swagger_favicon_url=f"{root}/docs-assets/favicon-32x32.png",
        )
        page.headers["Content-Security-Policy"] = docs_policy(bytes(page.body).decode())
        return page


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def docs_policy(html: str) -> str:
    """A Content-Security-Policy for the docs page: our own files, plus exactly the
    inline script Swagger UI's page starts itself with (by its hash), nothing else.

    >>> docs_policy("<script>go()</script>").split("; ")[1]
    "script-src 'self' 'sha256-5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw='"
    """
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )


_FASTAPI_422 = "#/components/schemas/HTTPValidationError"


def _drop_default_422(schema: dict[str, Any]) -> None:
    """Remove the 422 FastAPI adds to every route with parameters, in a body shape
    (``{"detail": [...]}``) lindra never sends: routes that can answer 422 declare it
    with :func:`error_responses`, and the others (a path parameter only) cannot."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            content = responses.get("422", {}).get("content", {})
            if content.get("application/json", {}).get("schema", {}).get("$ref") == _FASTAPI_422:
                del responses["422"]
    components = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)


def add_record_schema(app: FastAPI) -> None:
    """Add the JSON record shape that the upload body refers to, and leave out
    FastAPI's default validation-error responses (:func:`_drop_default_422`)."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = original()
            _drop_default_422(schema)
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
