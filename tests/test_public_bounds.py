"""The public app bounded for anonymous visitors (real Gradio server on loopback, toy encoder).

No upload accepted (403, nothing written, nothing served back); filter fields bounded,
cleaned and type-checked; the *Suivi* downloads in a bounded folder; evaluation runs only
for an admin, one at a time; a malformed chat history logged once.
"""

from __future__ import annotations

import pytest

from assistant.web.server import parse_args, serve

from .conftest import free_port, toy_over_bundled

pytestmark = pytest.mark.filterwarnings("ignore:::gradio.queueing")


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bounded")
    toy, corpus = toy_over_bundled(tmp)
    return toy, corpus, tmp / "index"


@pytest.fixture(scope="module")
def uploads_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("gradio-uploads")


@pytest.fixture(scope="module")
def server(folders, uploads_dir):
    toy, corpus, index = folders
    port = free_port()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GRADIO_TEMP_DIR", str(uploads_dir))  # read when the app is created
        args = parse_args(["--port", str(port), "--corpus", str(corpus), "--index", str(index)])
        demo = serve(args, assistant=toy)
    yield port
    demo.close()


def _files(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _big_body(size: int):
    chunk = b"A" * (1 << 20)
    yield b'--xx\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n'
    yield b"Content-Type: text/plain\r\n\r\n"
    for _ in range(size // len(chunk)):
        yield chunk
    yield b"\r\n--xx--\r\n"


@pytest.mark.parametrize("path", ["/gradio_api/upload", "/gradio_api/upload/", "/upload"])
def test_a_100_mb_upload_is_refused_and_nothing_is_written(server, uploads_dir, path):
    import httpx

    before = _files(uploads_dir)
    url = f"http://127.0.0.1:{server}{path}"
    headers = {"Content-Type": "multipart/form-data; boundary=xx"}
    try:
        resp = httpx.post(url, content=_big_body(100 << 20), headers=headers, timeout=60)
    except httpx.TransportError:  # the server may close before the body is all sent
        resp = None
    print(f"\n{path}: {resp.status_code if resp is not None else 'connexion fermée'}")
    if resp is not None:
        assert resp.status_code == 403, resp.text[:200]
        assert "aucun envoi de fichier" in resp.json()["error"]
    assert _files(uploads_dir) == before


def test_a_small_upload_is_refused_and_not_served_back(server, uploads_dir):
    import httpx

    base = f"http://127.0.0.1:{server}"
    files = {"files": ("note.txt", b"secret-upload-marker", "text/plain")}
    resp = httpx.post(f"{base}/gradio_api/upload", files=files, timeout=20)
    assert resp.status_code == 403 and "aucun envoi" in resp.json()["error"]
    assert not [p for p in _files(uploads_dir) if b"secret-upload-marker" in p.read_bytes()]
    # the component server takes multipart bodies too
    resp = httpx.post(f"{base}/gradio_api/component_server", files=files, timeout=20)
    assert resp.status_code == 403
    # the app itself still answers
    assert httpx.get(f"{base}/", timeout=20).status_code == 200


# ---- 2. filter fields: bounded, cleaned, type-checked ----------------------------------


def test_filters_are_cleaned_like_the_question():
    from assistant.search.filters import Filters

    f = Filters.of(author="  Dupont\u202e\u200b\x00 \ud800Marie ", minister="Rudi\tVervoort")
    assert f.author == "Dupont Marie" and f.minister == "Rudi Vervoort"
    assert Filters.of(document="\u200b\u2066").document is None  # nothing left: no filter


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("minister", "x" * 201, "dépasse 200 caractères"),
        ("author", 123, "doit être du texte"),
        ("document", 123, "doit être du texte"),
        ("document", ["517"], "doit être du texte"),
        ("date_from", 20210428, "doit être du texte"),
        ("date_to", "2021-02-30", "invalide"),
        ("date_from", "9" * 5000, "dépasse"),
    ],
)
def test_bad_filter_values_give_a_french_error(field, value, message):
    from assistant.errors import QueryError
    from assistant.search.filters import Filters

    with pytest.raises(QueryError, match=message):
        Filters.of(**{field: value})


