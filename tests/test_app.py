"""The Gradio app without a browser: rendering helpers, handlers, the mounted /ask API.

A toy encoder stands in for the model (the model is not the point here).
"""

from __future__ import annotations

import pytest

import app
from assistant import Assistant, parse_file
from assistant.answers.values import Answer, Citation
from assistant.web import layout, server
from assistant.web.chat import ask_json, chat_turn
from assistant.web.document_tab import load_documents, render_document
from assistant.web.layout import build_app
from assistant.web.render import (
    DOC_ICON,
    EMPTY_SOURCES,
    document_line,
    esc,
    excerpt_window,
    highlighted,
    render_reply,
    render_sources,
)

from .conftest import ANSWER_KEYS, CITATION_KEYS, ROOT

DOC_ID = "qe-517"


@pytest.fixture
def assistant(corpus_dir, tmp_path, toy_encoder):
    return Assistant.load(
        corpus=corpus_dir,
        index=tmp_path / "i",
        encoder=toy_encoder,
        progress=False,
        log=lambda msg: None,
    )


@pytest.fixture
def docs(corpus_dir):
    return load_documents(corpus_dir)


EXCERPT = "Avant <b>x</b> phrase surlignée. Après."
SPAN = (EXCERPT.index("phrase"), EXCERPT.index(" Après"))


def citation(
    n=1,
    excerpt=EXCERPT,
    highlights=(SPAN,),
    section_id="chantier-1.3.1",
    label="Chantier 1.3.1 — <i>PRI</i>",
):
    return Citation(
        n=n,
        chunk_id=f"{DOC_ID}#{section_id}",
        doc_id=DOC_ID,
        section_id=section_id,
        section_label=label,
        heading_path=f"Objectif 1.3 › {label}",
        objectif_label="Objectif 1.3 — Recherche & <u>innovation</u>",
        ministers=("Ministre <script>alert(1)</script>",),
        excerpt=excerpt,
        highlights=highlights,
    )


def fake_answer(**kw):
    values = dict(
        question="Où en est le PRI ?",
        answer="Le plan <b>avance</b>. [1]",
        abstained=False,
        citations=(citation(),),
        resolved_question="Où en est le PRI ?",
    )
    return Answer(**{**values, **kw})


def test_build_app_returns_blocks_without_launching(assistant, corpus_dir):
    import gradio as gr

    demo = build_app(assistant, corpus=corpus_dir)
    assert isinstance(demo, gr.Blocks)
    assert not demo.is_running
    public = {f.api_name for f in demo.fns.values() if f.api_visibility == "public"}
    assert public == {"ask", "ask_filtered"}  # the chat's own events are not part of the API


def test_sources_escape_markup_and_mark_exactly_the_highlight(docs):
    out = render_sources(fake_answer(), docs)
    assert "&lt;b&gt;x&lt;/b&gt;" in out and "<b>x</b>" not in out
    assert "<mark>phrase surlignée.</mark>" in out and out.count("<mark>") == 1
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;i&gt;PRI&lt;/i&gt;" in out and "&lt;u&gt;innovation&lt;/u&gt;" in out
    assert '<span class="num">[1]</span>' in out
    assert "Ministre porteur" in out
    # the whole section, from the parsed document, to unfold
    assert "<summary>Lire la section</summary>" in out
    assert esc(docs[DOC_ID].section("chantier-1.3.1").text) in out


def test_document_line_draws_its_icon_inline_without_an_emoji():
    from assistant.answers.values import DocumentRef

    label = "Question écrite n°1 — <x>"
    ref = DocumentRef(label=label, author="A", addressee="B", date="2021-04-28")
    line = document_line(ref)
    assert line.startswith(f'<p class="meta doc-ref">{DOC_ICON}<b>Question écrite n°1 — &lt;x&gt;')
    assert "A → B · 28/04/2021" in line
    assert DOC_ICON.startswith("<svg") and 'aria-hidden="true"' in DOC_ICON
    assert all(ord(ch) < 0x2000 for ch in line.replace("→", "").replace("—", ""))  # no emoji
    assert document_line(DocumentRef()) == ""


