"""The app served for real, driven by Chromium (Playwright) and by gradio_client.

Needs Debian's chromium at /usr/bin/chromium (never ``playwright install``) and
the real model and index (``real_assistant``).
"""

from __future__ import annotations

import os
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assistant.web.layout import build_app
from assistant.web.server import style

from .conftest import ANSWER_KEYS, free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:::gradio.queueing"),  # pandas deprecations inside gradio
]

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PRI = "Où en est le Plan Régional pour l'Innovation ?"
CHAT_TEXT = "document.querySelector('#chat').innerText"
WAIT = 30_000  # ms: how long an expectation may wait for the page to show what it expects


def shows(locator, text: str) -> None:
    """Wait until ``locator``'s rendered text contains ``text`` (fails after WAIT ms)."""
    expect(locator).to_contain_text(text, use_inner_text=True, timeout=WAIT)


@pytest.fixture(scope="module")
def server(real_assistant):
    """The app on a free local port, as ``python app.py`` serves it; closed at the end."""
    demo = build_app(real_assistant)
    demo.queue(max_size=32, default_concurrency_limit=2)
    port = free_port()
    demo.launch(
        server_name="127.0.0.1",
        server_port=port,
        prevent_thread_lock=True,
        quiet=True,
        show_error=False,
        **style(),
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} est introuvable : installez-le avec "
            "`apt-get install chromium chromium-driver` (pas de `playwright install`)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(server)
    page.locator("#question textarea").wait_for()
    yield page
    context.close()


def ask(page, question: str) -> None:
    """Type ``question``, submit it and wait for the assistant's reply in the chat.

    What the reply brings to the sources panel is awaited by each test (:func:`shows`).
    """
    before = page.locator("#chat [data-testid=bot]").count()
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        f"document.querySelectorAll('#chat [data-testid=bot]').length > {before}"
    )


def test_answer_with_citations_and_highlighted_sources(page, tmp_path, real_assistant):
    expected = real_assistant.ask(PRI)
    assert not expected.abstained and expected.citations
    ask(page, PRI)
    reply = page.locator("#chat [data-testid=bot]").last.inner_text()
    assert "[1]" in reply and "Plan Régional pour l’Innovation" in reply
    sources = page.locator("#sources")
    shows(sources, f"[{expected.citations[-1].n}]{expected.citations[-1].section_label}")
    text = sources.inner_text()
    assert "Plan Régional pour l’Innovation" in text
    for c in expected.citations:  # e.g. "[1]Chantier 1.3.1 — Elaborer le Plan Régional…"
        assert f"[{c.n}]{c.section_label}" in text
    if any(c.ministers for c in expected.citations):
        assert "porteur" in text  # "Ministre porteur : …" or "Ministres porteurs : …"
    marks = sources.locator("mark").all_inner_texts()
    assert any("Plan Régional pour l’Innovation" in m for m in marks)
    details = sources.locator("details").first
    details.locator("summary").click()
    expect(details.locator(".text")).to_be_visible(timeout=WAIT)
    shot = tmp_path / "screenshot.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(shot, ROOT / "docs" / "screenshot.png")


def test_off_topic_question_is_refused(page):
    ask(page, "Qui a gagné la coupe du monde de football 2018 ?")
    reply = page.locator("#chat [data-testid=bot]").last.inner_text()
    assert "ne contient pas d'information" in reply and "Passages peut-être utiles" in reply
    shows(page.locator("#sources"), "peut-être utiles")


def test_follow_up_and_example_buttons(page):
    page.get_by_role("button", name="Quelles aides pour les commerces ?").click()
    page.wait_for_function(f"{CHAT_TEXT}.includes('[1]')")
    ask(page, "et pour les jeunes ?")
    expect(page.locator("#chat small")).to_have_count(1)  # the resolved question, small text
    assert (
        "Question comprise : « Quelles aides pour les jeunes ? »"
        in page.locator("#chat [data-testid=bot]").last.inner_text()
    )


def test_markup_in_a_question_is_shown_as_text(page):
    for question in (
        "<script>window.__xss=1</script>Quel budget ?",
        '<img src=x onerror="window.__xss=2">Quel budget ?',
    ):
        ask(page, question)
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert question in page.evaluate(CHAT_TEXT)
    assert page.locator("#chat img[src=x]").count() == 0


def test_bad_question_gets_a_french_message(page):
    ask(page, "???")
    assert "aucun mot à chercher" in page.locator("#chat [data-testid=bot]").last.inner_text()


def test_document_tab_unfolds_its_sections(page):
    page.get_by_role("tab", name="Document").click()
    doc = page.locator("#document")
    assert "Question écrite n°517 — Sommet social 2021" in doc.inner_text()
    objectif = doc.locator("details", has=page.locator("summary", has_text="Objectif 1.3 —"))
    objectif.first.locator("summary").first.click()
    chantier = doc.locator("summary", has_text="Chantier 1.3.1")
    chantier.click()
    assert "première lecture au Gouvernement" in doc.inner_text()


