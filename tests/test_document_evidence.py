"""Document-level evidence in the hybrid ranking (assistant.search.fusion.document_evidence)."""

import numpy as np

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
