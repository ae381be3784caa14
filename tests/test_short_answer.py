"""The short answer's value: the one nearest the question's words, not the first one."""

from assistant.answers.question_types import AnswerType as T
from assistant.answers.question_types import values
from assistant.answers.short_answer import find_short_answer, proximity
from assistant.text.analyzer import tokenize


def _short(question, sentence, wants):
    return find_short_answer(
        frozenset(wants),
        sentence,
        [(0, len(sentence))],
        citation=1,
        terms=frozenset(tokenize(question)),
        question=question,
    )


def test_the_date_next_to_the_question_verb_wins_over_the_first_date():
    short = _short(
        "Quand la réforme doit-elle entrer en vigueur ?",
        "La réforme sera adoptée fin 2021, pour une entrée en vigueur en 2024.",
        {T.DATE},
    )
    assert short.text == "en 2024"


def test_the_first_date_wins_when_it_is_the_one_near_the_question_words():
    short = _short(
        "Quand le plan a-t-il été évalué ?",
        "Le plan a été évalué en juin 2020 et sera revu en 2023.",
        {T.DATE},
    )
    assert short.text == "juin 2020"


def test_the_amount_near_the_budget_word_wins():
    short = _short(
        "Quel budget pour les primes de rénovation ?",
        "Sur 12 millions d'euros au total, les primes de rénovation reçoivent 3 millions d'euros.",
        {T.AMOUNT},
    )
    assert short.text == "3 millions d'euros"


def test_a_dutch_count_near_its_noun():
    short = _short(
        "Hoeveel scholen worden gerenoveerd?",
        "In 2021 werden 40 dossiers ingediend en worden 12 scholen gerenoveerd.",
        {T.COUNT},
    )
    assert short.text == "12"


def test_proximity_counts_words_not_characters():
    sentence = "En 2020 ceci vigueur en 2024"
    first, last = values(sentence)[0], values(sentence)[-1]
    terms = frozenset(tokenize("vigueur"))
    assert proximity(sentence, last.start, last.end, terms) == 1.0
    assert proximity(sentence, first.start, first.end, terms) == 0.5
    assert proximity(sentence, first.start, first.end, frozenset({"absent"})) == 0.0


HEADER_FR = (
    "De Bianca Debaets à Rudi Vervoort, Ministre-Président du Gouvernement de la Région de "
    "Bruxelles-Capitale, chargé du Tourisme (question n°517)"
)
HEADER_NL = (
    "Liesbeth Peeters aan Marc Wouters, Staatssecretaris van het Brussels Hoofdstedelijk "
    "Gewest, belast met Huisvesting en Gelijke Kansen (Vragen nr 1133)"
)


def _who(question: str, sentence: str):
    found = find_short_answer(
        frozenset({T.WHO}), sentence, [(0, len(sentence))], citation=1, question=question
    )
    return found.text if found else None


def test_the_holder_of_the_office_asked_is_the_name_before_it():
    assert _who("Qui est le ministre-président ?", HEADER_FR) == "Rudi Vervoort"
    assert _who("Wie is de staatssecretaris voor Huisvesting?", HEADER_NL) == "Marc Wouters"
    line = (
        "Karim Benali, Secrétaire d'État à la Région de Bruxelles-Capitale, chargé de l'Urbanisme"
    )
    assert _who("Qui est le secrétaire d'État à l'Urbanisme ?", line) == "Karim Benali"


def test_without_an_office_asked_or_a_name_before_it_the_value_stays():
    # no office in the question: the value found in the sentence, as before
    assert _who("Qui a signé ?", HEADER_FR) == "Ministre-Président du Gouvernement"
    # the office asked, but no « Name, » before it: the value found
    bare = "Le Ministre-Président du Gouvernement a signé l'accord."
    assert _who("Qui est le ministre-président ?", bare) == "Ministre-Président du Gouvernement"


