"""The Searcher's four modes over a real (toy-encoded) index of the bundled document."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.search.filters import Filters
from assistant.search.searcher import MODES

QUESTION = "Où en est la modification du PRAS ?"


@pytest.fixture
def toy_assistant(tmp_path, corpus_dir, toy_encoder):
    return Assistant.load(
        corpus=corpus_dir, index=tmp_path / "i", encoder=toy_encoder, log=lambda m: None
    )


def test_dense_scores_are_the_cosines_of_the_toy_vectors(toy_assistant, toy_encoder):
    found = toy_assistant.searcher.search(QUESTION, k=5, mode="dense", objectif=None)
    qv = toy_encoder.encode_queries([QUESTION])[0]
    for hit in found.hits:
        chunk = toy_assistant.chunk(hit.chunk_id)
        cosine = float(toy_encoder.encode_passages([chunk.embed_text])[0] @ qv)
        assert hit.score == pytest.approx(cosine, abs=1e-5) == hit.dense_score
        assert hit.bm25_score is None  # not computed in this mode
    assert [h.rank for h in found.hits] == [1, 2, 3, 4, 5]
    assert [h.score for h in found.hits] == sorted((h.score for h in found.hits), reverse=True)


@pytest.mark.parametrize("mode", MODES)
def test_each_mode_finds_the_pras_chantier(toy_assistant, mode):
    found = toy_assistant.searcher.search(QUESTION, k=3, mode=mode, objectif=None)
    assert "chantier-1.6.1" in [h.section_id for h in found.hits]
    assert (found.query_vector is None) == (mode == "bm25")  # BM25 encodes nothing
    assert ("encode" in found.timings_ms) == (mode != "bm25")
    assert found.timings_ms["total"] >= found.timings_ms["search"] >= 0


def test_filters_that_keep_nothing_find_nothing(toy_assistant):
    doc_id = toy_assistant.chunks[0].doc_id
    kept = toy_assistant.searcher.search(
        QUESTION, k=50, mode="hybrid", objectif=None, filters=Filters.of(document=doc_id)
    )
    assert len(kept.hits) == 50 and {h.doc_id for h in kept.hits} == {doc_id}
    none = toy_assistant.searcher.search(
        QUESTION, k=5, mode="hybrid", objectif=None, filters=Filters.of(document="999")
    )
    assert none.hits == () and set(none.timings_ms) == {
        "encode",
        "dense",
        "bm25",
        "search",
        "total",
    }


def test_bad_mode_or_k_and_unknown_chunk(toy_assistant):
    with pytest.raises(ValueError, match="mode 'fuzzy' inconnu : choisissez parmi hybrid"):
        toy_assistant.search(QUESTION, mode="fuzzy")
    with pytest.raises(ValueError, match=r"k doit être un entier ≥ 1 \(reçu 0\)"):
        toy_assistant.search(QUESTION, k=0)
    first = toy_assistant.chunks[0]
    assert toy_assistant.chunk(first.id) is first
    with pytest.raises(KeyError):
        toy_assistant.chunk("no-such-doc#nothing")
