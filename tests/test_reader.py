"""The reader: the answer-type bonus, the quoted context and the short answer (toy inputs)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

import assistant.answers.extractive as extractive
from assistant.answers.extractive import Sentences, compose, score_sentences
from assistant.answers.question_types import AnswerType as T
from assistant.answers.quote_context import with_context
from assistant.answers.short_answer import find_short_answer, lead_with
from assistant.indexing.chunking import Chunk

TEXT = (
    "Le budget des écoles augmente fortement cette année. "
    "Il sera voté en mars 2021 par le Parlement."
)
S1 = (0, TEXT.index(" Il"))
S2 = (S1[1] + 1, len(TEXT))


def _chunk(text: str) -> Chunk:
    return Chunk(
        id="doc#c1", doc_id="doc", section_id="c1", part=1, kind="chantier",
        section_label="Chantier 1.1.1 — Toy", heading_path="Objectif 1.1",
        ministers=(), start=0, end=len(text), text=text, embed_text=text, body_offset=0,
    )  # fmt: skip


def _inputs(cosines=(0.80, 0.78)):
    chunk = _chunk(TEXT)
    return dict(
        chunks=[chunk],
        query_vector=np.array([1.0, 0.0]),
        sentences=Sentences.of(
            np.array([[c, np.sqrt(1 - c * c)] for c in cosines]),
            np.array([(0, *S1), (0, *S2)]),
        ),
        idf=lambda t: {"budget": 1.0, "ecol": 1.0}.get(t, 0.0),
        row_of={chunk.id: 0},
    )


HITS = [SimpleNamespace(chunk_id="doc#c1")]
QUESTION = "Quand le budget des écoles sera-t-il voté ?"


def test_the_sentence_holding_the_wanted_type_gets_the_bonus(monkeypatch):
    with_bonus = score_sentences(QUESTION, HITS, **_inputs())
    monkeypatch.setattr(extractive, "TYPE_WEIGHT", 0.0)
    without = score_sentences(QUESTION, HITS, **_inputs())
    assert [s.typed for s in with_bonus] == [False, True]  # "mars 2021" is a date
    assert with_bonus[0].score == pytest.approx(without[0].score)
    assert with_bonus[1].score - without[1].score == pytest.approx(0.05)


def test_a_figure_without_the_year_asked_gets_no_type_bonus():
    # « combien … en 2021 ? »: the grounding refuses a figure quoted without 2021, so the
    # reader does not favour it; the sentence that says 2021 keeps the bonus
    text = "Le budget des écoles est de 3 millions d'euros. En 2021, il est de 4 millions d'euros."
    s1 = (0, text.index(" En"))
    chunk = _chunk(text)
    kw = dict(
        chunks=[chunk],
        query_vector=np.array([1.0, 0.0]),
        sentences=Sentences.of(
            np.array([[0.8, 0.6], [0.8, 0.6]]), np.array([(0, *s1), (0, s1[1] + 1, len(text))])
        ),
        idf=lambda t: 1.0,
        row_of={chunk.id: 0},
    )
    asked = "Quel est le budget des écoles en 2021 ?"
    assert [s.typed for s in score_sentences(asked, HITS, **kw)] == [False, True]
    unasked = "Quel est le budget des écoles ?"
    assert [s.typed for s in score_sentences(unasked, HITS, **kw)] == [True, True]


def test_a_question_for_two_values_is_quoted_with_a_sentence_for_each():
    text = (
        "La nouvelle caserne ouvrira en 2026. "
        "Le bâtiment comptera deux équipes de pompiers et un centre de formation pour les "
        "jeunes recrues de la zone nord, à côté du nouveau dépôt des ambulances. "
        "L'investissement s'élève à 38 millions d'euros."
    )
    ends = [text.index(" Le b"), text.index(" L'"), len(text)]
    spans = [(0, ends[0]), (ends[0] + 1, ends[1]), (ends[1] + 1, ends[2])]
    chunk = _chunk(text)
    kw = dict(
        chunks=[chunk],
        query_vector=np.array([1.0, 0.0]),
        sentences=Sentences.of(
            np.array([[c, np.sqrt(1 - c * c)] for c in (0.9, 0.7, 0.6)]),
            np.array([(0, *sp) for sp in spans]),
        ),
        idf=lambda t: 1.0,
        row_of={chunk.id: 0},
    )
    both = compose(
        "Quand la caserne ouvrira-t-elle et combien coûte-t-elle ?",
        HITS,
        known=lambda t: True,
        **kw,
    )
    assert "2026" in both.text and "38 millions d'euros" in both.text
    assert "deux équipes" not in both.text  # a count is no sum of money
    one = compose("Quand la caserne ouvrira-t-elle ?", HITS, known=lambda t: True, **kw)
    assert "38 millions" not in one.text


def test_compose_leads_with_the_date_and_quotes_the_antecedent():
    out = compose(QUESTION, HITS, known=lambda t: True, **_inputs(cosines=(0.70, 0.80)))
    # "Il sera voté…" is the best; it opens on an anaphor: the sentence before it comes too
    assert out.text == (
        "**mars 2021** — « Le budget des écoles augmente fortement cette année. "
        "Il sera voté en mars 2021 par le Parlement. » [1]"
    )
    (citation,) = out.citations
    assert citation.highlights == (S1, S2)
    start = TEXT.index("mars 2021")
    assert out.short_answer.to_json() == {
        "text": "mars 2021", "type": "date", "citation": 1, "start": start, "end": start + 9,
    }  # fmt: skip
    assert citation.excerpt[out.short_answer.start : out.short_answer.end] == "mars 2021"


def test_no_short_answer_when_the_type_is_not_found():
    out = compose(
        "Pourquoi le budget des écoles augmente-t-il ?",
        HITS,
        known=lambda t: True,
        **_inputs(cosines=(0.80, 0.70)),
    )
    assert out.short_answer is None
    # the next sentence opens on an anaphor: it continues the quoted one
    assert out.text == (
        "Le budget des écoles augmente fortement cette année. "
        "Il sera voté en mars 2021 par le Parlement. [1]"
    )


LIST = "Pour l'appel à projets Open Soon :\n- 31 lauréats pour 400.000 €.\n- Un suivi en 2021."


def _spans(text: str, parts: list[str]) -> list[tuple[int, int]]:
    return [(text.index(p), text.index(p) + len(p)) for p in parts]


def test_a_list_item_comes_with_its_lead_in_when_it_names_the_subject():
    spans = _spans(LIST, ["Pour l'appel à projets Open Soon :", "- 31 lauréats pour 400.000 €."])
    kw = dict(body_offset=0)
    assert with_context(LIST, spans[1], spans, names_subject=lambda s: True, **kw) == spans
    assert with_context(LIST, spans[1], spans, names_subject=lambda s: False, **kw) == [spans[1]]


def test_a_heading_comes_with_its_first_line():
    text = "Chantier 2.1 — Écoles\nLe chantier a démarré en 2020. Il avance."
    spans = _spans(text, ["Chantier 2.1 — Écoles", "Le chantier a démarré en 2020.", "Il avance."])
    assert (
        with_context(
            text, spans[0], spans, body_offset=text.index("Le"), names_subject=lambda s: True
        )
        == spans[:2]
    )


def test_a_plain_sentence_comes_alone():
    first = "Le budget des écoles augmente fortement."
    second = "Le Parlement votera le texte du nouveau décret scolaire en mars 2021."
    text = f"{first} {second}"  # not anaphoric, longer than a short follow-up
    spans = _spans(text, [first, second])
    assert with_context(text, spans[0], spans, body_offset=0, names_subject=bool) == [spans[0]]


def test_short_answer_prefers_money_and_the_value_near_the_question_words():
    text = "31 lauréats en 2020 pour un budget total de 400.000 €."
    spans = [(0, len(text))]
    short = find_short_answer(frozenset({T.AMOUNT}), text, spans, citation=2)
    assert (short.text, short.type, short.citation) == ("400.000 €", "amount", 2)
    short = find_short_answer(frozenset({T.COUNT}), text, spans, citation=1)
    assert short.text == "31"
    named = find_short_answer(
        frozenset({T.WHO}), "Le CIRB et le PBEE.", [(0, 19)], citation=1, question="Le PBEE ?"
    )
    assert named.text == "CIRB"  # the question's own name is no answer


def test_lead_with_several_sources_keeps_the_lines():
    short = find_short_answer(frozenset({T.DATE}), "En mars 2021.", [(0, 13)], citation=1)
    several = "• A : x [1]\n• B : y [2]"
    assert lead_with(short, several) == "**mars 2021** — " + several


def _one_sentence_passages(chunks, cosines) -> dict:
    """Toy inputs over ``chunks`` of one sentence each, with these cosines."""
    return dict(
        chunks=list(chunks),
        query_vector=np.array([1.0, 0.0]),
        sentences=Sentences.of(
            np.array([[c, np.sqrt(1 - c * c)] for c in cosines]),
            np.array([(row, 0, len(c.text)) for row, c in enumerate(chunks)]),
        ),
        idf=lambda t: 0.0,
        row_of={c.id: row for row, c in enumerate(chunks)},
    )


def _bilingual_inputs(fr_cos: float, nl_cos: float):
    """A French and a Dutch passage of one sentence each, with these cosines."""
    from dataclasses import replace

    fr = replace(_chunk("Le budget des écoles est voté."), id="fr#c1", doc_id="fr",
                 doc_language="fr")  # fmt: skip
    nl = replace(_chunk("Het budget van de scholen is goedgekeurd."), id="nl#c1", doc_id="nl",
                 section_id="c2", doc_language="nl")  # fmt: skip
    return _one_sentence_passages((fr, nl), (fr_cos, nl_cos))


BILINGUAL_HITS = [SimpleNamespace(chunk_id="fr#c1"), SimpleNamespace(chunk_id="nl#c1")]


def test_the_language_offset_raises_the_sentences_of_the_other_language_only():
    kw = _bilingual_inputs(0.80, 0.78)
    french = score_sentences("Le budget des écoles est-il voté ?", BILINGUAL_HITS, **kw,
                             language_offset=0.04)  # fmt: skip
    assert [round(s.cosine, 6) for s in french] == [0.80, 0.82]  # the Dutch one raised
    dutch = score_sentences("Is het budget van de scholen goedgekeurd?", BILINGUAL_HITS, **kw,
                            language_offset=0.04)  # fmt: skip
    assert [round(s.cosine, 6) for s in dutch] == [0.84, 0.78]  # the French one raised
    plain = score_sentences("Le budget des écoles est-il voté ?", BILINGUAL_HITS, **kw)
    assert [round(s.cosine, 6) for s in plain] == [0.80, 0.78]


def test_a_dutch_passage_is_not_refused_for_its_lower_cosine_with_a_french_question():
    # only the Dutch passage is close: its confidence (0.09) is under the level, the offset
    # lifts it over (0.24)
    kw = _bilingual_inputs(0.30, 0.78)
    question = "Le budget des scholen est-il goedgekeurd ?"
    refused = compose(question, BILINGUAL_HITS, known=lambda t: True, threshold=0.15,
                      **kw)  # fmt: skip
    assert refused.abstained and refused.abstention.cosine == pytest.approx(0.78)
    answered = compose(question, BILINGUAL_HITS, known=lambda t: True, threshold=0.15,
                       language_offset=0.04, **kw)  # fmt: skip
    assert not answered.abstained
    assert answered.abstention.cosine == pytest.approx(0.82)
    assert "Het budget van de scholen is goedgekeurd. (en néerlandais)" in answered.text


def _two_objectifs(cos_11: float, cos_12: float):
    from dataclasses import replace

    one = replace(_chunk("Ministre porteur : Ministre de l'Emploi."), id="d#o11",
                  section_id="objectif-1.1", section_label="Objectif 1.1 — Emploi",
                  heading_path="Objectif 1.1 — Emploi")  # fmt: skip
    two = replace(_chunk("Ministre porteur : Ministre des Finances."), id="d#c121",
                  section_id="chantier-1.2.1", section_label="Chantier 1.2.1 — Impôts",
                  heading_path="Objectif 1.2 › Chantier 1.2.1 — Impôts")  # fmt: skip
    return _one_sentence_passages((one, two), (cos_11, cos_12)) | {"known": lambda t: True}


TWO_HITS = [SimpleNamespace(chunk_id="d#c121"), SimpleNamespace(chunk_id="d#o11")]


def test_a_question_naming_a_section_is_answered_from_that_section():
    # the other objectif's chantier is closer and first, but the question names objectif 1.1
    out = compose("Quel ministre porte l'objectif 1.1 ?", TWO_HITS, **_two_objectifs(0.80, 0.85))
    assert [c.section_id for c in out.citations] == ["objectif-1.1"]
    # a chantier is under its objectif: « l'objectif 1.2 » finds it by its heading path
    out = compose("Quel ministre porte l'objectif 1.2 ?", TWO_HITS, **_two_objectifs(0.85, 0.80))
    assert [c.section_id for c in out.citations] == ["chantier-1.2.1"]
    # a section the hits do not hold changes nothing; no section named, the closest wins
    for question in ("Quel ministre porte l'objectif 2.7 ?", "Quel ministre porte l'emploi ?"):
        out = compose(question, TWO_HITS, **_two_objectifs(0.80, 0.85))
        assert [c.section_id for c in out.citations][0] == "chantier-1.2.1"


def test_a_section_named_by_number_meets_a_label_that_joins_two():
    from dataclasses import replace

    kw = _two_objectifs(0.80, 0.85)
    one, two = kw["chunks"]
    kw["chunks"] = [
        replace(one, section_label="Chantiers 1.8.1 et 1.8.2 — Deux chantiers",
                heading_path="Objectif 1.8 › Chantiers 1.8.1 et 1.8.2 — Deux chantiers"),
        two,
    ]  # fmt: skip
    for question in ("Où en est le chantier 1.8.2 ?", "Où en sont les chantiers 1.8.1 et 1.8.2 ?"):
        out = compose(question, TWO_HITS, **kw)
        assert [c.section_id for c in out.citations] == ["objectif-1.1"], question


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Qu'a demandé le député ?", True),
        ("Quelles sont les questions posées sur les parcs ?", True),
        ("Wat vroeg de volksvertegenwoordiger?", True),
        # the question named to ask for its answer: « question » does not ask what was asked
        ("Quelle est la réponse à la question 1021 ?", False),
        ("Wat is het antwoord op vraag nr. 1133?", False),
        ("Qu'a demandé le député et qu'a répondu la ministre ?", True),  # both
        ("Quel budget pour les parcs ?", False),
        ("Que demande la question 214 ?", True),
        ("Quels thèmes comptaient d'après la personne qui pose la question ?", True),
        # « demande » and « question » in another sense ask for the answer
        ("Combien de demandes de prime ont été refusées en 2023 ?", False),
        ("Combien de primes ont été demandées en 2022 ?", False),
        ("Quel est le montant demandé par la commune ?", False),
        ("Quelles questions sur les trottinettes ?", True),  # the pages' questions
        ("Combien de demandeurs d'emploi ont suivi une formation ?", False),
        ("Un syndic peut-il demander la prime pour tout l'immeuble ?", False),
        ("Beaucoup de gens ne demandent pas les aides, que fait la Région ?", False),
        ("Dans quelles parties du plan est-il question d'intelligence artificielle ?", False),
        ("Les repas seront-ils gratuits ? À qui faut-il poser la question ?", False),
        ("Qui a posé la question sur les repas ?", True),
        ("Zijn de maaltijden gratis? Aan wie moet ik de vraag stellen?", False),
        ("Wie heeft de vraag over de maaltijden gesteld?", True),
    ],
)
def test_what_was_asked_is_not_the_answer_to_a_named_question(question, asks):
    assert extractive.asks_what_was_asked(question) is asks


@pytest.mark.parametrize(
    ("sentence", "quoted"),
    [
        ("a) Quel est le délai moyen ?", "a) Quel est le délai moyen ?"),  # an item's letter
        ("iv) Combien de demandes ?", "iv) Combien de demandes ?"),
        ("- le pôle d'accompagnement a été créé", "Le pôle d'accompagnement a été créé"),
        ("o 8700m² d'équipements", "8700m² d'équipements"),
        ("ainsi, le plan avance.", "Ainsi, le plan avance."),
    ],
)
def test_a_quoted_sentence_keeps_an_items_letter(sentence, quoted):
    assert extractive._sentence_text(sentence) == quoted


@pytest.mark.parametrize(
    ("quoted", "shown"),
    [
        ("Ils commencent en 2025. Le coût est estim", "Ils commencent en 2025. […]"),
        ("Le coût est estim", "Le coût est estim […]"),  # nothing finished: the words, cut
        ("Transmis à M. Smet qui l'examin", "Transmis à M. Smet qui l'examin […]"),  # « M. »
        ("Les travaux commenceront en 2025.", "Les travaux commenceront en 2025."),
    ],
)
def test_the_unfinished_end_of_a_cut_page_is_marked(quoted, shown):
    from assistant.text.sentences import mark_unfinished

    assert mark_unfinished(quoted) == shown


def test_the_header_s_table_is_no_answer_to_a_content_question():
    from dataclasses import replace

    header = replace(_chunk("27/02/2023 Ontvankelijk p.m."), id="d#metadata", kind="metadata",
                     section_id="metadata")  # fmt: skip
    body = replace(_chunk("De volgende fase van de LEZ gaat in op 1 januari 2025."), id="d#c2",
                   section_id="c2")  # fmt: skip
    kw = _one_sentence_passages((header, body), (0.85, 0.80))
    hits = [SimpleNamespace(chunk_id="d#metadata"), SimpleNamespace(chunk_id="d#c2")]
    content = score_sentences("Quand entre en vigueur la prochaine phase de la LEZ ?", hits, **kw)
    assert [s.row for s in content] == [1]  # the header's sentence is not scored
    page = score_sentences("Quand la question écrite a-t-elle été déclarée recevable ?", hits, **kw)
    assert [s.row for s in page] == [0, 1]  # a question about the page may read it
    # content words that a header also writes are no question about the page
    works = score_sentences("Quand aura lieu la réception provisoire des travaux ?", hits, **kw)
    assert [s.row for s in works] == [1]
    holder = score_sentences("Qui est le ministre-président ?", hits, **kw)
    assert [s.row for s in holder] == [0, 1]  # the header names the minister addressed


def test_the_page_title_s_words_are_held_by_every_one_of_its_sentences():
    from dataclasses import replace

    import assistant.answers.extractive as ex

    parts = [
        "En 2022, la Région consacre 4,2 millions d'euros à la lutte contre les dépôts "
        "clandestins.",
        "L'Agence dispose de 96 caméras mobiles.",
    ]
    text = " ".join(parts)
    chunk = replace(_chunk(text), doc_title="lutte contre les dépôts clandestins")
    spans = [(0, 0, len(parts[0])), (0, len(parts[0]) + 1, len(text))]
    kw = dict(
        chunks=[chunk],
        query_vector=np.array([1.0, 0.0]),
        sentences=Sentences.of(np.array([[0.8, 0.6], [0.8, 0.6]]), np.array(spans)),
        idf=lambda t: {"camer": 3.0, "depot": 2.0, "clandestin": 2.0}.get(t, 0.0),
        row_of={chunk.id: 0},
    )
    question = "La Région a-t-elle installé des caméras contre les dépôts clandestins ?"
    scored = score_sentences(question, HITS, **kw)
    # the page speaks of dépôts clandestins throughout: the caméras tell its sentences apart
    assert [round(s.word_share, 3) for s in scored] == [round(4 / 7, 3), 1.0]
    assert max(scored, key=lambda s: s.score).start == spans[1][1]
    monkey = ex.TITLE_TERMS
    try:
        ex.TITLE_TERMS = False
        plain = score_sentences(question, HITS, **kw)
    finally:
        ex.TITLE_TERMS = monkey
    assert [round(s.word_share, 3) for s in plain] == [round(4 / 7, 3), round(3 / 7, 3)]


def test_a_named_document_is_read_past_the_first_five_passages():
    from dataclasses import replace

    others = [
        replace(_chunk(f"Le collègue a installé {n} bornes de recharge."), id=f"a#c{n}",
                doc_id="a", section_id=f"c{n}")
        for n in range(1, 6)
    ]  # fmt: skip
    hers = replace(_chunk("Le COBRACE impose des points de recharge aux parkings."), id="b#c1",
                   doc_id="b", section_id="c1")  # fmt: skip
    chunks = [*others, hers]
    kw = _one_sentence_passages(chunks, (0.80, 0.79, 0.78, 0.77, 0.76, 0.70))
    hits = [SimpleNamespace(chunk_id=c.id) for c in chunks]
    question = "Qu'a répondu la ministre de l'Environnement sur les bornes de recharge ?"
    plain = compose(question, hits, known=lambda t: True, **kw)
    assert plain.citations[0].doc_id == "a"  # her page is the sixth passage: not read
    named = compose(question, hits, known=lambda t: True, documents=frozenset({"b"}), **kw)
    assert [c.doc_id for c in named.citations] == ["b"]
