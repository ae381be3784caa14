"""The learned sentence ranker: features, score in cosine units, the stored fit."""

from __future__ import annotations

import pytest

from assistant.answers import ranker as learned
from assistant.answers.ranker import FEATURES, Ranker, features
from evals.fit_reader import _positive, fit, pairs


def test_features_by_hand():
    x = features(
        cosine=0.8,
        share=0.5,
        lemma_share=0.75,
        rank=2,
        typed=True,
        heading=True,
        lead_in=True,
        position=0.25,
        kind="answer",
    )
    assert dict(zip(FEATURES, x, strict=True)) == {
        "cosine": 0.8,
        "word_share": 0.5,
        "lemma_share": 0.75,
        "inv_rank": 0.5,
        "typed": 1.0,
        "heading": 1.0,
        "lead_in": 0.0,  # a heading is not also a lead-in
        "position": 0.25,
        "answer_kind": 1.0,
    }


def test_score_is_in_cosine_units():
    r = Ranker(coefficients=(10.0, 2.0, 0, 0, 0, 0, 0, 0, 0), intercept=-5.0)
    # (−5 + 10·0.8 + 2·0.5) / 10
    assert r.score((0.8, 0.5, 0, 0, 0, 0, 0, 0, 0)) == pytest.approx(0.4)


def test_positive_sentences_overlap_the_evidence():
    ev = ("Le budget est de 3 millions d'euros pour 2021.",)
    assert _positive("Le budget est de 3 millions d’euros pour 2021.", ev)
    assert _positive("Intro. Le budget est de 3 millions d'euros pour 2021. Suite.", ev)
    assert not _positive("Le budget sera revu.", ev)
    assert not _positive("2021.", ev)  # too short to count


def test_pairs_are_the_differences_within_one_question_both_ways():
    q1 = ([(1.0, 0.0), (0.0, 1.0), (0.5, 0.5)], [True, False, False])
    q2 = ([(2.0, 2.0)], [True])  # no negative: no pair
    x, y, w = pairs([q1, q2])
    assert x.tolist() == [[1.0, -1.0], [0.5, -0.5], [-1.0, 1.0], [-0.5, 0.5]]
    assert y.tolist() == [1, 1, 0, 0] and w.sum() == pytest.approx(1.0)
    # each question weighs 1 in all, whatever its number of pairs
    q3 = ([(1.0, 1.0), (0.0, 0.0)], [True, False])
    _, _, w = pairs([q1, q3])
    assert w[:4].sum() == pytest.approx(1.0) and w[4:].sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="no question"):
        pairs([q2])


def test_fit_prefers_what_separates_the_sentences_of_a_question():
    pos = (0.9, 0.8, 0.8, 1.0, 1.0, 0.0, 0.0, 0.1, 1.0)
    neg = (0.9, 0.1, 0.1, 1.0, 0.0, 0.0, 0.0, 0.9, 1.0)
    other = (0.5, 0.8, 0.8, 0.5, 1.0, 0.0, 0.0, 0.1, 1.0)  # the same, lower cosine
    r = fit([([pos, neg, neg, neg], [True, False, False, False]), ([pos, other], [True, False])])
    w = dict(zip(FEATURES, r.coefficients, strict=True))
    assert w["word_share"] > 0 and w["typed"] > 0 and w["position"] < 0 and w["cosine"] > 0


def test_stored_fit_is_readable_and_off_unless_it_helped():
    f = learned.fitted()
    assert f["features"] == list(FEATURES) and f["refit"] == "python -m evals.fit_reader"
    dev = f["dev"]
    helped = (
        dev["learned_ranker"]["evidence_in_answer"] > dev["hand_set_score"]["evidence_in_answer"]
    )
    assert f["use"] is helped
    assert (learned.active() is not None) is helped


@pytest.mark.slow
def test_refit_on_dev_reproduces_the_stored_weights(real_assistant):
    from assistant.documents.corpus import read_corpus
    from evals.dataset import QUESTIONS, load_questions
    from evals.fit_reader import fit_on

    docs = [doc for _, doc in read_corpus(real_assistant.corpus)]
    dev = [q for q in load_questions(QUESTIONS, documents=docs) if q.split == "dev"]
    f = learned.fitted()
    ranker, ys = fit_on(real_assistant, dev, c=f["C"])
    assert len(ys) == pytest.approx(f["training"]["sentences"], rel=0.05)
    assert ranker.coefficients == pytest.approx(f["coefficients"], rel=0.05, abs=0.5)
    assert ranker.intercept == pytest.approx(f["intercept"], abs=0.5)
