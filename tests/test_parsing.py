"""Parsing the written question: structure, titles, ministers, metadata and offsets."""

# The titles below are copied verbatim from the document, one per line, so that they can be
# checked against it by eye: long lines are allowed in this file.
# ruff: noqa: E501

from __future__ import annotations

import re

import pytest

from assistant.documents.parsing import ParseError, parse_document, parse_file
from assistant.documents.textrepair import repair

DOC_ID = "qe-517"

# Copied by hand from the document (apostrophes as they are there).
OBJECTIFS = [
    (
        "1.1",
        "Créer les conditions de la transition économique pour contribuer aux objectifs climatiques régionaux",
    ),
    (
        "1.2",
        "Soutenir les TPE et PME, en ce compris l’industrie, l’artisanat, les commerces de proximité et l’entrepreneuriat social et démocratique",
    ),
    (
        "1.3",
        "Mobiliser la politique de recherche et innovation au bénéfice de la transition climatique, économique, sociale et solidaire",
    ),
    (
        "1.4",
        "Soutenir l’économie dans les domaines porteurs d’emplois de qualité pour les Bruxellois",
    ),
    (
        "1.5",
        "Promouvoir les exportations et l’attraction des investissements étrangers en Région bruxelloise",
    ),
    (
        "1.6",
        "Développer les zones stratégiques en appui aux politiques économiques du gouvernement bruxellois",
    ),
    ("1.7", "Approfondir la réforme fiscale"),
    ("1.8", "Assurer la transition numérique de l’économie bruxelloise"),
    ("1.9", "Une mobilité efficace qui respecte la santé et la qualité de vie"),
    ("2.1", "Poursuivre la Garantie pour la Jeunesse"),
    ("2.2", "Garantir l’accès à un emploi stable et durable pour tous"),
    ("2.3", "Renforcer les politiques croisées emploi formation"),
    ("2.4", "Poursuivre le Programme bruxellois pour l’enseignement et l’enfance"),
    (
        "2.5",
        "Une fonction publique régionale forte : approfondir le plan d'action « Bruxellois dans la Fonction publique »",
    ),
    ("2.6", "Coopérer activement avec les autres régions et communautés"),
    ("2.7", "Lutter contre les inégalités sociales et garantir l’accès à la santé"),
    ("2.8", "Contribuer aux politiques européennes en matière d’économie, d’emploi et d’inclusion"),
]

