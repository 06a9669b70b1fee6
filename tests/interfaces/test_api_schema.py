"""The API against its own OpenAPI schema: every response typed, every status documented.

Schemathesis generates valid and invalid requests for each operation from
``/openapi.json`` and checks each response (no 500, a documented status, a body
that matches the documented schema). A table of hostile requests it does not
make (lone surrogates, NUL, huge strings, unknown ids, bad tokens) adds to that.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from pydantic import BaseModel
from schemathesis.python.asgi import shutdown_lifespans
from typer.testing import CliRunner

from lindra import Engine
from lindra.interfaces import schemas
from lindra.interfaces.api import create_app
from lindra.interfaces.api_common import without_server_paths
from lindra.interfaces.cli import app as cli
from lindra.interfaces.schemas import ErrorOut, FactsOut
from lindra.knowledge.facts import FACT_KINDS
from tests.conftest import settings_for_tests

DATA = Path(__file__).parent.parent / "data"
SAMPLES = ["osteoporos-smartbehandling.txt", "botox-backenbotten.txt"]
TOKEN = "hemligt-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

# Each operation and the statuses it documents: a new route or status shows up here.
DOCUMENTED = {
    ("GET", "/api/search"): {"200", "422", "503"},
    ("POST", "/api/ask"): {"200", "400", "413", "422", "503"},
    ("GET", "/api/treatments"): {"200", "422", "503"},
    ("GET", "/api/documents/{doc_id}/evidence"): {"200", "404", "503"},
    ("GET", "/api/documents/{doc_id}"): {"200", "404", "503"},
    ("GET", "/api/stats"): {"200", "503"},
    ("POST", "/api/documents"): {"200", "400", "401", "403", "413", "415", "422", "503"},
    ("DELETE", "/api/documents/{doc_id}"): {"200", "401", "403", "404", "503"},
    ("GET", "/healthz"): {"200", "503"},
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two sample pages, ingested once; each app below works on a copy."""
    db = tmp_path_factory.mktemp("schema") / "kb.sqlite"
    with Engine.from_settings(settings_for_tests(db), create=True) as engine:
        outcomes = list(engine.ingest_paths([DATA / name for name in SAMPLES]))
    assert [o.status for o in outcomes] == ["added", "added"]
    return db


def app_over(base: Path, folder: Path, **overrides: object) -> FastAPI:
    db = folder / "kb.sqlite"
    shutil.copyfile(base, db)
    overrides = {"api_token": TOKEN, "max_file_bytes": 5000, "max_query_chars": 200, **overrides}
    return create_app(settings_for_tests(db, **overrides))


# The schema is the same for every app; schemathesis needs it when tests are collected.
# (Its lazy ``from_fixture`` loader does not work with pytest 9.)
schema = schemathesis.openapi.from_dict(create_app(settings_for_tests(Path("unused"))).openapi())
schema.config.generation.update(deterministic=True, max_examples=20)
# All checks but two. A schema-valid question can still be refused (422, documented) when
# nothing is left of it once control characters are removed (the engine's QueryError),
# or a record when its text is empty; JSON Schema cannot say that.
# Nor can it say that DELETE serves /api/documents/{doc_id}/evidence too (the document
# "{doc_id}/evidence": ids may hold slashes), which the Allow header of a 405 there lists.
schema.config.checks.update(
    excluded_check_names=["positive_data_acceptance", "allow_header_conformance"]
)


