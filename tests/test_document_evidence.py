"""Document-level evidence in the hybrid ranking (assistant.search.fusion.document_evidence)."""

import numpy as np
import pytest

from assistant.search.fusion import document_evidence, ranking


def test_several_matching_passages_beat_one_stray_passage():
    # doc "b" has one passage slightly ahead; doc "a" has three good ones
    scores = np.array([1.0, 0.9, 0.8, 1.1, -0.5])
    docs = np.array(["a", "a", "a", "b", "b"], dtype=object)
    assert ranking(scores)[0] == 3
    out = document_evidence(scores, docs, share=0.2)
    # a: +0.2 * 2.7 = 0.54 ; b: +0.2 * 1.1 = 0.22 (the negative passage adds nothing)
    np.testing.assert_allclose(out, [1.54, 1.44, 1.34, 1.32, -0.28])
    assert ranking(out)[0] == 0


def test_order_inside_a_document_is_unchanged_and_depth_bounds_the_sum():
    scores = np.array([3.0, 2.0, 1.0, 0.5])
    docs = np.array(["a"] * 4, dtype=object)
    out = document_evidence(scores, docs, share=1.0, depth=2)
    np.testing.assert_allclose(out, scores + 5.0)  # only the two best count
    assert ranking(out) == ranking(scores)


def test_zero_share_changes_nothing():
    scores = np.array([0.3, 0.7])
    docs = np.array(["a", "b"], dtype=object)
    assert document_evidence(scores, docs, share=0.0) is scores


def test_the_share_comes_from_the_fitted_json_and_shifts_the_hybrid_scores(tmp_path, toy_encoder):
    """On a real (toy-encoded) index, each passage's hybrid score gains the share of its
    document's best three positive scores; the JSON holds the share fitted on dev."""
    import json

    from assistant import Assistant
    from assistant.search.searcher import RANKING, fitted_document_share

    fitted = json.loads(RANKING.read_text(encoding="utf-8"))
    assert fitted_document_share() == fitted["document_share"] >= 0
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Question écrite concernant les trottinettes\n\nQuestion    Combien de trottinettes "
        "partagées ?\n\nRéponse    Il y a 12.000 trottinettes partagées à Bruxelles.\n",
        encoding="utf-8",
    )
    (folder / "b.txt").write_text(
        "Question écrite concernant les parcs\n\nQuestion    Combien de visiteurs dans les "
        "parcs ?\n\nRéponse    Les parcs ont reçu un million de visiteurs.\n",
        encoding="utf-8",
    )
    a = Assistant.load(corpus=folder, index=tmp_path / "i", encoder=toy_encoder, log=print)
    q = "Combien de trottinettes partagées à Bruxelles ?"
    a.searcher.document_share = 0.0
    base = {h.chunk_id: h for h in a.search(q, k=20, mode="hybrid")}
    a.searcher.document_share = 0.5
    shifted = {h.chunk_id: h for h in a.search(q, k=20, mode="hybrid")}
    assert base.keys() == shifted.keys()
    for doc in {h.doc_id for h in base.values()}:
        best = sorted(h.score for h in base.values() if h.doc_id == doc and h.score > 0)
        bonus = 0.5 * sum(best[-3:])
        for cid, h in base.items():
            if h.doc_id == doc:
                assert shifted[cid].score == pytest.approx(h.score + bonus)
