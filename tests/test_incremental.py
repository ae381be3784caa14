"""Incremental builds (embedding cache by content hash) and the dense index type by size."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant import Assistant
from assistant.documents.parsing import parse_file
from assistant.errors import IndexStale
from assistant.files import sha256_file
from assistant.indexing.build import build_index, embedding_texts
from assistant.indexing.chunking import CHUNKER_VERSION, chunk_document
from assistant.indexing.dense import FLAT_MAX, FaissHNSWIndex, NumpyIndex, choose_backend
from assistant.indexing.embedcache import EmbeddingCache, embed_texts, text_key
from assistant.indexing.store import load_index

from .conftest import DOC_PATH, ToyEncoder


class CountingEncoder(ToyEncoder):
    """The toy encoder, recording every text it is asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def encode_passages(self, texts, *, progress=False):
        self.seen.extend(texts)
        return super().encode_passages(texts, progress=progress)


def _texts_of(path) -> set[str]:
    texts, _, _ = embedding_texts(chunk_document(parse_file(path)))
    return set(texts)


def _meta(index_dir) -> dict:
    return json.loads((index_dir / "meta.json").read_text())


def _second_document(corpus_dir):
    """The bundled question renumbered, with one bullet rewritten: a new document."""
    text = DOC_PATH.read_text(encoding="utf-8")
    assert "(question n°517)" in text and "Housing First" in text
    text = text.replace("(question n°517)", "(question n°518)").replace(
        "Housing First", "Logement d'abord"
    )
    path = corpus_dir / "qe-518-sommet-social-bis.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_embed_texts_asks_only_for_unknown_distinct_texts():
    enc = CountingEncoder()
    first = embed_texts(["a b", "c d", "a b"], encoder=enc, cache=EmbeddingCache.empty(enc.dim))
    assert enc.seen == ["a b", "c d"] and first.embedded == 2 and len(first.cache) == 2
    enc.seen.clear()
    second = embed_texts(["c d", "e f", "a b"], encoder=enc, cache=first.cache)
    assert enc.seen == ["e f"] and second.embedded == 1
    np.testing.assert_array_equal(second.vectors[0], first.vectors[1])
    assert second.cache.keys[1].tobytes() == text_key("e f")


def test_unchanged_corpus_embeds_nothing(tmp_path, corpus_dir):
    enc = CountingEncoder()
    index_dir = tmp_path / "index"
    first = build_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc, progress=False)
    n_distinct = len(_texts_of(DOC_PATH))
    assert len(enc.seen) == len(set(enc.seen)) == n_distinct
    assert _meta(index_dir)["embeddings"]["embedded"] == n_distinct
    enc.seen.clear()
    calls = enc.calls
    again = build_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc, progress=False)
    assert enc.seen == [] and enc.calls == calls  # the encoder was not even called
    assert _meta(index_dir)["embeddings"] == {
        **_meta(index_dir)["embeddings"],
        "embedded": 0,
        "from_cache": n_distinct,
    }
    np.testing.assert_array_equal(again.sentence_vectors, first.sentence_vectors)
    load_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc)  # checks every file


def test_adding_a_document_embeds_only_its_new_texts(tmp_path, corpus_dir):
    enc = CountingEncoder()
    index_dir = tmp_path / "index"
    build_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc, progress=False)
    enc.seen.clear()
    added = _second_document(corpus_dir)
    built = build_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc, progress=False)
    new = _texts_of(added) - _texts_of(DOC_PATH)
    assert 0 < len(new) < len(_texts_of(added)) / 2  # most passages are shared
    assert sorted(enc.seen) == sorted(new)
    # the incremental index is the one a fresh build makes
    fresh_dir = tmp_path / "fresh"
    fresh = build_index(
        corpus=corpus_dir, index_dir=fresh_dir, encoder=ToyEncoder(), progress=False
    )
    assert [c.id for c in built.chunks] == [c.id for c in fresh.chunks]
    np.testing.assert_array_equal(built.sentence_vectors, fresh.sentence_vectors)
    q = ToyEncoder().encode_queries(["Logement d'abord pour les sans-abri"])
    assert built.dense.search(q, 5)[1].tolist() == fresh.dense.search(q, 5)[1].tolist()


