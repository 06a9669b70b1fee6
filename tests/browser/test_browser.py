"""The web page in headless Chromium against a real ``lindra serve`` (screenshots in test-output/).

Run alone with: ``pytest -m browser``. Screenshots are written to
``test-output/screenshots/`` at phone (390 px) and desktop (1280 px) widths.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lindra import Settings
from lindra.interfaces.api import create_app
from lindra.types import Answer, Citation, Emergency, Verdict

from .conftest import API_TOKEN, PHONE, WIDE

pytestmark = [pytest.mark.integration, pytest.mark.browser]

QUESTION = "Hjälper vertebroplastik på lång sikt?"
HOSTILE = (
    "Skadlig sida om ryggskott\n\n"
    "Den här sidan om ryggskott och värmebehandling innehåller <script>alert('xss')</script> "
    "och <img src=x onerror=\"alert('img')\"> mitt i en svensk mening om smärta i ryggen.\n\n"
    "Ryggskott går oftast över av sig självt inom några veckor, och värme kan lindra smärtan.\n"
)


def ask(page: Any, base: str, question: str) -> None:
    page.goto(f"{base}/")
    page.fill("#q", question)
    page.press("#q", "Enter")
    page.wait_for_selector("#answer-heading")


def shoot(page: Any, folder: Path, name: str, *, full_page: bool = True) -> None:
    for label, size in (("phone", PHONE), ("wide", WIDE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(folder / f"{name}-{label}.png"), full_page=full_page)
    page.set_viewport_size(PHONE)


def focused(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {tag: el.tagName, id: el.id, cls: el.className, text: el.textContent.trim(),
                    outline: style.outlineStyle, shadow: style.boxShadow,
                    background: style.backgroundColor};
        }"""
    )


def tab_until(page: Any, predicate: Any, limit: int) -> dict[str, Any]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focused(page)
        if predicate(state):
            return state
    raise AssertionError(f"not reached in {limit} Tab presses; focus is on {focused(page)}")


def assert_focus_visible(state: dict[str, Any]) -> None:
    assert state["outline"] != "none" or state["shadow"] != "none", state


def test_question_gives_a_cited_answer(page: Any, server: str, screenshots: Path) -> None:
    ask(page, server, QUESTION)
    assert page.inner_text("#answer-heading") == "Det här säger källorna"
    first = page.locator(".quote").first
    assert "vertebroplastik" in page.inner_text(".answer").casefold()
    link = first.locator("a.citation-link")
    assert "/documents/" in link.get_attribute("href") and "#cited" in link.get_attribute("href")
    # The form stays usable and the address can be shared (JavaScript updates it).
    assert "q=Hj%C3%A4lper" in page.url or "q=Hj" in page.url
    assert page.input_value("#q") == QUESTION
    no_horizontal_scroll(page)
    shoot(page, screenshots, "answer")
    assert page.console_errors == []


def test_a_verdict_for_another_condition_is_labelled(
    page: Any, server: str, screenshots: Path
) -> None:
    # The demo grades botox only for the pelvic floor: said plainly, that verdict apart.
    ask(page, server, "Hjälper botox mot migrän?")
    verdict = page.locator(".verdict")
    assert "Källorna säger inget om botox vid migrän" in verdict.inner_text()
    assert page.inner_text(".verdict-elsewhere-title") == "Om botox vid andra besvär"
    assert "vid överaktiv bäckenbotten" in verdict.inner_text()
    # Each quote says what kind of source it is.
    assert page.locator(".quote .kind").count() >= 1
    for size in (PHONE, WIDE):
        page.set_viewport_size(size)
        no_horizontal_scroll(page)
    page.set_viewport_size(PHONE)
    shoot(page, screenshots, "answer-other-condition")
    assert page.console_errors == []


def no_horizontal_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def test_citation_opens_the_document_at_the_quote(
    page: Any, server: str, screenshots: Path
) -> None:
    ask(page, server, QUESTION)
    first = page.locator(".quote").first
    quote = first.locator("blockquote").inner_text().strip("”\n ")
    first.locator("a.citation-link").click()
    page.wait_for_url("**/documents/**#cited")
    mark = page.locator("mark#cited")
    assert mark.is_visible()
    marked = " ".join(" ".join(page.locator("mark").all_inner_texts()).split())
    assert marked == quote
    assert page.evaluate(
        "() => { const r = document.getElementById('cited').getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight; }"
    )
    assert "Om texten" in page.inner_text("main")
    no_horizontal_scroll(page)
    page.screenshot(path=str(screenshots / "document-cited-phone.png"))
    page.set_viewport_size(WIDE)
    page.goto(page.url)
    page.screenshot(path=str(screenshots / "document-cited-wide.png"))
    assert page.console_errors == []