CHANTIERS = [
    ("1.1.1", "Organiser la Gouvernance climatique avec les partenaires socio-économiques"),
    (
        "1.1.2",
        "Programmer et mettre en œuvre la transition économique vers une économie décarbonée, circulaire et régénérative",
    ),
    (
        "1.1.3",
        "Organiser la transition progressive de tous les outils de soutien économique vers des modèles de production décarbonés, vers l’économie circulaire et régénérative, vers l’entrepreneuriat social et démocratique, et vers la digitalisation de l’économie",
    ),
    (
        "1.1.4",
        "Développer un programme de stimulation de la commande publique et de l’offre bruxelloise qui soit décarbonée et circulaire",
    ),
    ("1.1.5", "Mettre en place l’Alliance « Emploi – Environnement – Finances »"),
    (
        "1.2.1",
        "Evaluer, mettre à jour et mettre en œuvre le Small Business Act (SBA) pour en faire un instrument de la transition économique",
    ),
    (
        "1.2.2",
        "Créer une politique commerciale et artisanale intégrée afin d’offrir aux Bruxellois.es. des commerces de proximité, de qualité et durables",
    ),
    ("1.2.3", "Développer un projet industriel bruxellois en phase avec la transition économique"),
    ("1.2.4", "Faire émerger l’entrepreneuriat social comme modèle économique porteur"),
    ("1.3.1", "Elaborer le Plan Régional pour l’Innovation (PRI) 2021-2025"),
    (
        "1.3.2",
        "Focaliser le soutien régional sur les projets de recherche et innovation qui contribuent à renforcer la capacité régionale à relever les défis prioritaires de la région (résilience, soutien aux initiatives exemplaires en termes de durabilité sociale et environnementale)",
    ),
    ("1.3.3", "Renforcer les écosystèmes RDI bruxellois"),
    (
        "1.3.4",
        "Améliorer la collaboration scientifique, le transfert et l’utilisation des connaissances produites",
    ),
    ("1.4.1", "Economie numérique"),
    ("1.4.2", "Industries créatives et culturelles (dont les médias audiovisuels)"),
    ("1.4.3", "Tourisme, culture, évènementiel et métiers du patrimoine"),
    ("1.4.5", "Social santé"),
    ("1.4.7", "Transport & Logistique"),
    ("1.4.8", "Métiers de bouche (horeca et industrie alimentaire)"),
    ("1.4.9", "Construction"),
    (
        "1.5.1",
        "Une meilleure concertation entre les organismes en charge de l’accompagnement à l’international, l’attraction des investissements et la promotion culturelle et touristique de Bruxelles",
    ),
    (
        "1.5.2",
        "Des actions commerciales à l’international ciblées sur les secteurs-clés bruxellois et sur les marchés géographiques porteurs",
    ),
    ("1.5.3", "Un accompagnement plus personnalisé à l’exportation"),
    (
        "1.5.4",
        "Une meilleure intégration des aspects sociaux et environnementaux dans les actions commerciales internationales",
    ),
    (
        "1.5.5",
        "Attirer tout type d’investisseurs et d’entrepreneurs dans des domaines porteurs d’emploi et d’innovation et sur base de zones géographiques prioritaires en Région bruxelloise",
    ),
    (
        "1.6.1",
        "Assurer le développement de zones accueillant des activités économiques productives",
    ),
    ("1.6.2", "Développer le pôle média Mediapark (site de Reyers)"),
    ("1.6.3", "Préserver et développer les activités dans la zone du Canal"),
    ("1.6.4", "Développer un pôle logistique sur le site de Schaerbeek Formation"),
    (
        "1.6.5",
        "Développer un pôle d’économie de la connaissance sur le site des Casernes (Usquare)",
    ),
    (
        "1.8.1",
        "Accélérer la transition numérique en vue d’appuyer la transition économique et Stimuler le secteur de l’e-commerce",
    ),
    ("1.8.2", "Stimuler le secteur de l’e-commerce"),
    (
        "1.8.3",
        "Mettre en place une politique régionale ambitieuse en matière de gestion des données ouvertes (open data)",
    ),
    ("1.8.4", "Améliorer les relations administrations-entreprises par la transition numérique"),
    (
        "1.8.5",
        "Accompagner tous les citoyens dans la transition numérique afin de répondre aux attentes du marché de l’emploi",
    ),
    (
        "2.2.1",
        "Réforme du congé éducation payé et renforcement de la formation professionnelle afin de répondre aux besoins du marché du travail",
    ),
    ("2.2.2", "Permettre l’inclusion des chercheurs d’emploi éloignés du marché du travail"),
    ("2.2.3", "Monitorer l’emploi de qualité"),
    ("2.2.4", "Lutter contre la discrimination à l’embauche et promouvoir la diversité"),
    ("2.2.5", "Lutter contre le dumping social dans les marchés publics"),
    ("2.2.6", "Pérenniser le secteur des titres services"),
    ("2.2.7", "Endiguer la vacance d’emploi"),
    (
        "2.2.8",
        "Soutenir des actions menées en matière de conciliation de la vie professionnelle avec la vie privée",
    ),
    ("2.3.1", "Accords-cadres sectoriels et mise en place des Pôles Formation-Emploi"),
    ("2.3.2", "Stratégie Qualification Emploi"),
    ("2.3.3", "Favoriser la formation en alternance et la formation professionnelle en entreprise"),
    ("2.3.4", "Renforcer l’apprentissage des langues dans une optique de multilinguisme"),
    (
        "2.3.5",
        "Mettre en place des cellules de reconversion emploi-formation en vue du reclassement et de la reconversion des travailleurs ou tout autre dispositif ayant le même objectif",
    ),
    ("2.6.1", "Soutenir l'activité économique au sein de l’aire métropolitaine"),
    ("2.6.2", "Emploi et formation"),
    ("2.6.3", "Développement territorial"),
    ("2.6.4", "Mobilité"),
    ("2.6.5", "Enseignement et petite enfance"),
    ("2.6.6", "Communauté métropolitaine"),
    (
        "2.7.1",
        "Assurer la réussite du virage ambulatoire et celle de la mise en réseau des hôpitaux",
    ),
    ("2.7.2", "Mettre en œuvre la garantie autonomie"),
    ("2.7.3", "Lutter contre le non-recours aux droits sociaux"),
    ("2.7.4", "Mettre en œuvre une programmation « social-santé »"),
]