def test_sources_without_known_section_and_empty_answer(docs):
    out = render_sources(fake_answer(citations=(citation(section_id="nope"),)), docs)
    assert "Lire la section" not in out and "<mark>" in out
    assert render_sources(fake_answer(citations=()), docs) == EMPTY_SOURCES


def test_highlighted_merges_overlaps_and_clips():
    assert highlighted("a<b>c", [(1, 4)]) == "a<mark>&lt;b&gt;</mark>c"
    assert highlighted("abcdef", [(3, 5), (0, 4), (9, 12)]) == "<mark>abcd</mark><mark>e</mark>f"
    assert highlighted("abc", []) == "abc"


def test_excerpt_window_keeps_the_highlight_exact():
    text = "Titre\n\n" + "mot " * 300 + "\nLa phrase <b>citée</b>. " + "suite " * 300
    start = text.index("La phrase")
    end = text.index(". suite") + 1
    window, spans = excerpt_window(text, [(start, end)])
    assert len(window) < 800 and window.startswith("… ") and window.endswith(" …")
    assert [window[a:b] for a, b in spans] == [text[start:end]]
    short = "court <b>x</b> texte"
    assert excerpt_window(short, [(6, 14)]) == (short, [(6, 14)])
    head, no_spans = excerpt_window(text, [])
    assert head.startswith("Titre") and no_spans == [] and len(head) < 400


def test_reply_escapes_and_shows_resolved_question():
    reply = render_reply(
        fake_answer(
            question="et pour les <b>jeunes</b> ?",
            resolved_question="Quelles aides pour les <b>jeunes</b> ?",
            answer="Texte *gras* <script>x</script> [1]",
        )
    )
    assert (
        "<small>Question comprise : « Quelles aides pour les &lt;b&gt;jeunes&lt;/b&gt; ? »" in reply
    )
    assert "<script>" not in reply and "&lt;script&gt;" in reply
    assert r"\*gras\*" in reply and r"\[1\]" in reply  # Markdown shown literally


def test_reply_for_an_abstention_lists_the_maybe_useful_passages():
    answer = fake_answer(
        abstained=True,
        answer="Le document ne contient pas d'information sur ce point : « <img src=x> ».\n"
        "Passages peut-être utiles :\n[1] Chantier 1.3.1",
        citations=(citation(highlights=()),),
    )
    reply = render_reply(answer)
    assert reply.startswith("> ⚠️ **Le document ne contient pas d'information")
    assert "&lt;img src=x&gt;" in reply and "<img" not in reply
    assert "*Passages peut-être utiles :*" in reply and r"- \[1\] Chantier 1.3.1" in reply
    assert "Aucune source ne répond" in render_sources(answer, {})


def test_document_table_of_contents_is_complete_and_escaped(corpus_dir):
    path = corpus_dir / "qe-517-sommet-social-2021.txt"
    text = path.read_text(encoding="utf-8")
    marker = "L’organisation de la vaste consultation"
    assert marker in text
    path.write_text(text.replace(marker, "<script>alert(1)</script> " + marker), encoding="utf-8")
    doc = parse_file(path)
    out = render_document(doc)
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "Bianca Debaets" in out and "Rudi Vervoort" in out and "01/03/2021" in out
    assert out.count("<li>") == len(doc.sub_questions) == 8
    for obj in doc.objectifs:
        assert f"<summary>Objectif {obj.number} — " in out
        for s in obj.chantiers:
            assert esc(s.label) in out
    assert out.count("<details>") == out.count("</details>") > len(doc.sections())


