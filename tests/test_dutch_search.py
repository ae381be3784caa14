"""Language-aware lexical search: Dutch texts analysed as Dutch, questions meeting both.

Fast tests on hand-checkable texts (BM25, the analyzer, the fusion); one slow test with the
real multilingual model: a French question about a document that exists only in Dutch.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.indexing.lexical import LexicalIndex, analyse, query_terms
from assistant.search.fusion import hybrid
from assistant.search.intent import question_language
from assistant.text.analyzer import fold, stopwords_of, tokenize

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_dutch_words_are_stemmed_as_dutch_and_french_as_french():
    assert tokenize("scholen", language="nl") == ["school"]
    assert tokenize("school", language="nl") == ["school"]
    assert tokenize("écoles") == tokenize("école") == ["ecol"]
    # the French stemmer leaves a Dutch plural alone: why a Dutch text needs its own
    assert tokenize("scholen") != tokenize("school")


def test_hoeveel_asks_like_combien_and_is_no_term():
    assert "hoeveel" in stopwords_of("nl") and "combien" in stopwords_of("fr")
    assert tokenize("Hoeveel scholen?", language="nl") == ["school"]
    assert question_language("Hoeveel scholen zijn er?") == "nl"


def test_dutch_stop_words_come_from_spacy():
    from spacy.lang.nl.stop_words import STOP_WORDS

    assert {fold(w) for w in STOP_WORDS if w.isalpha()} <= stopwords_of("nl")
    assert tokenize("het is een van de scholen", language="nl") == ["school"]
    # French stop words are not Dutch ones: "les" is no Dutch word to drop
    assert "les" not in stopwords_of("nl") and "het" not in stopwords_of("fr")


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="langue 'de' inconnue"):
        tokenize("Schulen", language="de")


def test_terms_are_prefixed_by_language_and_the_question_analysed_with_both():
    assert analyse("De scholen", "nl") == ["nl:school"]
    assert analyse("Les écoles", "fr") == ["fr:ecol"]
    assert query_terms("scholen écoles") == ["fr:scholen", "fr:ecol", "nl:school", "nl:ecool"]


def test_each_text_meets_the_question_in_its_own_language():
    texts = ["Het aantal scholen in Brussel.", "Le nombre d'écoles à Bruxelles.", "Les parcs."]
    index = LexicalIndex.build(texts, languages=["nl", "fr", "fr"])
    nl, fr, other = index.scores("Hoeveel scholen?")
    assert nl > 0 and fr == 0 and other == 0
    nl, fr, other = index.scores("Combien d'écoles ?")
    assert fr > 0 and nl == 0 and other == 0
    # "school" is Dutch-analysed in the index: bare terms look at every language
    assert index.knows("school") and index.knows("ecol") and not index.knows("park")
    assert index.knows("nl:school") and not index.knows("fr:school")
    assert index.idf("school") == pytest.approx(index.idf("nl:school"))
    assert index.idf("inconnu") > index.idf("school")


def test_french_texts_alone_score_as_plain_french_bm25():
    """Over French texts only, the prefixes change nothing: the BM25 of the French terms."""
    import bm25s

    texts = ["Les écoles de Bruxelles.", "Les écoles et les crèches.", "Le budget des parcs."]
    ours = LexicalIndex.build(texts).scores("Quelles écoles à Bruxelles ?")
    plain = bm25s.BM25(k1=1.2, b=0.75)
    plain.index([tokenize(t) for t in texts], show_progress=False)
    expected = plain.get_scores(tokenize("Quelles écoles à Bruxelles ?"))
    np.testing.assert_allclose(ours, expected, rtol=1e-6)


def test_the_question_language_is_guessed_from_its_stop_words():
    assert question_language("Hoeveel gezinnen staan er op de wachtlijst?") == "nl"
    assert question_language("Combien de familles attendent un logement ?") == "fr"
    assert question_language("Vervoort 2021") == "fr"  # no stop word: French, the default


def test_a_passage_in_another_language_is_not_buried_for_having_no_bm25():
    # rows 0-2 Dutch, 3-5 French; the Dutch row 0 is the closest, BM25 sees only French
    passage = np.array([0.80, 0.70, 0.69, 0.78, 0.74, 0.73])
    line = np.full(6, np.nan)
    bm25 = np.array([0.0, 0.0, 0.0, 5.0, 4.0, 3.0])
    plain = hybrid(passage, line, bm25, line_weight=0.4, dense_weight=0.6)
    assert int(np.argmax(plain)) == 3  # without the language rule, the French passage wins
    neutral = np.array([True, True, True, False, False, False])
    fused = hybrid(passage, line, bm25, line_weight=0.4, dense_weight=0.6, neutral=neutral)
    assert int(np.argmax(fused)) == 0
    assert list(np.argsort(-fused[3:])) == [0, 1, 2]  # the French rows keep their order
    # the Dutch rows' cosines are shifted by the gap between the two means (0.02 here):
    # lowering all Dutch cosines by the same amount changes nothing
    lower = np.where(neutral, passage - 0.05, passage)
    again = hybrid(lower, line, bm25, line_weight=0.4, dense_weight=0.6, neutral=neutral)
    np.testing.assert_allclose(again, fused)


def test_a_fitted_offset_raises_the_other_language_by_that_much():
    # rows 0-1 Dutch, 2-3 French; the model's cosines favour the question's own language
    passage = np.array([0.76, 0.70, 0.78, 0.74])
    line = np.full(4, np.nan)
    bm25 = np.array([0.0, 0.0, 5.0, 4.0])
    neutral = np.array([True, True, False, False])

    def fused(cosines, offset):
        return hybrid(
            cosines, line, bm25, line_weight=0.4, dense_weight=0.6, neutral=neutral, offset=offset
        )

    assert int(np.argmax(fused(passage, 0.0))) == 2
    assert int(np.argmax(fused(passage, 0.04))) == 0  # 0.80 against 0.78
    np.testing.assert_allclose(fused(passage, 0.04), fused(passage + 0.04 * neutral, 0.0))


def test_a_dutch_document_is_indexed_as_dutch(tmp_path, toy_encoder):
    from assistant import Assistant

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("sv-312-sociale-huisvesting.txt", "qe-1203-fonds-rebond.txt"):
        (corpus / name).write_bytes((FIXTURES / name).read_bytes())
    a = Assistant.load(corpus=corpus, index=tmp_path / "i", encoder=toy_encoder, log=print)
    languages = {c.doc_id: c.doc_language for c in a.chunks}
    assert languages == {"qe-312": "nl", "qe-1203": "fr"}
    # "woningen" meets "woning" only through the Dutch stemmer
    hits = a.search("woning", k=3, mode="bm25")
    assert hits and {h.doc_id for h in hits} == {"qe-312"}
    answer = a.ask("Hoeveel nieuwe sociale woningen werden in 2022 opgeleverd?")
    assert not answer.abstained
    cited = answer.citations[0]
    assert cited.doc_id == "qe-312" and cited.document.language == "nl"
    assert "(en néerlandais)" not in answer.answer  # asked in Dutch: no need to say so
    assert answer.to_json()["citations"][0]["document"]["language"] == "nl"
    from assistant.search.filters import Filters

    french = a.ask(
        "Que dit la réponse sur les sociale woningen opgeleverd en 2022 ?",
        filters=Filters.of(document="qe-312"),
    )
    assert french.citations[0].doc_id == "qe-312" and "(en néerlandais) [1]" in french.answer
    assert list(answer.to_json()["citations"][0]["document"])[-2:] == ["language", "incomplete"]


@pytest.mark.slow
def test_a_french_question_finds_the_document_that_exists_only_in_dutch(tmp_path, real_encoder):
    from assistant import Assistant

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in (
        "sv-312-sociale-huisvesting.txt",
        "qe-1203-fonds-rebond.txt",
        "qe-845-pistes-cyclables.html",
    ):
        (corpus / name).write_bytes((FIXTURES / name).read_bytes())
    a = Assistant.load(corpus=corpus, index=tmp_path / "i", encoder=real_encoder, log=print)
    question = "Combien de familles sont sur la liste d'attente pour un logement social ?"
    hits = a.search(question, k=5)
    assert hits[0].doc_id == "qe-312"
    answer = a.ask(question)
    assert not answer.abstained
    assert answer.citations[0].doc_id == "qe-312"
    assert "51.322" in answer.answer and "(en néerlandais)" in answer.answer