def test_a_lone_surrogate_never_reaches_the_tokenizer():
    from assistant.search.query import clean_query

    assert clean_query("budget \ud800 écoles").text == "budget écoles"


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client

    return Client(f"http://127.0.0.1:{server}/", verbose=False)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"objectif": 123}, "objectif doit être du texte"),
        ({"document": 123}, "document doit être du texte"),
        ({"minister": "m" * 2_000_000}, "dépasse 200 caractères"),
        ({"author": "a" * 201}, "dépasse 200 caractères"),
        ({"date_from": "2021-13-01"}, "invalide"),
        ({"date_to": 5}, "doit être du texte"),
    ],
)
def test_ask_filtered_refuses_bad_filters_through_gradio_client(client, extra, message):
    out = client.predict(
        question="Quel budget pour les écoles ?", **extra, api_name="/ask_filtered"
    )
    assert isinstance(out.get("error"), str) and message in out["error"], out


def test_ask_filtered_with_clean_filters_still_answers(client):
    question = "Quelles aides pour les commerces ?"
    plain = client.predict(question=question, api_name="/ask_filtered")
    assert plain["citations"], plain  # the test needs a cited answer to compare with
    out = client.predict(question=question, document="\u2066517\u200b ", api_name="/ask_filtered")
    assert out["citations"] == plain["citations"]
    none = client.predict(question=question, document="999", api_name="/ask_filtered")
    assert not none["citations"]


@pytest.mark.parametrize(
    ("filters", "objectif", "message"),
    [
        ({"document": 123}, "", "document doit être du texte"),
        ({"minister": "m" * 2_000_000}, "", "dépasse 200 caractères"),
        ({}, 1.5, "objectif doit être du texte"),
    ],
)
def test_chat_turn_refuses_bad_filters_in_french(folders, filters, objectif, message):
    from assistant.web.chat import UNEXPECTED, chat_turn

    toy, corpus, _ = folders
    _, chat, asked, _ = chat_turn(toy, {}, "Quel budget ?", [], [], objectif, filters=filters)
    reply = chat[-1]["content"]
    assert message in reply and UNEXPECTED not in reply and asked == []


# ---- 3. the Suivi tab's downloads: one bounded folder ----------------------------------


def test_200_filter_changes_write_a_bounded_number_of_files(folders, tmp_path):
    import itertools

    from assistant.brief.build import build_brief
    from assistant.brief.status import Status
    from assistant.web.brief_tab import refilter_handler

    brief = build_brief(folders[0])
    objectifs = ["", *sorted({r.objectif for r in brief.rows if r.objectif})][:4]
    ministers = ["", *sorted({m for r in brief.rows for m in r.ministers})][:3]
    statuses = ["", *(s.value for s in Status)][:3]
    combos = list(itertools.product(objectifs, ministers, statuses))
    refilter = refilter_handler(brief, tmp_path)
    outputs = {}
    for combo in itertools.islice(itertools.cycle(combos), 200):
        count, rows, csv_path, md_path = refilter(*combo)
        outputs.setdefault(combo, (csv_path, md_path))
        assert outputs[combo] == (csv_path, md_path)  # the same file for the same rows
        assert csv_path.endswith("chantiers.csv") and md_path.endswith("chantiers.md")
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) <= 2 * len(combos) < 200, len(files)
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith((".", "tmp"))]


# ---- 4. evaluation runs: admin only, one at a time, outside the repository, in French ----


def _config_text(port, cookies=None) -> str:
    import httpx

    return httpx.get(f"http://127.0.0.1:{port}/config", cookies=cookies, timeout=20).text


