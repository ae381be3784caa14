"""Grounded abstention: the quoted sentences must carry the question's specific words."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.answers import grounding
from assistant.answers.grounding import (
    Gap,
    Levels,
    Quote,
    evidence,
    judge,
    missing_term,
    phrase_of,
    specific_terms,
    unmentioned,
)
from assistant.answers.question_types import AnswerType
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


STEMS = Levels(zipf=4.2, present=1.0, neighbour=None, typed=False)
TYPED = Levels(zipf=4.2, present=1.0, neighbour=None, typed=True)
PRIME = "Combien de personnes ont reçu la prime rénovation ?"


def test_phrase_joins_missing_words_over_short_words():
    assert phrase_of(CREPES, ["crêpes", "pâte"]) == "pâte à crêpes"
    assert phrase_of(CREPES, ["crêpes"]) == "crêpes"
    assert phrase_of(CREPES, ["crêpes", "recette"]) == "crêpes"  # "de la" between: two words
    # a word inside a name is given as the question spells it
    assert phrase_of("Quel budget pour la Stratégie GO4Brussels ?", ["brussels"]) == "Brussels"


def test_quoted_sentences_not_passages_must_carry_the_words():
    off = [Quote("Sommet social", ("Le Sommet social 2021 a réuni les partenaires.",))]
    gap = judge(evidence(CREPES, off), STEMS, question=CREPES)
    assert gap == Gap("fr", "pâte à crêpes")
    assert gap.lines() == ["Les documents ne parlent pas de « pâte à crêpes »."]
    on = [Quote("Cuisine", ("La pâte à crêpe se prépare la veille.",))]
    assert judge(evidence(CREPES, on), STEMS, question=CREPES) is None
    # the section label counts as context of its quoted sentence
    labelled = [Quote("Recette de la pâte à crêpes", ("On mélange la farine et le lait.",))]
    assert judge(evidence(CREPES, labelled), STEMS, question=CREPES) is None
    # half of the specific words is enough at present=0.5 ("pâte" carried, "crêpes" not)
    half = [Quote("Cuisine", ("La pâte feuilletée se prépare la veille.",))]
    ev = evidence(CREPES, half)
    assert judge(ev, STEMS, question=CREPES) == Gap("fr", "crêpes")
    assert judge(ev, Levels(4.2, 0.5, None, False), question=CREPES) is None
    # no word rarer than the level: no check
    assert judge(ev, Levels(2.0, 1.0, None, False), question=CREPES) is None


def test_wanted_value_must_sit_with_the_subject():
    money = [Quote("Primes", ("La prime rénovation s'élève à 2.000 euros.",))]
    ev = evidence(PRIME, money)
    assert judge(ev, STEMS, question=PRIME) is None  # the words are there
    gap = judge(ev, TYPED, question=PRIME)  # but a sum of money is not a number of people
    assert gap.value == AnswerType.COUNT and "rénovation" in gap.phrase
    assert gap.lines()[0].startswith("Les documents ne donnent pas de nombre pour « ")
    # a count in a sentence that does not name the subject does not answer either
    apart = [
        Quote("Primes", ("La prime rénovation est ouverte.", "Au total, 120 écoles ont participé."))
    ]
    assert judge(evidence(PRIME, apart), TYPED, question=PRIME) is not None
    counted = [Quote("Primes", ("En 2021, 350 ménages ont reçu la prime rénovation.",))]
    assert judge(evidence(PRIME, counted), TYPED, question=PRIME) is None
    # the passage's label is the context of its sentence: it may name the subject
    labelled = [Quote("Prime rénovation", ("En 2021, 350 ménages en ont bénéficié.",))]
    assert judge(evidence(PRIME, labelled), TYPED, question=PRIME) is None
    # a date is not required: "le 22 avril prochain", "fin de l'année" answer as well
    when = "Quand la prime rénovation sera-t-elle ouverte ?"
    soon = [Quote("Primes", ("La prime rénovation sera ouverte prochainement.",))]
    assert judge(evidence(when, soon), TYPED, question=when) is None


def test_a_count_question_that_names_nothing_counted_is_answered_by_a_sum():
    # « Combien la Région a-t-elle mis … ? » counts no noun: a sum of money answers it
    q = "Combien la Région a-t-elle mis pour les clubs sportifs ?"
    quoted = [Quote("Sport", ("La Région a mis 12 millions d'euros pour les clubs sportifs.",))]
    assert judge(evidence(q, quoted), TYPED, question=q) is None
    # « combien de clubs » counts clubs, « combien de fois » times: the sum answers neither
    q = "Combien de clubs sportifs la Région a-t-elle aidés ?"
    assert judge(evidence(q, quoted), TYPED, question=q) is not None
    q = "Combien de fois les clubs sportifs ont-ils été réunis ?"
    assert judge(evidence(q, quoted), TYPED, question=q) is not None


def test_grounder_judges_as_the_fit_does():
    # the figure's subject is the rarest word even when no word is under the level
    lv = Levels(zipf=2.0, present=0.5, neighbour=None, typed=True)
    bare = [Quote("Primes", ("La prime rénovation a été créée en 2020.",))]
    gap = grounding.Grounder(lv).gap(PRIME, bare)
    assert gap is not None and gap.value == AnswerType.COUNT
    assert judge(evidence(PRIME, bare), lv, question=PRIME) == gap  # the fit's evidence
    counted = [Quote("Primes", ("En 2021, 350 personnes ont reçu la prime rénovation.",))]
    assert grounding.Grounder(lv).gap(PRIME, counted) is None
    # the judge lets « 350 ménages » pass; the count's noun does not (answers/counted.py)
    households = [Quote("Primes", ("En 2021, 350 ménages ont reçu la prime rénovation.",))]
    assert judge(evidence(PRIME, households), lv, question=PRIME) is None
    assert grounding.Grounder(lv).gap(PRIME, households) == Gap("fr", "personnes", AnswerType.COUNT)


class _Words:
    """An encoder over a fixed table of word vectors, counting its calls."""

    def __init__(self, table):
        self.table, self.calls = table, 0

    def encode_queries(self, words):
        self.calls += 1
        return _encode(self.table)(words)


def test_grounder_asks_the_encoder_only_for_a_gap_and_once_per_word():
    q = "Quel budget pour les vélos partagés ?"
    near = np.array([0.9, np.sqrt(1 - 0.81), 0, 0], dtype=np.float32)
    enc = _Words({"vélos": np.eye(4, dtype=np.float32)[0], "bicyclettes": near})
    g = grounding.Grounder(Levels(4.2, 1.0, 0.85, False), enc)
    assert g.gap(q, [Quote("", ("Les vélos partagés ont un budget.",))]) is None
    assert enc.calls == 0  # carried by stem: no encoding
    quotes = [Quote("Mobilité", ("Les bicyclettes partagées ont un budget propre.",))]
    assert g.gap(q, quotes) is None and enc.calls == 1  # the neighbour fills the gap
    assert g.gap(q, quotes) is None and enc.calls == 1  # cached per word


def test_dutch_gap_is_said_in_french_then_dutch():
    q = "Hoeveel fietsers gebruiken de nieuwe fietspaden in Brussel?"
    gap = judge(
        evidence(q, [Quote("Mobiliteit", ("Het budget voor bussen stijgt.",))]),
        Levels(4.2, 1.0, None, False),
        question=q,
    )
    assert gap is not None and gap.language == "nl"
    fr, nl = gap.lines()
    assert fr.startswith("Les documents ne parlent pas de « ") and nl.startswith(
        "De documenten spreken niet over « "
    )


def _encode(table):
    def encode(words):
        return np.stack([table.get(w, np.eye(4, dtype=np.float32)[3]) for w in words])

    return encode


def test_close_neighbour_under_the_encoder_stands_for_a_missing_word():
    q = "Quel budget pour les vélos partagés ?"
    near = np.array([0.9, np.sqrt(1 - 0.81), 0, 0], dtype=np.float32)
    table = {"vélos": np.eye(4, dtype=np.float32)[0], "bicyclettes": near}
    quotes = [Quote("Mobilité", ("Les bicyclettes partagées ont un budget propre.",))]
    ev = evidence(q, quotes, encode=_encode(table))
    assert judge(ev, Levels(4.2, 1.0, None, False), question=q) == Gap("fr", "vélos")
    assert judge(ev, Levels(4.2, 1.0, 0.85, False), question=q) is None  # cosine 0.9
    assert judge(ev, Levels(4.2, 1.0, 0.95, False), question=q) is not None
    # stems only: the encoder is not asked at all when every word is carried
    calls = []
    evidence(q, [Quote("", ("Les vélos partagés.",))], encode=calls.append, max_zipf=4.2)
    assert calls == []


def test_a_neighbour_is_read_in_every_sentence_that_lacks_the_word():
    # « aide » stands in the second sentence, the count in the first: the first one's own
    # words are compared with « aidées » too, as they would be if no sentence said « aide »
    q = "Combien d'écoles sont aidées ?"
    near = np.array([0.9, np.sqrt(1 - 0.81), 0, 0], dtype=np.float32)
    table = {"aidées": np.eye(4, dtype=np.float32)[0], "accompagne": near}
    said = ("La Région accompagne 138 écoles.", "Une aide est prévue.")
    ev = evidence(q, [Quote("Cantines", said)], encode=_encode(table))
    assert ev.carried[0][:2] == (pytest.approx(0.9), 1.0)
    assert judge(ev, Levels(2.5, 0.5, 0.85, True), question=q) is None
    assert judge(ev, Levels(2.5, 0.5, 0.95, True), question=q) is not None


def _case(answerable, question, quote, *, abstained=False):
    ev = evidence(question, [Quote("", (quote,))])
    return {"answerable": answerable, "abstained": abstained, "evidence": answerable, "ev": ev}


def test_choose_maximises_recall_within_the_bound():
    ok = [_case(True, SOMMET, "Le Sommet social 2021 a pris des mesures pour l'emploi.")] * 19
    lay = [_case(True, CREPES, "La pâte à crêpe se prépare la veille.")]
    un = [_case(False, CREPES, "Le Sommet social a réuni les partenaires.")] * 4
    grid = [STEMS, Levels(2.0, 1.0, None, False)]
    fit = choose(ok + lay + un, grid=grid)
    assert fit["chosen"] == STEMS
    assert fit["after"]["abstention_recall"] == 1.0 and fit["after"]["wrong_refusal_rate"] == 0.0
    # nothing gained over the check off: no levels
    assert choose(ok + lay, grid=grid)["chosen"] is None
    # a level that refuses too many answerable questions is never chosen
    bad = [_case(True, CREPES, "Le Sommet social a réuni les partenaires.")] * 2
    assert choose(ok + bad + un, grid=grid)["chosen"] is None


def test_fitted_json_is_readable():
    fitted = grounding.fitted()
    assert fitted["refit"] == "python -m evals.fit_grounding"
    assert fitted["dev"]["after"]["wrong_refusal_rate"] <= fitted["max_wrong_refusals"]
    assert (
        fitted["dev"]["after"]["abstention_recall"] > fitted["dev"]["before"]["abstention_recall"]
    )
    assert grounding.fitted_levels() == Levels(**fitted["levels"])


def test_toy_assistant_says_which_part_is_not_mentioned(tmp_path, monkeypatch):
    import assistant.core

    monkeypatch.setattr(assistant.core, "fitted_levels", lambda: STEMS)
    monkeypatch.setattr(assistant.core, "abstain_threshold", lambda model_id: None)
    toy, _ = toy_over_bundled(tmp_path)
    a = toy.ask(CREPES)
    assert a.abstained
    assert a.answer.startswith("Les documents ne parlent pas de « ")
    assert "crêpes" in a.answer.split("\n")[0]
    assert a.citations  # the closest passages, as for every refusal
    assert not toy.ask(SOMMET).abstained
    monkeypatch.setattr(assistant.core, "fitted_levels", lambda: None)
    assert not toy.ask(CREPES).abstained  # no grounding, no confidence: answered


@pytest.mark.slow
def test_real_model_grounded_refusal(real_assistant, monkeypatch):
    import assistant.core

    # the grounding alone at the fitted levels, on the real quoted sentences: an amount is
    # asked, the quoted sentence names the fund but gives no sum
    monkeypatch.setattr(assistant.core, "abstain_threshold", lambda model_id: None)
    a = real_assistant.ask("Quel budget a été attribué au Fonds Rebond ?")
    assert a.abstained
    assert a.answer.split("\n")[0] == "Les documents ne donnent pas de montant pour « Rebond »."
    assert a.citations  # the closest passages, as for every refusal
    b = real_assistant.ask(SOMMET)
    assert not b.abstained and b.citations
    json.dumps(b.abstention.__dict__)  # the signals stay plain values


@pytest.mark.slow
def test_refit_reproduces_the_stored_levels():
    from assistant import Assistant
    from evals.answers import bundled_questions
    from evals.fit_grounding import case

    a = Assistant.load()
    a._grounder = lambda: None
    fit = choose([case(a, q) for q in bundled_questions(a, split="dev")])
    stored = grounding.fitted()
    assert (fit["chosen"].__dict__ if fit["chosen"] else None) == stored["levels"]
    after, want = dict(fit["after"]), dict(stored["dev"]["after"])
    assert after.pop("levels") == want.pop("levels")  # approx does not nest dictionaries
    assert after == pytest.approx(want)


def test_grounder_cache_is_bounded_and_a_full_cache_still_answers():
    """More distinct words than the cache holds: it is emptied, never grows past its size,
    and the words just encoded are returned all the same (read before the cache is emptied)."""
    table = {w: np.eye(4, dtype=np.float32)[i] for i, w in enumerate(("un", "deux", "trois"))}
    g = grounding.WordVectors(_Words(table), cache_size=2)
    first = g(["un", "deux"])
    assert len(g._cache) == 2
    out = g(["trois", "un"])  # "un" is cached; "trois" overflows: the cache empties
    assert len(g._cache) <= 2
    assert np.array_equal(out, np.stack([table["trois"], table["un"]]))
    assert np.array_equal(first, np.stack([table["un"], table["deux"]]))


def test_a_figure_may_sit_with_its_subject_in_the_context_quoted_before_it():
    lv = Levels(zipf=2.0, present=0.5, neighbour=None, typed=True)
    q = "Combien de lauréats l'appel Open Soon a-t-il eus en 2020 ?"
    lead = "L'appel à projets Open Soon soutient l'ouverture de nouveaux commerces."
    quotes = [Quote("Chantier 1.2.2", (lead, "Il y a eu 31 lauréats en 2020."))]
    assert grounding.Grounder(lv).gap(q, quotes) is None
    apart = [
        Quote("Chantier 1.2.2", (lead,)),
        Quote("Chantier 1.2.3", ("Il y a eu 31 lauréats en 2020.",)),
    ]
    assert grounding.Grounder(lv).gap(q, apart) == Gap("fr", "Soon", AnswerType.COUNT)


def test_another_years_figure_is_refused_saying_which_year():
    lv = Levels(zipf=2.0, present=0.5, neighbour=None, typed=False)
    quotes = [Quote("Stages First", ("En 2022, Actiris a conclu 1.287 stages First.",))]
    gap = grounding.Grounder(lv).gap("Combien de stages First ont été conclus en 2019 ?", quotes)
    assert gap == Gap("fr", "2019", AnswerType.COUNT)
    assert gap.lines() == ["Les documents ne donnent pas de nombre pour « 2019 »."]


def test_real_model_refuses_another_years_figure(real_assistant):
    # the bundled answer gives 31 laureates "en 2020": none for 2019
    # "Il y a eu 31 lauréats en 2020": the figure's subject is in the sentence quoted before
    q = "Combien de nouveaux commerces l'appel à projets Open Soon a-t-il soutenus en {} ?"
    a = real_assistant.ask(q.format(2020))
    assert not a.abstained and a.short_answer.text == "31"
    b = real_assistant.ask(q.format(2019))
    assert b.abstained
    assert b.answer.split("\n")[0] == "Les documents ne donnent pas de nombre pour « 2019 »."


def test_a_name_wordfreq_does_not_know_is_the_most_specific_word():
    from assistant.answers.grounding import specific_terms

    found = specific_terms("Quel est le rôle de Brupartners dans le suivi ?", language="fr")
    assert found[0].word == "brupartners" and found[0].zipf < 2.0
    # a typo written in lower case stays out, as does a capitalised first word
    assert "presidant" not in [t.word for t in specific_terms("Qui est le presidant ?")]
    assert "xyzzyq" not in [t.word for t in specific_terms("Xyzzyq est-il consulté ?")]


def _quoted_page(title: str, text: str):
    """The quotes (:func:`~assistant.answers.grounding.quotes_of`) of one whole sentence of
    a French page titled ``title``, its passage labelled « Réponse — introduction »."""
    from types import SimpleNamespace

    from assistant.answers.grounding import quotes_of

    chunk = SimpleNamespace(
        section_label="Réponse — introduction", doc_title=title, text=text, doc_language="fr"
    )
    return quotes_of([SimpleNamespace(highlights=((0, len(text)),))], [chunk], [0])


def test_the_document_title_names_the_subject_of_every_quoted_passage():
    text = "Le montant moyen de l'amende s'élevait à 350 euros."
    quotes = _quoted_page("lutte contre les dépôts clandestins", text)
    question = "Quel est le montant moyen des amendes pour les dépôts clandestins ?"
    lv = Levels(zipf=4.0, present=1.0, neighbour=None, typed=True)
    assert judge(evidence(question, quotes), lv, question=question) is None
    bare = [Quote("Réponse — introduction", (text,))]
    assert judge(evidence(question, bare), lv, question=question) is not None


def test_what_an_amount_is_for_is_said_with_it_not_by_the_page_title():
    from assistant.answers.funded import unfunded

    text = "Le plan de rénovation consacre 180 millions d'euros à la remise en location."
    quotes = _quoted_page("logements sociaux inoccupés", text)
    assert (
        quotes[0].title == "logements sociaux inoccupés"
        and quotes[0].label == "Réponse — introduction"
    )
    assert unfunded("Quel est le budget pour les logements sociaux ?", quotes) is not None