def test_the_holder_is_named_only_for_who_holds_the_office_and_its_portfolio():
    line = "De Jan Peeters à Elke Van den Brandt, Ministre du Gouvernement, chargée de la Mobilité"
    assert _who("Qui est la ministre de la Mobilité ?", line) == "Elke Van den Brandt"
    # who wrote to her is not who she is
    assert _who("Qui a interrogé la ministre de la Mobilité ?", line) != "Elke Van den Brandt"
    # another portfolio than the one asked: no holder; the same one in Dutch: the holder
    assert (
        _who("Qui est la ministre de la Mobilité ?", "Alain Maron, Ministre chargé du Climat")
        is None
    )
    dutch = "Alain Maron, Minister belast met Leefmilieu"
    assert _who("Qui est le ministre de l'Environnement ?", dutch) == "Alain Maron"


def test_the_holder_s_name_has_no_civility_and_is_no_institution():
    said = "Selon Monsieur Rudi Vervoort, Ministre-Président, le plan avance."
    assert _who("Qui est le ministre-président ?", said) == "Rudi Vervoort"
    assert (
        _who("Wie is de minister van Mobiliteit?", "De heer Jan De Smet, Minister van Mobiliteit")
        == "Jan De Smet"
    )
    body = (
        "Le Gouvernement de la Région de Bruxelles-Capitale, Ministre-Président en tête, a décidé."
    )
    assert _who("Qui est le ministre-président ?", body) is None
    # the same institution words as the questions' names (persons.INSTITUTION_WORDS)
    plan = "Selon la Stratégie Go4Brussels, Ministre-Président en tête, le plan avance."
    assert _who("Qui est le ministre-président ?", plan) is None


def test_the_office_is_the_same_in_either_form_and_language():
    assert _who("Qui est la ministre-présidente ?", HEADER_FR) == "Rudi Vervoort"
    assert _who("Wie is de minister-president?", HEADER_FR) == "Rudi Vervoort"
    assert _who("Qui est le secrétaire d'État au Logement ?", HEADER_NL) == "Marc Wouters"


PISCINES = (
    "Sur les 15 piscines communales que compte la Région, 4 sont actuellement fermées : trois "
    "pour des travaux de rénovation."
)
HIVER = (
    "Le plan hivernal offre 1.800 places d'hébergement d'urgence, dont 450 réservées aux "
    "familles avec enfants."
)


def test_a_number_given_as_part_of_another_answers_for_the_part():
    # the sentence says the part: « 4 » are closed, « 1 » station is over the limit ...
    assert _short("Combien de piscines communales sont fermées ?", PISCINES, {T.COUNT}).text == "4"
    nl = "De grenswaarde werd in 2022 nog in 1 van de 12 meetstations overschreden."
    assert (
        _short("In hoeveel meetstations werd de grenswaarde overschreden?", nl, {T.COUNT}).text
        == "1"
    )
    # ... unless the question asks for the whole
    assert (
        _short("Combien de piscines communales compte la Région ?", PISCINES, {T.COUNT}).text
        == "15"
    )
    # a subset (« dont ») answers only a question that names what only its words say
    asked = "Combien de places d'hébergement d'urgence pour les familles prévoit le plan ?"
    assert _short(asked, HIVER, {T.COUNT}).text == "450"
    assert (
        _short("Combien de places d'hébergement d'urgence prévoit le plan ?", HIVER, {T.COUNT}).text
        == "1.800"
    )


def test_the_notes_after_a_quote_stay_out_of_its_quotation_marks():
    from assistant.answers.short_answer import lead_with
    from assistant.answers.values import ShortAnswer

    short = ShortAnswer(text="14.620", type="count", citation=1, start=0, end=6)
    answer = "In 2022 werden 14.620 boetes uitgeschreven. (en néerlandais) [1]"
    assert lead_with(short, answer) == (
        "**14.620** — « In 2022 werden 14.620 boetes uitgeschreven. » (en néerlandais) [1]"
    )
    said = "Le plan est adopté. (ministre(s) porteur(s) : Ministre-Président) [1]"
    assert lead_with(short, said).endswith(
        "adopté. » (ministre(s) porteur(s) : Ministre-Président) [1]"
    )