def test_keyboard_only(page: Any, server: str, screenshots: Path) -> None:
    page.goto(f"{server}/")
    skip = tab_until(page, lambda s: s["cls"] == "skip-link", 1)
    assert skip["text"] == "Hoppa till innehållet"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0
    page.screenshot(path=str(screenshots / "keyboard-skip-link-phone.png"))
    state = tab_until(page, lambda s: s["id"] == "q", 6)
    assert_focus_visible(state)
    page.keyboard.type(QUESTION)
    page.screenshot(path=str(screenshots / "keyboard-search-box-phone.png"))
    page.keyboard.press("Enter")
    page.wait_for_selector("a.citation-link")
    link = tab_until(page, lambda s: "citation-link" in s["cls"], 12)
    assert_focus_visible(link)
    page.screenshot(path=str(screenshots / "keyboard-citation-focus-phone.png"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/documents/**#cited")
    assert page.locator("mark#cited").is_visible()
    assert page.console_errors == []


def test_works_without_javascript(browser: Any, server: str, screenshots: Path) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}/")
    page.fill("#q", QUESTION)
    with page.expect_navigation():
        page.press("#q", "Enter")
    assert "q=" in page.url
    assert page.inner_text("#answer-heading") == "Det här säger källorna"
    page.locator("a.citation-link").first.click()
    page.wait_for_url("**/documents/**#cited")
    assert page.locator("mark#cited").is_visible()
    context.close()


def upload(server: str, name: str, text: str) -> dict[str, Any]:
    boundary = "lindra-test-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        f"Content-Type: text/plain\r\n\r\n{text}\r\n--{boundary}--\r\n"
    ).encode()
    request = urllib.request.Request(
        f"{server}/api/documents",
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {API_TOKEN}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def test_hostile_document_does_not_run_script(page: Any, server: str, screenshots: Path) -> None:
    report = upload(server, "skadlig-sida.txt", HOSTILE)
    [entry] = report["documents"]
    assert entry["status"] in ("added", "unchanged"), entry
    page.goto(f"{server}/documents/{entry['id']}")
    body = page.inner_text("main")
    assert "<script>alert('xss')</script>" in body
    assert "<img src=x onerror=\"alert('img')\">" in body
    assert page.locator("main script, main img").count() == 0
    ask(page, server, "Hur länge sitter ryggskott i, och hjälper värmebehandling?")
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshots / "hostile-answer-phone.png"), full_page=True)
    page.goto(f"{server}/documents/{entry['id']}")
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshots / "hostile-document-phone.png"), full_page=True)
    assert page.dialogs == []
    assert page.evaluate("typeof window.alert") == "function"


def test_emergency_verdict_and_treatments(
    page: Any, server: str, demo_db: str, screenshots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer card parts the demo base cannot produce yet, rendered by the real templates."""
    source = Citation(
        text="Värmekuddar används av och till i den akuta fasen efter en kompression, men "
        "behandlingseffekten har aldrig dokumenterats.",
        doc_id="osteoporos-smartbehandling",
        passage_id="osteoporos-smartbehandling:1",
        start=0,
        end=10,
        title="Smärtbehandling vid osteoporos",
        section="Värmekudde",
        source="https://www.example.se/osteoporos/smartbehandling",
    )
    stances = ["proven_effect", "some_support", "mixed", "no_effect", "undocumented", "not_stated"]
    answer = Answer(
        question="Jag har ont i bröstet och svårt att andas, hjälper värmekudde?",
        found=True,
        answers=(source,),
        emergency=Emergency(True, "Bröstsmärta med andnöd kan vara livshotande.", "112"),
        verdict=Verdict(
            "Källorna säger att effekten av värmekudde inte är dokumenterad.",
            "undocumented",
            "värmekudde",
            "osteoporos",
            (source,),
        ),
        treatments=tuple(
            {
                "concept": f"Behandling {i + 1}",
                "stance": stance,
                "quote": "Ett kort citat.",
                "doc_id": "osteoporos-smartbehandling",
                "start": 0,
                "end": 10,
            }
            for i, stance in enumerate(stances)
        ),
    )
    with TestClient(create_app(Settings(db=demo_db))) as client:
        engine = client.app.state.engine_slot.get()  # type: ignore[attr-defined]
        monkeypatch.setattr(engine, "ask", lambda question: answer)
        html = client.get("/", params={"q": answer.question}).text
    page.route(
        f"{server}/card-fixture",
        lambda route: route.fulfill(status=200, content_type="text/html", body=html),
    )
    page.goto(f"{server}/card-fixture")
    banner = page.locator("[role=alert]")
    assert banner.is_visible() and "Ring 112" in banner.inner_text()
    assert page.locator(".badge").count() >= 7
    no_horizontal_scroll(page)
    shoot(page, screenshots, "emergency-card")


def test_other_pages_and_offline_docs(page: Any, server: str, screenshots: Path) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{server}/treatments")
    assert page.inner_text("h1") == "Behandlingar"
    shoot(page, screenshots, "treatments")
    page.fill("#condition", "benskörhet")
    page.press("#condition", "Enter")
    page.wait_for_url("**/treatments?condition=*")
    assert page.inner_text("h1") == "Behandlingar vid benskörhet"
    no_horizontal_scroll(page)
    shoot(page, screenshots, "treatments-condition")
    page.goto(f"{server}/")
    shoot(page, screenshots, "start")
    page.goto(f"{server}/documents/finns-inte")
    assert "Sidan eller texten finns inte" in page.inner_text("main")
    page.set_viewport_size(WIDE)
    page.goto(f"{server}/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    assert page.locator(".opblock").count() >= 7
    page.screenshot(path=str(screenshots / "api-docs-wide.png"))
    outside = [
        url for url in requests if not url.startswith(server) and not url.startswith("data:")
    ]
    assert outside == []
