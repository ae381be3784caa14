"""The persisted index: round trip, and every kind of damage detected and rebuilt."""

from __future__ import annotations

import json

import pytest

from assistant import Assistant
from assistant.errors import CorpusError, IndexStale
from assistant.indexing.build import build_index
from assistant.indexing.store import load_index


@pytest.fixture
def built(tmp_path, corpus_dir, toy_encoder):
    index_dir = tmp_path / "index"
    build_index(corpus=corpus_dir, index_dir=index_dir, encoder=toy_encoder, progress=False)
    return index_dir


def _generation(index_dir):
    return index_dir / json.loads((index_dir / "meta.json").read_text())["generation"]


def test_round_trip(built, corpus_dir, toy_encoder):
    loaded = load_index(corpus=corpus_dir, index_dir=built, encoder=toy_encoder)
    meta = loaded.meta
    assert meta["format_version"] == 1
    assert meta["model"] == {"id": "toy-hashing", "fingerprint": "toy-1", "dim": 64}
    assert meta["count"] == len(loaded.chunks) == loaded.dense.count > 50
    assert set(meta["files"]) >= {"dense.faiss", "chunks.jsonl", "bm25/params.index.json"}
    fresh = Assistant.load(corpus=corpus_dir, index=built, encoder=toy_encoder, log=print)
    again = Assistant.load(corpus=corpus_dir, index=built, encoder=toy_encoder, log=print)
    q = "Quel budget pour les primes énergie ?"
    assert [h.chunk_id for h in fresh.search(q)] == [h.chunk_id for h in again.search(q)]


def test_no_pickle_files(built):
    names = {p.suffix for p in built.rglob("*") if p.is_file()}
    assert not names & {".pkl", ".pickle"}


def _damage_truncate_faiss(index_dir):
    f = _generation(index_dir) / "dense.faiss"
    f.write_bytes(f.read_bytes()[:100])
    return "endommagé : dense.faiss"


def _damage_garbage_meta(index_dir):
    (index_dir / "meta.json").write_text("{ceci n'est pas du JSON")
    return "meta.json illisible"


def _damage_empty_chunks(index_dir):
    (_generation(index_dir) / "chunks.jsonl").write_text("")
    return "endommagé : chunks.jsonl"


def _damage_missing_bm25(index_dir):
    (_generation(index_dir) / "bm25" / "vocab.index.json").unlink()
    return "manquant : bm25/vocab.index.json"


def _damage_garbage_faiss_same_size(index_dir):
    f = _generation(index_dir) / "dense.faiss"
    f.write_bytes(b"\x00" * f.stat().st_size)
    return "endommagé : dense.faiss"


def _damage_old_format(index_dir):
    meta = json.loads((index_dir / "meta.json").read_text())
    meta["format_version"] = 0
    (index_dir / "meta.json").write_text(json.dumps(meta))
    return "format d'index 0"


def _damage_no_index(index_dir):
    (index_dir / "meta.json").unlink()
    return "pas d'index"


@pytest.mark.parametrize(
    "damage",
    [
        _damage_truncate_faiss,
        _damage_garbage_meta,
        _damage_empty_chunks,
        _damage_missing_bm25,
        _damage_garbage_faiss_same_size,
        _damage_old_format,
        _damage_no_index,
    ],
)
def test_damage_is_detected_and_rebuilt(built, corpus_dir, toy_encoder, damage):
    reason = damage(built)
    with pytest.raises(IndexStale, match=reason):
        load_index(corpus=corpus_dir, index_dir=built, encoder=toy_encoder)
    messages = []
    a = Assistant.load(corpus=corpus_dir, index=built, encoder=toy_encoder, log=messages.append)
    assert any(reason in m for m in messages), messages
    assert a.search("primes énergie")
    load_index(corpus=corpus_dir, index_dir=built, encoder=toy_encoder)  # valid again


def test_changed_corpus_triggers_rebuild(built, corpus_dir, toy_encoder):
    doc = next(corpus_dir.iterdir())
    doc.write_text(doc.read_text(encoding="utf-8") + "\nUne ligne de plus.\n", encoding="utf-8")
    with pytest.raises(IndexStale, match="corpus modifié"):
        load_index(corpus=corpus_dir, index_dir=built, encoder=toy_encoder)


def test_changed_model_triggers_rebuild(built, corpus_dir, toy_encoder):
    toy_encoder.fingerprint = "toy-2"
    with pytest.raises(IndexStale, match="modèle changé"):
        load_index(corpus=corpus_dir, index_dir=built, encoder=toy_encoder)


def test_rebuild_replaces_the_generation(built, corpus_dir, toy_encoder):
    old = _generation(built)
    build_index(corpus=corpus_dir, index_dir=built, encoder=toy_encoder, progress=False)
    new = _generation(built)
    assert new != old and new.is_dir() and not old.exists()
    assert not [p for p in built.iterdir() if p.name.endswith(".tmp")]


def test_stale_meta_never_gives_silent_wrong_results(built, corpus_dir, toy_encoder):
    """A meta.json that points to a generation with other files is refused."""
    meta = json.loads((built / "meta.json").read_text())
    meta["count"] = meta["count"] - 1
    (built / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(IndexStale):
        load_index(corpus=corpus_dir, index_dir=built, encoder=toy_encoder)


def test_non_utf8_document_is_skipped_with_a_message(tmp_path, corpus_dir, toy_encoder):
    (corpus_dir / "abimé.txt").write_bytes(b"Question \xff\xfe\x00 pas de l'UTF-8")
    messages = []
    built = build_index(
        corpus=corpus_dir,
        index_dir=tmp_path / "i",
        encoder=toy_encoder,
        progress=False,
        warn=messages.append,
    )
    assert any("abimé.txt" in m and "UTF-8" in m for m in messages), messages
    assert {c.doc_id for c in built.chunks} == {"qe-517-sommet-social-2021"}


def test_empty_corpus_is_a_clear_error(tmp_path, toy_encoder):
    (tmp_path / "vide").mkdir()
    with pytest.raises(CorpusError, match="Aucune question écrite"):
        build_index(corpus=tmp_path / "vide", index_dir=tmp_path / "i", encoder=toy_encoder)
    with pytest.raises(CorpusError, match="n'existe pas"):
        build_index(corpus=tmp_path / "absent", index_dir=tmp_path / "i", encoder=toy_encoder)