@pytest.fixture(scope="module")
def conformance_app(base: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    app = app_over(base, tmp_path_factory.mktemp("schemathesis"))
    yield app
    shutdown_lifespans()  # closes the app's engine, which schemathesis opened


@schema.parametrize()
@settings(
    max_examples=20,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: Any, conformance_app: FastAPI) -> None:
    """Generated valid and invalid requests: no 500, documented statuses and bodies."""
    # The app to send to, also for the checks' own requests (ignored_auth sends one
    # without the token).
    case.operation.app = case.operation.schema.app = conformance_app
    case.call_and_validate(headers=AUTH)


# -- the schema itself ---------------------------------------------------------


@pytest.fixture(scope="module")
def openapi(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return create_app(settings_for_tests(tmp_path_factory.mktemp("openapi") / "kb")).openapi()


def resolve(openapi: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        return openapi["components"]["schemas"][ref.rsplit("/", 1)[-1]]  # type: ignore[no-any-return]
    return schema


def operations(openapi: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def test_every_operation_documents_its_statuses(openapi: dict[str, Any]) -> None:
    found = {(method, path): set(op["responses"]) for method, path, op in operations(openapi)}
    assert found == DOCUMENTED


def test_every_response_has_a_typed_body(openapi: dict[str, Any]) -> None:
    error_fields = set(ErrorOut.model_fields)
    for method, path, operation in operations(openapi):
        for status, response in operation["responses"].items():
            where = f"{method} {path} {status}"
            assert response.get("description"), where
            body = response["content"]["application/json"]["schema"]
            resolved = resolve(openapi, body)
            assert resolved.get("type") == "object" and resolved.get("properties"), where
            if status == "200":
                assert "$ref" in body, f"{where}: a named model, not an inline schema"
            else:
                assert error_fields <= set(resolved["required"]), where


def untyped_fields(schema: dict[str, Any], where: str) -> Iterator[str]:
    """Places in a JSON schema that say nothing of their value: ``{}`` (any JSON) or an
    object with any keys and values."""
    if not schema or (
        schema.get("type") == "object" and schema.get("additionalProperties") is True
    ):
        yield where
    for name, field in schema.get("properties", {}).items():
        yield from untyped_fields(field, f"{where}.{name}")
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from untyped_fields(schema[key], f"{where}[{key}]")
    for option in schema.get("anyOf", []):
        yield from untyped_fields(option, where)


def test_every_field_of_every_response_is_typed(openapi: dict[str, Any]) -> None:
    """Every value is described, except what is free-form by design: a document's
    ``metadata`` (from its source) and the upload record (extra keys become metadata)."""
    found = [
        place
        for name, component in openapi["components"]["schemas"].items()
        for place in untyped_fields(component, name)
    ]
    assert found == ["DocumentOut.metadata", "RecordIn"]


def test_no_default_validation_error_shape(openapi: dict[str, Any]) -> None:
    """FastAPI's ``{"detail": [...]}`` 422 is not what lindra sends, so it is not in the schema."""
    assert "HTTPValidationError" not in openapi["components"]["schemas"]


def test_facts_model_names_every_fact_kind() -> None:
    assert list(FactsOut.__annotations__) == list(FACT_KINDS)


# -- hostile requests ----------------------------------------------------------


def operation_of(openapi: dict[str, Any], method: str, url: str) -> tuple[str, dict[str, Any]]:
    """The documented operation that serves *url* (paths in the order the app routes them;
    a document id may hold slashes)."""
    path = unquote(urlsplit(url).path)
    for template, methods in openapi["paths"].items():
        pattern = ".*".join(re.escape(part) for part in re.split(r"\{[^}]+\}", template))
        if method.lower() in methods and re.fullmatch(pattern, path):
            return template, methods[method.lower()]
    raise AssertionError(f"no operation for {method} {url}")


def model_of(openapi: dict[str, Any], response: dict[str, Any]) -> type[BaseModel]:
    """The pydantic model of a documented response, by its name in the schema."""
    ref = response["content"]["application/json"]["schema"]["$ref"]
    model = getattr(schemas, ref.rsplit("/", 1)[-1])
    assert issubclass(model, BaseModel)
    return model


def raw(body: bytes, content_type: str = "application/json", token: bool = False) -> dict[str, Any]:
    """Request arguments for *body* sent as it is."""
    return {"content": body, "headers": {"Content-Type": content_type, **(AUTH if token else {})}}


def upload(name: str | None, data: bytes) -> dict[str, Any]:
    """Request arguments for a multipart upload of one part, with the token."""
    return {"files": {"files": (name, data)}, "headers": AUTH}


def bearer(token: str) -> dict[str, Any]:
    return {"headers": {"Authorization": token}}


SMALL_PAGE = {"id": "värme", "text": "Värme mot ryggont\n\nVärme lindrar smärta i ryggen."}

# (method, url, request keyword arguments, the status expected), run in this order.
HOSTILE: list[tuple[str, str, dict[str, Any], int]] = [
    # lone surrogates: as a JSON escape, and as the percent-encoded bytes of one
    ("POST", "/api/ask", raw(b'{"question": "\\ud800"}'), 200),
    ("POST", "/api/ask", raw(b'{"question": "ont \\udfff i ryggen"}'), 200),
    ("GET", "/api/search?q=%ED%A0%80", {}, 200),
    ("GET", "/api/treatments?condition=%ED%A0%80", {}, 200),
    ("GET", "/api/documents/%ED%A0%80", {}, 404),
    ("GET", "/api/documents/%ED%A0%80/evidence", {}, 404),
    ("DELETE", "/api/documents/%ED%A0%80", {"headers": AUTH}, 404),
    # a record's lone surrogate is cleaned as in a JSONL file, and the record is added
    ("POST", "/api/documents", raw(b'{"id": "a", "text": "\\ud800 v\\u00e4rme"}', token=True), 200),
    # NUL, bytes that are not UTF-8
    ("POST", "/api/ask", raw(b'{"question": "\\u0000"}'), 422),
    ("GET", "/api/search?q=%00", {}, 422),
    ("GET", "/api/search?q=%FF%FE", {}, 200),
    ("GET", "/api/documents/%00", {}, 404),
    ("POST", "/api/ask", raw(b"\xff\xfe"), 422),
    ("POST", "/api/ask", raw(b"\xff\xfe{"), 400),  # looks like UTF-16 JSON, is not
    # wrong types, missing or unknown parameters
    ("POST", "/api/ask", {"json": {"question": ["a"]}}, 422),
    ("POST", "/api/ask", {"json": []}, 422),
    ("POST", "/api/ask", raw(b"question=ont", "text/plain"), 422),
    ("GET", "/api/search", {}, 422),
    ("GET", "/api/search?q=ont&top=-1", {}, 422),
    ("GET", "/api/search?q=ont&top=1e3", {}, 422),
    ("GET", "/api/search?q=ont&top=99999999999999999999999", {}, 422),
    ("GET", "/api/treatments?condition=benskörhet&research=kanske", {}, 422),
    ("GET", "/api/treatments?condition=%20", {}, 200),
    ("GET", "/api/stats?x=1", {}, 200),
    # huge strings
    ("GET", "/api/search?q=" + "smärta%20" * 2000, {}, 422),
    ("GET", "/api/treatments?condition=" + "x" * 201, {}, 422),
    ("POST", "/api/ask", {"json": {"question": "smärta " * 20_000}}, 413),
    ("POST", "/api/ask", {"json": {"question": "smärta " * 100}}, 422),
    ("GET", "/api/documents/" + "x" * 20_000, {}, 404),
    # unknown and odd ids
    ("GET", "/api/documents/finns-inte", {}, 404),
    ("GET", "/api/documents/", {}, 404),
    ("GET", "/api/documents//evidence", {}, 404),
    ("GET", "/api/documents/..%2F..%2Fetc%2Fpasswd", {}, 404),
    ("GET", "/api/documents/finns-inte/evidence", {}, 404),
    ("DELETE", "/api/documents/finns-inte", {"headers": AUTH}, 404),
    # the known ids and conditions
    ("GET", "/api/documents/botox-backenbotten", {}, 200),
    ("GET", "/api/documents/osteoporos-smartbehandling/evidence", {}, 200),
    ("GET", "/api/treatments?condition=benskörhet", {}, 200),
    ("GET", "/api/treatments?condition=benskörhet&research=true", {}, 200),
    ("GET", "/api/treatments", {}, 200),
    ("POST", "/api/ask", {"json": {"question": "Hur länge håller botox i bäckenbotten?"}}, 200),
    ("POST", "/api/ask", {"json": {"question": "Vad kan man göra mot benskörhet?"}}, 200),
    ("GET", "/healthz", {}, 200),
    # tokens
    ("DELETE", "/api/documents/botox-backenbotten", {}, 401),
    ("DELETE", "/api/documents/botox-backenbotten", bearer("Bearer fel"), 401),
    ("DELETE", "/api/documents/botox-backenbotten", bearer(f"Basic {TOKEN}"), 401),
    ("POST", "/api/documents", {"json": SMALL_PAGE}, 401),
    # uploads
    ("POST", "/api/documents", raw(b"x", "text/plain", token=True), 415),
    ("POST", "/api/documents", raw(b"{", token=True), 422),
    ("POST", "/api/documents", raw(b"[]", token=True), 422),
    ("POST", "/api/documents", {"json": {"id": "a", "text": "x" * 6000}, "headers": AUTH}, 413),
    ("POST", "/api/documents", raw(b"--x\r\n", "multipart/form-data", token=True), 400),
    ("POST", "/api/documents", upload("a.exe", b"MZ"), 415),
    ("POST", "/api/documents", upload("a.txt", b"\xff\xfe\x00"), 422),
    ("POST", "/api/documents", upload(None, b"a form field, not a file"), 422),
    ("POST", "/api/documents", {"json": SMALL_PAGE, "headers": AUTH}, 200),
    ("DELETE", "/api/documents/botox-backenbotten", {"headers": AUTH}, 200),
]


@pytest.fixture(scope="module")
def hostile_client(base: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = app_over(base, tmp_path_factory.mktemp("hostile"))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize(
    "method, url, kwargs, status", HOSTILE, ids=[f"{m} {u[:50]}" for m, u, _, _ in HOSTILE]
)
def test_hostile_requests_get_documented_answers(
    hostile_client: TestClient,
    openapi: dict[str, Any],
    method: str,
    url: str,
    kwargs: dict[str, Any],
    status: int,
) -> None:
    """The expected status, one its operation documents (never a 500), and a body that
    its documented model describes in full."""
    response = hostile_client.request(method, url, **kwargs)
    assert response.status_code == status, response.text
    _, operation = operation_of(openapi, method, url)
    documented = operation["responses"]
    assert str(status) in documented
    body = response.json()
    typed = model_of(openapi, documented[str(status)]).model_validate(body)
    # Every key of the body is described by the model: nothing is dropped on the way back.
    assert typed.model_dump(mode="json", exclude_unset=True) == body


@pytest.mark.parametrize("path", ["/api/stats", "/api/search?q=ont", "/api/documents/x"])
def test_no_base_yet_is_a_documented_503(tmp_path: Path, path: str) -> None:
    app = create_app(settings_for_tests(tmp_path / "saknas.sqlite"))
    with TestClient(app) as client:
        response = client.get(path)
        assert response.status_code == 503
        assert ErrorOut.model_validate(response.json()).error == "IndexNotFound"
        health = client.get("/healthz").json()
    assert health == {"status": "ok", "ready": False, "version": health["version"]}


def test_writes_disabled_is_a_documented_403(base: Path, tmp_path: Path) -> None:
    app = app_over(base, tmp_path, api_token=None)
    with TestClient(app) as client:
        for response in (
            client.delete("/api/documents/botox-backenbotten", headers=AUTH),
            client.post("/api/documents", json={"id": "a", "text": "b"}, headers=AUTH),
        ):
            assert response.status_code == 403
            assert ErrorOut.model_validate(response.json()).error == "WritesDisabled"


# -- the typed bodies are the CLI's JSON ---------------------------------------


@pytest.fixture(scope="module")
def reader(base: Path) -> Iterator[TestClient]:
    """A client over the sample base itself (read requests only)."""
    with TestClient(create_app(settings_for_tests(base))) as client:
        yield client


@pytest.mark.parametrize(
    "command, url",
    [
        (
            "evidence osteoporos-smartbehandling",
            "/api/documents/osteoporos-smartbehandling/evidence",
        ),
        ("evidence botox-backenbotten", "/api/documents/botox-backenbotten/evidence"),
        ("treatments benskörhet", "/api/treatments?condition=benskörhet"),
        ("treatments benskörhet --research", "/api/treatments?condition=benskörhet&research=true"),
        ("treatments", "/api/treatments"),
        ("stats", "/api/stats"),
    ],
)
def test_typed_bodies_equal_the_cli_json(
    reader: TestClient, base: Path, command: str, url: str
) -> None:
    """The response models leave out nothing and add nothing: each body is, key for key
    and in the same order, what ``lindra <command> --json`` prints (less server paths)."""
    result = CliRunner().invoke(cli, [*command.split(), "--db", str(base), "--json"])
    assert result.exit_code == 0, result.output
    expected = without_server_paths(json.loads(result.stdout))
    if command == "treatments":  # the API also sends the empty rows
        expected = {"condition": None, "treatments": [], "conditions": expected["conditions"]}
    response = reader.get(url)
    assert response.status_code == 200
    assert json.dumps(response.json()) == json.dumps(expected)


@pytest.mark.parametrize(
    "method, url, allow",
    [
        ("OPTIONS", "/api/documents/botox-backenbotten", "GET, DELETE"),
        ("PUT", "/api/ask", "POST"),
        ("GET", "/api/ask", "POST"),
        ("POST", "/healthz", "GET"),
        ("PATCH", "/api/documents", "POST"),
    ],
)
def test_wrong_method_is_405_allowing_every_method_of_the_path(
    reader: TestClient, method: str, url: str, allow: str
) -> None:
    response = reader.request(method, url)
    assert response.status_code == 405
    assert response.headers["Allow"] == allow
    assert ErrorOut.model_validate(response.json()).error == "MethodNotAllowed"
