"""Retrieval with the real model and index on the bundled corpus and the evaluation set."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import unicodedata

import pytest

from assistant import Assistant
from assistant.indexing.build import build_index
from evals.dataset import QUESTIONS, load_questions
from evals.runner import run_all

from .conftest import CORPUS, HIT_KEYS, ROOT

REBOND = ROOT / "tests" / "fixtures" / "qe-1203-fonds-rebond.txt"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def questions(doc):
    return [q for q in load_questions(QUESTIONS, documents=[doc]) if q.answerable]


def test_evaluation_set_shape(questions):
    assert len(questions) >= 40
    citizen = [q for q in questions if q.kind == "citizen"]
    assert len(citizen) >= len(questions) * 0.4
    assert {q.split for q in questions} == {"dev", "heldout"}


def test_hybrid_beats_each_retriever_and_stays_good(real_assistant, questions):
    """Guards against regressions; measured figures are in the README."""
    report = run_all(real_assistant, questions, configs=("hybrid", "dense", "bm25"))
    summary = {m: report["summary"][m]["all"] for m in ("hybrid", "dense", "bm25")}
    # measured on the 182 answerable questions: hit@5 0.945, MRR 0.876 (README)
    assert summary["hybrid"]["hit@5"] >= 0.92, summary
    assert summary["hybrid"]["mrr@10"] >= 0.85, summary
    for other in ("dense", "bm25"):
        assert summary["hybrid"]["mrr@10"] > summary[other]["mrr@10"], summary


def test_top_k_is_a_prefix_of_a_longer_list(real_assistant):
    q = "Quelles aides pour les commerces ?"
    for mode in ("hybrid", "dense", "bm25", "rrf"):
        short = [h.chunk_id for h in real_assistant.search(q, k=3, mode=mode)]
        long = [h.chunk_id for h in real_assistant.search(q, k=10, mode=mode)]
        assert short == long[:3], mode


def test_nfc_and_nfd_questions_give_the_same_results(real_assistant):
    q = "Quelles écoles ont reçu des Chromebooks ? Et les crèches ?"
    nfd = unicodedata.normalize("NFD", q)
    assert nfd != q
    a = [(h.chunk_id, round(h.score, 5)) for h in real_assistant.search(q)]
    b = [(h.chunk_id, round(h.score, 5)) for h in real_assistant.search(nfd)]
    assert a == b


def test_hits_carry_citable_passages(real_assistant, doc):
    hits = real_assistant.search("Où en est la réforme de la taxe de circulation ?", k=5)
    assert [h.rank for h in hits] == [1, 2, 3, 4, 5]
    for h in hits:
        assert h.doc_id == doc.doc_id and h.chunk_id.startswith(f"{doc.doc_id}#{h.section_id}")
        assert h.dense_score is not None and h.bm25_score is not None
        # the passage can be traced back to the source text
        src = "".join(doc.source[h.start : h.end].split())
        assert "".join(h.text.split()).replace("→", "ð") in src or h.text[:30] in doc.source


def test_faiss_and_numpy_backends_agree_on_real_vectors(
    tmp_path, real_encoder, real_assistant, real_index
):
    # built from the session index's embedding cache: the same vectors, no encoding again
    numpy_index = tmp_path / "numpy"
    shutil.copytree(real_index, numpy_index)
    built = build_index(
        corpus=CORPUS, index_dir=numpy_index, encoder=real_encoder, backend="numpy", progress=False
    )
    assert built.meta["embeddings"]["embedded"] == 0
    # the same query encoder on both sides (the session's is the served one, NumPy)
    oracle = Assistant.load(corpus=CORPUS, index=numpy_index, encoder=real_assistant.encoder)
    assert oracle.built.meta["dense_backend"] == "numpy"
    for q in ["budget des écoles", "Qui porte l'objectif 1.7 ?", "primes énergie 2022"]:
        for mode in ("dense", "hybrid"):
            a = [h.chunk_id for h in real_assistant.search(q, k=10, mode=mode)]
            b = [h.chunk_id for h in oracle.search(q, k=10, mode=mode)]
            assert a == b, (q, mode)


def _cli(*args, **kw):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        **kw,
    )


def test_cli_end_to_end_in_a_real_process(tmp_path, real_assistant, real_index):
    # A copy of the session's index whose corpus hash no longer matches: the process
    # rebuilds it, for real, with the embeddings of its cache (encoding is tested elsewhere)
    index = tmp_path / "index"
    shutil.copytree(real_index, index)
    meta = json.loads((index / "meta.json").read_text(encoding="utf-8"))
    meta["corpus"]["hash"] = "0" * 64
    (index / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    common = ["--corpus", str(CORPUS), "--index", str(index)]
    r = _cli("search", "Je veux ouvrir un magasin, y a-t-il une aide ?", "--json", *common)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert len(out["hits"]) == 5 and "Construction de l'index (corpus modifié)" in r.stderr
    assert [h["chunk_id"] for h in out["hits"]] == [
        h.chunk_id for h in real_assistant.search("Je veux ouvrir un magasin, y a-t-il une aide ?")
    ]
    rebuilt = json.loads((index / "meta.json").read_text(encoding="utf-8"))
    assert rebuilt["embeddings"]["embedded"] == 0 and rebuilt["generation"] != meta["generation"]
    assert HIT_KEYS <= set(out["hits"][0])
    bad = _cli("search", "   ", *common)
    assert bad.returncode == 2 and bad.stderr.startswith("Erreur") and "Traceback" not in bad.stderr
    batch = _cli(
        "search", "--batch", "-", "--k", "1", *common, input='{"id": 1, "question": "PRAS"}\nnope\n'
    )
    lines = [json.loads(x) for x in batch.stdout.splitlines()]
    assert batch.returncode == 0 and lines[0]["id"] == 1 and "error" in lines[1]


def test_another_model_given_as_a_local_folder(real_encoder, tmp_path):
    """--model PATH / ASSISTANT_MODEL=PATH: any sentence-transformers folder, its own prompts."""
    from assistant.models.e5model import ensure_model
    from assistant.models.encoder import load_encoder

    folder = ensure_model()  # the session's cache (autouse fixture): already built
    enc = load_encoder(str(folder))
    assert enc.id == str(folder) and enc.fingerprint.startswith("folder:")
    assert enc.dim == 384
    v = enc.encode_queries(["budget des écoles"])
    w = real_encoder.encode_queries(["budget des écoles"])
    assert float(v[0] @ w[0]) == pytest.approx(1.0, abs=1e-5)  # same weights, same prompt
    corpus = tmp_path / "corpus"  # one short written question: the model, not the corpus
    corpus.mkdir()
    shutil.copy(REBOND, corpus / REBOND.name)
    built = Assistant.load(corpus=corpus, index=tmp_path / "i", encoder=enc)
    assert built.built.meta["model"]["fingerprint"] == enc.fingerprint
    hit = built.search("Que finance le Fonds Rebond ?", k=1)[0]  # encoded by that folder
    assert "Rebond" in hit.text and hit.dense_score > 0.7
