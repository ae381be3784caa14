"""Many documents and generated answers in the real app, driven by Chromium.

The app serves the five fixture documents with the real model and a generator pointing at
the loopback OpenAI-compatible server (tests/llm_server.py), which streams slowly enough
for the browser to see the draft grow before the checked answer replaces it.
"""

from __future__ import annotations

import pytest

from assistant.answers.llm import GeneratorConfig
from assistant.web.layout import build_app
from assistant.web.server import style
from devtools.many_documents import build

from .llm_server import LLMServer
from .test_browser import ask, browser, free_port, shows  # noqa: F401 (fixture)

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:::gradio.queueing")]


@pytest.fixture(scope="module")
def llm():
    with LLMServer({"echo": "echo"}) as s:
        yield s


@pytest.fixture(scope="module")
def server(tmp_path_factory, real_encoder, llm):
    tmp = tmp_path_factory.mktemp("many-app")
    a = build(tmp, real_encoder, bundled=False)
    demo = build_app(
        a, corpus=tmp / "corpus", generator=GeneratorConfig(llm.base_url, "echo", timeout=30)
    )
    demo.queue(max_size=32, default_concurrency_limit=2)
    port = free_port()
    demo.launch(
        server_name="127.0.0.1",
        server_port=port,
        prevent_thread_lock=True,
        quiet=True,
        **style(),
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


@pytest.fixture
def page(browser, server):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(server)
    page.locator("#question textarea").wait_for()
    yield page
    context.close()


def test_document_tab_lists_every_document(page):
    page.get_by_role("tab", name="Document").click()
    text = page.locator("#document").inner_text()
    assert "5 document(s)" in text
    for who in ("Léa Martin", "Nadia Lemaire", "Sofie Janssens", "Marc Deschamps"):
        assert who in text
    assert "Schriftelijke vraag n°312" in text and "Plan canicule" in text


def test_generated_answer_streams_then_is_checked_and_cited(page, llm):
    llm.delay = 0.25
    chat = page.locator("#chat")
    box = page.locator("#question textarea")
    box.fill("Combien de rues scolaires ont été créées en 2023 ?")
    box.press("Enter")
    page.wait_for_function(
        "document.querySelector('#chat').innerText.includes('en cours de génération')"
    )
    page.wait_for_function(
        "!document.querySelector('#chat').innerText.includes('en cours de génération')"
        " && document.querySelectorAll('#chat [data-testid=bot]').length > 0",
        timeout=60_000,
    )
    shows(page.locator("#sources"), "Question écrite n°77")  # the checked answer's sources
    reply = chat.locator("[data-testid=bot]").last.inner_text()
    assert "[1]" in reply and "La réponse générée n" not in reply
    sources = page.locator("#sources").inner_text()
    assert "Thomas Dubois → Nadia Lemaire" in sources
    llm.delay = 0.0


def test_author_filter_keeps_the_answer_in_that_document(page, llm):
    page.get_by_text("Filtrer les documents").click()
    page.get_by_label("Auteur").fill("Moreau")
    ask(page, "Combien de logements sociaux ont été livrés en 2022 ?")
    page.wait_for_function(
        "!document.querySelector('#chat').innerText.includes('en cours de génération')"
    )
    shows(page.locator("#sources"), "Question écrite n°845")
    sources = page.locator("#sources").inner_text()
    for other in ("n°312", "n°77", "n°1203", "canicule"):
        assert other not in sources
