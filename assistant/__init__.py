"""Question-answering assistant over Brussels Parliament written questions.

>>> from assistant import Assistant
>>> a = Assistant.load()               # builds the index on first use
>>> a.search("Quelles aides pour les commerces ?", k=5)   # -> list[Hit]
"""

from ._version import __version__
from .chunking import Chunk, chunk_document
from .core import Assistant, Hit, SearchResult
from .document import Document, Metadata, Objectif, Section, SubQuestion
from .errors import AssistantError, CorpusError, IndexStale, QueryError
from .parsing import ParseError, parse_document, parse_file

__all__ = [
    "__version__",
    "Assistant",
    "Hit",
    "SearchResult",
    "Chunk",
    "chunk_document",
    "Document",
    "Metadata",
    "Objectif",
    "Section",
    "SubQuestion",
    "parse_document",
    "parse_file",
    "AssistantError",
    "CorpusError",
    "IndexStale",
    "ParseError",
    "QueryError",
]
