"""The HTTP API over a temporary SQLite base: endpoints, auth, limits, the error shape."""

from __future__ import annotations

import gc
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lindra import Engine, Settings
from lindra.answer.emergency import EmergencyDetector
from lindra.interfaces.api import create_app
from lindra.interfaces.api_common import without_server_paths
from lindra.interfaces.schemas import AnswerOut, DocumentOut, SearchOut

DATA = Path(__file__).parent.parent / "data"
SAMPLES = ["osteoporos-smartbehandling.txt", "botox-backenbotten.txt"]
TOKEN = "hemligt-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
QUESTION = "Hur länge håller botox i bäckenbotten?"

SWEDISH_PAGE = (
    "Värme mot ryggont\n\n"
    "Många som har ont i ryggen upplever att värme lindrar smärtan. En värmekudde eller en "
    "varm dusch kan göra att musklerna slappnar av.\n\n"
    "Det är viktigt att fortsätta röra på sig så mycket som möjligt, även om det gör ont.\n"
)
HOSTILE_PAGE = (
    "Farlig sida om ryggsmärta\n\n"
    "Den här texten om ryggsmärta och värmebehandling innehåller <script>alert(1)</script> "
    "och <img src=x onerror=alert(2)> mitt i en vanlig svensk mening om smärta i ryggen.\n\n"
    "Värmebehandling kan lindra smärta i ryggen hos många patienter som har ont.\n"
)


def build_base(path: Path) -> str:
    with Engine.from_settings(Settings(db=str(path)), create=True) as engine:
        outcomes = list(engine.ingest_paths([DATA / name for name in SAMPLES]))
    assert [o.status for o in outcomes] == ["added", "added"]
    return str(path)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A read-only base with the two sample pages, shared by the module's read tests."""
    return build_base(tmp_path_factory.mktemp("api") / "kb.sqlite")


@pytest.fixture(scope="module")
def cli_engine(base: str) -> Iterator[Engine]:
    """An engine of its own over the same base, as the CLI would open it."""
    with Engine.from_settings(Settings(db=base)) as engine:
        yield engine


@pytest.fixture(scope="module")
def client(base: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=base, max_query_chars=200))) as test_client:
        yield test_client


@pytest.fixture
def writable(base: str, tmp_path: Path) -> Iterator[TestClient]:
    """A client over a fresh copy of the sample base, with write endpoints enabled."""
    db = tmp_path / "kb.sqlite"
    shutil.copyfile(base, db)  # the engine that built it is closed: no WAL file is left
    settings = Settings(db=str(db), api_token=TOKEN, max_file_bytes=5000)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def assert_error(response: object, status: int, error: str, *fragments: str) -> dict[str, object]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["error"] == error
    assert isinstance(body["message"], str) and body["message"]
    for fragment in fragments:
        assert fragment in body["message"]
    return body  # type: ignore[no-any-return]


# -- read endpoints ------------------------------------------------------------


def test_healthz(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["ready"] is True
    assert body["generation"] >= 2


def test_search_has_the_cli_shape(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "värmekudde kotkompression", "top": 1})
    assert response.status_code == 200
    result = SearchOut.model_validate(response.json())
    assert set(response.json()) == set(SearchOut.model_fields)
    assert [h.doc_id for h in result.hits] == ["osteoporos-smartbehandling"]
    hit = result.hits[0]
    assert hit.text and hit.start is not None and hit.end is not None


@pytest.mark.parametrize(
    "params, error, fragment",
    [
        ({"q": "botox", "top": 0}, "ValidationError", "top"),
        ({"q": "botox", "top": 101}, "ValidationError", "less than or equal to 100"),
        ({}, "ValidationError", "q"),
        ({"q": "   "}, "QueryError", "The query is empty"),
        ({"q": "smärta " * 40}, "QueryError", "the limit is 200"),
    ],
)
def test_search_limits(
    client: TestClient, params: dict[str, object], error: str, fragment: str
) -> None:
    assert_error(client.get("/api/search", params=params), 422, error, fragment)


def test_ask_returns_the_cli_contract(client: TestClient, cli_engine: Engine) -> None:
    response = client.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 200
    body = response.json()
    expected = AnswerOut.of(cli_engine.ask(QUESTION)).model_dump()
    assert body == without_server_paths(json.loads(json.dumps(expected)))
    assert list(body) == list(AnswerOut.model_fields)
    assert body["found"] is True
    doc_text = client.get("/api/documents/botox-backenbotten").json()["text"]
    for citation in body["answers"]:
        quoted = " ".join(doc_text[citation["start"] : citation["end"]].split())
        assert quoted == citation["text"]


