"""Yes/no verdicts from token-level negation cues, on hand-written question/sentence pairs."""

import pytest

from assistant.answers.verdict import Verdict, asks_yes_no, verdict

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


def test_no_verdict_off_subject_or_for_a_question_that_wants_a_value():
    sentence = "Aucune campagne n'est prévue."
    assert verdict(Q, sentence, share=0.2) is None  # the sentence is not about the subject
    assert verdict("Quand la campagne sera-t-elle lancée ?", sentence, share=1.0) is None


def test_yes_no_questions():
    assert asks_yes_no("La Région pousse-t-elle les entreprises à exporter ?")
    assert asks_yes_no("Va-t-on organiser une grande réunion ?")
    assert asks_yes_no("Is er een premie?")
    assert asks_yes_no("Komt er een nieuwe premie?")
    assert not asks_yes_no("Quel budget a été dégagé ?")
    assert not asks_yes_no("Wanneer komt de premie?")