SUBSECTIONS = [
    (
        "section-2.4-repondre-au-defi-demographique-creation",
        "Répondre au défi démographique : création de nouvelles écoles, rénovation des écoles existants et ouverture sur les quartiers",
    ),
    (
        "section-2.4-soutenir-accrochage-scolaire-des-jeunes",
        "Soutenir l’accrochage scolaire des jeunes en difficulté et lutter contre la ségrégation scolaire",
    ),
    (
        "section-2.4-soutenir-la-transition-numerique-des",
        "Soutenir la transition numérique des écoles bruxelloises",
    ),
    (
        "section-2.4-prevoir-une-approche-specifique-pour",
        "Prévoir une approche spécifique pour la petite enfance",
    ),
]

SE_TRANSITION = (
    "Secrétaire d'Etat chargée de la Transition économique et de la Recherche scientifique"
)
EMPLOI = "Ministre chargé de l’Emploi et de la Formation professionnelle"
MINISTERS = {
    "1.1": (
        "Ministre en charge de la Transition climatique, de l'Environnement, de l'Energie et de la Démocratie participative",
        SE_TRANSITION,
    ),
    "1.3": (SE_TRANSITION,),  # alone on the line after "Ministre(s) porteur(s) :"
    "1.4": ("Ministre Président",),  # on the "Ministre porteur :" line
    "1.5": (
        "Secrétaire d’Etat chargé des Relations européennes et internationales et du Commerce extérieur",
    ),
    "1.6": ("Ministre-Président chargé du Développement territorial et de la Rénovation urbaine",),
    "1.7": ("Ministre chargé des Finances", "Ministre chargé des Pouvoirs locaux"),
    "1.9": ("Ministre chargé de la Mobilité, des Travaux publics et de la sécurité routière",),
    "2.1": ("Ministre-Président", "Ministre chargé de l’Emploi"),
    "2.2": (EMPLOI,),
    "2.3": (EMPLOI,),  # shares the heading of 2.2
    "2.4": (  # the first minister line is broken in two
        "Ministre-Président (Membre du Collège COCOF chargé de la Politique de l'Enseignement)",
        "Membre du Collège de la VGC en charge de l’Enseignement et de la Construction d’Ecoles",
    ),
    "2.6": ("Ministre-Président",),
    "2.7": ("Ministres en charge de la santé et de l’action sociale",),
    "2.8": (
        "Ministre-Président",
        EMPLOI,
        "Secrétaire d’Etat en charge des Relations internationales",
    ),
}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _first_line(source: str, start: int) -> str:
    return _squash(source[start:].split("\n", 1)[0])


def _answer_start(source: str) -> int:
    return source.index("\nRéponse") + 1


# --- objectifs -----------------------------------------------------------------------------------


def test_objectif_numbers_in_order(doc):
    assert [o.number for o in doc.objectifs] == [n for n, _ in OBJECTIFS]


@pytest.mark.parametrize(("number", "title"), OBJECTIFS)
def test_objectif_title(doc, number, title):
    assert doc.objectif(number).title == title