def test_of_two_quoted_sentences_the_value_of_the_chosen_one_wins():
    first = "Sur les 15 piscines, 4 sont fermées, une à cause de l'énergie depuis octobre 2022."
    second = "Les travaux du Neptunium ont pris du retard ; réouverture à la fin de l'année 2024."
    text = f"{first} {second}"
    spans = [(0, len(first)), (len(first) + 1, len(text))]
    question = "Quand la piscine du Neptunium rouvrira-t-elle ?"
    terms = frozenset(tokenize(question))
    chosen = find_short_answer(frozenset({T.DATE}), text, spans, citation=1, terms=terms,
                               question=question, best=spans[1])  # fmt: skip
    assert chosen.text == "fin de l'année 2024"
    context = find_short_answer(frozenset({T.DATE}), text, spans, citation=1, terms=terms,
                                question=question, best=spans[0])  # fmt: skip
    assert context.text == "octobre 2022"


PLAINTES = (
    "En 2022, les zones de police ont enregistré 412 plaintes pour harcèlement de rue, contre "
    "356 en 2021 et 298 en 2020."
)


def test_the_figure_said_with_the_year_asked_wins():
    assert (
        _short("Combien de plaintes ont été enregistrées en 2021 ?", PLAINTES, {T.COUNT}).text
        == "356"
    )
    assert _short("Combien de plaintes en 2020 ?", PLAINTES, {T.COUNT}).text == "298"
    assert (
        _short("Combien de plaintes ont été enregistrées en 2022 ?", PLAINTES, {T.COUNT}).text
        == "412"
    )
    assert _short("Combien de plaintes ont été enregistrées ?", PLAINTES, {T.COUNT}).text == "412"
    nl = "In 2022 werden 1.245.000 fietsers geteld, 3.400 per dag, tegenover 2.900 per dag in 2021."
    assert _short("Hoeveel fietsers per dag in 2021?", nl, {T.COUNT}).text == "2.900"


def test_a_part_is_taken_only_when_the_question_names_it():
    # « van » of an amount is no « out of »; a whole first, its part unnamed: the whole
    money = "Het Gewest investeert een bedrag van 5 miljoen euro, verdeeld over 3 projecten."
    assert _short("Hoeveel investeert het Gewest?", money, {T.AMOUNT}).text == "5 miljoen euro"
    asked = "Sur les 100 demandes introduites, 60 ont été acceptées."
    assert _short("Combien de demandes ont été introduites ?", asked, {T.COUNT}).text == "100"
    assert _short("Combien de demandes ont été acceptées ?", asked, {T.COUNT}).text == "60"
    bornes = "En 2023, 600 nouvelles bornes seront installées, dont 200 bornes rapides."
    assert _short("Combien de bornes rapides en 2023 ?", bornes, {T.COUNT}).text == "200"
    assert _short("Combien de nouvelles bornes en 2023 ?", bornes, {T.COUNT}).text == "600"


def test_a_part_listed_after_another_is_found_too():
    boetes = (
        "In 2022 werden 3.140 GAS-boetes uitgeschreven, waarvan 1.020 door Net Brussel en "
        "2.120 door de gemeenten."
    )
    asked = "Hoeveel GAS-boetes schreven de gemeenten uit in 2022?"
    assert _short(asked, boetes, {T.COUNT}).text == "2.120"
    assert _short("Hoeveel GAS-boetes in 2022?", boetes, {T.COUNT}).text == "3.140"


def test_a_part_chosen_first_gives_way_to_its_whole_unless_the_question_names_it():
    ecoles = (
        "Depuis 2022, Bruxelles Environnement accompagne 138 écoles dans l'amélioration de "
        "leur cantine, dont 97 écoles fondamentales et 41 écoles secondaires."
    )
    assert _short("Combien d'écoles sont aidées pour leur cantine ?", ecoles, {T.COUNT}).text == (
        "138"
    )
    asked = "Combien d'écoles secondaires sont aidées pour leur cantine ?"
    assert _short(asked, ecoles, {T.COUNT}).text == "41"
