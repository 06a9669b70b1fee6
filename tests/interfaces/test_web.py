"""Server-rendered pages without JavaScript: labels, answer card, banner, document view."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lindra import Engine, Settings
from lindra.interfaces.api import create_app
from lindra.types import Answer, Citation, Emergency, Verdict

DATA = Path(__file__).parent.parent / "data"
STATIC = resources.files("lindra.interfaces.web") / "static"

NOT_FOUND_NOTE = (
    "Kunskapsbasen har inget som svarar tillräckligt väl på frågan. Kontakta 1177 "
    "(telefon eller 1177.se) eller din vårdcentral för råd."
)
STANCE_LABELS = {
    "proven_effect": "Vetenskapligt stöd",
    "some_support": "Visst stöd",
    "mixed": "Källorna går isär",
    "no_effect": "Ingen effekt visad",
    "undocumented": "Effekten är inte dokumenterad",
    "not_stated": "Inget sagt om effekt",
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("web") / "kb.sqlite"
    with Engine.from_settings(Settings(db=str(db)), create=True) as engine:
        list(
            engine.ingest_paths(
                [DATA / "osteoporos-smartbehandling.txt", DATA / "botox-backenbotten.txt"]
            )
        )
    with TestClient(create_app(Settings(db=str(db), max_query_chars=100))) as test_client:
        yield test_client


@pytest.fixture
def engine(client: TestClient) -> Engine:
    return client.app.state.engine_slot.get()  # type: ignore[attr-defined,no-any-return]


def citation(text: str = "Värmekuddar används av och till.", **changes: object) -> Citation:
    values: dict[str, object] = {
        "text": text,
        "doc_id": "osteoporos-smartbehandling",
        "passage_id": "osteoporos-smartbehandling:1",
        "start": 10,
        "end": 40,
        "title": "Smärtbehandling",
        "section": "Värmekudde",
        "source": "https://www.example.se/osteoporos",
    }
    values.update(changes)
    return Citation(**values)  # type: ignore[arg-type]


class Outline(HTMLParser):
    """Collects what the accessibility checks need from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: list[str] = []
        self.inputs: list[str] = []
        self.headings: list[int] = []
        self.html_lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"] or "")
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "label":
            self.label_for.append(a.get("for") or "")
        if tag == "input":
            self.inputs.append(a.get("id") or "")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def assert_accessible_basics(html: str) -> None:
    page = outline(html)
    assert page.html_lang == "sv"
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"
    assert all(i in page.label_for for i in page.inputs), "every input has a label"
    assert page.headings and page.headings[0] == 1 and page.headings.count(1) == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"
    assert 'class="skip-link" href="#main"' in html


