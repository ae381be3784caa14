"""The errors the assistant raises on purpose; each message says how to fix it."""

from __future__ import annotations

__all__ = ["AssistantError", "QueryError", "IndexStale", "CorpusError"]


class AssistantError(Exception):
    """Base class: an expected failure with a message for the user (in French)."""


class QueryError(AssistantError, ValueError):
    """The question cannot be searched (empty, no searchable word)."""


class IndexStale(AssistantError):
    """The persisted index is missing, damaged or out of date; rebuild it."""


class CorpusError(AssistantError):
    """The corpus folder has no readable written question."""
