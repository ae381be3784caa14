"""Grounded abstention: the passages must mention the question's most specific word."""

from __future__ import annotations

import json

import pytest

from assistant.answers import grounding
from assistant.answers.grounding import missing_term, specific_terms, unmentioned
from evals.fit_grounding import choose

from .conftest import toy_over_bundled

CREPES = "Quelle est la recette de la pâte à crêpes ?"
SOMMET = "Quelles mesures le Sommet social 2021 a-t-il prises pour l'emploi ?"


def test_specific_terms_rarest_first_by_language():
    fr = specific_terms(CREPES)
    assert [t.word for t in fr][:2] == ["crêpes", "pâte"]  # 3.6 then 4.1 in wordfreq's French
    assert all(a.zipf <= b.zipf for a, b in zip(fr, fr[1:]))
    nl = specific_terms("Hoeveel subsidies kregen de sportclubs van het Brussels Gewest in 2021?")
    assert nl[0].word == "sportclubs" and nl[0].stem == "sportclub"
    assert "2021" not in [t.word for t in nl] and "het" not in [t.word for t in nl]


def test_unknown_words_are_left_out():
    assert "presidant" not in [
        t.word for t in specific_terms("Qui est le presidant de Brupartners ?")
    ]


def test_missing_term_by_stem_and_prefix():
    passages = ["Le Sommet social 2021 a réuni les partenaires sociaux."]
    term, missing = missing_term(CREPES, passages, threshold=4.5)
    assert term.word == "crêpes" and missing
    assert unmentioned(CREPES, passages, threshold=4.5) == "crêpes"
    # "crêpe" shares the stem; a Dutch plural shares a long prefix
    assert unmentioned(CREPES, ["Une crêpe au sucre."], threshold=4.5) is None
    q = "Hoeveel subsidies kregen de sportclubs van het Gewest?"
    assert unmentioned(q, ["De subsidie voor de sportclub is verhoogd."], threshold=4.5) is None
    # no word is that specific, or no check at all: nothing is missing
    assert unmentioned(CREPES, [""], threshold=1.0) is None
    assert unmentioned(CREPES, [""], threshold=None) is None


def test_choose_refuses_within_the_bound():
    ans = [{"answerable": True, "abstained": False, "zipf": None} for _ in range(40)]
    ans[0]["zipf"] = 3.0  # one answerable question with an unmentioned word at 3.0: 2.5 %
    ans[1]["zipf"] = 4.6  # and another at 4.6: both refused -> 5 %, then a third...
    ans[2]["zipf"] = 4.8
    un = [{"answerable": False, "abstained": False, "zipf": z} for z in (2.4, 3.9, 4.7, None)]
    fit = choose(ans + un)
    assert fit["chosen"]["level"] == 4.75  # refuses 2.4, 3.9, 4.7; wrong refusals 2/40
    assert fit["chosen"]["abstention_recall"] == 0.75
    assert fit["chosen"]["wrong_refusal_rate"] == 0.05
    # nothing gained: the check stays off
    assert choose(ans[:3] + un[3:])["chosen"]["level"] is None


def test_fitted_json_is_readable():
    fitted = grounding.fitted()
    assert fitted["refit"] == "python -m evals.fit_grounding"
    assert fitted["dev"]["after"]["wrong_refusal_rate"] <= fitted["max_wrong_refusals"]
    assert fitted["zipf_threshold"] == grounding.grounding_threshold()


def test_toy_assistant_says_which_word_is_not_mentioned(tmp_path, monkeypatch, capsys):
    import assistant.core

    monkeypatch.setattr(assistant.core, "grounding_threshold", lambda: 4.5)
    toy, _ = toy_over_bundled(tmp_path)
    a = toy.ask(CREPES)
    assert a.abstained
    assert a.answer.startswith("Les documents ne parlent pas de « crêpes ».")
    assert a.citations  # the closest passages, as for every refusal
    assert not toy.ask(SOMMET).abstained
    monkeypatch.setattr(assistant.core, "grounding_threshold", lambda: None)
    assert "crêpes" not in toy.ask(CREPES).answer.split("\n")[0]


@pytest.mark.slow
def test_real_model_grounded_refusal(real_assistant, monkeypatch):
    import assistant.core

    monkeypatch.setattr(assistant.core, "grounding_threshold", lambda: 4.5)
    a = real_assistant.ask(CREPES)  # refused by the confidence too: the word is said first
    assert a.abstained and a.answer.startswith("Les documents ne parlent pas de « crêpes ».")
    # the grounding alone, on the real retrieved passages
    monkeypatch.setattr(assistant.core, "abstain_threshold", lambda model_id: None)
    a = real_assistant.ask(CREPES)
    assert a.abstained and "« crêpes »" in a.answer
    b = real_assistant.ask(SOMMET)
    assert not b.abstained and b.citations
    json.dumps(b.abstention.__dict__)  # the signals stay plain values