def test_joint_heading_of_objectifs_2_2_and_2_3(doc):
    o22, o23 = doc.objectif("2.2"), doc.objectif("2.3")
    assert o22.joint_with == ("2.3",)
    assert o23.joint_with == ("2.2",)
    assert o22.start == o23.start
    assert doc.source[o22.start :].startswith("Objectif 2.2 : Garantir")
    assert [o.number for o in doc.objectifs if o.joint_with] == ["2.2", "2.3"]
    # The shared introduction belongs to the first; 2.3 has only its chantiers.
    assert [s.id for s in o23.sections] == [f"chantier-2.3.{i}" for i in range(1, 6)]
    assert o22.sections[0].id == "objectif-2.2"


def test_objectif_heading_offsets(doc):
    for o in doc.objectifs:
        first = min((o.number, *o.joint_with))  # a joint heading names its first objectif
        assert doc.source[o.start :].startswith(f"Objectif {first}")
        assert o.end == max(s.end for s in o.sections)
        assert all(s.objectif == o.number for s in o.sections)


def test_unknown_objectif_raises_keyerror(doc):
    with pytest.raises(KeyError, match="1.10"):
        doc.objectif("1.10")


# --- chantiers -----------------------------------------------------------------------------------


def test_every_numbered_chantier_in_order(doc):
    chantiers = [s for s in doc.sections() if s.kind == "chantier"]
    assert [s.number for s in chantiers] == [n for n, _ in CHANTIERS]
    assert [s.id for s in chantiers] == [f"chantier-{n}" for n, _ in CHANTIERS]


@pytest.mark.parametrize(("number", "title"), CHANTIERS)
def test_chantier_title(doc, number, title):
    s = doc.section(f"chantier-{number}")
    assert s.kind == "chantier"
    assert s.title == title
    assert s.objectif == number.rsplit(".", 1)[0]
    assert s in doc.objectif(s.objectif).chantiers


def test_combined_heading_is_one_section(doc):
    s = doc.section("chantier-1.8.1")
    assert s.numbers == ("1.8.1", "1.8.2")
    assert s.label.startswith("Chantiers 1.8.1 et 1.8.2 — ")
    assert doc.source[s.start :].startswith("1.8.1. Accélérer")
    assert s.text.split("\n")[1] == (
        "- Offre d’e-coaching de hub.brussels renforcée pour l’HoReCa et le commerce, "
        "notamment pour la création d’e-shops."
    )
    later = doc.section("chantier-1.8.2")
    assert later.numbers == ("1.8.2",)
    assert later.start > s.end
    assert doc.source[later.start :].startswith("Chantier 1.8.2 Stimuler")


@pytest.mark.parametrize(
    ("number", "body"),
    [
        ("2.2.1", "les discussions ont commencé avec Brupartners"),
        ("2.2.3", "le monitoring socio-économique"),
        ("2.2.7", "l’évaluation de la réglementation"),  # " : …" on the next line
        ("2.3.2", "L’évaluation du Plan de Formation 2020"),
        ("2.6.6", "pas d’actions spécifique."),
        ("1.4.1", "cf. Objectif 1.8"),
        ("2.6.1", "cf. Objectif 1.2."),
    ],
)
def test_run_in_heading_body_start(doc, number, body):
    s = doc.section(f"chantier-{number}")
    assert doc.source[s.body_start :].startswith(body)


@pytest.mark.parametrize(
    ("number", "body"),
    [
        ("1.2.2", "Malgré la crise de la COVID-19"),
        ("1.4.3", "Dès l’entame du premier confinement"),
        ("1.3.2", "Voir 1.2."),
        ("2.7.4", "Programmation globale incarnée"),
    ],
)
def test_heading_on_its_own_line_body_start(doc, number, body):
    s = doc.section(f"chantier-{number}")
    assert doc.source[s.body_start :].lstrip().startswith(body)
    assert (
        doc.source[s.start : s.body_start].strip() == doc.source[s.start :].split("\n")[0].strip()
    )