def test_damaged_cache_is_ignored_with_a_message(tmp_path, corpus_dir):
    enc = CountingEncoder()
    index_dir = tmp_path / "index"
    build_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc, progress=False)
    gen = index_dir / _meta(index_dir)["generation"]
    vectors = gen / "embed_vectors.npy"
    vectors.write_bytes(vectors.read_bytes()[:-8] + b"\xff" * 8)
    with pytest.raises(IndexStale, match="endommagé : embed_vectors.npy"):
        load_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc)
    enc.seen.clear()
    warnings = []
    build_index(
        corpus=corpus_dir, index_dir=index_dir, encoder=enc, progress=False, warn=warnings.append
    )
    assert len(enc.seen) == len(_texts_of(DOC_PATH))
    assert any("Cache d'embeddings ignoré" in w and "embed_vectors.npy" in w for w in warnings)


def test_another_model_does_not_reuse_the_cache(tmp_path, corpus_dir):
    index_dir = tmp_path / "index"
    build_index(corpus=corpus_dir, index_dir=index_dir, encoder=ToyEncoder(), progress=False)
    other = CountingEncoder()
    other.fingerprint = "toy-2"
    build_index(corpus=corpus_dir, index_dir=index_dir, encoder=other, progress=False)
    assert len(other.seen) == len(_texts_of(DOC_PATH))


def test_choose_backend_by_size():
    assert choose_backend("auto", FLAT_MAX) == "faiss-flat"
    assert choose_backend("auto", FLAT_MAX + 1) == "faiss-hnsw"
    assert choose_backend("numpy", 10**7) == "numpy"
    with pytest.raises(ValueError, match="inconnu"):
        choose_backend("ivf", 10)


def test_dense_index_flag_is_recorded_and_switches(tmp_path, corpus_dir):
    enc = CountingEncoder()
    index_dir = tmp_path / "index"
    build_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc, progress=False)
    meta = _meta(index_dir)
    assert (meta["dense_backend"], meta["lines_backend"]) == ("faiss-flat", "faiss-flat")
    assert meta["dense_index_requested"] == "auto"
    with pytest.raises(IndexStale, match="faiss-flat → faiss-hnsw"):
        load_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc, backend="faiss-hnsw")
    enc.seen.clear()
    hnsw = build_index(
        corpus=corpus_dir, index_dir=index_dir, encoder=enc, backend="faiss-hnsw", progress=False
    )
    assert enc.seen == []  # switching the index type re-embeds nothing
    assert _meta(index_dir)["dense_backend"] == "faiss-hnsw"
    loaded = load_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc)
    assert isinstance(loaded.dense, FaissHNSWIndex) and isinstance(loaded.lines, FaissHNSWIndex)
    # on a hundred vectors, HNSW finds what exact search finds
    oracle = NumpyIndex(enc.dim)
    oracle.add(np.stack([enc._vec(c.embed_text) for c in hnsw.chunks]))
    q = enc.encode_queries(["Quel soutien aux familles monoparentales ?", "garantie jeunes"])
    exact_scores, _ = oracle.search(q, 10)
    scores, rows = loaded.dense.search(q, 10)
    assert (rows >= 0).all()
    np.testing.assert_allclose(scores, exact_scores, atol=1e-5)


def test_hnsw_reports_missing_rows_as_minus_one():
    index = FaissHNSWIndex(4)
    index.add(np.eye(4, dtype=np.float32))
    scores, rows = index.search(np.eye(4, dtype=np.float32)[:1], 4)
    assert rows.shape == (1, 4) and rows[0, 0] == 0 and scores[0, 0] == pytest.approx(1.0)


@pytest.mark.slow
def test_progress_bar_shows_rate_and_time_left(real_encoder, capsys):
    texts = [f"Mesure {i} : soutenir les familles monoparentales." for i in range(130)]
    with_bar = real_encoder.encode_passages(texts, progress=True)
    err = capsys.readouterr().err
    assert "Encodage" in err and "130/130" in err and "textes/s" in err
    assert "<" in err  # tqdm's [elapsed<time left]
    np.testing.assert_allclose(with_bar, real_encoder.encode_passages(texts), atol=1e-5)


def test_cli_dense_index_flag_and_cache_report(tmp_path, corpus_dir, monkeypatch, capsys):
    import assistant.models.encoder
    from assistant.cli import main

    enc = CountingEncoder()
    monkeypatch.setattr(assistant.models.encoder, "load_encoder", lambda model=None: enc)
    args = ["--corpus", str(corpus_dir), "--index", str(tmp_path / "index")]
    assert main(["index", *args]) == 0
    n = len(_texts_of(DOC_PATH))
    assert f"{n} textes encodés, 0 repris du cache" in capsys.readouterr().err
    assert main(["index", "--dense-index", "faiss-hnsw", *args]) == 0
    err = capsys.readouterr().err
    assert "type d'index dense changé" in err and "index dense faiss-hnsw" in err
    assert f"0 textes encodés, {n} repris du cache" in err
    with pytest.raises(SystemExit):  # argparse refuses an unknown type, with the choices
        main(["index", "--dense-index", "ivf", *args])
    assert "faiss-hnsw" in capsys.readouterr().err


