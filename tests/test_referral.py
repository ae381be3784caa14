"""A refusal says where the closest passages send the point it was asked about."""

from types import SimpleNamespace

from assistant.answers.abstention import refusal
from assistant.answers.referral import referral
from assistant.indexing.chunking import Chunk

POOLS = (
    "Réponse    Sur les 15 piscines communales, 4 sont fermées. L'organisation des cours de "
    "natation scolaire relève de la Communauté française."
)
CRECHES = (
    "Antwoord    Het Gewest is niet bevoegd voor de Nederlandstalige kinderopvang; die "
    "bevoegdheid ligt bij de Vlaamse Gemeenschap."
)


def _chunk(doc: str, text: str, language: str) -> Chunk:
    return Chunk(
        id=f"{doc}#answer", doc_id=doc, section_id="answer", part=1, kind="answer",
        section_label="Réponse", heading_path="", ministers=(), start=0, end=len(text),
        text=text, embed_text=text, body_offset=len(text.split()[0]), doc_language=language,
    )  # fmt: skip


def test_the_sentence_that_sends_the_point_elsewhere_is_found():
    pools, creches = _chunk("qe-1", POOLS, "fr"), _chunk("qe-2", CRECHES, "nl")
    found = referral("Combien d'élèves n'ont pas accès aux cours de natation scolaire ?", [pools])
    assert found.sentence.startswith("L'organisation des cours de natation scolaire relève")
    assert POOLS[found.start : found.end] == found.sentence and found.rank == 0
    # in the passage's language, its label left out, in the second passage
    dutch = referral("Hoeveel Nederlandstalige opvangplaatsen zijn er?", [pools, creches])
    assert dutch.rank == 1 and dutch.sentence.startswith("Het Gewest is niet bevoegd")
    # a deferral that names none of the question's words is no answer to it
    assert referral("Quel est le prix d'une entrée à la piscine ?", [creches]) is None
    assert referral("Combien de piscines sont fermées ?", [pools]) is None  # no deferral
    # the word shared must be what the question is about, not what it asks (« budget »)
    other = _chunk("qe-3", "Réponse    Pour le budget des crèches, je vous invite à interroger "
                   "mon collègue en charge de l'Enfance.", "fr")  # fmt: skip
    assert referral("Quel est le budget de la Région pour les pistes cyclables ?", [other]) is None


def test_a_refusal_says_the_referral_and_highlights_it():
    pools = _chunk("qe-1", POOLS, "fr")
    hits = [SimpleNamespace(chunk_id=pools.id)]
    text, citations = refusal("Combien d'élèves suivent la natation scolaire ?", hits,
                              chunks=[pools], row_of={pools.id: 0})  # fmt: skip
    assert "La réponse renvoie ailleurs sur ce point : « L'organisation des cours" in text
    ((start, end),) = citations[0].highlights
    assert POOLS[start:end].endswith("Communauté française.")
    dutch, _ = refusal("Hoeveel leerlingen volgen zwemles?", hits, chunks=[pools],
                       row_of={pools.id: 0})  # fmt: skip
    assert "Het document bevat hierover geen informatie" in dutch
    assert "renvoie ailleurs" not in dutch  # no word of the question in that sentence