def test_start_page_without_a_question(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.text
    assert_accessible_basics(html)
    assert '<label for="q">Din fråga</label>' in html
    assert 'role="search"' in html and 'action="/"' in html and 'method="get"' in html
    assert "Ring 112</h2>" not in html


def test_answer_card_is_rendered_on_the_server(client: TestClient) -> None:
    response = client.get("/", params={"q": "Hur länge håller botox i bäckenbotten?"})
    assert response.status_code == 200
    html = response.text
    assert_accessible_basics(html)
    assert "Det här säger källorna" in html
    links = re.findall(r'class="citation-link" href="([^"]+)"', html)
    assert links and all(
        re.fullmatch(r"/documents/botox-backenbotten\?start=\d+&amp;end=\d+#cited", link)
        for link in links
    )
    assert "Källa: botox-backenbotten.txt" in html
    assert 'value="Hur länge håller botox i bäckenbotten?"' in html
    assert 'role="alert"' not in html


def test_nothing_found_is_said_honestly(
    client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    nothing = Answer(
        question="Hur botar man snarkning?", found=False, answers=(), note=NOT_FOUND_NOTE
    )
    monkeypatch.setattr(engine, "ask", lambda question: nothing)
    html = client.get("/", params={"q": nothing.question}).text
    assert "Hittade inget</h2>" in html
    assert "Kontakta 1177 (telefon eller 1177.se)" in html
    assert "citation-link" not in html and "Läs mer i källorna" not in html
    assert "Behandlingar som källorna nämner" not in html


def test_nothing_found_still_shows_the_named_conditions_treatments(
    client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = {"concept": "bassängträning", "stance": "undocumented", "sources": [], "facts": {}}
    nothing = Answer(
        question="min mamma har benskörhet, vad kan hon göra",
        found=False,
        answers=(),
        note=NOT_FOUND_NOTE,
        treatments=(row,),
    )
    monkeypatch.setattr(engine, "ask", lambda question: nothing)
    html = client.get("/", params={"q": nothing.question}).text
    assert "Hittade inget</h2>" in html
    assert "Behandlingar som källorna nämner" in html and "bassängträning" in html


def test_too_long_question_is_explained(client: TestClient) -> None:
    response = client.get("/", params={"q": "smärta " * 30})
    assert response.status_code == 422
    assert "Frågan är för lång" in response.text and "högst 100 tecken" in response.text


def test_emergency_banner_only_when_the_engine_reports_one(
    client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    emergency = Answer(
        question="Jag har tryck över bröstet och svårt att andas",
        found=False,
        answers=(),
        note="Kontakta 1177.",
        emergency=Emergency(
            True, "Tryck över bröstet kan vara en hjärtinfarkt.", "112", ("tryck över bröstet",)
        ),
    )
    monkeypatch.setattr(engine, "ask", lambda question: emergency)
    html = client.get("/", params={"q": emergency.question}).text
    banner = re.search(r'<section class="emergency" role="alert"[^>]*>(.*?)</section>', html, re.S)
    assert banner is not None
    assert "Ring 112</h2>" in banner.group(1)
    assert "Tryck över bröstet kan vara en hjärtinfarkt." in banner.group(1)
    # Issue 13: "Ring 112" stands alone; no "Hittade inget" or "formulera om" below it.
    assert "Hittade inget" not in html and "formulera" not in html

    calm = Answer(question="Hjälper värme?", found=True, answers=(citation(),))
    monkeypatch.setattr(engine, "ask", lambda question: calm)
    html = client.get("/", params={"q": calm.question}).text
    assert 'role="alert"' not in html and "Ring 112</h2>" not in html


def test_verdict_and_treatments_with_badges(
    client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = citation("Behandlingseffekten har aldrig dokumenterats.")
    treatments = tuple(
        {
            "concept": f"behandling {stance}",
            "stance": stance,
            "quote": f"citat {stance}",
            "facts": {"dos": "två gånger"},
            "doc_id": "osteoporos-smartbehandling",
            "start": 5,
            "end": 25,
        }
        for stance in STANCE_LABELS
    )
    answer = Answer(
        question="Hjälper värmekudde?",
        found=True,
        answers=(source,),
        verdict=Verdict(
            "Effekten av värmekudde är inte dokumenterad.",
            "undocumented",
            "värmekudde",
            "osteoporos",
            (source,),
        ),
        treatments=treatments,
    )
    monkeypatch.setattr(engine, "ask", lambda question: answer)
    html = client.get("/", params={"q": answer.question}).text
    assert_accessible_basics(html)
    assert "<strong>Effekten av värmekudde är inte dokumenterad.</strong>" in html
    for stance, label in STANCE_LABELS.items():
        assert f'<span class="badge badge-{stance}">{label}</span>' in html
        assert f"<q>citat {stance}</q>" in html
    assert "<dt>dos</dt>" in html and "<dd>två gånger</dd>" in html
    assert '<th scope="col">Evidens</th>' in html
    assert "/documents/osteoporos-smartbehandling?start=5&amp;end=25#cited" in html


def test_verdict_for_other_conditions_under_its_own_heading(
    client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = citation("De studierna som finns tyder dock på god smärtlindring.")
    other = Verdict(
        "Visst stöd i små studier vid överaktiv bäckenbotten",
        "some_support",
        "botox",
        "överaktiv bäckenbotten",
        (source,),
    )
    answer = Answer(
        question="Hjälper botox mot migrän?",
        found=True,
        answers=(source,),
        verdict=Verdict(
            "Källorna säger inget om botox vid migrän",
            "not_stated",
            "botox",
            "migrän",
            (),
            elsewhere=(other,),
            elsewhere_title="Om botox vid andra besvär",
        ),
    )
    monkeypatch.setattr(engine, "ask", lambda question: answer)
    html = client.get("/", params={"q": answer.question}).text
    assert_accessible_basics(html)
    assert "<strong>Källorna säger inget om botox vid migrän</strong>" in html
    heading = html.index('<h3 class="verdict-elsewhere-title">Om botox vid andra besvär</h3>')
    line = html.index("Visst stöd i små studier vid överaktiv bäckenbotten")
    assert heading < line
    assert '<span class="badge badge-some_support">' in html[heading:]


def test_each_quote_says_what_kind_of_source_it_comes_from(
    client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    research = citation("Botox minskade smärtan i en liten studie.", genre="abstract")
    shop = citation("Vår behandling ger snabb lindring.", genre="clinic_shop", claim=True)
    unknown = citation("En mening utan känd källtyp.")
    answer = Answer(question="Hjälper botox?", found=True, answers=(research, shop, unknown))
    monkeypatch.setattr(engine, "ask", lambda question: answer)
    html = client.get("/", params={"q": answer.question}).text
    assert_accessible_basics(html)
    assert '<span class="kind kind-abstract">Forskningssammanfattning</span>' in html
    assert '<span class="kind kind-clinic_shop">Klinik eller butik</span>' in html
    assert '<span class="kind kind-claim">Säljarens eget påstående</span>' in html
    assert html.count('class="kind ') == 3  # no label for an unknown kind


def test_document_view_marks_the_cited_sentence(client: TestClient, engine: Engine) -> None:
    answer = engine.ask("Hjälper vertebroplastik på lång sikt?")
    cited = answer.answers[0]
    response = client.get(
        f"/documents/{cited.doc_id}", params={"start": cited.start, "end": cited.end}
    )
    assert response.status_code == 200
    html = response.text
    assert_accessible_basics(html)
    marks = re.findall(r"<mark( id=\"cited\")?>(.*?)</mark>", html, re.S)
    assert marks and marks[0][0]
    assert " ".join("".join(text for _, text in marks).split()) == cited.text
    assert html.count('id="cited"') == 1
    assert 'href="#cited"' in html
    assert "Om texten" in html and "osteoporos-smartbehandling.txt" in html


def test_document_view_marks_a_reader_question(client: TestClient, engine: Engine) -> None:
    doc = engine.document("botox-backenbotten")
    question = doc.reader_questions[0]
    html = client.get(
        "/documents/botox-backenbotten", params={"start": question.start, "end": question.end}
    ).text
    assert "Läsarfrågor</h2>" in html
    assert f'<mark id="cited">{question.text}</mark>' in html


@pytest.mark.parametrize("params", [{}, {"start": 50, "end": 10}, {"start": 0, "end": 10**9}])
def test_document_view_without_a_valid_span_marks_nothing(
    client: TestClient, params: dict[str, int]
) -> None:
    html = client.get("/documents/botox-backenbotten", params=params).text
    assert "<mark" not in html and "Du kom hit från ett citat" not in html


def test_unknown_document_page_is_a_swedish_404(client: TestClient) -> None:
    response = client.get("/documents/finns-inte", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "Sidan eller texten finns inte" in response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in response.headers


class Row:
    """Stands in for knowledge.views.TreatmentRow (only ``to_json`` is used)."""

    def __init__(self, **values: object) -> None:
        self.values = values

    def to_json(self) -> dict[str, object]:
        return self.values


def test_treatments_page_lists_conditions_and_rows(
    client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (condition name, its id, concept) of each stored entry that names a condition
    entries = [("osteoporos", "osteoporosis", "heat"), ("osteoporos", "osteoporosis", "ice")]
    monkeypatch.setattr(engine.store, "condition_concepts", lambda: entries)
    html = client.get("/treatments").text
    assert_accessible_basics(html)
    assert '<label for="condition">Sjukdom eller besvär</label>' in html
    assert '<a href="/treatments?condition=osteoporos">osteoporos</a>' in html
    assert "(2 behandlingar)" in html and "<table" not in html

    rows = [
        Row(
            concept="värmekudde",
            stance="undocumented",
            sources_agree=True,
            facts={
                "phase": ["acute"],
                "onset": "1-2 veckor",
                "first_line": "false",
                "side_effects": ["Huden kan bli röd."],
            },
            sources=[
                {
                    "doc_id": "osteoporos-smartbehandling",
                    "title": "Smärtbehandling",
                    "stance": "undocumented",
                    "quote": "Effekten har aldrig dokumenterats.",
                    "start": 5,
                    "end": 25,
                }
            ],
        ),
        Row(
            concept="träning",
            stance="mixed",
            sources_agree=False,
            facts={},
            sources=[
                {
                    "doc_id": "a",
                    "title": "A",
                    "stance": "some_support",
                    "quote": "Hjälper.",
                    "start": 0,
                    "end": 8,
                },
                {
                    "doc_id": "b",
                    "title": "B",
                    "stance": "no_effect",
                    "quote": "Hjälper inte.",
                    "start": 0,
                    "end": 13,
                },
            ],
        ),
        Row(concept="okänd", stance="weird", sources=[], facts={}),
    ]
    asked: list[str] = []

    def treatments(condition: str) -> list[Row]:
        asked.append(condition)
        return rows

    monkeypatch.setattr(engine, "treatments", treatments)
    html = client.get("/treatments", params={"condition": " benskörhet "}).text
    assert asked == ["benskörhet"]
    assert_accessible_basics(html)
    assert "Behandlingar vid benskörhet</h1>" in html
    assert '<span class="badge badge-undocumented">Effekten är inte dokumenterad</span>' in html
    assert '<span class="badge badge-mixed">Källorna går isär</span>' in html
    assert '<span class="badge badge-no_effect">Ingen effekt visad</span>' in html
    assert '<span class="badge badge-unknown">weird</span>' in html
    assert "<q>Effekten har aldrig dokumenterats.</q>" in html
    assert "/documents/osteoporos-smartbehandling?start=5&amp;end=25#cited" in html
    assert "<dt>Skede</dt><dd>akut skede</dd>" in html
    assert "<dt>Förstahandsval</dt><dd>nej</dd>" in html
    assert "<summary>Mer ur texten</summary>" in html and "<dd>Huden kan bli röd.</dd>" in html


def test_treatments_page_when_nothing_is_known(
    client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine.store, "condition_concepts", lambda: [])
    assert "Inga behandlingar ännu" in client.get("/treatments").text
    monkeypatch.setattr(engine, "treatments", lambda condition: [])
    html = client.get("/treatments", params={"condition": "snarkning"}).text
    assert "Inga behandlingar kända för ”snarkning”" in html


def test_treatments_page_over_the_real_knowledge_stage(client: TestClient, engine: Engine) -> None:
    rows = engine.treatments("benskörhet")
    html = client.get("/treatments", params={"condition": "benskörhet"}).text
    assert_accessible_basics(html)
    for row in rows:
        assert f'<th scope="row">{row.concept}</th>' in html


def test_pages_link_only_local_assets(client: TestClient) -> None:
    html = client.get("/").text
    assets = re.findall(r'(?:src|href)="([^"#]+\.(?:css|js))"', html)
    assert sorted(assets) == ["/static/app.js", "/static/style.css"]
    for asset in assets:
        assert client.get(asset).status_code == 200
    assert "http" not in "".join(assets)


# -- colour contrast (WCAG 2.1 AA: 4.5:1 for text) ------------------------------


def luminance(colour: str) -> float:
    """Relative luminance of ``#rrggbb`` (WCAG 2.1 definition)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colour_pairs_meet_aa_contrast() -> None:
    css = (STATIC / "style.css").read_text("utf-8")
    var = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    pairs = [
        (var["text"], var["bg"]),
        (var["muted"], var["bg"]),
        (var["muted"], var["panel"]),
        (var["link"], var["bg"]),
        (var["link"], var["panel"]),
        (var["link-visited"], var["bg"]),
        ("#ffffff", var["brand"]),
        ("#ffffff", var["alert"]),
        ("#ffffff", "#7a3e00"),
        (var["focus-ink"], var["focus"]),
        (var["text"], var["mark"]),
        (var["caution"], var["bg"]),
        (var["caution"], var["panel"]),
    ]
    badges = re.findall(
        r"\.badge-\w+ \{ color: (#[0-9a-fA-F]{6}); background: (#[0-9a-fA-F]{6})", css
    )
    assert len(badges) == 6
    for fg, bg in pairs + badges:
        assert contrast(fg, bg) >= 4.5, f"{fg} on {bg}: {contrast(fg, bg):.2f}"


def test_the_emergency_card_stands_alone_with_phone_links(client: TestClient) -> None:
    page = client.get(
        "/", params={"q": "min pappa har tryck över bröstet sedan en halvtimme och är kallsvettig"}
    )
    html = page.text
    assert 'href="tel:112"' in html and 'href="tel:1177"' in html
    assert "Vi reagerade på" in html and "Hittade inget" not in html
    assert 'id="emergency-heading" tabindex="-1" data-focus' in html
