"""Yes/no verdicts from token-level negation cues, on hand-written question/sentence pairs."""

from types import SimpleNamespace

import pytest

from assistant.answers.verdict import Verdict, asks_yes_no, verdict
from assistant.text.analyzer import tokenize

Q = "Est-ce que le gouvernement va faire une campagne de communication ?"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("A court terme, nous n’avons donc pas prévu de campagne de communication.", Verdict.NO),
        ("Le gouvernement lancera une campagne de communication en 2021.", Verdict.YES),
        ("La campagne de communication n’est pas encore lancée.", Verdict.NOT_YET),
        ("La campagne de communication n'a toujours pas démarré.", Verdict.NOT_YET),
        ("Le gouvernement ne fera plus de campagne de communication.", Verdict.NO),
        ("Aucune campagne de communication n’est prévue.", Verdict.NO),
        ("Le gouvernement n'a jamais fait de campagne de communication.", Verdict.NO),
        # a negation in a clause about something else does not deny
        ("Le gouvernement, qui ne dispose pas de budget, fera une campagne.", Verdict.YES),
        ("Non seulement une campagne de communication, mais aussi un site.", Verdict.YES),
        ("Une campagne de communication pour le secteur non-marchand.", Verdict.YES),
        ("Une campagne de communication, pas seulement en ligne.", Verdict.YES),
        ("Il n’y a ni campagne de communication ni site prévus.", Verdict.NO),
        ("Ni la campagne de communication ni le site ne seront lancés.", Verdict.NO),
        ("La campagne de communication, ni longue ni chère, sera lancée.", Verdict.YES),
    ],
)
def test_french_verdicts(sentence, expected):
    assert verdict(Q, sentence, share=1.0) == expected


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("Komt er een nieuwe premie?", "Er komt nog geen nieuwe premie.", Verdict.NOT_YET),
        ("Is er een premie voor renovatie?", "De premie bestaat niet meer.", Verdict.NO),
        ("Is er een premie voor renovatie?", "Er is geen premie voor renovatie.", Verdict.NO),
        ("Wordt de premie verhoogd?", "De premie wordt in 2022 verhoogd.", Verdict.YES),
        ("Komt er een premie?", "Niet alleen een premie, ook advies.", Verdict.YES),
    ],
)
def test_dutch_verdicts(question, sentence, expected):
    assert verdict(question, sentence, share=1.0) == expected


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "Les salons ont-ils eu lieu en 2020 ?",
            "En 2020, les salons ont été annulés.",
            Verdict.NO,
        ),
        ("Les salons ont-ils été annulés ?", "En 2020, les salons ont été annulés.", Verdict.YES),
        ("Le plan est-il adopté ?", "L'adoption du plan a été reportée d'un an.", Verdict.NOT_YET),
        ("Is de beurs doorgegaan?", "De beurs werd geannuleerd.", Verdict.NO),
        ("Is de beurs doorgegaan?", "De beurs werd uitgesteld tot 2022.", Verdict.NOT_YET),
    ],
)
def test_a_word_that_undoes_what_was_asked(question, sentence, expected):
    assert verdict(question, sentence, share=1.0) == expected


def test_no_verdict_off_subject_or_for_a_question_that_wants_a_value():
    sentence = "Aucune campagne n'est prévue."
    assert verdict(Q, sentence, share=0.2) is None  # the sentence is not about the subject
    assert verdict("Quand la campagne sera-t-elle lancée ?", sentence, share=1.0) is None


def test_no_verdict_from_a_sentence_on_another_year_than_the_one_asked():
    q = "Worden de premies voor warmtepompen in 2024 verhoogd?"
    assert verdict(q, "In 2022 werd 7,9 miljoen euro aan premies uitbetaald.", share=1.0) is None
    assert verdict(q, "De premies worden in 2024 met 10 % verhoogd.", share=1.0) == Verdict.YES
    assert verdict(q, "In 2024 worden de premies niet verhoogd.", share=1.0) == Verdict.NO
    # a year inside a name is no year asked
    plan = "La Stratégie 2030 sera-t-elle évaluée ?"
    assert verdict(plan, "La Stratégie sera évaluée.", share=1.0) == Verdict.YES


