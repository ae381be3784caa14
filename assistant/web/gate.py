"""Admission control for a shared assistant: a few questions at a time, a bounded wait.

The app answers at most ``running`` questions at once (one per core); up to
``waiting`` more wait for a slot, each for at most ``timeout`` seconds. Beyond
that, a question is refused at once with :class:`Busy`, whose French message
asks to try again, so an overloaded server answers quickly instead of hanging.

>>> gate = Gate(running=2, waiting=8)
>>> gated = gate.wrap(assistant)   # gated.ask(...) takes a slot; other attributes pass through

Non-goals: fairness between users, rate limiting per address (a reverse proxy's job).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from ..errors import Busy

__all__ = ["Busy", "Gate"]

BUSY = "L’assistant répond déjà à beaucoup de questions : réessayez dans quelques secondes."


class Gate:
    """At most ``running`` holders at once, at most ``waiting`` waiters, each ≤ ``timeout`` s."""

    def __init__(self, *, running: int = 2, waiting: int = 32, timeout: float = 30.0) -> None:
        if running < 1 or waiting < 0 or timeout <= 0:
            raise ValueError(f"running ≥ 1, waiting ≥ 0, timeout > 0 (reçu {running}, "
                             f"{waiting}, {timeout})")  # fmt: skip
        self.running, self.waiting, self.timeout = running, waiting, timeout
        self._slots = threading.BoundedSemaphore(running)
        self._lock = threading.Lock()
        self._inside = 0  # running + waiting
        self.refused = 0

    @contextmanager
    def slot(self):
        with self._lock:
            if self._inside >= self.running + self.waiting:
                self.refused += 1
                raise Busy(BUSY)
            self._inside += 1
        try:
            if not self._slots.acquire(timeout=self.timeout):
                with self._lock:
                    self.refused += 1
                raise Busy(BUSY)
            try:
                yield
            finally:
                self._slots.release()
        finally:
            with self._lock:
                self._inside -= 1

    def wrap(self, assistant) -> _Gated:
        return _Gated(assistant, self)


class _Gated:
    """``assistant`` whose :meth:`ask` and :meth:`search` go through the gate."""

    def __init__(self, assistant, gate: Gate) -> None:
        self._assistant, self._gate = assistant, gate

    def ask(self, *args, **kwargs):
        with self._gate.slot():
            return self._assistant.ask(*args, **kwargs)

    def search(self, *args, **kwargs):
        with self._gate.slot():
            return self._assistant.search(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._assistant, name)
