"""The plain HTTP API under ``/api`` and the French refusals, with httpx against a real server.

A real Gradio server on loopback (toy encoder): the JSON of ``ask --json`` and
``search --json``, the documents, health, the OpenAPI schema, French 4xx for bad bodies,
503 with ``Retry-After`` when the gate is full, ``--auth``; and Gradio's own queue, full,
refusing in French.
"""

from __future__ import annotations

import base64
import json
import threading
import time

import httpx
import pytest

from assistant.cli_output import hits_json
from assistant.web import api
from assistant.web.gate import BUSY, Gate, french_queue_full
from assistant.web.layout import build_app
from assistant.web.server import parse_args, serve

from .conftest import ANSWER_KEYS, free_port, toy_over_bundled

pytestmark = pytest.mark.filterwarnings("ignore:::gradio.queueing")

PRI = "Où en est le Plan Régional pour l'Innovation ?"


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    return toy_over_bundled(tmp_path_factory.mktemp("http"))


def _serve(folders, *extra):
    toy, corpus = folders
    port = free_port()
    args = parse_args(["--port", str(port), "--corpus", str(corpus), *extra])
    return serve(args, assistant=toy), f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def base(folders):
    demo, url = _serve(folders)
    yield url
    demo.close()


def without_timings(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if k != "timings_ms"}


def test_ask_returns_the_json_of_ask_json(base, folders):
    toy, _ = folders
    r = httpx.post(f"{base}/api/ask", json={"question": PRI, "k": 3}, timeout=30)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    got = r.json()
    assert list(got)[: len(ANSWER_KEYS)] == list(toy.ask(PRI, k=3).to_json())[: len(ANSWER_KEYS)]
    assert without_timings(got) == without_timings(toy.ask(PRI, k=3).to_json())
    assert got["citations"] and not got["abstained"]


def test_ask_takes_the_cli_filters(base, folders):
    toy, _ = folders
    late = {"question": PRI, "from": "2030-01-01"}  # the CLI's --from
    assert httpx.post(f"{base}/api/ask", json=late, timeout=30).json()["abstained"]
    r = httpx.post(f"{base}/api/ask", json={"question": PRI, "document": "517"}, timeout=30)
    assert r.json()["citations"] and {h["doc_id"] for h in r.json()["hits"]} == {
        c.doc_id for c in toy.chunks
    }


def test_search_returns_the_json_of_search_json(base, folders):
    toy, _ = folders
    body = {"question": PRI, "k": 2, "mode": "bm25"}
    got = httpx.post(f"{base}/api/search", json=body, timeout=30).json()
    assert got == hits_json(toy.search_detailed(PRI, k=2, mode="bm25"))


def test_documents_and_health(base, folders):
    toy, corpus = folders
    docs = httpx.get(f"{base}/api/documents", timeout=30).json()["documents"]
    assert [d["file"] for d in docs] == [p.name for p in corpus.iterdir()]
    assert docs[0]["number"] == "517"
    health = httpx.get(f"{base}/api/health", timeout=30).json()
    assert health == {
        "status": "ok",
        "index_loaded": True,
        "documents": 1,
        "passages": len(toy.chunks),
        "model": "toy-hashing",
        "query_encoder": None,
    }


def test_openapi_schema_and_its_page(base):
    schema = httpx.get(f"{base}/api/openapi.json", timeout=30).json()
    assert set(schema["paths"]) == {"/ask", "/search", "/documents", "/health"}
    assert "question" in schema["components"]["schemas"]["AskBody"]["required"]
    page = httpx.get(f"{base}/api/docs", timeout=30)
    assert page.status_code == 200 and "openapi.json" in page.text


@pytest.mark.parametrize(
    "body, status, message",
    [
        ({}, 422, "champ « question » obligatoire"),
        ({"question": 3}, 422, "« question » doit être du texte"),
        ({"question": PRI, "k": "deux"}, 422, "« k » doit être un entier"),
        ({"question": PRI, "k": 0}, 422, "« k » doit être entre 1 et 20"),
        ({"question": PRI, "kk": 1}, 422, "champ inconnu « kk »"),
        (["une", "liste"], 422, "objet JSON"),
        ({"question": PRI, "to": "hier"}, 400, "AAAA-MM-JJ"),
        ({"question": "x" * 1001}, 400, "dépasse 1000 caractères"),
        ({"question": PRI, "objectif": "9.9"}, 400, "Objectif inconnu"),
    ],
)
def test_bad_bodies_get_a_french_error(base, body, status, message):
    r = httpx.post(f"{base}/api/ask", json=body, timeout=30)
    assert r.status_code == status and message in r.json()["error"]
    assert "Traceback" not in r.text and set(r.json()) == {"error"}


