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
