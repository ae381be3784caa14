"""Questions encoded by ONNX Runtime, on the model's own float32 weights.

:class:`OnnxEncoder` runs the same forward pass as :class:`~assistant.models.numpy_encoder.
NumpyEncoder` (the same ids, the same embeddings read from the weights file, mean pooling,
L2 normalisation), but its twelve BERT layers run in ONNX Runtime's CPU kernels rather than
in NumPy: the fused ``Attention``, ``SkipLayerNormalization`` and ``BiasGelu`` operators of
ONNX Runtime (exact erf GELU), float32 throughout, on two threads: about three times faster
than the NumPy pass (twice as fast on one thread too: NumPy loses about half of its time between
its matrix products), with the same vectors.

The graph is written once, when the model folder is built (:func:`write_graph`, called by
:mod:`assistant.models.e5model`; the ``onnx`` package is needed there only), as
``query_model.onnx`` and its weights ``query_model.onnx.data`` beside
``model.safetensors``: the layers only (~85 MB), not the 250,037 word embeddings, which
stay in the weights file as for the NumPy pass. ONNX Runtime maps the weights file, packs
the weights for its matrix products, and unmaps it. Serving imports ``onnxruntime`` and
NumPy, never PyTorch.

The vectors agree with sentence-transformers' to float32 rounding (cosine ≥ 0.99999 on
every evaluation question, ``benchmarks/query_encoders.py``). It has the same ``id``,
``fingerprint`` and ``dim`` as the sentence-transformers encoder of the same folder, so an
index built by one is current for the other.

:class:`~assistant.models.numpy_encoder.FolderUnsupported` says that the folder has no graph
(built before converter version 3) or that ONNX Runtime cannot load it;
:func:`assistant.models.encoder.load_encoder` then falls back to the NumPy pass with a
one-line notice.

Non-goals: passages (sentence-transformers builds the index), quantised weights (they would
not give the same vectors), other architectures than the NumPy pass's.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import nullcontext
from pathlib import Path

import numpy as np

from ..errors import ModelError, reason
from .numpy_encoder import (
    FolderUnsupported,
    NumpyEncoder,
    read_config,
    read_layers,
    tensor_reader,
)

__all__ = ["NAME", "GRAPH_FILE", "WEIGHTS_FILE", "OnnxEncoder", "write_graph"]

NAME = "onnxruntime"  # the ``query_encoder`` of this encoder, as --query-encoder spells it
GRAPH_FILE = "query_model.onnx"
WEIGHTS_FILE = "query_model.onnx.data"  # the graph's weights, beside it
_MS = "com.microsoft"  # ONNX Runtime's own operators
THREADS = 2  # a forward pass on both cores: p95 11.7 ms against 19.4 on one (benchmarks/README.md)


def write_graph(folder: Path) -> Path:
    """Write ``folder/query_model.onnx`` and its weights ``query_model.onnx.data``: the
    embedding norm, the BERT layers, the masked mean and the L2 norm of the folder's
    ``model.safetensors``, for inputs ``x`` (batch, n, dim: word + position + type
    embeddings) and ``mask`` (batch, n, int32, 1 on real tokens). Each file is written
    under a temporary name, then renamed (the weights first); the folder being built is
    what makes the pair atomic (:mod:`assistant.models.e5model`)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    folder = Path(folder)
    config = read_config(folder)
    dim, heads = int(config["hidden_size"]), int(config["num_attention_heads"])
    eps = float(config["layer_norm_eps"])
    weights = folder / "model.safetensors"
    layers = read_layers(weights, int(config["num_hidden_layers"]))
    norm0 = _embedding_norm(weights)
    initializers, nodes = [], []

    def const(name: str, value) -> str:
        initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(op: str, inputs: list[str], output: str | None = None, **attributes) -> str:
        output = output or f"{op}_{len(nodes)}"
        domain = _MS if op in ("Attention", "SkipLayerNormalization", "BiasGelu") else None
        nodes.append(helper.make_node(op, inputs, [output], domain=domain, **attributes))
        return output

    norm = [const("norm0.w", norm0[0]), const("norm0.b", norm0[1])]
    x = node("LayerNormalization", ["x", *norm], epsilon=eps, axis=-1)
    for i, layer in enumerate(layers):
        p = f"layer{i}."
        qkv = [x, const(p + "qkv.w", layer.qkv_w), const(p + "qkv.b", layer.qkv_b), "mask"]
        attended = node("Attention", qkv, num_heads=heads)
        attended = node("MatMul", [attended, const(p + "out.w", layer.out_w)])
        norm = [const(p + "norm1.w", layer.norm1[0]), const(p + "norm1.b", layer.norm1[1])]
        skip = [attended, x, *norm, const(p + "out.b", layer.out_b)]
        x = node("SkipLayerNormalization", skip, epsilon=eps)
        up = node("MatMul", [x, const(p + "up.w", layer.up_w)])
        hidden = node("BiasGelu", [up, const(p + "up.b", layer.up_b)])
        down = node("MatMul", [hidden, const(p + "down.w", layer.down_w)])
        norm = [const(p + "norm2.w", layer.norm2[0]), const(p + "norm2.b", layer.norm2[1])]
        skip = [down, x, *norm, const(p + "down.b", layer.down_b)]
        x = node("SkipLayerNormalization", skip, epsilon=eps)
    real = node("Cast", ["mask"], to=TensorProto.FLOAT)
    tokens = node("Unsqueeze", [real, const("axis2", np.array([2], dtype=np.int64))])
    axis1 = const("axis1", np.array([1], dtype=np.int64))
    summed = node("ReduceSum", [node("Mul", [x, tokens]), axis1], keepdims=0)
    pooled = node("Div", [summed, node("ReduceSum", [real, axis1], keepdims=1)])
    length = node("ReduceL2", [pooled, axis1], keepdims=1)
    node("Div", [pooled, node("Max", [length, const("tiny", np.float32(1e-12))])], "vectors")
    graph = helper.make_graph(
        nodes,
        "multilingual-e5-small-queries",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "n", dim]),
            helper.make_tensor_value_info("mask", TensorProto.INT32, ["batch", "n"]),
        ],
        [helper.make_tensor_value_info("vectors", TensorProto.FLOAT, ["batch", dim])],
        initializers,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 18), helper.make_opsetid(_MS, 1)]
    )
    model.ir_version = 9  # read by every ONNX Runtime since 1.15
    # the weights in a file of their own: ONNX Runtime maps it, packs the weights and lets
    # it go, where a graph holding them leaves ~55 MB of parsed protobuf in the heap
    tmp = Path(tempfile.mkdtemp(prefix=f".{GRAPH_FILE}.tmp-", dir=folder))
    try:
        onnx.save(
            model,
            tmp / GRAPH_FILE,
            save_as_external_data=True,
            all_tensors_to_one_file=True,
            location=WEIGHTS_FILE,
            size_threshold=1024,
        )
        # readable as the folder's other files (onnx creates it private): the cache is an
        # ordinary folder that another user may serve from
        shutil.copymode(weights, tmp / WEIGHTS_FILE)
        shutil.copymode(weights, tmp / GRAPH_FILE)
        os.replace(tmp / WEIGHTS_FILE, folder / WEIGHTS_FILE)  # the graph, last, names it
        os.replace(tmp / GRAPH_FILE, folder / GRAPH_FILE)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder / GRAPH_FILE