@pytest.mark.parametrize(
    "missing", ["chantier-1.4.4", "chantier-1.4.6", "chantier-2.2.9", "chantier-2.3.7"]
)
def test_chantiers_not_in_the_document(doc, missing):
    with pytest.raises(KeyError):
        doc.section(missing)


def test_chantier_without_body(doc):
    s = doc.section("chantier-1.4.2")
    assert (
        s.text
        == "Chantier 1.4.2 Industries créatives et culturelles (dont les médias audiovisuels)"
    )
    assert s.body_start == s.end


# --- ministers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("number", "ministers"), sorted(MINISTERS.items()))
def test_ministers_porteurs(doc, number, ministers):
    assert doc.objectif(number).ministers == ministers


def test_each_section_of_an_objectif_carries_its_ministers(doc):
    for o in doc.objectifs:
        assert o.ministers, o.number
        for s in o.sections:
            assert s.ministers == o.ministers, s.id


def test_minister_lines_stay_out_of_titles(doc):
    for s in doc.sections():
        assert "Ministre porteur" not in s.title and "Ministre(s)" not in s.title, s.id


# --- unnumbered sub-headings ---------------------------------------------------------------------


def test_subheadings_of_objectif_2_4(doc):
    subs = [s for s in doc.sections() if s.kind == "subsection"]
    assert [(s.id, s.title) for s in subs] == SUBSECTIONS
    assert [s.id for s in doc.objectif("2.4").sections] == [
        "objectif-2.4",
        *(i for i, _ in SUBSECTIONS),
    ]
    for s in subs:
        assert s.objectif == "2.4"
        assert _first_line(doc.source, s.start).rstrip(".") == s.title


def test_subheading_body(doc):
    s = doc.section("section-2.4-soutenir-la-transition-numerique-des")
    assert doc.source[s.body_start :].lstrip().startswith("En 2019-2020, le SE, en collaboration")
    assert s.text.startswith(
        "Soutenir la transition numérique des écoles bruxelloises\nEn 2019-2020"
    )
    assert s.text.endswith("« fiber to school » entamé en 2014.")


# --- metadata, question, introduction, closing ---------------------------------------------------


def test_metadata(doc):
    m = doc.metadata
    assert doc.doc_id == DOC_ID
    assert m.title == "Sommet social 2021"
    assert m.author == "Bianca Debaets"
    assert m.addressee == "Rudi Vervoort"
    assert m.addressee_function.startswith(
        "Ministre-Président du Gouvernement de la Région de Bruxelles-Capitale"
    )
    assert m.addressee_function.endswith("et du Biculturel d'intérêt régional")
    assert m.number == "517"
    assert m.received == "2021-03-01"
    assert m.published == "2021-04-29"
    assert m.answered == "2021-04-28"
    assert m.legislature == "19/24"
    assert m.session == "20/21"
    assert m.steps == (("2021-03-09", "Recevable"),)


SUB_QUESTION_STARTS = [
    "Pour quels objectifs et pour la mise en œuvre de quelles mesures",
    "Où et comment la population peut-elle clairement suivre",
    "Le gouvernement a-t-il décidé de lancer une campagne de communication",
    "Pouvez-vous nous dire si les Communautés ont été invitées",
    "Les moyens européens dans le cadre du plan de relance bruxellois",
    "Pouvez-vous faire le point sur les objectifs et les mesures",
    "Quelles études (scientifiques) ont-elles été",
    "Dans quelle mesure la liste des besoins des entrepreneurs",
]


def test_sub_questions(doc):
    qs = doc.sub_questions
    assert [q.n for q in qs] == list(range(1, 9))
    for q, start in zip(qs, SUB_QUESTION_STARTS, strict=True):
        assert q.text.startswith(start)
        assert q.text.endswith("?")
        assert _squash(doc.source[q.start : q.end]) == _squash(q.text)
        assert doc.question.start <= q.start < q.end <= doc.question.end
    assert [q.start for q in qs] == sorted(q.start for q in qs)
    assert qs[-1].text.endswith("Quels sont l’échéancier et le budget ?")


