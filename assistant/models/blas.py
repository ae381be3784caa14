"""One BLAS thread for NumPy's products at answer time, one such section at a time.

ONNX Runtime's two intra-op threads keep spinning for a while after each forward pass, and
OpenBLAS's own two threads then fight them for the two cores: a (6 × 384) · (384 × 2,000)
product right after a question's encoding took 15 ms at p95 instead of 1 ms. The NumPy
encoder's forward passes and the cross-lingual pairing (:mod:`assistant.search.translation`)
run under :func:`one_thread`. threadpoolctl's limit is process-wide, saved on entering and
restored on leaving, so these sections take one lock: two of them interleaved would restore
each other's limits out of order. The lock is re-entrant: a section inside another (an
encoding inside a product's section) only nests the limits, which restore in order.

Non-goals: the index build's large products (BLAS keeps its threads there), FAISS's
OpenMP threads (:mod:`assistant.indexing.dense`).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from functools import lru_cache

__all__ = ["LOCK", "controller", "one_thread"]

# One section at a time in the process; ONNX Runtime's passes use both cores each, so two
# at once would only queue on them anyway.
LOCK = threading.RLock()


@lru_cache(maxsize=1)
def controller():
    """threadpoolctl's controller, bound once (the libraries are found at the first call)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@contextmanager
def one_thread():
    """Hold :data:`LOCK` with NumPy's BLAS kept to one thread."""
    with LOCK, controller().limit(limits=1, user_api="blas"):
        yield
