"""The MCP server (``python app.py --mcp``) driven by the real ``mcp`` client over HTTP.

A real Gradio server on loopback (toy encoder for the fast tests, the real model for the
slow one), the official client (``mcp.client.streamable_http``): the tools listed with their
argument schemas, ``ask`` answering with cited passages, bad arguments refused in French,
``--auth`` enforced, ``ASSISTANT_MCP=1``.
"""

from __future__ import annotations

import asyncio
import base64
import json

import pytest

from assistant.web import mcp_tools
from assistant.web.server import parse_args, serve

from .conftest import ANSWER_KEYS, CITATION_KEYS, HIT_KEYS, free_port, toy_over_bundled

pytestmark = pytest.mark.filterwarnings("ignore:::gradio.queueing")

PRI = "Où en est le Plan Régional pour l'Innovation ?"


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    return toy_over_bundled(tmp_path_factory.mktemp("mcp"))


def _serve(assistant, corpus, *extra):
    port = free_port()
    args = parse_args(["--port", str(port), "--corpus", str(corpus), "--mcp", *extra])
    return serve(args, assistant=assistant), f"http://127.0.0.1:{port}/gradio_api/mcp/"


@pytest.fixture(scope="module")
def server(folders):
    demo, url = _serve(*folders)
    yield url
    demo.close()


def session(url: str, work, *, headers=None):
    """Run ``await work(session)`` in an MCP client session on ``url``; returns its result."""
    import httpx
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async def run():
        async with httpx.AsyncClient(headers=headers, timeout=60) as http:
            async with streamable_http_client(url, http_client=http) as (read, write, _):
                async with ClientSession(read, write) as s:
                    await s.initialize()
                    return await work(s)

    return asyncio.run(run())


def call(url: str, tool: str, arguments: dict, **kw):
    return session(url, lambda s: s.call_tool(tool, arguments), **kw)


def test_only_the_four_tools_are_listed_with_their_documented_arguments(server):
    tools = {t.name: t for t in session(server, lambda s: s.list_tools()).tools}
    assert list(tools) == ["ask", "search", "list_documents", "brief"]
    ask = tools["ask"].inputSchema
    assert ask["required"] == ["question"]
    assert list(ask["properties"]) == [
        "question", "k", "document", "author", "minister", "date_from", "date_to"
    ]  # fmt: skip
    assert ask["properties"]["k"]["type"] == "integer" and ask["properties"]["k"]["default"] == 5
    for tool in tools.values():  # every argument says what it is for, every tool what it returns
        assert "Returns: JSON text" in tool.description, tool.name
        for name, prop in tool.inputSchema["properties"].items():
            assert len(prop.get("description", "")) > 10, (tool.name, name)
    assert "abstained" in tools["ask"].description
    assert list(tools["search"].inputSchema["properties"]) == ["question", "k", "mode"]
    assert tools["list_documents"].inputSchema["properties"] == {}
    assert list(tools["brief"].inputSchema["properties"]) == ["document"]


def test_ask_returns_the_answer_with_its_cited_passages(server, folders):
    toy, _ = folders
    result = call(server, "ask", {"question": PRI, "k": 3})
    assert not result.isError
    got = json.loads(result.content[0].text)
    assert ANSWER_KEYS <= set(got) and not got["abstained"]
    expected = toy.ask(PRI, k=3)
    assert [c["chunk_id"] for c in got["citations"]] == [c.chunk_id for c in expected.citations]
    for c in got["citations"]:
        assert CITATION_KEYS <= set(c) and c["excerpt"] and c["document"]["label"]
    assert len(got["hits"]) == 3


def test_ask_with_a_filter_that_keeps_nothing_abstains(server):
    got = json.loads(
        call(server, "ask", {"question": PRI, "date_from": "2030-01-01"}).content[0].text
    )
    assert got["abstained"] and got["hits"] == []


def test_search_list_documents_and_brief(server, folders):
    toy, corpus = folders
    hits = json.loads(call(server, "search", {"question": PRI, "k": 2}).content[0].text)["hits"]
    assert [h["chunk_id"] for h in hits] == [h.chunk_id for h in toy.search(PRI, k=2)]
    assert all(HIT_KEYS <= set(h) for h in hits)
    docs = json.loads(call(server, "list_documents", {}).content[0].text)
    assert [d["file"] for d in docs] == [p.name for p in corpus.iterdir()]
    brief = json.loads(call(server, "brief", {"document": "517"}).content[0].text)
    assert brief["question"]["number"] == "517" and brief["coverage"] and brief["chantiers"]


