"""The admission gate: a few answers at a time, a bounded wait, then « réessayez ».

The gate alone (threads ordered by events and by its own counters, never by sleeps), the
chat and ``/ask`` handlers, the served app under load, and generated answers: one slot
covers the whole answer, the endpoint's stream included (tests/llm_server.py holds the
stream open until the test lets it go).
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

import pytest

from assistant.answers.llm import GeneratorConfig
from assistant.errors import Busy
from assistant.web.chat import ask_json, chat_turn, chat_turn_stream
from assistant.web.document_tab import load_documents
from assistant.web.gate import BUSY, Gate
from assistant.web.layout import build_app

from .conftest import free_port, toy_over_bundled
from .llm_server import LLMServer

pytestmark = pytest.mark.filterwarnings("ignore:::gradio.queueing")

PRI = "Où en est le Plan Régional pour l'Innovation ?"


def wait_until(condition, what: str, timeout: float = 20.0) -> None:
    """Poll ``condition`` until it holds; fail (naming ``what``) after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"toujours en attente : {what}")
        time.sleep(0.005)


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    return toy_over_bundled(tmp_path_factory.mktemp("gated"))


def launched(demo):
    """``demo`` served on a free loopback port, as many at once as the gate lets in."""
    demo.queue(max_size=64, default_concurrency_limit=40)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                show_error=False)  # fmt: skip
    return f"http://127.0.0.1:{port}/"


def test_gate_refuses_beyond_its_size_and_never_hangs():
    gate = Gate(running=1, waiting=1, timeout=60)
    inside, release, waited = threading.Event(), threading.Event(), threading.Event()

    def hold():
        with gate.slot():
            inside.set()
            release.wait(60)

    def wait_for_a_slot():
        with gate.slot():
            waited.set()

    holder, waiter = threading.Thread(target=hold), threading.Thread(target=wait_for_a_slot)
    holder.start()
    assert inside.wait(20)
    waiter.start()
    wait_until(lambda: gate.inside == 2, "the second question admitted, waiting")
    refused = ThreadPoolExecutor(1).submit(lambda: gate.slot().__enter__())
    # refused while the first still holds its slot: a gate that waited would take 60 s
    with pytest.raises(Busy, match="réessayez"):
        refused.result(timeout=20)
    assert gate.refused == 1 and not waited.is_set() and gate.inside == 2
    release.set()
    holder.join(20)
    waiter.join(20)
    assert waited.is_set() and gate.inside == 0  # the waiter got its slot, then gave it back
    short = Gate(running=1, waiting=3, timeout=0.2)
    with short.slot():
        with pytest.raises(Busy):  # waited too long
            with short.slot():
                pass
    assert short.refused == 1 and short.inside == 0


def test_chat_says_reessayez_when_the_gate_is_full(folders):
    toy, corpus = folders
    gate = Gate(running=1, waiting=0)
    docs = load_documents(corpus)
    with gate.slot():
        _, chat, asked, sources = chat_turn(toy, docs, "Quel budget ?", [], [], "", gate=gate)
        assert "réessayez" in chat[-1]["content"] and asked == []
        assert ask_json(toy, "Quel budget ?", gate=gate) == {"error": BUSY}
    _, chat, asked, _ = chat_turn(toy, docs, "Quel budget ?", [], [], "", gate=gate)
    assert "réessayez" not in chat[-1]["content"] and asked == ["Quel budget ?"]
    assert gate.refused == 2 and gate.inside == 0


def test_overflow_under_load_answers_reessayez_quickly(folders):
    """12 simultaneous clients, 1 running + 2 waiting: 3 answers, 9 « réessayez », no hang."""
    from gradio_client import Client

    toy, corpus = folders
    release = threading.Event()

    class Held:  # answers only once the test has seen the refusals
        def __init__(self, a):
            self._a = a

        def ask(self, *args, **kw):
            release.wait(60)
            return self._a.ask(*args, **kw)

        def __getattr__(self, name):
            return getattr(self._a, name)

    demo = build_app(Held(toy), corpus=corpus, gate=Gate(running=1, waiting=2, timeout=60))
    try:
        url = launched(demo)
        clients = [Client(url, verbose=False) for _ in range(12)]
        start = threading.Barrier(12)

        def one(client):
            start.wait()
            return client.predict(question="Quel budget pour les écoles ?", api_name="/ask")

        with ThreadPoolExecutor(12) as pool:
            futures = [pool.submit(one, c) for c in clients]
            results = []
            # the held questions answer only after 9 results: those 9 came without waiting
            for future in as_completed(futures, timeout=60):
                results.append(future.result())
                if len(results) == 9:
                    release.set()
        release.set()
        answered = [out for out in results if "abstained" in out]
        busy = [out for out in results if out.get("error") == BUSY]
        assert len(answered) == 3 and len(busy) == 9, results
    finally:
        release.set()
        demo.close()


