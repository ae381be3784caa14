"""Admission control for a shared assistant: a few answers at a time, a bounded wait.

The app answers at most ``running`` questions at once (one per core); up to
``waiting`` more wait for a slot, each for at most ``timeout`` seconds. Beyond
that, a question is refused at once with :class:`Busy`, whose French message
asks to try again, so an overloaded server answers quickly instead of hanging.
One slot covers a whole answer, extractive or generated (the endpoint's stream
and the verification of its sentences included):

>>> gate = Gate(running=2, waiting=8)
>>> with gate.slot():   # raises Busy (« réessayez ») when full
...     answer = assistant.ask(question)

Non-goals: fairness between users, rate limiting per address (a reverse proxy's job).
"""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager

from ..errors import Busy

__all__ = ["BUSY", "QUEUE_FULL_JS", "WAITING", "WORKERS", "Gate", "french_queue_full"]

BUSY = "L’assistant répond déjà à beaucoup de questions : réessayez dans quelques secondes."
WORKERS, WAITING = 2, 32  # questions answered at once (two cores), and waiting for a slot


class Gate:
    """At most ``running`` holders at once, at most ``waiting`` waiters, each ≤ ``timeout`` s."""

    def __init__(
        self, *, running: int = WORKERS, waiting: int = WAITING, timeout: float = 30.0
    ) -> None:
        if running < 1 or waiting < 0 or timeout <= 0:
            raise ValueError(f"running ≥ 1, waiting ≥ 0, timeout > 0 (reçu {running}, "
                             f"{waiting}, {timeout})")  # fmt: skip
        self.running, self.waiting, self.timeout = running, waiting, timeout
        self._slots = threading.BoundedSemaphore(running)
        self._lock = threading.Lock()
        self._inside = 0  # running + waiting
        self.refused = 0

    @property
    def inside(self) -> int:
        """Questions admitted right now: answering or waiting for a slot."""
        with self._lock:
            return self._inside

    @contextmanager
    def slot(self):
        """Hold one slot for the body of the ``with``; :class:`Busy` when full or too long."""
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


# The words the browser's Gradio client shows for a 503, replaced by BUSY wherever they appear.
QUEUE_FULL_JS = """() => {
  const english = "This application is currently busy. Please try again.";
  const french = __BUSY__;
  const swap = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.nodeValue;
      if (text.includes(english)) node.nodeValue = text.replace(english, french);
      return;
    }
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) swap(n);
  };
  new MutationObserver((records) => {  // only what changed, not the whole page
    for (const r of records) {
      if (r.type === "characterData") swap(r.target);
      for (const added of r.addedNodes) swap(added);
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}""".replace("__BUSY__", json.dumps(BUSY))


def french_queue_full(demo) -> None:
    """Gradio's own queue, when full, refuses with :data:`BUSY` instead of its English words.

    Call after ``demo.queue(...)``; the refusal stays an HTTP 503 whose ``detail`` is
    :data:`BUSY`. The page's Gradio client shows its own English words for any 503:
    :data:`QUEUE_FULL_JS` (``launch(js=…)``) puts :data:`BUSY` in their place.
    """
    queue = demo._queue
    push = queue.push

    async def push_or_refuse(*args, **kwargs):
        ok, message, state = await push(*args, **kwargs)
        return (ok, BUSY, state) if state == "queue_full" else (ok, message, state)

    queue.push = push_or_refuse