def test_question_section(doc):
    q = doc.question
    assert q.kind == "question"
    assert doc.source[q.start :].startswith("Question")
    assert doc.source[q.body_start :].startswith(
        "Le gouvernement bruxellois et les partenaires sociaux"
    )
    assert q.end <= doc.intro.start
    assert doc.header.kind == "metadata"
    assert doc.header.end <= q.start


def test_answer_introduction(doc):
    intro = doc.intro
    assert intro.kind == "answer-intro"
    assert doc.source[intro.start :].startswith("Réponse")
    assert doc.source[intro.body_start :].startswith("En ce qui concerne votre première question")
    assert intro.end <= doc.objectif("1.1").start
    assert "Objectif 1.1" not in intro.text
    assert intro.text.endswith(
        "communiqués par chacun des ministre porteurs des différents objectifs de la Stratégie."
    )


def test_closing_section(doc):
    c = doc.closing
    assert c is not None and c.kind == "closing" and c.id == "closing"
    paragraphs = c.text.split("\n\n")
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("A l’heure actuelle, il n’y a pas encore d’étude scientifique")
    assert paragraphs[1].startswith("La liste des besoins est gérée par hub.brussels")
    assert c.end == len(doc.source.rstrip())
    o28 = doc.section("objectif-2.8")
    assert o28.end < c.start
    assert "étude scientifique" not in o28.text
    assert "La liste des besoins" not in o28.text
    assert o28.text.endswith("menés sous la coordination du Secrétaire d’Etat fédéral en charge.")


# --- offsets -------------------------------------------------------------------------------------


def test_section_text_is_the_repair_of_its_span(doc):
    for s in doc.sections():
        assert repair(doc.source, s.start, s.end).text == s.text, s.id
        assert s.start <= s.body_start <= s.end, s.id


def test_sections_are_in_order_and_do_not_overlap(doc):
    sections = doc.sections()
    assert len({s.id for s in sections}) == len(sections)
    for a, b in zip(sections, sections[1:]):
        assert a.end <= b.start, (a.id, b.id)


def test_every_answer_character_belongs_to_exactly_one_section(doc):
    src = doc.source
    owners = [0] * len(src)
    for s in doc.sections():
        for i in range(s.start, s.end):
            owners[i] += 1
    start = _answer_start(src)
    assert src[start:].startswith("Réponse")
    wrong = [i for i in range(start, len(src)) if not src[i].isspace() and owners[i] != 1]
    assert wrong == []


def test_heading_text_sits_at_section_start(doc):
    for s in doc.sections():
        head = doc.source[s.start :]
        if s.kind == "objectif":
            assert head.startswith(f"Objectif {s.objectif}"), s.id
        elif s.kind == "chantier":
            assert re.match(rf"(Chantier )?{re.escape(s.number)}\b", head), s.id
            assert s.title.split()[0] in head.split("\n")[0], s.id
        elif s.kind == "subsection":
            assert _first_line(doc.source, s.start).startswith(s.title), s.id
        elif s.kind == "answer-intro":
            assert head.startswith("Réponse")
        elif s.kind == "closing":
            assert head.startswith("A l’heure actuelle")
    assert doc.header.start == 0


def test_section_lookup_by_id(doc):
    assert doc.section("chantier-1.2.2").number == "1.2.2"
    assert doc.section("closing") is doc.closing
    with pytest.raises(KeyError, match="chantier-9.9.9"):
        doc.section("chantier-9.9.9")


def test_parsing_is_deterministic(doc):
    again = parse_document(doc.source, doc_id=DOC_ID)
    assert again.sections() == doc.sections()
    assert again.objectifs == doc.objectifs


# --- small synthetic documents -------------------------------------------------------------------

