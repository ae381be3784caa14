"""The sentences quoted with the chosen one: the next-door value, the continuation."""

from assistant.answers.question_types import AnswerType as T
from assistant.answers.question_types import holds
from assistant.answers.quote_context import with_context


def _spans(text, parts):
    out, at = [], 0
    for p in parts:
        start = text.index(p, at)
        out.append((start, start + len(p)))
        at = start + len(p)
    return out


def _context(text, parts, chosen, wants=frozenset()):
    spans = _spans(text, parts)
    got = with_context(
        text,
        spans[chosen],
        spans,
        body_offset=0,
        names_subject=lambda s: True,
        holds_wanted=(lambda s: holds(wants, s)) if wants else None,
    )
    return [text[a:b] for a, b in got]


CAUSE = [
    "L'organisation de la consultation a demandé plus de temps en raison de la pandémie.",
    "De fait, l'élaboration du plan a pris du retard.",
    "Le plan devrait passer en première lecture au Gouvernement courant avril 2021.",
]


def test_the_wanted_value_next_door_is_quoted_with_the_sentence():
    text = " ".join(CAUSE)
    assert _context(text, CAUSE, 1, frozenset({T.CAUSE})) == CAUSE[:2]  # the cause is before
    assert _context(text, CAUSE, 1, frozenset({T.DATE})) == CAUSE[1:]  # the date is after
    assert _context(text, CAUSE, 1) == [CAUSE[1]]  # no value wanted: the sentence alone


def test_no_value_is_taken_across_a_line_break():
    text = "\n".join(CAUSE)
    assert _context(text, CAUSE, 1, frozenset({T.CAUSE})) == [CAUSE[1]]


def test_a_sentence_continued_by_an_anaphor_or_a_short_fragment():
    parts = [
        "Le plan prévoit une nouvelle stratégie d'exportation vers des marchés de niche.",
        "Celle-ci aboutira mi-2021 après une large consultation des secteurs concernés.",
    ]
    assert _context(" ".join(parts), parts, 0) == parts
    parts = ["Discussions toujours en cours en vue d'une acquisition du site.",
             "Aboutissement attendu avant la fin d'année."]  # fmt: skip
    assert _context(" ".join(parts), parts, 0) == parts


def test_a_long_unrelated_next_sentence_or_a_lead_in_is_not_added():
    parts = [
        "Le plan a été évalué en juin 2020.",
        "Pour donner suite à cela, il y aura :",
        "La Région a par ailleurs lancé un appel à projets pour les commerces de quartier.",
    ]
    text = " ".join(parts)
    assert _context(text, parts, 0) == [parts[0]]  # the next one announces a list
    assert _context(text, parts, 2) == [parts[2]]  # the last sentence: nothing after it


def _compose_one_line(text, body_offset, question, *, whole=False):
    from types import SimpleNamespace

    import numpy as np

    from assistant.answers.extractive import Sentences, compose
    from assistant.indexing.chunking import Chunk

    chunk = Chunk(
        id="doc#c1", doc_id="doc", section_id="c1", part=1, kind="chantier",
        section_label="Chantier 2.6.1 — Toy", heading_path="Objectif 2.6",
        ministers=(), start=0, end=len(text), text=text, embed_text=text,
        body_offset=body_offset,
    )  # fmt: skip
    composed = compose(
        question,
        [SimpleNamespace(chunk_id=chunk.id)],
        chunks=[chunk],
        query_vector=np.array([1.0, 0.0]),
        sentences=Sentences.of(np.array([[0.8, 0.6]]), np.array([(0, 0, len(text))])),
        idf=lambda t: 1.0,
        known=lambda t: True,
        row_of={chunk.id: 0},
    )
    return composed if whole else composed.text


def test_a_line_s_label_is_left_out_of_the_quote_and_of_its_highlight():
    text = "Réponse    Le plan a été adopté en mars 2021 par le Gouvernement bruxellois."
    out = _compose_one_line(text, len("Réponse"), "Le plan a-t-il été adopté ?", whole=True)
    ((start, end),) = out.citations[0].highlights
    assert text[start:end] == "Le plan a été adopté en mars 2021 par le Gouvernement bruxellois."
    assert "Réponse" not in out.text


def test_a_heading_line_is_quoted_whole_when_its_body_is_too_short_to_read_alone():
    heading = "Chantier 2.6.1 Soutenir l'activité économique métropolitaine"
    short = f"{heading} cf. Objectif 1.2."
    assert _compose_one_line(short, len(heading), "Quel objectif ?") == f"{short} [1]"
    body = "le vademecum a été approuvé par les interlocuteurs sociaux et le Gouvernement."
    long = f"{heading} : {body}"
    assert _compose_one_line(long, len(heading), "Quel objectif ?") == (
        "Le vademecum a été approuvé par les interlocuteurs sociaux et le Gouvernement. [1]"
    )


PAD = (
    "- PAD entré en vigueur réservant jusqu’à :\n"
    "o 8700m² d’équipements universitaires,\n"
    "o 4000m² d’activités commerciales et de services\n"
    "- Appel Open Soon soutenant l’ouverture de commerces. Il y a eu 31 lauréats en 2020."
)
PAD_PARTS = [  # the sentence spans leave the bullets out, as the splitter does
    "PAD entré en vigueur réservant jusqu’à :",
    "8700m² d’équipements universitaires,",
    "4000m² d’activités commerciales et de services",
    "Appel Open Soon soutenant l’ouverture de commerces.",
    "Il y a eu 31 lauréats en 2020.",
]


