"""Answer types: what hand-written questions want, what hand-written sentences hold."""

import pytest

from assistant.answers.question_types import AnswerType as T
from assistant.answers.question_types import holds, status_of, values, wanted


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Quel est le montant de la prime à la rénovation ?", {T.AMOUNT}),
        ("Combien coûte la nouvelle ligne de tram ?", {T.AMOUNT}),
        ("Combien de crèches ont ouvert l'an dernier ?", {T.COUNT}),
        ("Hoeveel scholen kregen een laptop?", {T.COUNT}),
        ("Quel est le taux d'occupation des bureaux ?", {T.PERCENT}),
        ("Quand le plan vélo sera-t-il adopté ?", {T.DATE}),
        ("Depuis quand la zone piétonne existe-t-elle ?", {T.DATE}),
        ("En quelle année le marché couvert a-t-il été rénové ?", {T.DATE}),
        ("Wanneer opent het nieuwe zwembad?", {T.DATE}),
        ("Qui gère les parkings de dissuasion ?", {T.WHO}),
        ("Par qui le rapport a-t-il été rédigé ?", {T.WHO}),
        ("Quelle ministre est compétente pour le logement ?", {T.WHO}),
        ("Wie beheert de fietspaden?", {T.WHO}),
        ("In welke gemeente werden de meeste bomen geplant?", {T.PLACE}),
        ("Op welke locaties komen de nieuwe laadpalen?", {T.PLACE}),
        ("Quel membre du Collège réuni est compétent pour l'aide alimentaire ?", {T.WHO}),
        ("Welk lid van het Verenigd College is bevoegd voor de voedselhulp?", {T.WHO}),
        ("Dans quelle commune le centre sera-t-il construit ?", {T.PLACE}),
        ("Où se trouve le guichet pour les indépendants ?", {T.PLACE}),
        ("Pourquoi les travaux du tunnel ont-ils été suspendus ?", {T.CAUSE}),
        ("Waarom werd de tram uitgesteld?", {T.CAUSE}),
        ("Comment les habitants sont-ils consultés ?", {T.MANNER}),
        ("Est-ce que la piscine rouvrira cet été ?", {T.YES_NO}),
        ("La commune pousse-t-elle le covoiturage ?", {T.YES_NO}),
        ("Va-t-on planter des arbres le long du canal ?", {T.YES_NO}),
        ("Y a-t-il une aide pour les vélos cargos ?", {T.YES_NO}),
        ("Wordt de tunnel gerenoveerd?", {T.YES_NO}),
        ("Quelles mesures sont prévues contre le bruit ?", {T.LIST}),
        ("Quels ministres portent le plan climat ?", {T.WHO, T.LIST}),
        ("Quand et par qui le marché a-t-il été attribué ?", {T.DATE, T.WHO}),
        ("Où en est le projet de piscine ?", {T.STATUS}),  # a status, not a place
        ("Qu'en est-il de la réforme du congé-éducation ?", {T.STATUS}),
        ("Quel est l'état d'avancement du PRAS ?", {T.STATUS}),
        ("Hoe ver staat de hervorming van de dienstencheques?", {T.STATUS}),  # not a manner
        ("Wat is de stand van zaken rond de wachtlijst?", {T.STATUS}),
        ("Où est le siège de Brupartners ?", {T.PLACE}),
        ("Où trouver le détail des logements inoccupés par commune ?", {T.REFERENCE}),
        ("Où puis-je consulter le texte du plan ?", {T.REFERENCE}),
        ("Où est-ce que je peux voir où en sont ces mesures ?", {T.REFERENCE}),  # not a state
        ("Waar vind ik de lijst van de projecten per gemeente?", {T.REFERENCE}),
        ("Where can I find the list of projects?", {T.REFERENCE}),
        ("Waar komt het nieuwe centrum?", {T.PLACE}),
        ("Où trouver un logement à Bruxelles ?", {T.PLACE}),  # a place, not a text
        ("Où est la répartition des amendes par commune ?", {T.REFERENCE}),
        ("Où figure la liste des lauréats ?", {T.REFERENCE}),
        ("Comment réduire le délai d'attente en crèche ?", {T.MANNER}),  # how, not how long
        ("Comment accélérer l'avancement du plan climat ?", {T.MANNER}),  # how, not its state
        ("Quelles sont les conditions d'avancement de carrière ?", {T.LIST}),  # no state
        ("Quel est l'avancement du plan climat ?", {T.STATUS}),
        ("Quel est le délai moyen de relocation d'un logement social ?", {T.DURATION}),
        ("Combien de temps faut-il attendre une place en crèche ?", {T.DURATION}),  # no count
        ("Hoe lang moet je wachten op een plaats?", {T.DURATION}),  # not a manner
        ("Wat is de gemiddelde wachttijd voor een taalcursus?", {T.DURATION}),
        ("How long does a permit take?", {T.DURATION}),
        ("Combien de jeunes de moins de 25 ans sont inscrits ?", {T.COUNT}),
        ("Quelle étude l'administration a-t-elle commandée ?", set()),  # inversion after "quel"
        ("Qu'est-ce qui est prévu pour les cyclistes ?", set()),  # "qui" of "qu'est-ce qui"
        ("Quel numéro appeler quand on déménage ?", set()),  # "quand" of a clause
        ("Comment s'appelle le ministre du budget ?", {T.WHO}),
        # a leading clause of time or condition: the question is what follows the comma
        ("Quand la Région commande des travaux, que fait-elle contre le dumping ?", set()),
        (
            "Si mon commerce ferme, combien de temps dure l'aide ?",
            {T.DURATION},
        ),  # a length of time, not a count
        ("Wanneer een school verhuist, wie betaalt de verhuis?", {T.WHO}),
        # ... but not an inset relative clause, nor a list of wh-words
        ("Quand la prime, qui est ouverte aux indépendants, sera-t-elle versée ?", {T.DATE}),
        ("Quand, où et comment la prime sera-t-elle versée ?", {T.DATE, T.PLACE, T.MANNER}),
        # an opening phrase before « qui » is no relative clause
        ("Pour la prime vélo, qui est compétent ?", {T.WHO}),
        ("En ce qui concerne la propreté, qui a pris la décision ?", {T.WHO}),
        ("Quand un chantier dépasse le délai, qui paie les indemnités, la Région ?", {T.WHO}),
        ("Quand la Région commande des travaux, que fait-elle, concrètement ?", set()),
        ("Quel est le budget des parcs, où de nombreux arbres ont été abattus ?", {T.AMOUNT}),
        ("prime vélo électrique", set()),
        # what is paid is a sum of money, an average one too
        ("Quel est le loyer moyen d'un logement social ?", {T.AMOUNT}),
        ("Quel est le salaire d'un agent de quartier ?", {T.AMOUNT}),
        ("Combien gagne un stagiaire ?", {T.AMOUNT}),
        ("Wat is de gemiddelde huurprijs van een sociale woning?", {T.AMOUNT}),
        ("Hoeveel verdient een stagiair?", {T.AMOUNT}),
        ("Quels sont les frais d'inscription à la formation ?", {T.AMOUNT, T.LIST}),
        ("Quelle indemnité les commerçants ont-ils reçue ?", set()),  # which one
        ("Quelle est l'amende pour un dépôt clandestin ?", {T.AMOUNT}),
        ("Combien gagne-t-il par mois ?", {T.AMOUNT}),
        ("Combien touche-t-elle de ménages ?", {T.COUNT}),  # « toucher » is to reach here
        ("Hoeveel betalen de huurders?", {T.AMOUNT}),
        ("Hoeveel bedroeg de subsidie?", {T.AMOUNT}),
        ("Hoeveel kostte de renovatie?", {T.AMOUNT}),
        ("Hoeveel investeert het Gewest in het meetnet?", {T.AMOUNT}),  # what is spent
        ("Combien la Région investit-elle dans les piscines ?", {T.AMOUNT}),
        ("Combien de projets ont été financés ?", {T.COUNT}),  # a number of things
        ("Combien de jours ont été consacrés à la formation ?", {T.DURATION}),  # no sum
        ("Quel est le niveau d'avancement des travaux ?", {T.STATUS}),
        ("Quelles sont les conditions pour l'avancement des carrières ?", {T.LIST}),
        ("Hoeveel betalingen werden uitgevoerd?", {T.COUNT}),  # a noun: how many
        ("Wat is het loon van een stagiair?", {T.AMOUNT}),
        ("Wat is de maximale huurprijs?", {T.AMOUNT}),
        ("Wat is het budget voor fietsinfrastructuur in 2023?", {T.AMOUNT}),
        ("Welk budget ging naar de renovatie van de scholen?", {T.AMOUNT}),
        ("Welke budgetten zijn er?", {T.LIST}),  # which ones
        ("Quelle est la taxe concernée ?", set()),  # which tax
        ("Quelles sont les taxes régionales supprimées ?", {T.LIST}),  # which ones
    ],
)
def test_wanted(question, expected):
    assert wanted(question) == frozenset(expected)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Un budget de 1,5 million d'euros a été prévu.", [(T.AMOUNT, "1,5 million d'euros")]),
        ("La prime s'élève à 500.000 € par an.", [(T.AMOUNT, "500.000 €")]),
        ("Elle reçoit € 2 millions.", [(T.AMOUNT, "€ 2 millions")]),
        ("Elle reçoit EUR 3 millions.", [(T.AMOUNT, "EUR 3 millions")]),
        ("Entrée en vigueur 2024.", []),  # the "eur" of "vigueur" is no currency
        ("Soit 12 % du total.", [(T.PERCENT, "12 %")]),
        ("Le taux atteint 3,5 procent.", [(T.PERCENT, "3,5 procent")]),
        ("106 lauréats ont été retenus.", [(T.COUNT, "106")]),
        ("Cinq pays étaient ciblés.", [(T.COUNT, "Cinq")]),
        ("Le site compte 30.000 m² de bureaux.", [(T.COUNT, "30.000")]),
        ("L'accord a été conclu en février 2020.", [(T.DATE, "février 2020")]),
        ("Réception : 01/03/2021.", [(T.DATE, "01/03/2021")]),
        ("Le lancement est prévu au Q3 2020.", [(T.DATE, "Q3 2020")]),
        ("Le plan sera finalisé d'ici 2025.", [(T.DATE, "d'ici 2025")]),
        ("Het plan loopt tot eind 2021.", [(T.DATE, "eind 2021")]),
        ("Le comité s'est réuni le 24 février.", [(T.DATE, "24 février")]),
        ("Au premier semestre 2021, l'étude démarre.", [(T.DATE, "premier semestre 2021")]),
        ("La ministre Barbara Trachte a signé.", [(T.WHO, "ministre Barbara Trachte")]),
        ("Le CIRB et hub.brussels coopèrent.", [(T.WHO, "CIRB"), (T.WHO, "hub.brussels")]),
        ("Le projet a pris du retard en raison de la crise.", [(T.CAUSE, "en raison d")]),
        ("De oproep wordt in het voorjaar van 2024 gelanceerd.", [(T.DATE, "voorjaar van 2024")]),
        ("Het plan is klaar tegen het einde van 2024.", [(T.DATE, "het einde van 2024")]),
        ("Les travaux débutent au début de 2024.", [(T.DATE, "début de 2024")]),
        ("La piscine rouvrira à la fin de l'année 2024.", [(T.DATE, "fin de l'année 2024")]),
        ("Klaar tegen het einde van het jaar 2024.", [(T.DATE, "het einde van het jaar 2024")]),
        ("Het begin van de werken is gepland.", []),  # a beginning, no date
        ("Le dossier a été examiné et approuvé.", []),  # "été" is no season
        ("Le plan 2030 est en cours.", []),  # a year in a name is no count and no date
    ],
)
def test_values(sentence, expected):
    assert [(v.type, sentence[v.start : v.end]) for v in values(sentence)] == expected