def test_ask_json_returns_the_contract(assistant):
    out = ask_json(assistant, "Quelles aides pour les commerces ?")
    assert ANSWER_KEYS <= set(out) and isinstance(out["abstained"], bool)
    assert {"encode", "search", "answer", "total"} <= set(out["timings_ms"])
    assert out["citations"] and all(CITATION_KEYS <= set(c) for c in out["citations"])
    assert all(isinstance(c["highlights"], list) for c in out["citations"])
    assert out == assistant.ask("Quelles aides pour les commerces ?").to_json() | {
        "timings_ms": out["timings_ms"]
    }
    filtered = ask_json(assistant, "commerces", 2, "1.2", objectifs=["1.2"])
    assert len(filtered["hits"]) <= 2 and all(
        h["section_id"].startswith(("chantier-1.2", "objectif-1.2")) for h in filtered["hits"]
    )


@pytest.mark.parametrize(
    "args",
    [
        ("",),
        ("???",),
        ("   ",),
        ("x " * 600,),
        (None,),
        ("commerces", 0),
        ("commerces", True),
        ("commerces", 5, "9.9"),
    ],
)
def test_ask_json_bad_input_gives_a_french_error(assistant, args):
    out = ask_json(assistant, *args, objectifs=["1.2"])
    assert set(out) == {"error"} and out["error"]
    assert "Traceback" not in out["error"]


def test_chat_turn_escapes_answers_and_keeps_history(assistant, docs):
    box, chat, asked, sources = chat_turn(
        assistant,
        docs,
        "<script>window.__xss=1</script>Quelles aides pour les commerces ?",
        [],
        [],
        "",
    )
    assert box == "" and [m["role"] for m in chat] == ["user", "assistant"]
    assert chat[0]["content"].startswith("&lt;script&gt;window.\\_\\_xss=1&lt;/script&gt;")
    assert "[1" in chat[1]["content"] and "<mark>" in sources
    _, chat, asked, _ = chat_turn(assistant, docs, "Quelles aides pour les commerces ?", [], [])
    _, chat, asked, _ = chat_turn(assistant, docs, "et pour les jeunes ?", chat, asked, "")
    assert "Question comprise" in chat[-1]["content"]
    # the history keeps the questions as understood, so that follow-ups can chain
    assert asked[-1] == "Quelles aides pour les jeunes ?"
    _, chat, asked, _ = chat_turn(assistant, docs, "et pour les artisans ?", chat, asked, "")
    assert asked[-1] == "Quelles aides pour les artisans ?"


def test_chat_turn_shows_errors_as_the_assistant_reply(assistant, docs):
    _, chat, asked, sources = chat_turn(assistant, docs, "???", [], [], "")
    assert chat[-1]["role"] == "assistant" and "aucun mot à chercher" in chat[-1]["content"]
    assert asked == [] and sources == EMPTY_SOURCES
    _, chat, _, _ = chat_turn(assistant, docs, "a " * 600, [], [], "", max_chars=1000)
    assert "dépasse 1000 caractères" in chat[-1]["content"]

    class Broken:
        def ask(self, *a, **kw):
            raise RuntimeError("secret internals")

    _, chat, _, _ = chat_turn(Broken(), docs, "Quelles aides ?", [], [], "")
    assert "secret" not in chat[-1]["content"] and "erreur inattendue" in chat[-1]["content"]


@pytest.mark.filterwarnings("ignore:::gradio.queueing")  # pandas deprecations inside gradio
def test_mounted_app_serves_ask_and_no_outside_file(assistant, corpus_dir):
    import gradio as gr
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    demo = build_app(assistant, corpus=corpus_dir).queue(max_size=32)
    with TestClient(gr.mount_gradio_app(FastAPI(), demo, path="/")) as client:
        info = client.get("/gradio_api/info").json()
        assert list(info["named_endpoints"]) == ["/ask", "/ask_filtered"]
        assert not info["unnamed_endpoints"]
        params = info["named_endpoints"]["/ask"]["parameters"]
        assert [(p["parameter_name"], p["parameter_default"]) for p in params] == [
            ("question", None),
            ("k", 5),
            ("objectif", ""),
        ]
        assert client.get("/gradio_api/file=/etc/passwd").status_code == 403
        assert client.get(f"/gradio_api/file={ROOT / 'app.py'}").status_code == 403
        event = client.post("/gradio_api/call/ask", json={"data": ["???", 5, ""]}).json()
        with client.stream("GET", f"/gradio_api/call/ask/{event['event_id']}") as stream:
            body = "".join(stream.iter_text())
        assert "event: complete" in body and "aucun mot" in body