def _pad(chosen: int, *, names_subject: bool) -> list[str]:
    spans = _spans(PAD, PAD_PARTS)
    got = with_context(PAD, spans[chosen], spans, body_offset=0,
                       names_subject=lambda s: names_subject)  # fmt: skip
    return [PAD[a:b] for a, b in got]


def test_a_list_item_that_is_a_fragment_of_its_lead_in_comes_with_it():
    # « 8700m² …, » ends on a comma: it reads only with « … réservant jusqu'à : »
    assert _pad(1, names_subject=False) == PAD_PARTS[:2]
    # a whole item that does not continue its lead-in, the lead-in not naming the subject
    assert _pad(2, names_subject=False) == [PAD_PARTS[2]]
    assert _pad(2, names_subject=True) == [PAD_PARTS[0], PAD_PARTS[2]]


def test_a_sentence_inside_an_item_is_no_item_and_keeps_its_antecedent():
    # « Il y a eu … » is the second sentence of its bullet's line: its antecedent comes
    assert _pad(4, names_subject=False) == PAD_PARTS[3:]


def test_a_list_item_in_lower_case_is_a_fragment_and_a_numbered_one_an_item():
    text = "Le plan prévoit :\n12. des équipements universitaires\n13. Un parc de 2 ha."
    parts = ["Le plan prévoit :", "des équipements universitaires", "Un parc de 2 ha."]
    spans = _spans(text, parts)
    got = with_context(text, spans[1], spans, body_offset=0, names_subject=lambda s: False)
    assert [text[a:b] for a, b in got] == parts[:2]  # « 12. » left out of the span
    got = with_context(text, spans[2], spans, body_offset=0, names_subject=lambda s: False)
    assert [text[a:b] for a, b in got] == [parts[2]]  # a whole item alone


def test_a_sentence_continues_an_anaphor_s_antecedent_or_a_lead_in():
    from assistant.answers.quote_context import continues

    assert continues("Il y a eu 31 lauréats en 2020.", "Open Soon soutient les commerces.")
    assert continues("31 lauréats en 2020.", "Pour l'appel à projets Open Soon :")
    assert not continues("31 lauréats en 2020.", "Open Soon soutient les commerces.")
    assert not continues("Il y a eu 31 lauréats.", "")  # the first sentence of its quote
    assert continues("Deze werden in 2021 geselecteerd.", "Twaalf projecten dienden in.")


PRAS = [
    "PRAS : préparation de la modification du PRAS en cours (diagnostic, etc.).",
    "Ouverture de la modification d’ici fin 2021.",
    "Le Gouvernement a approuvé le plan en 2020 et l’a publié au Moniteur.",
]


def test_a_short_verbless_fragment_is_quoted_with_the_sentence_before_it():
    text = " ".join(PRAS)
    # « Ouverture de la modification … » says what is opened only with the sentence before
    assert _context(text, PRAS, 1) == PRAS[:2]
    # a sentence with its own subject stands alone, a fragment on its own line too
    assert _context(text, PRAS, 2) == [PRAS[2]]
    lines = "\n".join(PRAS)
    assert _context(lines, PRAS, 1) == [PRAS[1]]


def test_a_heading_line_quoted_whole_among_several_sources_is_not_labelled_twice():
    from assistant.answers.extractive import ScoredSentence, quote_passages
    from assistant.indexing.chunking import Chunk

    heading = "Chantier 1.4.1 Economie numérique"
    short = f"{heading} cf. Objectif 1.8"
    other = "Objectif 1.8 Le plan NextTech a été évalué en juin 2020."

    def chunk(i, sid, label, text, body_offset):
        return Chunk(
            id=f"doc#{sid}", doc_id="doc", section_id=sid, part=1, kind="chantier",
            section_label=label, heading_path="", ministers=(), start=0, end=len(text),
            text=text, embed_text=text, body_offset=body_offset,
        )  # fmt: skip

    chunks = [
        chunk(0, "chantier-1.4.1", "Chantier 1.4.1 — Economie numérique", short, len(heading)),
        chunk(1, "objectif-1.8", "Objectif 1.8 — Digitalisation", other, len("Objectif 1.8")),
    ]
    per_row = {
        0: [ScoredSentence(0, 0, len(short), 0.9, 0.9, 1.0)],
        1: [ScoredSentence(1, 0, len(other), 0.8, 0.8, 1.0)],
    }
    text, _ = quote_passages("Que prévoit la stratégie ?", [0, 1], per_row, chunks=chunks)
    # the document's own line, verbatim, and no « Chantier 1.4.1 : » before it
    assert text.splitlines() == [
        f"• {short} [1]",
        "• Objectif 1.8 : Le plan NextTech a été évalué en juin 2020. [2]",
    ]


def test_a_dutch_article_het_is_no_anaphor():
    from assistant.answers.quote_context import is_anaphoric

    assert not is_anaphoric("Het Gewest investeert in 2023 32 miljoen euro.")
    assert is_anaphoric("Het is de bedoeling om in 2024 te starten.")
    assert is_anaphoric("Deze aanvragen krijgen geen voorrang.")