def test_holds_the_wanted_type_only():
    date_q, count_q = wanted("Quand le plan a-t-il été adopté ?"), wanted("Combien de pays ?")
    assert holds(date_q, "Le plan a été adopté en mars 2021.")
    assert not holds(date_q, "Le plan a été adopté par le Gouvernement.")
    assert holds(count_q, "La campagne ciblait cinq pays.")
    assert not holds(count_q, "La campagne a été lancée en mars 2021.")
    assert not holds(wanted("Comment les habitants sont-ils consultés ?"), "En mars 2021.")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("De fait, l'élaboration du nouveau PRI a pris un peu de retard.", "reporté / retardé"),
        ("Discussions toujours en cours en vue d'une éventuelle acquisition du site.", "en cours"),
        ("Le vademecum a été approuvé par le Gouvernement bruxellois.", "réalisé"),
        ("Le plan devrait passer en première lecture courant avril 2021.", "prévu"),
        ("Les salons internationaux ont été annulés.", "annulé"),
        ("De hervorming van de dienstencheques werd uitgesteld.", "reporté / retardé"),
        ("Het plan werd in 2023 door de regering goedgekeurd.", "réalisé"),
        ("De nieuwe oproep zal in het voorjaar van 2024 worden gelanceerd.", "prévu"),
        ("Een centrale wachtlijst is gepland.", "prévu"),
        # not planned: nothing is done, which is a state (not « prévu »)
        ("Een centrale wachtlijst is vandaag niet gepland.", "pas d'action spécifique / renvoi"),
        ("Elaboration du futur Plan Régional pour l'Innovation (PRI) 2021-2025.", None),
    ],
)
def test_status_of_a_sentence(sentence, expected):
    found = status_of(sentence)
    assert (None if found is None else str(found)) == expected