@pytest.mark.parametrize(
    "tool, arguments, message",
    [
        ("ask", {}, "Argument « question » obligatoire"),
        ("ask", {"question": 3}, "« question » doit être du texte"),
        ("ask", {"question": PRI, "k": "deux"}, "« k » doit être un entier"),
        ("ask", {"question": PRI, "k": 99}, "k doit être un entier entre 1 et 20"),
        ("ask", {"question": PRI, "kk": 1}, "Argument inconnu « kk »"),
        ("ask", {"question": PRI, "date_from": "hier"}, "AAAA-MM-JJ"),
        ("ask", {"question": "   "}, "non vide"),
        ("search", {"question": PRI, "mode": "magique"}, "mode inconnu"),
        ("brief", {"document": "999"}, "introuvable"),
        ("ask_filtered", {"question": PRI}, "Outil inconnu « ask_filtered »"),
    ],
)
def test_bad_arguments_get_a_french_tool_error(server, tool, arguments, message):
    result = call(server, tool, arguments)
    text = result.content[0].text
    assert result.isError and message in text
    assert "Traceback" not in text and "Error" not in text


def test_auth_refuses_a_client_without_the_password(folders):
    import httpx

    demo, url = _serve(*folders, "--auth", "ana:s3cret")
    good = {"Authorization": "Basic " + base64.b64encode(b"ana:s3cret").decode()}
    bad = {"Authorization": "Basic " + base64.b64encode(b"ana:faux").decode()}
    try:
        for headers in (None, bad):
            with pytest.raises(Exception):  # noqa: B017 - the client fails to connect: any error
                session(url, lambda s: s.list_tools(), headers=headers)
            r = httpx.post(url, json={}, headers=headers or {}, timeout=20)
            assert r.status_code == 401 and "Identifiants requis" in r.json()["error"]
        tools = session(url, lambda s: s.list_tools(), headers=good)
        assert [t.name for t in tools.tools] == list(mcp_tools.TOOLS)
        result = call(url, "ask", {"question": PRI}, headers=good)
        assert not result.isError and "citations" in json.loads(result.content[0].text)
    finally:
        demo.close()


def test_mcp_is_off_unless_asked(monkeypatch):
    monkeypatch.delenv(mcp_tools.MCP_ENV, raising=False)
    assert parse_args([]).mcp is False and parse_args(["--mcp"]).mcp is True
    monkeypatch.setenv(mcp_tools.MCP_ENV, "1")
    assert parse_args([]).mcp is True


def test_argument_problem_on_hand_made_schemas():
    schema = {
        "type": "object",
        "properties": {"question": {"type": "string"}, "k": {"type": "integer"}},
        "required": ["question"],
    }
    assert mcp_tools.argument_problem(schema, {"question": "x", "k": 2}) is None
    assert "obligatoire" in mcp_tools.argument_problem(schema, {"k": 2})
    assert "un entier (reçu 2.5)" in mcp_tools.argument_problem(schema, {"question": "x", "k": 2.5})
    assert "arguments possibles : question, k" in mcp_tools.argument_problem(schema, {"q": 1})
    assert "objet JSON" in mcp_tools.argument_problem(schema, ["x"])


@pytest.mark.slow
def test_real_model_ask_cites_the_pri_chantier(real_assistant):
    demo, url = _serve(real_assistant, real_assistant.corpus)
    try:
        got = json.loads(call(url, "ask", {"question": PRI}).content[0].text)
    finally:
        demo.close()
    expected = real_assistant.ask(PRI)
    assert not got["abstained"] and got["answer"] == expected.answer
    assert any("Innovation" in c["excerpt"] for c in got["citations"])


def test_a_full_gate_is_a_french_tool_error(folders):
    from assistant.web.gate import BUSY, Gate
    from assistant.web.layout import build_app

    toy, _ = folders
    gate = Gate(running=1, waiting=0)
    demo = build_app(toy, gate=gate)
    mcp_tools.register(demo.context, demo)
    demo.queue()
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                mcp_server=True)  # fmt: skip
    mcp_tools.expose_only(demo)
    url = f"http://127.0.0.1:{port}/gradio_api/mcp/"
    try:
        with gate.slot():  # another question is being answered
            result = call(url, "ask", {"question": PRI})
            assert result.isError and result.content[0].text == BUSY
        assert not call(url, "ask", {"question": PRI}).isError
    finally:
        demo.close()
