"""An interrupted build is resumed: the vectors it encoded were saved as it went (issue 15 §1).

The toy encoder shows the mechanics by hand (an interruption after two batches, a part
cut short); the slow test kills a real ``python -m assistant index`` with SIGKILL while
the real model encodes, and checks that the next build encodes only what was missing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from assistant.indexing import embedcache
from assistant.indexing.build import build_index, embedding_texts
from assistant.indexing.embedcache import PENDING_DIR, SAVE_EVERY, text_key

from .conftest import ROOT, ToyEncoder


class Interrupted(ToyEncoder):
    """Stops (like Ctrl+C) when asked for its batch number ``stop_at``."""

    def __init__(self, stop_at: int) -> None:
        super().__init__()
        self.stop_at = stop_at

    def encode_passages(self, texts, *, progress=False):
        if self.calls + 1 == self.stop_at:
            raise KeyboardInterrupt
        return super().encode_passages(texts)


def _distinct(corpus) -> int:
    from assistant.documents.corpus import corpus_files
    from assistant.indexing.build import chunks_from

    texts, _, _ = embedding_texts(chunks_from(corpus_files(corpus), warn=None))
    return len(set(texts))


def test_an_interrupted_build_is_resumed(tmp_path, corpus_dir):
    index = tmp_path / "index"
    total = _distinct(corpus_dir)
    assert total > 3 * SAVE_EVERY  # enough batches to stop in the middle
    with pytest.raises(KeyboardInterrupt):
        build_index(corpus=corpus_dir, index_dir=index, encoder=Interrupted(3), progress=False)
    parts = list((index / PENDING_DIR).glob("part-*.npz"))
    assert len(parts) == 2 and not (index / "meta.json").exists()
    enc = ToyEncoder()
    built = build_index(corpus=corpus_dir, index_dir=index, encoder=enc, progress=False)
    emb = built.meta["embeddings"]
    assert (emb["from_cache"], emb["embedded"]) == (2 * SAVE_EVERY, total - 2 * SAVE_EVERY)
    assert not (index / PENDING_DIR).exists()
    fresh = build_index(
        corpus=corpus_dir, index_dir=tmp_path / "fresh", encoder=ToyEncoder(), progress=False
    )
    np.testing.assert_allclose(built.sentence_vectors, fresh.sentence_vectors, atol=1e-6)


def test_a_part_cut_short_or_of_another_model_is_ignored(tmp_path, corpus_dir):
    index = tmp_path / "index"
    with pytest.raises(KeyboardInterrupt):
        build_index(corpus=corpus_dir, index_dir=index, encoder=Interrupted(3), progress=False)
    first, second = sorted((index / PENDING_DIR).glob("part-*.npz"))
    first.write_bytes(first.read_bytes()[:100])  # a part cut short
    pending = embedcache.Pending(index, encoder=ToyEncoder())
    assert len(pending.load()) == SAVE_EVERY  # the second part only
    other = ToyEncoder(dim=32)
    assert len(embedcache.Pending(index, encoder=other).load()) == 0


@pytest.mark.slow
def test_a_real_build_killed_mid_encoding_resumes(tmp_path, corpus_dir, real_encoder):
    """SIGKILL during the real model's encoding; the next build encodes only the rest."""
    # the first 40 % of the bundled answer, as a page saved incomplete: ~320 texts, enough
    # for a saved part (SAVE_EVERY) before the kill and some left after it
    (doc,) = corpus_dir.iterdir()
    text = doc.read_text(encoding="utf-8")
    doc.write_text(text[: text.index("\n", int(0.4 * len(text)))], encoding="utf-8")
    assert _distinct(corpus_dir) > 2 * SAVE_EVERY
    index = tmp_path / "index"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # the session's model cache (conftest)
    cmd = [sys.executable, "-m", "assistant", "index", "--corpus", str(corpus_dir)]
    proc = subprocess.Popen(
        [*cmd, "--index", str(index)], env=env, cwd=ROOT, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not list((index / PENDING_DIR).glob("part-*.npz")):
        assert proc.poll() is None, "the build ended before it could be killed"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    saved = embedcache.Pending(index, encoder=real_encoder).load()
    assert len(saved) >= SAVE_EVERY and not (index / "meta.json").exists()
    total = _distinct(corpus_dir)
    built = build_index(corpus=corpus_dir, index_dir=index, encoder=real_encoder, progress=False)
    emb = built.meta["embeddings"]
    assert emb["from_cache"] == len(saved) and emb["embedded"] == total - len(saved)
    assert not (index / PENDING_DIR).exists()
    # the saved vectors are the model's own: re-encode a few of them and compare
    texts, _, _ = embedding_texts(list(built.chunks))
    by_key = {k.tobytes(): v for k, v in zip(saved.keys, saved.vectors, strict=True)}
    some = [t for t in dict.fromkeys(texts) if text_key(t) in by_key][:4]
    again = real_encoder.encode_passages(some)
    np.testing.assert_allclose([by_key[text_key(t)] for t in some], again, atol=1e-4)
    assert json.loads((index / "meta.json").read_text("utf-8"))["count"] == len(built.chunks)