@pytest.fixture
def llm():
    """The loopback model, its streams held open after the first word until ``hold`` is set."""
    with LLMServer({"echo": "echo"}) as server:
        server.hold = threading.Event()
        try:
            yield server
        finally:
            server.hold.set()


def test_one_slot_covers_a_generated_chat_answer_until_it_is_checked(folders, llm):
    toy, corpus = folders
    docs = load_documents(corpus)
    cfg = GeneratorConfig(llm.base_url, "echo-model", timeout=60)
    gate = Gate(running=1, waiting=0)
    stream = chat_turn_stream(toy, docs, PRI, [], [], generator=cfg, gate=gate)
    _, chat, _, _ = next(stream)  # the first word of the draft: the endpoint is streaming
    assert "en cours de génération" in chat[-1]["content"]
    assert llm.holding.wait(20) and gate.inside == 1
    # while it streams, every other question is refused at once, extractive or generated
    assert "réessayez" in chat_turn(toy, docs, PRI, [], [], gate=gate)[1][-1]["content"]
    assert ask_json(toy, PRI, generator=cfg, gate=gate) == {"error": BUSY}
    [(_, chat, asked, _)] = chat_turn_stream(toy, docs, PRI, [], [], generator=cfg, gate=gate)
    assert "réessayez" in chat[-1]["content"] and asked == []
    assert gate.refused == 3
    llm.hold.set()
    *_, (_, chat, asked, sources) = stream
    assert "en cours" not in chat[-1]["content"] and r"\[1\]" in chat[-1]["content"]
    assert asked == [PRI] and 'id="source-1"' in sources and gate.inside == 0
    # the slot is free again once the answer was checked
    assert ask_json(toy, PRI, generator=cfg, gate=gate)["generation"]["outcome"] == "generated"
    assert gate.refused == 3


def test_a_stream_closed_mid_answer_gives_its_slot_back(folders, llm):
    """A client that leaves while the draft streams (Gradio closes the generator)."""
    toy, corpus = folders
    docs = load_documents(corpus)
    cfg = GeneratorConfig(llm.base_url, "echo-model", timeout=60)
    gate = Gate(running=1, waiting=0)
    stream = chat_turn_stream(toy, docs, PRI, [], [], generator=cfg, gate=gate)
    next(stream)
    assert llm.holding.wait(20) and gate.inside == 1
    stream.close()  # GeneratorExit inside the handler, as on a disconnect
    assert gate.inside == 0
    llm.hold.set()
    assert "réessayez" not in chat_turn(toy, docs, PRI, [], [], gate=gate)[1][-1]["content"]
    assert gate.refused == 0


def test_ask_endpoint_holds_its_slot_while_the_model_streams(folders, llm):
    from gradio_client import Client

    toy, corpus = folders
    cfg = GeneratorConfig(llm.base_url, "echo-model", timeout=60)
    gate = Gate(running=1, waiting=0, timeout=60)
    demo = build_app(toy, corpus=corpus, generator=cfg, gate=gate)
    try:
        client = Client(launched(demo), verbose=False)
        first = client.submit(question=PRI, api_name="/ask")
        assert llm.holding.wait(30)  # the first answer is streaming, held open
        assert gate.inside == 1
        second = client.submit(question=PRI, api_name="/ask")
        assert second.result(timeout=30) == {"error": BUSY}  # refused, not queued behind
        llm.hold.set()
        out = first.result(timeout=60)
        assert out["generation"]["outcome"] == "generated" and out["citations"]
        wait_until(lambda: gate.inside == 0, "the first answer to give its slot back")
        again = client.predict(question=PRI, api_name="/ask")
        assert again["generation"]["outcome"] == "generated" and gate.refused == 1
    finally:
        llm.hold.set()
        demo.close()
