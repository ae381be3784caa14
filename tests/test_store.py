"""The persisted index: round trip, and every kind of damage detected and rebuilt."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import CorpusError, IndexStale
from assistant.files import locked, try_locked
from assistant.indexing import store
from assistant.indexing.build import build_index
from assistant.indexing.store import load_index

from .conftest import ToyEncoder


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
    assert meta["format_version"] == 2
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


@pytest.mark.parametrize("recorded", [None, 1])
def test_an_index_analysed_otherwise_triggers_rebuild(built, corpus_dir, toy_encoder, recorded):
    """An index whose BM25 terms came from another analyzer (no version recorded: before
    Dutch compounds were split) is stale; today's is current."""
    load_index(corpus=corpus_dir, index_dir=built, encoder=toy_encoder)  # today's: current
    meta = json.loads((built / "meta.json").read_text(encoding="utf-8"))
    assert meta["analyzer_version"] == store.ANALYZER_VERSION > 1
    if recorded is None:
        del meta["analyzer_version"]
    else:
        meta["analyzer_version"] = recorded
    (built / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(IndexStale, match="analyse lexicale changée"):
        load_index(corpus=corpus_dir, index_dir=built, encoder=toy_encoder)
    # the last good index, served when no new one can be written (a full disk), still loads
    last = load_index(corpus=corpus_dir, index_dir=built, encoder=toy_encoder, any_corpus=True)
    assert len(last.chunks) and last.lexical.scores("Sommet social").max() > 0


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
    assert {c.doc_id for c in built.chunks} == {"qe-517"}


def test_empty_corpus_is_a_clear_error(tmp_path, toy_encoder):
    (tmp_path / "vide").mkdir()
    with pytest.raises(CorpusError, match="Aucune question écrite"):
        build_index(corpus=tmp_path / "vide", index_dir=tmp_path / "i", encoder=toy_encoder)
    with pytest.raises(CorpusError, match="n'existe pas"):
        build_index(corpus=tmp_path / "absent", index_dir=tmp_path / "i", encoder=toy_encoder)


# --- readers and builders at once -----------------------------------------------------

WAIT = 120  # seconds: a bound on every wait below, never a way to order the threads


def _generations(index_dir):
    return sorted(p.name for p in index_dir.iterdir() if p.is_dir())


def _rebuild(corpus_dir, index_dir):
    build_index(corpus=corpus_dir, index_dir=index_dir, encoder=ToyEncoder(), progress=False)


def test_a_reader_keeps_the_generation_it_read_while_a_build_replaces_it(
    built, corpus_dir, toy_encoder, monkeypatch
):
    """The exact race: meta.json read, then a whole rebuild, then the files loaded."""
    read_meta, rebuilt, result = threading.Event(), threading.Event(), {}
    check_files = store._check_files

    def pause_then_check(folder, files):  # the reader, between meta.json and its files
        read_meta.set()
        assert rebuilt.wait(WAIT)
        check_files(folder, files)

    monkeypatch.setattr(store, "_check_files", pause_then_check)

    def read():
        try:
            result["built"] = load_index(corpus=corpus_dir, index_dir=built, encoder=toy_encoder)
        except Exception as exc:  # reported by the main thread
            result["error"] = exc

    old = _generation(built).name
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert read_meta.wait(WAIT)
        _rebuild(corpus_dir, built)
        new = _generation(built).name
        assert new != old and _generations(built) == sorted([old, new])  # kept for the reader
    finally:
        rebuilt.set()
    reader.join(WAIT)
    assert not reader.is_alive() and "error" not in result, result.get("error")
    assert result["built"].meta["generation"] == old and result["built"].dense.count > 50
    _rebuild(corpus_dir, built)
    assert _generations(built) == [_generation(built).name]  # no reader: old ones swept


def test_reader_loop_while_a_builder_rebuilds_never_sees_a_stale_index(built, corpus_dir):
    """Loads in a loop while four rebuilds run; the builder waits until each generation
    was loaded once, so the reader meets every one of them (no sleep orders the two)."""
    seen, errors, done = set(), [], threading.Event()
    changed = threading.Condition()

    def rebuild_four_times():
        try:
            for _ in range(4):
                with changed:
                    current = _generation(built).name
                    assert changed.wait_for(lambda: current in seen or errors, WAIT)
                _rebuild(corpus_dir, built)
        except Exception as exc:
            errors.append(exc)
        finally:
            done.set()

    builder = threading.Thread(target=rebuild_four_times, daemon=True)
    builder.start()
    loads = 0
    while not done.is_set():
        try:  # IndexStale here is what would make Assistant.load rebuild
            loaded = load_index(corpus=corpus_dir, index_dir=built, encoder=ToyEncoder())
        except Exception as exc:
            errors.append(exc)
            break
        loads += 1
        with changed:
            seen.add(loaded.meta["generation"])
            changed.notify_all()
    builder.join(WAIT)
    assert not builder.is_alive() and errors == []
    assert len(seen) >= 4 and loads >= 4  # every generation but maybe the last was loaded
    load_index(corpus=corpus_dir, index_dir=built, encoder=ToyEncoder())


def test_try_locked_gets_the_lock_only_when_no_reader_holds_it(tmp_path):
    with locked(tmp_path, shared=True, name="r.lock"):
        with locked(tmp_path, shared=True, name="r.lock"):  # readers share it
            with try_locked(tmp_path, name="r.lock") as alone:
                assert alone is False
    with try_locked(tmp_path, name="r.lock") as alone:
        assert alone is True
        with try_locked(tmp_path, name="r.lock") as again:
            assert again is False  # and a writer excludes a writer


def test_a_read_only_index_loads_without_the_lock(built, corpus_dir, toy_encoder):
    """When the readers' lock file cannot be opened, the index loads all the same."""
    lock = built / store.READERS_LOCK
    lock.unlink(missing_ok=True)
    lock.mkdir()  # opening it fails, for any user (root included)
    loaded = load_index(corpus=corpus_dir, index_dir=built, encoder=toy_encoder)
    assert loaded.meta["count"] == loaded.dense.count > 50


_LOAD_READ_ONLY = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from tests.conftest import ToyEncoder
from assistant.indexing.store import READERS_LOCK, load_index
index = Path(sys.argv[1])
try:
    (index / "probe").write_text("x")
except OSError:
    pass  # read-only indeed
else:
    raise SystemExit("the index folder is writable: the test would prove nothing")
loaded = load_index(corpus=Path(sys.argv[2]), index_dir=index, encoder=ToyEncoder())
assert loaded.meta["count"] == loaded.dense.count > 50
assert not (index / READERS_LOCK).exists()
print("loaded read-only", loaded.dense.count)
"""


def _read_only_runner(index_dir):
    """A command that runs Python with ``index_dir`` mounted read-only (a private mount
    namespace: nothing changes for other processes), or None where that cannot be done."""
    import shutil
    import subprocess

    if shutil.which("unshare") is None or os.geteuid() != 0:
        return None  # without root, a chmod 555 folder is read-only enough: see below
    probe = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "true"], capture_output=True
    )
    if probe.returncode != 0:
        return None
    mount = f"mount --bind {index_dir} {index_dir} && mount -o remount,ro,bind {index_dir}"
    return [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        f'{mount} && exec "$@"',
        "-",
    ]


def test_a_read_only_folder_loads_and_stays_untouched(built, corpus_dir):
    """An index on a read-only file system loads without its readers' lock, writing nothing."""
    import subprocess
    import sys

    (built / store.READERS_LOCK).unlink(missing_ok=True)  # as a copy without hidden files
    root = Path(__file__).resolve().parent.parent
    prefix = _read_only_runner(built)
    folders = [built, *(p for p in built.rglob("*") if p.is_dir())]
    if prefix is None:  # not root: plain permissions make the folder read-only
        for p in folders:
            p.chmod(0o555)
        prefix = []
    try:
        run = subprocess.run(
            [
                *prefix,
                sys.executable,
                "-c",
                _LOAD_READ_ONLY,
                str(built),
                str(corpus_dir),
                str(root),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        for p in folders:
            p.chmod(0o755)
    assert run.returncode == 0, run.stderr
    assert "loaded read-only" in run.stdout
    assert not (built / store.READERS_LOCK).exists()


def test_loading_a_missing_folder_creates_nothing(tmp_path, corpus_dir, toy_encoder):
    with pytest.raises(IndexStale, match="pas d'index"):
        load_index(corpus=corpus_dir, index_dir=tmp_path / "absent", encoder=toy_encoder)
    assert not (tmp_path / "absent").exists()


def test_a_lock_file_that_cannot_be_opened_leaves_the_sweep_to_later(tmp_path):
    (tmp_path / "r.lock").mkdir()  # opening it fails for any user, root included
    with try_locked(tmp_path, name="r.lock") as alone:
        assert alone is False  # no error: old generations simply stay for the next build


def test_readers_go_on_where_the_file_system_has_no_locks(tmp_path, monkeypatch):
    import errno
    import fcntl

    def no_locks(fd, op):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    with locked(tmp_path, shared=True, name="r.lock"):
        pass  # a reader reads anyway
    with try_locked(tmp_path, name="r.lock") as alone:
        assert alone is False
    with pytest.raises(OSError, match="No locks"):
        with locked(tmp_path, name="w.lock"):  # a writer does not write unlocked
            pass