def test_a_status_question_holds_the_sentences_that_say_a_state():
    asked = wanted("Où en est le Plan Régional pour l'Innovation ?")
    assert holds(asked, "L'élaboration du nouveau PRI a pris un peu de retard.")
    assert not holds(asked, "Elaboration du futur Plan Régional pour l'Innovation 2021-2025.")
    # a state says nothing to a question that does not ask for one
    assert not holds(wanted("Qui élabore le plan ?"), "Le plan a pris un peu de retard.")


def test_places_after_a_locative_word():
    sentence = "De meeste bomen werden geplant in Anderlecht (212) en in Sint-Jans-Molenbeek."
    places = [sentence[v.start : v.end] for v in values(sentence) if v.type is T.PLACE]
    assert places == ["in Anderlecht", "in Sint-Jans-Molenbeek"]
    assert [v.type for v in values("dans la commune d'Ixelles")] == [T.PLACE]
    assert not [v for v in values("En 2023, la Région a planté 1.264 arbres.") if v.type is T.PLACE]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Le statut est consultable ici : https://go4.brussels/.", "https://go4.brussels/"),
        ("Le détail par commune figure dans le tableau en annexe.", "en annexe"),
        ("De lijst van de projecten per gemeente vindt u in bijlage 1.", "in bijlage 1"),
        ("Le guide est disponible sur le site d’easy.brussels.", "site d’easy.brussels"),
        ("Voir www.perspective.brussels/pras pour le calendrier.", "www.perspective.brussels/pras"),
        ("La Stratégie dispose de son site internet.", "site internet"),
    ],
)
def test_references(sentence, expected):
    found = [sentence[v.start : v.end] for v in values(sentence) if v.type is T.REFERENCE]
    assert found == [expected]


