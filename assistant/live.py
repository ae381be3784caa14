"""A long-lived assistant that follows its index: a new generation is served from the next question.

``add`` or ``remove`` in another process commits a new index generation (``meta.json``
replaced, see :mod:`assistant.indexing.store`). :class:`Live` holds the current
:class:`Snapshot` (the assistant and its documents); :meth:`Live.current`, called once at
the start of each question, compares ``meta.json``'s stat (inode, time, size: one
``stat`` call) with the one it last saw, and on a change loads the new generation and
switches to it. A question under way keeps the snapshot it started with, whole (the
old index is in memory), so none is dropped or answered from two indexes. One question
does the switch; the others meanwhile go on with the previous snapshot, without waiting.
A new generation that cannot be loaded is reported once, and the previous one is served.

Non-goals: watching the corpus folder itself (a document copied but not yet indexed is
not served), rebuilding the index (the process that changed the corpus does).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .core import Assistant
from .errors import AssistantError
from .indexing.store import load_index, read_meta

__all__ = ["Live", "Snapshot"]


@dataclass(frozen=True)
class Snapshot:
    """What one question is answered from: the assistant and the documents it indexes."""

    assistant: Assistant
    docs: dict[str, Any]  # doc_id -> Document
    generation: str


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


class Live:
    """The current snapshot of an index folder, switched when a new generation is committed."""

    def __init__(
        self,
        assistant: Assistant,
        *,
        index_dir: Path,
        docs: dict[str, Any],
        documents: Callable[[Path], dict[str, Any]],
        log: Callable[[str], None] = print,
    ) -> None:
        self.index_dir = Path(index_dir)
        self._documents = documents  # corpus folder -> {doc_id: Document}
        self._log = log
        self._meta = self.index_dir / "meta.json"
        self._seen = _stamp(self._meta)
        self._snapshot = Snapshot(assistant, docs, assistant.built.meta.get("generation", ""))
        self._switching = threading.Lock()

    def current(self) -> Snapshot:
        """The snapshot to answer the next question from (the new generation, if any)."""
        stamp = _stamp(self._meta)
        if stamp != self._seen and self._switching.acquire(blocking=False):
            try:
                if stamp != self._seen:
                    self._seen = stamp  # a generation that fails to load is tried once
                    self._switch()
            finally:
                self._switching.release()
        return self._snapshot

    def _switch(self) -> None:
        old = self._snapshot
        try:
            if read_meta(self.index_dir).get("generation") == old.generation:
                return
            built = load_index(
                corpus=old.assistant.corpus,
                index_dir=self.index_dir,
                encoder=old.assistant.encoder,
                any_corpus=True,  # the corpus may already be changing again
            )
            assistant = Assistant(
                built, old.assistant.encoder, corpus=old.assistant.corpus, index_dir=self.index_dir
            )
            docs = self._documents(old.assistant.corpus) if old.assistant.corpus else {}
        except (AssistantError, OSError) as why:  # stale, damaged, the corpus gone…
            self._log(f"Nouvel index non chargé ({why}) : l'index précédent reste servi.")
            return
        indexed = {c.doc_id for c in built.chunks}
        docs = {k: d for k, d in docs.items() if k in indexed}
        self._snapshot = Snapshot(assistant, docs, built.meta["generation"])
        self._log(f"Index mis à jour : {len(docs)} document(s), {len(built.chunks)} passages.")
