"""The server's memory bounded on purpose: Gradio's sessions and the C allocator's arenas.

A long-running app grew by hundreds of MB under load (issue 15, §5). Two things grow
without a bound of their own:

* Gradio keeps one ``SessionState`` per visitor (a copy of every component's config,
  ~140 KB here), up to ``state_session_capacity`` = 10,000 by default, i.e. over 1 GB:
  :data:`SESSIONS` keeps the most recent 256 (a visitor who comes back after 256 others
  keeps the page; only the chat's follow-up context of an evicted session is lost).
* glibc gives each thread that allocates its own malloc arena (up to 8 per core) and
  rarely gives their memory back: with Gradio's worker threads each encoding questions
  with PyTorch, RSS climbs with the number of threads that ever ran. :func:`limit_arenas`
  caps them (``mallopt(M_ARENA_MAX)``, the same as ``MALLOC_ARENA_MAX``) before the
  server starts its threads; ``ASSISTANT_MALLOC_ARENAS=0`` leaves glibc's default.

Non-goals: caches of the assistant itself (each is sized where it is defined), other
C libraries than glibc (elsewhere :func:`limit_arenas` does nothing).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

__all__ = ["ARENAS", "ARENAS_ENV", "SESSIONS", "limit_arenas"]

SESSIONS = 256  # Gradio sessions kept in memory (state_session_capacity)
ARENAS = 2  # malloc arenas: one per core
ARENAS_ENV = "ASSISTANT_MALLOC_ARENAS"
_M_ARENA_MAX = -8  # from glibc's malloc.h


def limit_arenas(count: int | None = None) -> bool:
    """Cap glibc's malloc arenas at ``count`` (default :data:`ARENAS`, or the variable);
    True when it was set."""
    if count is None:
        value = os.environ.get(ARENAS_ENV, "")
        count = int(value) if value.isdigit() else ARENAS
    if count <= 0 or os.environ.get("MALLOC_ARENA_MAX"):  # off, or already set by the user
        return False
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        return bool(libc.mallopt(_M_ARENA_MAX, count))
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to set
        return False