def test_main_launches_locally_with_the_queue(monkeypatch, capsys):
    calls = {}

    class FakeDemo:
        local_url = "http://127.0.0.1:9999/"
        context = "the app's context"

        def queue(self, **kw):
            calls["queue"] = kw
            return self

        def launch(self, **kw):
            calls["launch"] = kw

        def block_thread(self):
            calls["blocked"] = True

    def fake_build(assistant=None, **kw):
        calls["build"] = kw
        return FakeDemo()

    monkeypatch.setattr(layout, "build_app", fake_build)
    monkeypatch.setattr(server, "french_queue_full", lambda demo: calls.setdefault("fr", demo))
    monkeypatch.setattr(server.api, "mount", lambda demo, a: calls.setdefault("api", a))
    monkeypatch.delenv(server.AUTH_ENV, raising=False)
    monkeypatch.delenv("ASSISTANT_MCP", raising=False)
    app.main(["--port", "9999", "--corpus", "c", "--index", "i"])
    assert calls["api"] == "the app's context" and isinstance(calls["fr"], FakeDemo)
    assert calls["build"] == {
        "corpus": "c",
        "index": "i",
        "model": None,
        "max_question_chars": 1000,
        "admin": False,
    }
    assert calls["queue"] == {"max_size": server.QUEUE_SIZE, "default_concurrency_limit": 40}
    launch = calls["launch"]
    assert launch["server_name"] == "127.0.0.1" and launch["server_port"] == 9999
    assert launch["share"] is False and launch["show_error"] is False
    assert launch["auth"] is None and launch["mcp_server"] is False
    assert "allowed_paths" not in launch and calls["blocked"]
    assert "http://127.0.0.1:9999/" in capsys.readouterr().out
    app.main(["--host", "0.0.0.0", "--auth", "ana:s3cr:et", "--max-question-chars", "300"])
    assert calls["launch"]["server_name"] == "0.0.0.0"
    assert calls["launch"]["auth"] == ("ana", "s3cr:et")
    assert calls["build"]["max_question_chars"] == 300
    assert calls["build"]["admin"] is True  # --auth: the evaluation run button
    monkeypatch.setenv(server.AUTH_ENV, "bob:pw")
    app.main([])
    assert calls["launch"]["auth"] == ("bob", "pw")


@pytest.mark.parametrize(
    "argv, env, message",
    [
        (["--auth", "pas-de-deux-points"], None, "UTILISATEUR:MOT_DE_PASSE"),
        (["--auth", ":motdepasse"], None, "UTILISATEUR:MOT_DE_PASSE"),
        ([], "seulement-un-nom:", "ASSISTANT_AUTH"),
        (["--max-question-chars", "0"], None, "--max-question-chars"),
    ],
)
def test_main_refuses_bad_flags_in_one_line(monkeypatch, capsys, argv, env, message):
    if env is None:
        monkeypatch.delenv(server.AUTH_ENV, raising=False)
    else:
        monkeypatch.setenv(server.AUTH_ENV, env)
    with pytest.raises(SystemExit) as exit_:
        server.parse_args(argv)
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and message in err and "Traceback" not in err


def test_a_long_chat_keeps_a_bounded_list_of_previous_questions(assistant, docs):
    """``asked`` lives in the session's state: it keeps the last ASKED_KEPT questions, the
    follow-up still reads the last one."""
    from assistant.web.chat import ASKED_KEPT

    chat, asked = [], []
    for _ in range(ASKED_KEPT + 5):
        _, chat, asked, _ = chat_turn(
            assistant, docs, "Quelles aides pour les commerces ?", chat, asked
        )
    assert len(asked) == ASKED_KEPT
    _, chat, asked, _ = chat_turn(assistant, docs, "et pour les jeunes ?", chat, asked)
    assert len(asked) == ASKED_KEPT and asked[-1] == "Quelles aides pour les jeunes ?"