def test_invalid_json_and_oversized_bodies(base):
    r = httpx.post(
        f"{base}/api/ask", content=b"{pas du json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422 and "pas du JSON valide" in r.json()["error"]
    r = httpx.post(f"{base}/api/search", json={"question": "x" * (api.MAX_BODY + 1)})
    assert r.status_code == 413 and "trop grand" in r.json()["error"]
    r = httpx.post(f"{base}/api/search", json={"question": PRI, "mode": "magique"})
    assert r.status_code == 400 and "mode inconnu" in r.json()["error"]


def test_full_gate_gives_503_with_retry_after(folders):
    toy, _ = folders
    gate = Gate(running=1, waiting=0)
    demo = build_app(toy, gate=gate)
    demo.queue()
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    api.mount(demo, demo.context)
    try:
        with gate.slot():  # another question is being answered
            r = httpx.post(f"http://127.0.0.1:{port}/api/ask", json={"question": PRI}, timeout=30)
            assert r.status_code == 503 and r.json() == {"error": BUSY}
            assert r.headers["retry-after"] == api.RETRY_AFTER
        r = httpx.post(f"http://127.0.0.1:{port}/api/ask", json={"question": PRI}, timeout=30)
        assert r.status_code == 200
    finally:
        demo.close()


def test_auth_basic_or_the_page_login(folders):
    demo, url = _serve(folders, "--auth", "ana:s3cret")
    good = "Basic " + base64.b64encode(b"ana:s3cret").decode()
    try:
        for headers in ({}, {"Authorization": "Basic " + base64.b64encode(b"ana:x").decode()},
                        {"Authorization": "Basic pas-du-base64"}):  # fmt: skip
            r = httpx.get(f"{url}/api/health", headers=headers, timeout=30)
            assert r.status_code == 401 and "Identifiants requis" in r.json()["error"]
            assert r.headers["www-authenticate"].startswith("Basic")
        r = httpx.post(f"{url}/api/ask", json={"question": PRI}, headers={"Authorization": good})
        assert r.status_code == 200 and r.json()["citations"]
        with httpx.Client(base_url=url, timeout=30) as browser_like:  # the page's login cookie
            login = browser_like.post("/login", data={"username": "ana", "password": "s3cret"})
            assert login.status_code == 200
            assert browser_like.get("/api/documents").status_code == 200
    finally:
        demo.close()


def test_a_full_gradio_queue_refuses_in_french():
    """Gradio's queue of size 1, one event running and one waiting: the third is refused."""
    import gradio as gr

    release = threading.Event()

    def slow(text: str) -> str:
        release.wait(30)
        return text

    with gr.Blocks() as demo:
        gr.api(slow, api_name="slow")
    demo.queue(max_size=1, default_concurrency_limit=1)
    french_queue_full(demo)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    join = f"http://127.0.0.1:{port}/gradio_api/queue/join"
    fn_index = next(i for i, fn in demo.fns.items() if fn.api_name == "slow")

    def submit(n: int) -> httpx.Response:
        body = {"data": ["x"], "fn_index": fn_index, "session_hash": f"s{n}"}
        return httpx.post(join, json=body, timeout=30)

    try:
        assert submit(1).status_code == 200
        deadline = time.monotonic() + 20
        jobs = demo._queue.active_jobs
        while jobs.count(None) == len(jobs):  # until the first event runs, out of the queue
            assert time.monotonic() < deadline, "the first event never started"
            time.sleep(0.01)
        assert submit(2).status_code == 200  # waits in the queue
        refused = submit(3)
        assert refused.status_code == 503
        assert json.loads(refused.text)["detail"] == BUSY and "Queue is full" not in refused.text
    finally:
        release.set()
        demo.close()