def _embedding_norm(weights: Path) -> tuple[np.ndarray, np.ndarray]:
    read = tensor_reader(weights)
    return read("embeddings.LayerNorm.weight"), read("embeddings.LayerNorm.bias")


def _threads() -> int:
    """:data:`THREADS`, or fewer when the process may run on fewer cores."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(THREADS, cores))


class OnnxEncoder(NumpyEncoder):
    """multilingual-e5-small: queries by ONNX Runtime on the float32 layers, passages by
    sentence-transformers."""

    query_encoder = NAME

    def _load_layers(self, folder: Path, layers: int) -> None:
        """The session of ``folder/query_model.onnx`` on :data:`THREADS` threads."""
        graph = folder / GRAPH_FILE
        if not graph.is_file():
            raise FolderUnsupported(
                f"pas de graphe ONNX des questions dans {folder} (construit sans le paquet "
                "onnx) : installez-le (pip install 'onnx>=1.16'), puis supprimez ce dossier "
                "pour qu'il soit reconstruit"
            )
        try:
            import onnxruntime
        except ImportError as exc:
            raise FolderUnsupported(
                f"onnxruntime n'est pas installé ({exc}) : pip install 'onnxruntime>=1.18'"
            ) from None
        try:
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = _threads()
            options.inter_op_num_threads = 1
            options.log_severity_level = 3  # errors only: no warnings on stderr
            self._session = onnxruntime.InferenceSession(
                str(graph), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # ONNX Runtime raises its own exceptions, not OSError
            why = reason(exc)
            raise FolderUnsupported(f"ONNX Runtime ne charge pas {graph} ({why})") from None

    def _engine(self):
        return nullcontext()  # ONNX Runtime sets its own threads

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        x, mask = self._embed(batch)
        try:
            (vectors,) = self._session.run(None, {"x": x, "mask": mask.astype(np.int32)})
        except Exception as exc:  # ONNX Runtime's own exceptions
            why = reason(exc)
            raise ModelError(
                f"ONNX Runtime n'a pas encodé la question ({why}) : relancez avec "
                "--query-encoder numpy"
            ) from None
        return vectors