def test_the_run_button_only_for_an_admin(folders, server):
    import httpx

    assert "Lancer une évaluation" not in _config_text(server)  # the public app
    assert "--admin" in _config_text(server)  # says how to run one instead
    toy, corpus, index = folders
    for extra in (["--admin"], ["--auth", "ana:s3cret"]):
        port = free_port()
        args = parse_args(["--port", str(port), "--corpus", str(corpus), "--index", str(index),
                           *extra])  # fmt: skip
        demo = serve(args, assistant=toy)
        try:
            cookies = None
            if "--auth" in extra:
                user = {"username": "ana", "password": "s3cret"}
                login = httpx.post(f"http://127.0.0.1:{port}/login", data=user, timeout=20)
                cookies = login.cookies
            assert "Lancer une évaluation" in _config_text(port, cookies), extra
        finally:
            demo.close()


def test_one_run_at_a_time_with_a_french_message(folders, tmp_path):
    from assistant.files import try_locked
    from assistant.web.evaluation_tab import RUNNING, run_handler

    launch = run_handler(folders[0], tmp_path)
    with try_locked(tmp_path, name=".run.lock") as taken:
        assert taken
        md, *plots = launch("dev")
    assert md == RUNNING and not (tmp_path / "latest.json").exists()


def test_reports_written_at_the_same_moment_do_not_collide(tmp_path):
    import json
    from concurrent.futures import ThreadPoolExecutor

    from evals.report import REPORTS, write_report

    report = json.loads((REPORTS / "latest.json").read_text(encoding="utf-8"))
    with ThreadPoolExecutor(4) as pool:
        done = list(pool.map(lambda lang: write_report(report, tmp_path, lang=lang),
                             ["fr", "en", "fr", "en"]))  # fmt: skip
    assert all(p == tmp_path / "latest.md" for p in done)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["hits.png", "kinds.png", "latency.png", "latest.json", "latest.md"]


def test_a_run_from_the_app_is_written_outside_the_repository_in_french(
    folders, monkeypatch, tmp_path
):
    from assistant.web.evaluation_tab import report_folder, report_view, run_handler
    from evals.report import REPORTS

    monkeypatch.setenv("ASSISTANT_CACHE_DIR", str(tmp_path / "cache"))
    tracked = {p.name: p.stat().st_mtime_ns for p in REPORTS.iterdir()}
    folder = report_folder()
    assert folder == tmp_path / "cache" / "evaluations"
    md, *plots = run_handler(folders[0], folder)("heldout")
    assert md.startswith("# Rapport d’évaluation") and "## Recherche — réservée" in md
    for english in ("## Retrieval", "## Answers", "## Failures", "| split |", "| config |"):
        assert english not in md
    assert all(p is not None for p in plots)
    assert md == report_view(folder)[0] and (folder / "latest.json").is_file()
    assert {p.name: p.stat().st_mtime_ns for p in REPORTS.iterdir()} == tracked


def test_the_tab_shows_the_repository_report_in_french(monkeypatch, tmp_path):
    import gradio as gr

    from assistant.web.evaluation_tab import evaluation_tab, report_folder

    monkeypatch.setenv("ASSISTANT_CACHE_DIR", str(tmp_path / "cache"))
    with gr.Blocks():
        view = evaluation_tab(None)
    assert view.value.startswith("# Rapport d’évaluation") and "## Échecs" in view.value
    assert {p.name for p in report_folder().glob("*.png")} == {
        "hits.png",
        "kinds.png",
        "latency.png",
    }


# ---- 5. a malformed chat history: one log line per request ----------------------------


def _chat_event(port: int, fn_index: int, history) -> str:
    """One chat event through Gradio's queue (raw HTTP, as a hostile client sends it)."""
    import httpx

    base, session = f"http://127.0.0.1:{port}", "malformed1"
    data = ["Quel budget ?", history, None, "", "", "", "", "", ""]
    body = {"data": data, "fn_index": fn_index, "session_hash": session, "trigger_id": None}
    assert httpx.post(f"{base}/gradio_api/queue/join", json=body, timeout=30).status_code == 200
    url = f"{base}/gradio_api/queue/data?session_hash={session}"
    with httpx.stream("GET", url, timeout=60) as stream:
        for line in stream.iter_lines():
            if "process_completed" in line:
                return line
    raise AssertionError("no process_completed event")