def test_phone_width_puts_sources_below_the_chat(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    page.goto(server)
    page.locator("#question textarea").wait_for()
    chat, sources = page.locator("#chat").bounding_box(), page.locator("#sources").bounding_box()
    assert sources["y"] > chat["y"] + chat["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_client_ask_returns_the_json_contract(server):
    from gradio_client import Client

    client = Client(server, verbose=False)
    out = client.predict(question=PRI, api_name="/ask")
    assert ANSWER_KEYS <= set(out)
    assert isinstance(out["abstained"], bool) and out["abstained"] is False
    assert {"encode", "search", "answer", "total"} <= set(out["timings_ms"])
    for c in out["citations"]:
        assert {"n", "chunk_id", "section_label", "heading_path", "ministers", "excerpt"} <= set(c)
        assert isinstance(c["highlights"], list) and all(len(h) == 2 for h in c["highlights"])
    refused = client.predict(
        question="Qui a gagné la coupe du monde de football 2018 ?", api_name="/ask"
    )
    assert refused["abstained"] is True
    assert "error" in client.predict(question="???", api_name="/ask")
    filtered = client.predict(question="Quelles aides ?", k=3, objectif="1.2", api_name="/ask")
    assert len(filtered["hits"]) <= 3 and all("1.2" in h["heading_path"] for h in filtered["hits"])


def test_nothing_outside_the_app_is_served(server):
    for path in ("/etc/passwd", str(ROOT / "app.py")):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(f"{server}gradio_api/file={path}", timeout=10)
        assert err.value.code in (403, 404)


def test_brief_tab_shows_verdicts_filters_and_drafts(page):
    page.get_by_role("tab", name="Suivi parlementaire").click()
    coverage = page.locator("#coverage")
    coverage.wait_for()
    text = coverage.inner_text()
    assert "Sous-question 7" in text and "renvoyé" in text
    assert "je vous invite à les interroger" in text.lower()  # the evidence is quoted
    assert coverage.locator(".badge.verdict-renvoye").count() >= 1
    colour = coverage.locator(".badge.verdict-renvoye").first.evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    assert colour == "rgb(191, 219, 254)"
    assert page.locator("#table-count").inner_text().startswith("67 lignes")
    page.locator("#filter-statut input").click()
    page.get_by_role("option", name="reporté / retardé").click()
    page.wait_for_function(
        "document.querySelector('#table-count').innerText.trim().startsWith('6 lignes')"
    )
    assert "Elaborer le Plan Régional" in page.locator("#chantier-table").inner_text()
    page.locator("#drafts").get_by_text("Projets de questions de suivi").click()
    draft = page.locator(".draft textarea").first
    draft.wait_for()
    assert "question écrite n°517" in draft.input_value()
    assert page.locator(".draft button").count() >= 1  # the copy button
    with page.expect_download() as info:
        page.locator("#brief-download").click()
    assert info.value.suggested_filename == "suivi-qe-517.md"


TABS = {  # tab -> (file in docs/, a text the tab shows once drawn)
    "Questions": ("tab-questions.png", "Sources"),
    "Document": ("tab-document.png", "Question écrite n°517"),
    "Suivi parlementaire": ("tab-suivi.png", "Sous-question 1"),
    "Évaluation": ("tab-evaluation.png", ""),
}


def test_a_screenshot_of_each_tab_and_the_source_icon_is_drawn(page, tmp_path):
    """docs/tab-*.png (with UPDATE_SCREENSHOT=1), and the SVG icon of a source has a size."""
    ask(page, PRI)
    shows(page.locator("#sources"), "[1]")
    icon = page.locator("#sources .doc-ref svg.doc-icon").first
    box = icon.bounding_box()
    assert box and box["width"] > 4 and box["height"] > 4
    label = page.locator("#sources .doc-ref b").first.bounding_box()  # on the title's line
    assert abs((box["y"] + box["height"] / 2) - (label["y"] + label["height"] / 2)) < 8
    assert box["x"] < label["x"]
    sizes = {}
    for tab, (name, text) in TABS.items():
        page.get_by_role("tab", name=tab).click()
        if text:
            shows(page.locator(".tabitem:visible").first, text)
        shot = tmp_path / name
        page.screenshot(path=str(shot), full_page=False)
        sizes[name] = shot.stat().st_size
        assert sizes[name] > 10_000, name
        if os.environ.get("UPDATE_SCREENSHOT") == "1":
            (ROOT / "docs").mkdir(exist_ok=True)
            shutil.copyfile(shot, ROOT / "docs" / name)
    assert len({(tmp_path / n).read_bytes() for n in sizes}) == len(TABS)  # four different tabs


def test_a_full_queue_is_refused_in_french_in_the_page(browser):
    """Gradio's queue of one, one answer running and one waiting: the third page is told, in
    French, to try again (the page's own English words for a 503 replaced)."""
    import threading

    import gradio as gr

    from assistant.web.gate import BUSY, french_queue_full

    release = threading.Event()

    def slow(text):
        release.wait(60)
        return text

    with gr.Blocks() as demo:
        box, out = gr.Textbox(elem_id="q"), gr.Textbox(elem_id="out")
        box.submit(slow, box, out)
    demo.queue(max_size=1, default_concurrency_limit=1)
    french_queue_full(demo)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                **style())  # fmt: skip
    contexts = [browser.new_context(locale="fr-FR") for _ in range(3)]
    try:
        pages = [c.new_page() for c in contexts]
        for n, page in enumerate(pages):
            page.goto(f"http://127.0.0.1:{port}/")
            page.locator("#q textarea").fill(f"question {n}")
            page.locator("#q textarea").press("Enter")
            if n < 2:  # running, then waiting in the queue
                expect(page.locator("#out")).to_contain_text("", timeout=WAIT)
                page.wait_for_timeout(500)
        expect(pages[2].locator("body")).to_contain_text("réessayez", timeout=WAIT)
        body = pages[2].locator("body").inner_text()
        assert BUSY in body and "currently busy" not in body
    finally:
        release.set()
        for c in contexts:
            c.close()
        demo.close()