HEADER = """Question écrite concernant la Stratégie test

de
Jean Dupont
à
Marie Martin, Ministre de l'Essai (question n°42)

Date de réception: 02/01/2022 Date de publication: 03/02/2022
Législature: 19/24 Session: 21/22 Date de réponse: 01/02/2022

Question    Voici le contexte de la question.

- Quels sont les chantiers prévus ?
- Quel est le budget prévu ?

Réponse    Voici l'introduction de la réponse.

"""

BODY = """Objectif 3.1 : Tester le parseur
Ministre porteur : Ministre des Tests

Chantier 3.1.1. Écrire des tests
Nous écrivons des tests.
{stray}
Chantier 3.1.2. Lancer les tests
Les tests tournent.

Objectif 3.2 : Un objectif sans chantier
Ministre(s) porteur(s) :
- Ministre du Vide
- Ministre du Plein

Rien à signaler pour cet objectif.
"""


def _synthetic(stray: str = "") -> str:
    return HEADER + BODY.format(stray=stray)


def test_synthetic_document():
    src = _synthetic()
    d = parse_document(src, doc_id="synth")
    m = d.metadata
    assert (m.title, m.author, m.addressee, m.addressee_function, m.number) == (
        "Stratégie test",
        "Jean Dupont",
        "Marie Martin",
        "Ministre de l'Essai",
        "42",
    )
    assert (m.received, m.published, m.answered, m.session) == (
        "2022-01-02",
        "2022-02-03",
        "2022-02-01",
        "21/22",
    )
    assert [q.text for q in d.sub_questions] == [
        "Quels sont les chantiers prévus ?",
        "Quel est le budget prévu ?",
    ]
    assert src[d.intro.body_start :].startswith("Voici l'introduction")
    assert [o.number for o in d.objectifs] == ["3.1", "3.2"]
    o31, o32 = d.objectifs
    assert [(s.number, s.title) for s in o31.chantiers] == [
        ("3.1.1", "Écrire des tests"),
        ("3.1.2", "Lancer les tests"),
    ]
    assert o31.ministers == ("Ministre des Tests",)
    assert all(s.ministers == ("Ministre des Tests",) for s in o31.sections)
    assert (
        d.section("chantier-3.1.1").text
        == "Chantier 3.1.1. Écrire des tests\nNous écrivons des tests."
    )
    assert o32.chantiers == ()
    assert [s.id for s in o32.sections] == ["objectif-3.2"]
    assert o32.title == "Un objectif sans chantier"
    assert o32.ministers == ("Ministre du Vide", "Ministre du Plein")
    assert o32.sections[0].text.endswith("Rien à signaler pour cet objectif.")
    assert d.closing is None
    for s in d.sections():
        assert repair(src, s.start, s.end).text == s.text


@pytest.mark.parametrize(
    "stray",
    [
        "Chantier 2.2.9 Permettre l’inclusion rapide des chercheurs d’emploi\n",
        "2.2.9 Permettre l’inclusion rapide des chercheurs d’emploi\n",
        "\nChantier 2.2.9 Permettre l’inclusion rapide des chercheurs d’emploi\n",
        "\n2.2.9 Permettre l’inclusion rapide des chercheurs d’emploi\n",
    ],
    ids=["chantier-word", "bare-number", "chantier-word-after-blank", "bare-number-after-blank"],
)
def test_chantier_number_of_another_objectif_is_not_a_heading(stray):
    d = parse_document(_synthetic(stray), doc_id="synth")
    assert [s.id for s in d.objectif("3.1").sections] == [
        "objectif-3.1",
        "chantier-3.1.1",
        "chantier-3.1.2",
    ]
    assert "2.2.9 Permettre l’inclusion rapide" in d.section("chantier-3.1.1").text
    assert [s.kind for s in d.sections()].count("subsection") == 0


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Un simple texte.\n\nSans structure aucune.\n", "Question"),
        ("Question    Une question ?\n\n- Quoi ?\n", "Réponse"),
        ("Réponse    Une réponse.\n\nQuestion    Une question ?\n", "Réponse"),
        ("", "Question"),
    ],
)
def test_text_without_question_or_answer_raises(text, missing):
    with pytest.raises(ParseError) as err:
        parse_document(text, doc_id="broken-doc")
    message = str(err.value)
    assert "broken-doc" in message
    assert f"« {missing} »" in message
    assert "question écrite" in message and "parlement.brussels" in message
    assert isinstance(err.value, ValueError)