def test_a_malformed_chat_history_is_logged_once(folders, capfd):
    toy, corpus, index = folders
    port = free_port()
    args = parse_args(["--port", str(port), "--corpus", str(corpus), "--index", str(index)])
    demo = serve(args, assistant=toy)
    try:
        fn = next(i for i, f in demo.fns.items() if getattr(f, "name", "") == "respond")
        capfd.readouterr()
        bad = [{"role": "robot", "content": {"x": 1}}, "nope", 5] * (5000 // 3)
        done = _chat_event(port, fn, bad)
        out, err = capfd.readouterr()
        lines = [line for line in (out + err).splitlines() if line.strip()]
        assert len(lines) <= 1, (len(lines), "\n".join(lines[:25]))
        assert "Historique de conversation" in done and "Traceback" not in done
        import gradio as gr

        good = [{"role": "user", "content": "Bonjour"}, {"role": "assistant", "content": "Oui"}]
        good = gr.Chatbot().postprocess(good).model_dump()  # as the page sends it back
        assert '"success":true' in _chat_event(port, fn, good).replace(" ", "")
    finally:
        demo.close()


# ---- 6. memory bounded on purpose ------------------------------------------------------


def test_gradio_sessions_are_bounded(folders):
    from assistant.web.memory import SESSIONS

    toy, corpus, index = folders
    port = free_port()
    args = parse_args(["--port", str(port), "--corpus", str(corpus), "--index", str(index)])
    demo = serve(args, assistant=toy)
    try:
        assert demo.state_session_capacity == SESSIONS
        holder = demo.state_holder
        for i in range(SESSIONS + 40):  # as many visitors, each with its own session
            holder[f"visitor-{i}"]
        assert len(holder.session_data) == SESSIONS
        assert f"visitor-{SESSIONS + 39}" in holder and "visitor-0" not in holder
    finally:
        demo.close()


def test_malloc_arenas_are_capped_on_glibc(monkeypatch):
    import platform

    from assistant.web.memory import limit_arenas

    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    monkeypatch.setenv("ASSISTANT_MALLOC_ARENAS", "0")
    assert limit_arenas() is False  # switched off
    if platform.libc_ver()[0] != "glibc":
        pytest.skip("mallopt(M_ARENA_MAX) is glibc's")
    monkeypatch.delenv("ASSISTANT_MALLOC_ARENAS")
    assert limit_arenas() is True


def test_briefs_are_kept_only_for_the_generations_still_served(monkeypatch):
    """The brief cache follows the served assistant: a replaced generation's briefs go with
    it (keyed by ``id()`` they stayed for the process's life, one set per ``add``/``remove``)."""
    import gc
    from types import SimpleNamespace

    from assistant.brief import build
    from assistant.web import operations
    from assistant.web.gate import Gate

    class Generation:  # an assistant: only its identity matters to the cache
        corpus = None

    built = []  # the documents whose brief was computed, in order

    def build_brief(assistant, doc):
        built.append(doc.doc_id)
        return SimpleNamespace(to_json=lambda: {"document": doc.doc_id, "built": len(built)})

    monkeypatch.setattr(
        build, "load_document", lambda corpus, doc_id: SimpleNamespace(doc_id=doc_id)
    )
    monkeypatch.setattr(build, "build_brief", build_brief)
    monkeypatch.setattr(operations, "_briefs", type(operations._briefs)())
    a = SimpleNamespace(assistant=Generation(), live=None, gate=Gate())
    assert operations.brief(a, document="d1") == {"document": "d1", "built": 1}
    assert operations.brief(a, document="d1") == {"document": "d1", "built": 1}  # cached
    assert operations.brief(a, document="d2")["built"] == 2
    a.assistant = Generation()  # add/remove served a new generation; the old one is dropped
    gc.collect()
    assert operations.brief(a, document="d1") == {"document": "d1", "built": 3}  # not stale
    assert [len(briefs) for briefs in operations._briefs.values()] == [1]
