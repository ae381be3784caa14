"""Question-answering assistant over Brussels Parliament written questions.

>>> from assistant import Assistant
>>> a = Assistant.load()               # builds the index on first use
>>> a.search("Quelles aides pour les commerces ?", k=5)   # -> list[Hit]
>>> a.ask("Combien de prêts ?", filters=Filters(document="1203"))  # -> Answer
"""

from ._version import __version__
from .core import Assistant
from .documents.document import Document, Metadata, Objectif, Section, SubQuestion
from .documents.parsing import ParseError, parse_document, parse_file
from .documents.readers import read_document
from .errors import AssistantError, CorpusError, IndexStale, QueryError
from .indexing.chunking import Chunk, chunk_document
from .search.filters import Filters
from .search.searcher import Hit, SearchResult

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
    "read_document",
    "Filters",
    "AssistantError",
    "CorpusError",
    "IndexStale",
    "ParseError",
    "QueryError",
]