@pytest.mark.parametrize(
    "payload, error",
    [
        ({}, "ValidationError"),
        ({"question": ""}, "QueryError"),
        ({"question": 5}, "ValidationError"),
    ],
)
def test_ask_rejects_bad_input(client: TestClient, payload: dict[str, object], error: str) -> None:
    assert_error(client.post("/api/ask", json=payload), 422, error)


def test_ask_refuses_a_huge_body(client: TestClient) -> None:
    huge = {"question": "smärta " * 20_000}
    assert_error(client.post("/api/ask", json=huge), 413, "InputTooLarge", "over the limit")

    def chunks() -> Iterator[bytes]:  # no Content-Length: the body is counted as it comes
        yield b'{"question": "'
        for _ in range(100):
            yield "smärta ".encode() * 200
        yield b'"}'

    response = client.post(
        "/api/ask", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert_error(response, 413, "InputTooLarge")


def test_ask_rejects_a_body_that_is_not_json(client: TestClient) -> None:
    response = client.post(
        "/api/ask", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert_error(response, 422, "ValidationError")


def test_ask_equals_the_output_of_ask_json(client: TestClient, base: str) -> None:
    from typer.testing import CliRunner

    from lindra.interfaces.cli import app

    result = CliRunner().invoke(app, ["ask", QUESTION, "--db", base, "--json"])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.stdout)
    # The same card, but the public API never shows a server path (the CLI may).
    assert client.post("/api/ask", json={"question": QUESTION}).json() == without_server_paths(cli)
    public = client.post("/api/ask", json={"question": QUESTION}).json()
    assert public["answers"] and not any(a["source"].startswith("/") for a in public["answers"])


def test_document_has_the_show_shape(client: TestClient, cli_engine: Engine) -> None:
    response = client.get("/api/documents/botox-backenbotten")
    assert response.status_code == 200
    expected = DocumentOut.of(cli_engine.document("botox-backenbotten")).model_dump()
    assert response.json() == without_server_paths(json.loads(json.dumps(expected)))
    assert response.json()["source"] == "botox-backenbotten.txt"
    assert len(response.json()["reader_questions"]) == 2


def test_unknown_document_is_404(client: TestClient) -> None:
    assert_error(client.get("/api/documents/finns-inte"), 404, "DocumentNotFound", "finns-inte")


def test_unknown_endpoint_uses_the_error_shape(client: TestClient) -> None:
    assert_error(client.get("/api/finns-inte"), 404, "NotFound", "/api/finns-inte")
    assert_error(client.put("/api/ask", json={}), 405, "MethodNotAllowed")


def test_stats(client: TestClient) -> None:
    body = client.get("/api/stats").json()
    assert body["documents"] == 2
    assert body["passages"] > 2 and body["index_terms"] > 0


def test_treatments_have_the_cli_shape(client: TestClient, cli_engine: Engine) -> None:
    response = client.get("/api/treatments", params={"condition": " benskörhet "})
    assert response.status_code == 200
    rows = [row.to_json() for row in cli_engine.treatments("benskörhet")]
    stored = cli_engine.store.treatments()
    assert response.json() == without_server_paths(
        json.loads(json.dumps({"condition": "benskörhet", "treatments": rows}, ensure_ascii=False))
    )
    listing = client.get("/api/treatments").json()
    assert listing["condition"] is None and listing["treatments"] == []
    names = {e["condition"] for e in stored if e.get("condition")}
    assert {c["name"] for c in listing["conditions"]} == names
    assert all(c["treatments"] >= 1 for c in listing["conditions"])


def test_document_evidence_has_the_cli_shape(client: TestClient, cli_engine: Engine) -> None:
    body = client.get("/api/documents/botox-backenbotten/evidence").json()
    expected = cli_engine.evidence("botox-backenbotten")
    assert body == json.loads(json.dumps({"doc_id": "botox-backenbotten", "treatments": expected}))
    assert_error(client.get("/api/documents/finns-inte/evidence"), 404, "DocumentNotFound")


def test_openapi_and_offline_docs(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/api/search", "/api/ask", "/api/treatments", "/api/documents", "/api/stats"):
        assert path in schema["paths"]
    assert "RecordIn" in schema["components"]["schemas"]
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "cdn." not in docs.text and "/docs-assets/swagger-ui-bundle.js" in docs.text
    asset = client.get("/docs-assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.content) > 100_000


def test_missing_base_is_503_until_it_exists(tmp_path: Path) -> None:
    db = tmp_path / "later.sqlite"
    with TestClient(create_app(Settings(db=str(db)))) as client:
        assert client.get("/healthz").json()["ready"] is False
        assert_error(client.get("/api/stats"), 503, "IndexNotFound", "lindra ingest")
        build_base(db)
        assert client.get("/api/stats").json()["documents"] == 2


# -- auth ----------------------------------------------------------------------


def test_writes_are_disabled_without_a_configured_token(client: TestClient) -> None:
    files = {"files": ("rygg.txt", SWEDISH_PAGE.encode(), "text/plain")}
    upload = client.post("/api/documents", files=files, headers=AUTH)
    assert_error(upload, 403, "WritesDisabled", "LINDRA_API_TOKEN")
    delete = client.delete("/api/documents/botox-backenbotten", headers=AUTH)
    assert_error(delete, 403, "WritesDisabled")
    assert client.get("/api/documents/botox-backenbotten").status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer fel"},
        {"Authorization": TOKEN},
        {"Authorization": f"Basic {TOKEN}"},
    ],
)
def test_missing_or_wrong_token_is_401(writable: TestClient, headers: dict[str, str]) -> None:
    files = {"files": ("rygg.txt", SWEDISH_PAGE.encode(), "text/plain")}
    response = writable.post("/api/documents", files=files, headers=headers)
    assert_error(response, 401, "Unauthorized", "Bearer")
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert_error(
        writable.delete("/api/documents/botox-backenbotten", headers=headers), 401, "Unauthorized"
    )
    assert writable.get("/api/stats").json()["documents"] == 2


def test_upload_search_and_delete(writable: TestClient) -> None:
    files = [
        ("files", ("Värme mot ryggont.txt", SWEDISH_PAGE.encode(), "text/plain")),
        (
            "files",
            ("is.md", "# Is\n\nIspackningar kan lindra smärta i knät.\n".encode(), "text/markdown"),
        ),
    ]
    response = writable.post("/api/documents", files=files, headers=AUTH)
    assert response.status_code == 200, response.text
    documents = response.json()["documents"]
    assert [(d["id"], d["status"], d["source"]) for d in documents][0] == (
        "varme-mot-ryggont",
        "added",
        "upload:Värme mot ryggont.txt",
    )
    assert writable.get("/api/stats").json()["documents"] >= 3
    hits = writable.get("/api/search", params={"q": "varm dusch musklerna"}).json()["hits"]
    assert hits[0]["doc_id"] == "varme-mot-ryggont"
    again = writable.post("/api/documents", files=files[:1], headers=AUTH).json()
    assert again["documents"][0] == {**documents[0], "status": "unchanged"}

    deleted = writable.delete("/api/documents/varme-mot-ryggont", headers=AUTH)
    assert deleted.json() == {"id": "varme-mot-ryggont", "deleted": True}
    assert_error(writable.get("/api/documents/varme-mot-ryggont"), 404, "DocumentNotFound")
    hits = writable.get("/api/search", params={"q": "varm dusch musklerna"}).json()["hits"]
    assert "varme-mot-ryggont" not in [h["doc_id"] for h in hits]
    assert_error(
        writable.delete("/api/documents/varme-mot-ryggont", headers=AUTH), 404, "DocumentNotFound"
    )


def test_json_records_are_ingested_like_jsonl_lines(writable: TestClient) -> None:
    records = [
        {"id": "faq-1", "text": SWEDISH_PAGE, "title": "Värme", "url": "https://example.se/varme"},
        {"id": "faq-2"},
    ]
    response = writable.post("/api/documents", json=records, headers=AUTH)
    assert response.status_code == 200
    documents = response.json()["documents"]
    assert documents[0] == {
        "id": "faq-1",
        "source": "https://example.se/varme",
        "status": "added",
        "error": None,
    }
    assert documents[1]["status"] == "skipped"
    assert documents[1]["error"] == "request-body line 2: missing 'text' (a non-empty string)"
    single = writable.post("/api/documents", json=records[0], headers=AUTH)
    assert single.json()["documents"][0]["status"] == "unchanged"


# -- limits --------------------------------------------------------------------


def test_too_large_upload_is_413(writable: TestClient) -> None:
    big = ("Värme lindrar smärta i ryggen. " * 400).encode()
    files = {"files": ("stor.txt", big, "text/plain")}
    assert_error(
        writable.post("/api/documents", files=files, headers=AUTH),
        413,
        "InputTooLarge",
        "over the limit of 5,000",
    )
    body = json.dumps({"id": "x", "text": big.decode()}).encode()
    response = writable.post(
        "/api/documents", content=body, headers={**AUTH, "Content-Type": "application/json"}
    )
    assert_error(response, 413, "InputTooLarge")
    assert writable.get("/api/stats").json()["documents"] == 2


def test_unsupported_types_are_415(writable: TestClient) -> None:
    files = {"files": ("rapport.pdf", b"%PDF-1.4", "application/pdf")}
    assert_error(
        writable.post("/api/documents", files=files, headers=AUTH),
        415,
        "UnsupportedFormat",
        "unsupported file type '.pdf'; use .txt, .md, .html or .jsonl",
    )
    plain = writable.post(
        "/api/documents",
        content=SWEDISH_PAGE.encode(),
        headers={**AUTH, "Content-Type": "text/plain"},
    )
    assert_error(plain, 415, "UnsupportedFormat", "multipart/form-data")


def test_nothing_ingested_is_422_with_the_report(writable: TestClient) -> None:
    english = (
        "Back pain\n\nMost people with back pain get better within a few weeks. Keep moving.\n"
    )
    files = {"files": ("english.txt", english.encode(), "text/plain")}
    body = assert_error(
        writable.post("/api/documents", files=files, headers=AUTH),
        422,
        "IngestError",
        "not Swedish",
    )
    assert body["documents"][0]["status"] == "skipped"
    assert_error(
        writable.post(
            "/api/documents", content=b"[1, 2", headers={**AUTH, "Content-Type": "application/json"}
        ),
        422,
        "BadRecord",
        "not valid JSON",
    )
    assert_error(
        writable.post("/api/documents", files={"other": (None, "x")}, headers=AUTH),
        422,
        "ValidationError",
    )


def test_uploaded_script_is_shown_escaped(writable: TestClient) -> None:
    files = {"files": ("farlig.txt", HOSTILE_PAGE.encode(), "text/plain")}
    report = writable.post("/api/documents", files=files, headers=AUTH).json()
    assert report["documents"][0]["status"] == "added"
    doc_id = report["documents"][0]["id"]
    assert "<script>alert(1)</script>" in writable.get(f"/api/documents/{doc_id}").json()["text"]

    page = writable.get(f"/documents/{doc_id}")
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]

    answer = writable.get("/", params={"q": "värmebehandling ryggsmärta script"})
    assert "<script>alert" not in answer.text and "<img src=x" not in answer.text