def test_exact_scores_of_chosen_rows_on_every_backend():
    rng = np.random.default_rng(0)
    v = rng.standard_normal((3000, 8)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    rows = np.array([0, 7, 2999])
    for index in (FaissHNSWIndex(8), NumpyIndex(8)):
        index.add(v)
        np.testing.assert_allclose(index.scores_of(v[7], rows), v[rows] @ v[7], atol=1e-5)
    # HNSW returns only the rows it visits: a filter cannot rely on search(k=count)
    hnsw = FaissHNSWIndex(8)
    hnsw.add(v)
    _, found = hnsw.search(v[7:8], len(v))
    assert (found < 0).any()


def test_filtered_search_is_exact_on_an_hnsw_index(tmp_path, corpus_dir):
    from assistant import Assistant
    from assistant.search.filters import Filters

    results = {}
    for backend in ("faiss-flat", "faiss-hnsw"):
        a = Assistant.load(
            corpus=corpus_dir,
            index=tmp_path / backend,
            encoder=CountingEncoder(),
            backend=backend,
            progress=False,
            log=lambda m: None,
        )
        f = Filters.of(minister="Emploi")
        results[backend] = [
            (h.chunk_id, round(h.score, 5))
            for h in a.search("formation des chercheurs d'emploi", k=8, mode="dense", filters=f)
        ]
    assert results["faiss-flat"] and results["faiss-hnsw"] == results["faiss-flat"]


def _as_written_by_chunker_6(index_dir) -> None:
    """Make the index the one the previous chunker wrote: documents named by their file's
    stem, no doc_language/doc_series/doc_function, chunker_version 6; every hash kept right."""
    meta = _meta(index_dir)
    path = index_dir / meta["generation"] / "chunks.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    old = []
    for r in rows:
        r = {k: v for k, v in r.items() if k not in ("doc_language", "doc_series", "doc_function")}
        r["id"] = r["id"].replace(f"{r['doc_id']}#", f"{DOC_PATH.stem}#", 1)
        old.append({**r, "doc_id": DOC_PATH.stem})
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in old), "utf-8")
    meta["files"]["chunks.jsonl"] = {"sha256": sha256_file(path), "size": path.stat().st_size}
    meta["chunker_version"] = 6
    (index_dir / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


@pytest.mark.parametrize("previous", ["chunker 6", "format 0"])
def test_an_index_of_the_previous_version_rebuilds_from_its_embeddings(
    tmp_path, corpus_dir, previous
):
    """Chunker 6 (documents named by their file, fewer fields) or an older format: rebuilt
    by itself, nothing re-embedded, since the cache is keyed by the texts' content hash."""
    enc = CountingEncoder()
    index_dir = tmp_path / "index"
    first = build_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc, progress=False)
    addressees = [c.doc_addressee for c in first.chunks]
    assert set(addressees) == {"Rudi Vervoort"}
    if previous == "chunker 6":
        _as_written_by_chunker_6(index_dir)
        reason = "découpage en passages changé"
    else:
        meta = _meta(index_dir)
        (index_dir / "meta.json").write_text(json.dumps({**meta, "format_version": 0}))
        reason = "format d'index 0, attendu 2"
    with pytest.raises(IndexStale, match=reason):
        load_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc)
    enc.seen.clear()
    messages: list[str] = []
    a = Assistant.load(corpus=corpus_dir, index=index_dir, encoder=enc, log=messages.append)
    assert reason in messages[0] and messages[-1].startswith("Index prêt") and len(messages) == 2
    assert enc.seen == []  # every passage, line and sentence came from the cache
    meta = _meta(index_dir)
    assert (meta["format_version"], meta["chunker_version"]) == (2, CHUNKER_VERSION) == (2, 9)
    n = len(_texts_of(DOC_PATH))
    assert (meta["embeddings"]["embedded"], meta["embeddings"]["from_cache"]) == (0, n)
    assert [c.doc_addressee for c in a.chunks] == addressees
    assert {c.doc_id for c in a.chunks} == {"qe-517"}  # the stable id, not the file's stem
    loaded = load_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc)
    np.testing.assert_array_equal(loaded.sentence_vectors, first.sentence_vectors)