def test_a_site_that_is_a_place_or_an_organisation_is_no_reference():
    # « site » is no reference here; « à Schaerbeek » is a place
    assert [v.type for v in values("Le site est situé à Schaerbeek.")] == [T.PLACE]
    assert [v.type for v in values("hub.brussels a lancé une campagne.")] == [T.WHO]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Le délai moyen de relocation est de 94 jours.", ["94 jours"]),
        ("De gemiddelde wachttijd bedraagt vijf weken.", ["vijf weken"]),
        ("Cela peut prendre une semaine ou 3 mois.", ["une semaine", "3 mois"]),
        ("Les discussions reprendront dans les prochains mois.", []),  # no length given
        ("La prime est versée pendant un an.", ["un an"]),
        ("Un jour, la Région devra trancher.", []),  # some day, not a length of time
        ("Le délai est de 1 jour, sauf exception.", ["1 jour"]),
        ("Le traitement prend un jour, parfois deux.", ["un jour"]),
    ],
)
def test_durations(sentence, expected):
    found = [sentence[v.start : v.end] for v in values(sentence) if v.type is T.DURATION]
    assert found == expected
    # a length of time is no count of things
    assert not [v for v in values(sentence) if v.type is T.COUNT]


def test_a_count_of_hours_is_answered_by_a_length_of_time():
    asked = wanted("Combien d'heures de formation ont été dispensées en 2022 ?")
    assert holds(asked, "Le centre a dispensé 1.200 heures de formation.")
    assert holds(wanted("Combien de formations ?"), "Elles durent 3 mois.")  # a count accepts it


def test_a_reference_is_read_before_the_number_it_holds():
    for sentence, ref in [
        ("Le rapport figure en annexe 2 jointe.", "en annexe 2"),
        ("De lijst staat in bijlage 1 bij dit antwoord.", "in bijlage 1"),
    ]:
        assert [(v.type, sentence[v.start : v.end]) for v in values(sentence)] == [
            (T.REFERENCE, ref)
        ]