def test_hostile_text_is_never_a_500(client: TestClient) -> None:
    # A lone surrogate escape is valid JSON but cannot be encoded as UTF-8.
    body = '{"question": "hj\\u00e4lper v\\u00e4rme \\ud800 mot ryggont?"}'
    response = client.post(
        "/api/ask", content=body.encode(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text
    assert "\ufffd" in response.json()["question"]
    assert client.get("/api/search", params={"q": "v\x00rme"}).status_code == 200


def test_an_overlong_upload_name_is_shortened(writable: TestClient) -> None:
    name = "värme " * 80 + ".txt"
    files = [("files", (name, SWEDISH_PAGE.encode(), "text/plain"))]
    response = writable.post("/api/documents", files=files, headers=AUTH)
    assert response.status_code == 200, response.text
    [document] = response.json()["documents"]
    assert document["status"] == "added" and document["source"].endswith(".txt")
    assert len(document["source"].encode()) <= 220


def test_every_response_has_the_security_headers(client: TestClient) -> None:
    for path in ("/api/stats", "/docs", "/", "/openapi.json"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert "camera=()" in headers["permissions-policy"], path
        assert headers["cross-origin-opener-policy"] == "same-origin", path
    policy = client.get("/docs").headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in policy and "'unsafe-inline'" not in policy.split(";")[1]


# -- start-up ------------------------------------------------------------------


def detector_loads(monkeypatch: pytest.MonkeyPatch) -> list[EmergencyDetector]:
    """Every emergency detector loaded from now on (engines load it lazily)."""
    loads: list[EmergencyDetector] = []
    load = EmergencyDetector.default

    def counted() -> EmergencyDetector:
        loads.append(load())
        return loads[-1]

    monkeypatch.setattr(EmergencyDetector, "default", counted)
    return loads


@pytest.mark.parametrize("warm", [True, False])
def test_a_warm_server_loads_at_start_up_what_the_first_question_would(
    base: str, monkeypatch: pytest.MonkeyPatch, warm: bool
) -> None:
    loads = detector_loads(monkeypatch)
    with TestClient(create_app(Settings(db=base), warm=warm)) as client:
        assert len(loads) == (1 if warm else 0)
        assert (gc.get_freeze_count() > 0) is warm  # the start-up heap, out of the GC's sight
        analyzer = client.app.state.engine_slot.get().analyzer
        [stage] = [s for s in analyzer.stages if hasattr(s, "splitter")]
        assert ("lexicon" in vars(stage.splitter)) is warm
        assert client.post("/api/ask", json={"question": QUESTION}).status_code == 200
        assert len(loads) == 1
    assert gc.get_freeze_count() == 0


def test_a_failed_warm_up_is_logged_and_the_server_serves(
    base: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(engine: Engine, question: str) -> None:
        raise RuntimeError("trasig")

    monkeypatch.setattr(Engine, "ask", broken)
    with TestClient(create_app(Settings(db=base), warm=True)) as client:
        assert client.get("/api/search", params={"q": "botox"}).status_code == 200
    assert "Warming up with the question" in caplog.text and "trasig" in caplog.text