def test_yes_no_questions():
    assert asks_yes_no("La Région pousse-t-elle les entreprises à exporter ?")
    assert asks_yes_no("Va-t-on organiser une grande réunion ?")
    assert asks_yes_no("Is er een premie?")
    assert asks_yes_no("Komt er een nieuwe premie?")
    assert not asks_yes_no("Quel budget a été dégagé ?")
    assert not asks_yes_no("Wanneer komt de premie?")


def _toy(text: str, question: str, sentences=None):
    """compose() over one toy passage of one sentence (the toy inputs of test_reader), or of
    the ``sentences`` given (their texts, in order, the first the closest)."""
    import numpy as np

    from assistant.answers.extractive import compose
    from assistant.indexing.chunking import Chunk

    chunk = Chunk(
        id="doc#c1", doc_id="doc", section_id="c1", part=1, kind="chantier",
        section_label="Chantier 1.1.1 — Toy", heading_path="Objectif 1.1",
        ministers=(), start=0, end=len(text), text=text, embed_text=text, body_offset=0,
    )  # fmt: skip
    return compose(
        question,
        [SimpleNamespace(chunk_id=chunk.id)],
        chunks=[chunk],
        query_vector=np.array([1.0, 0.0]),
        sentences=_sentences_of(text, sentences or [text]),
        idf=lambda t: 1.0,
        known=lambda t: True,
        row_of={chunk.id: 0},
    )


def _sentences_of(text, parts):
    import numpy as np

    from assistant.answers.extractive import Sentences

    spans, at = [], 0
    for p in parts:
        start = text.index(p, at)
        spans.append((0, start, start + len(p)))
        at = start + len(p)
    vectors = np.array([[0.8 - 0.1 * i, 0.6] for i in range(len(parts))])
    return Sentences.of(vectors / np.linalg.norm(vectors, axis=1)[:, None], np.array(spans))


def test_no_yes_when_a_sentence_quoted_with_the_best_one_denies():
    parts = [
        "Depuis 2022, chaque ménage bruxellois peut faire enlever gratuitement ses encombrants.",
        "Une extension de ce service n'est pas prévue.",  # short: quoted with it
    ]
    text = " ".join(parts)
    out = _toy(text, "La Région va-t-elle étendre la collecte gratuite des encombrants ?", parts)
    assert "n'est pas prévue" in out.text  # both are quoted ...
    assert out.short_answer is None and not out.text.startswith("**")  # ... no « Oui »
    # nor a « Non » the best sentence does not say: the user reads the two
    parts = ["La Région a lancé un appel à projets pour les commerces en 2022.",
             "Aucun nouvel appel n'est prévu."]  # fmt: skip
    text = " ".join(parts)
    out = _toy(text, "La Région a-t-elle lancé un appel à projets pour les commerces ?", parts)
    assert out.short_answer is None
    # a best sentence that denies gives its « Non »
    parts = ["Les commerces ne recevront pas de nouvelle prime en 2023.", "Ce sera revu."]
    text = " ".join(parts)
    out = _toy(text, "Les commerces recevront-ils une nouvelle prime en 2023 ?", parts)
    assert out.text.startswith("**Non** — « Les commerces ne recevront pas")


def test_compose_leads_with_the_verdict_and_gives_its_sentence_in_the_json():
    text = "La campagne de communication n'est pas encore lancée."
    out = _toy(text, "La campagne de communication est-elle lancée ?")
    assert out.text == f"**Pas encore** — « {text} » [1]"
    assert out.short_answer.to_json() == {
        "text": "Pas encore", "type": "yes_no", "citation": 1, "start": 0, "end": len(text),
    }  # fmt: skip
    # a question that wants a value gets no verdict
    assert _toy(text, "Quel budget pour la campagne de communication ?").short_answer is None


@pytest.mark.slow
def test_real_answer_says_not_yet(real_assistant):
    a = real_assistant.ask(
        "Des études scientifiques ont-elles été commandées dans le cadre de la Stratégie ?"
    )
    assert a.short_answer is not None and a.short_answer.type == "yes_no", a.answer
    assert a.answer.startswith(f"**{a.short_answer.text}** — ")
    assert a.short_answer.text == "Pas encore", a.answer
    cited = a.citations[a.short_answer.citation - 1].excerpt
    assert "pas encore" in cited[a.short_answer.start : a.short_answer.end]
    json_short = a.to_json()["short_answer"]
    assert json_short["type"] == "yes_no" and json_short["text"] == "Pas encore"