def test_parse_file_names_a_question_by_its_series_and_number(tmp_path):
    path = tmp_path / "une-question-test.txt"
    path.write_text(_synthetic(), encoding="utf-8")
    d = parse_file(path)
    assert d.doc_id == "qe-42"  # not the file's name
    assert d.metadata.number == "42"


def test_parse_file_rejects_non_utf8(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(b"\xff\xfeQ\x00u\x00e\x00s\x00t\x00i\x00o\x00n\x00")
    with pytest.raises(ParseError) as err:
        parse_file(path)
    assert "UTF-8" in str(err.value)
    assert "latin.txt" in str(err.value)


def test_parse_file_rejects_latin1_text(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(_synthetic().encode("latin-1", errors="replace"))
    with pytest.raises(ParseError, match="UTF-8"):
        parse_file(path)


def test_section_kinds_are_the_same_strings():
    import json

    from assistant.documents.document import SectionKind

    d = parse_document(_synthetic(), doc_id="kinds")
    kinds = {s.kind for s in d.sections()}
    assert kinds <= set(SectionKind) and {"metadata", "question", "chantier"} <= kinds
    assert all(type(s.kind) is SectionKind for s in d.sections())
    assert json.dumps([SectionKind.ANSWER_INTRO, SectionKind.CHANTIER]) == (
        '["answer-intro", "chantier"]'
    )
    assert f"{SectionKind.OBJECTIF}" == "objectif" and list(SectionKind)[0] == "metadata"


# A Dutch page whose « Antwoord » stands alone on its line, the answer after a blank line,
# each paragraph answering one sub-question (hand-written in the published shape).
_LABEL_ALONE = """Logo Parlement Buxellois

Schriftelijke vraag betreffende de deelsteps op de voetpaden

Indiener(s)
Jan Peeters

aan
Elke Van den Brandt, Minister van de Brusselse Hoofdstedelijke Regering, belast met Mobiliteit (Vragen nr 9)

Datum ontvangst: 01/02/2023 Datum publicatie: 01/03/2023
Zittingsperiode: 19/24 Zitting: 22/23 Datum antwoord: 15/02/2023

Vraag

- Hoeveel deelsteps mogen de operatoren in het Gewest inzetten?
- Hoeveel parkeerzones voor deelsteps zijn er al aangelegd?

Antwoord
{answer}"""
_ANSWER_PARAGRAPHS = """
De operatoren mogen samen 8.000 deelsteps in het Gewest inzetten.

Er zijn vandaag 650 parkeerzones voor deelsteps aangelegd; de operatoren betalen mee.
"""


def test_an_answer_label_alone_on_its_line_keeps_its_first_paragraph():
    doc = parse_document(_LABEL_ALONE.format(answer=_ANSWER_PARAGRAPHS), doc_id="qe-9")
    assert doc.language == "nl"
    # the intro holds the first paragraph, not « Antwoord » alone; the last paragraph, which
    # answers the last sub-question, is the conclusion, titled in the page's language
    assert doc.intro.text.startswith("Antwoord")
    assert "8.000 deelsteps" in doc.intro.text
    assert doc.closing is not None and doc.closing.title == "Antwoord — slot"
    assert doc.closing.text.startswith("Er zijn vandaag 650 parkeerzones")


def test_an_answer_cut_after_its_label_gives_no_passage():
    from assistant.indexing.chunking import chunk_document

    doc = parse_document(_LABEL_ALONE.format(answer=""), doc_id="qe-9")
    assert doc.metadata.incomplete
    assert [c.section_id for c in chunk_document(doc)] == ["metadata", "question"]