def test_compose_leads_a_status_question_with_the_state_of_its_sentence():
    text = "L'élaboration du nouveau plan a pris un peu de retard."
    out = _toy(text, "Où en est le nouveau plan ?")
    assert out.text == f"**reporté / retardé** — « {text} » [1]"
    assert out.short_answer.to_json() == {
        "text": "reporté / retardé", "type": "status", "citation": 1, "start": 0,
        "end": len(text),
    }  # fmt: skip
    # a sentence that says no state leads with nothing; nor does a question asking no state
    stateless = _toy("Elaboration du nouveau plan 2021-2025.", "Où en est le plan ?")
    assert stateless.short_answer is None
    assert _toy(text, "Qui élabore le nouveau plan ?").short_answer is None


@pytest.mark.slow
def test_real_answer_gives_the_state_of_a_chantier(real_assistant):
    a = real_assistant.ask("Où en est la réforme du secteur des titres-services ?")
    assert a.short_answer is not None and a.short_answer.type == "status", a.answer
    assert a.short_answer.text == "reporté / retardé", a.answer
    cited = a.citations[a.short_answer.citation - 1].excerpt
    assert "mise en suspens" in cited[a.short_answer.start : a.short_answer.end]
    assert a.to_json()["short_answer"]["type"] == "status"


def test_a_dutch_sentence_is_met_by_the_question_analysed_in_dutch():
    import numpy as np

    from assistant.answers.extractive import Sentences, score_sentences, word_share
    from assistant.indexing.chunking import Chunk

    sentence = "Elke gemeente krijgt een premie per school."
    question = "Welke premies krijgen de gemeenten voor hun scholen?"
    # in Dutch, « gemeenten », « premies », « scholen » meet « gemeente », « premie »,
    # « school »; the French analyser (what the reader used for every sentence) meets none
    dutch = {t: 1.0 for t in set(tokenize(question, language="nl"))}
    french = {t: 1.0 for t in set(tokenize(question, language="fr"))}
    assert word_share(dutch, sentence, "nl") > 0.5
    assert word_share(french, sentence, "fr") < word_share(dutch, sentence, "nl")
    chunk = Chunk(
        id="nl#c1", doc_id="nl", section_id="answer", part=1, kind="answer",
        section_label="Antwoord", heading_path="", ministers=(), start=0, end=len(sentence),
        text=sentence, embed_text=sentence, body_offset=0, doc_language="nl",
    )  # fmt: skip
    scored = score_sentences(
        question,
        [SimpleNamespace(chunk_id=chunk.id)],
        chunks=[chunk],
        query_vector=np.array([1.0, 0.0]),
        sentences=Sentences.of(np.array([[0.8, 0.6]]), np.array([(0, 0, len(sentence))])),
        idf=lambda t: 1.0,
        row_of={chunk.id: 0},
    )
    assert scored[0].word_share == pytest.approx(word_share(dutch, sentence, "nl"))


def test_compose_leads_a_where_to_find_question_with_the_reference():
    text = "Le détail par société immobilière figure dans le tableau en annexe."
    out = _toy(text, "Où trouver le détail par société immobilière ?")
    assert out.text == f"**en annexe** — « {text} » [1]"
    start = text.index("en annexe")
    assert out.short_answer.to_json() == {
        "text": "en annexe", "type": "reference", "citation": 1, "start": start,
        "end": start + len("en annexe"),
    }  # fmt: skip


@pytest.mark.slow
def test_real_answer_says_where_the_guide_is(real_assistant):
    a = real_assistant.ask("Où puis-je lire le guide sur la signature électronique ?")
    assert a.short_answer is not None and a.short_answer.type == "reference", a.answer
    assert a.short_answer.text == "site d’easy.brussels", a.answer
    cited = a.citations[a.short_answer.citation - 1].excerpt
    assert cited[a.short_answer.start : a.short_answer.end] == a.short_answer.text
