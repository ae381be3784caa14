"""Cross-lingual query terms: a question's words paired with the other language's words by
CSLS, on hand-set vectors (checked by hand below), then with the real model on a French
and a Dutch page."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from assistant.indexing.lexical import LexicalIndex
from assistant.indexing.word_sides import hubness
from assistant.indexing.words import WordTable, WordVectors
from assistant.search.translation import Pair, Translator

DATA = Path(__file__).parent / "data"


def _unit(*xs):
    v = np.asarray(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


# French-only words: x « opérateurs » = (1, 0, 0), b « tarifs » = (0.6, 0, 0.8).
# Dutch-only words: y « operatoren » = (0.8, 0.6, 0), h « algemeen » = (0.9, 0, √0.19), a hub:
# cos(x, h) = 0.9 beats cos(x, y) = 0.8, but h is near every French word.
VECTORS = {
    "opérateurs": _unit(1, 0, 0),
    "tarifs": _unit(0.6, 0, 0.8),
    "operatoren": _unit(0.8, 0.6, 0),
    "algemeen": _unit(0.9, 0, 0.19**0.5),
}


class _Encoder:
    """Encodes only the words of VECTORS, and records what it was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def encode_queries(self, texts):
        self.asked += list(texts)
        return np.stack([VECTORS[t] for t in texts])


def _chunks(*pages):
    return [SimpleNamespace(text=text, doc_language=lang) for text, lang in pages]


def _translator(chunks, *, k=2, words=VECTORS):
    table = WordTable.of(list(words), [words[w] for w in words])
    return Translator.of(chunks, table, WordVectors(_Encoder(), words=table), k=k)


FR = ("Les opérateurs et leurs tarifs.", "fr")
NL = ("De operatoren zijn algemeen bekend.", "nl")


def test_hubness_is_the_mean_cosine_with_the_k_nearest():
    rows = np.stack([VECTORS["algemeen"], VECTORS["operatoren"]])
    others = np.stack([VECTORS["opérateurs"], VECTORS["tarifs"]])
    # algemeen: 0.9 and 0.6·0.9 + 0.8·√0.19 = 0.8887; operatoren: 0.8 and 0.48
    assert hubness(rows, others, k=2) == pytest.approx([0.89436, 0.64], abs=1e-4)
    assert hubness(rows, others, k=1) == pytest.approx([0.9, 0.8], abs=1e-4)


def test_csls_passes_over_the_hub_that_plain_cosine_would_pick():
    pairs = _translator(_chunks(FR, NL)).pairs("Les opérateurs ?", "fr")
    # r(x) = (0.9 + 0.8) / 2 = 0.85; CSLS(x, y) = 1.6 - 0.85 - 0.64 = 0.11
    # and CSLS(x, h) = 1.8 - 0.85 - 0.89436 = 0.0556: the hub loses
    assert [(p.word, p.translation, p.language) for p in pairs] == [
        ("opérateurs", "operatoren", "nl")
    ]
    assert pairs[0].csls == pytest.approx(0.11, abs=1e-4)


def test_a_word_the_other_language_already_has_is_not_paired():
    both = ("Les opérateurs et leurs tarifs.", "fr"), ("De opérateurs, operatoren, algemeen.", "nl")
    assert _translator(_chunks(*both)).pairs("Les opérateurs ?", "fr") == ()


def test_names_and_stop_words_are_not_translations():
    # « général » is the hub's own vector: paired with « algemeen » when it is a word
    words = dict(VECTORS, général=VECTORS["algemeen"])
    fr = ("Les opérateurs, leurs tarifs en général.", "fr")
    # r(x) = (1 + 0.72) / 2 = 0.86, r(h) = (1 + 0.9) / 2 = 0.95: CSLS = 2 - 0.86 - 0.95 = 0.19
    pairs = _translator(_chunks(fr, NL), words=words).pairs("En général ?", "fr")
    assert [(p.translation, round(p.csls, 4)) for p in pairs] == [("algemeen", 0.19)]
    named = ("De operatoren zijn volgens Algemeen bekend.", "nl")  # only ever a name
    # left: « operatoren », CSLS = 2 × 0.72 - 0.72 - 0.76 = -0.04
    assert _translator(_chunks(fr, named), words=words).pairs("En général ?", "fr") == ()
    with_stop = dict(VECTORS, zijn=VECTORS["opérateurs"])  # « zijn »: a Dutch stop word
    pairs = _translator(_chunks(FR, NL), words=with_stop).pairs("Les opérateurs ?", "fr")
    assert [p.translation for p in pairs] == ["operatoren"]


def test_a_pair_is_dropped_when_another_word_of_the_question_side_is_nearer():
    # q = (0.6, 0, -0.5)/|.| = (0.7682, 0, -0.6402): cos(q, y) = 0.6146, cos(q, h) = 0.4123,
    # r(q) = 0.5134, CSLS(q, y) = 1.2292 - 0.5134 - 0.64 = 0.0757 > 0, its best;
    # but CSLS(« opérateurs », y) = 0.11 is higher: y translates « opérateurs », not q
    q = _unit(0.6, 0, -0.5)
    words = dict(VECTORS, machines=q, opérateur=q)
    t = _translator(_chunks(FR, NL), words=words)
    assert t.pairs("Les machines ?", "fr") == ()
    # the same vector written as an inflection of « opérateurs » (same stem) keeps its pair
    pairs = t.pairs("Un opérateur ?", "fr")
    assert [(p.word, p.translation) for p in pairs] == [("opérateur", "operatoren")]
    assert pairs[0].csls == pytest.approx(0.0757, abs=1e-3)


def test_the_question_sides_stems_are_analysed_once(monkeypatch):
    from assistant.search import translation

    q = _unit(0.6, 0, -0.5)
    t = _translator(_chunks(FR, NL), words=dict(VECTORS, machines=q, opérateur=q))
    seen = []
    tokenize = translation.tokenize
    monkeypatch.setattr(
        translation, "tokenize", lambda w, **kw: seen.append(w) or tokenize(w, **kw)
    )
    for _ in range(2):
        assert t.pairs("Les machines ?", "fr") == ()
        assert [p.word for p in t.pairs("Un opérateur ?", "fr")] == ["opérateur"]
    side = [w for w in seen if w not in ("machines", "opérateur")]
    assert sorted(side) == sorted(t._sides["fr"].words)  # each once, on the first question


def test_one_language_or_no_word_table_means_no_translator():
    table = WordTable.of(list(VECTORS), list(VECTORS.values()))
    vectors = WordVectors(_Encoder(), words=table)
    assert Translator.of(_chunks(FR, FR), table, vectors) is None
    assert Translator.of(_chunks(FR, NL), None, vectors) is None


def test_a_question_word_missing_from_the_table_is_encoded_once():
    table = WordTable.of(["tarifs", "operatoren", "algemeen"],
                         [VECTORS[w] for w in ("tarifs", "operatoren", "algemeen")])  # fmt: skip
    encoder = _Encoder()
    t = Translator.of(_chunks(FR, NL), table, WordVectors(encoder, words=table), k=2)
    t.pairs("Les opérateurs ?", "fr")
    t.pairs("Les opérateurs ?", "fr")
    assert encoder.asked == ["opérateurs"]


def test_bm25_adds_the_paired_words_scores_times_the_weight():
    lex = LexicalIndex.build(["De operatoren zijn bekend.", "Les tarifs."], languages=["nl", "fr"])
    alone = lex.scores("Les opérateurs ?")
    assert alone[0] == 0.0
    paired = lex.scores("Les opérateurs ?", also=[("operatoren", "nl")], weight=1.0)
    half = lex.scores("Les opérateurs ?", also=[("operatoren", "nl")], weight=0.5)
    assert paired[0] > 0.0 and half[0] == pytest.approx(paired[0] / 2)
    assert paired[1] == alone[1]
    off = lex.scores("Les opérateurs ?", also=[("operatoren", "nl")], weight=0.0)
    assert off.tolist() == alone.tolist()


@pytest.fixture(scope="module")
def two_pages(tmp_path_factory, real_encoder):
    """The real index of a French page (cleanliness) and a Dutch one (school renovation)."""
    from assistant import Assistant

    root = tmp_path_factory.mktemp("two-languages")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in ("qe-42-proprete-2022.txt", "qe-2211-scholen-anderlecht.txt"):
        shutil.copyfile(DATA / name, corpus / name)
    loaded = Assistant.load(corpus=corpus, index=root / "index", encoder=real_encoder,
                            progress=False)  # fmt: skip
    loaded.searcher.translation_weight = 1.0  # whatever the fitted weight: the terms are on
    return loaded


def _pairs(searcher, question, language):
    searcher.translations(question)  # computes the sides on first use
    return {(p.word, p.translation) for p in searcher._translator.pairs(question, language)}


def test_the_real_model_pairs_french_and_dutch_words(two_pages):
    s = two_pages.searcher
    fr = _pairs(s, "Combien d'écoles d'Anderlecht ont reçu une prime de rénovation ?", "fr")
    assert {("écoles", "scholen"), ("rénovation", "renovatie")} <= fr
    assert ("nouvel", "nieuwe") in _pairs(s, "Quand le nouvel appel sera-t-il lancé ?", "fr")
    nl = _pairs(s, "Hoeveel vuilnisbakken werden geplaatst?", "nl")
    assert ("vuilnisbakken", "poubelles") in nl


def test_a_french_question_finds_the_dutch_page_through_its_paired_words(two_pages):
    s = two_pages.searcher
    question = "Quand le nouvel appel sera-t-il lancé ?"  # the Dutch page's « nieuwe oproep »
    kept = s.translation_weight
    try:
        s.translation_weight = 0.0
        without = two_pages.search(question, k=1)[0]
        s.translation_weight = 1.0
        with_terms = two_pages.search(question, k=1)[0]
    finally:
        s.translation_weight = kept
    assert without.doc_id == "qe-42"
    assert with_terms.doc_id == "qe-2211" and with_terms.bm25_score > 0
    detailed = s.search(question, k=1, mode="hybrid", objectif=None)
    assert detailed.timings_ms["translate"] > 0  # its own stage, on an index in two languages
    assert isinstance(s._translator.pairs(question, "fr")[0], Pair)


def test_the_stored_sides_are_those_computed_and_an_older_index_computes_them(
    two_pages, real_encoder, tmp_path
):
    import json

    from assistant import Assistant
    from assistant.indexing.store import WORD_FLAGS_FILE, WORD_HUBNESS_FILE
    from assistant.indexing.word_sides import word_sides

    table = two_pages.built.words
    fresh = word_sides(two_pages.chunks, table)
    assert table.sides.flags.tolist() == fresh.flags.tolist()
    assert np.allclose(table.sides.hubness, fresh.hubness, atol=1e-5)
    assert table.sides.hubness.max() > 0.5  # both sides are there
    # the same index as written before the sides: loads, and pairs the same words
    older = tmp_path / "index"
    shutil.copytree(two_pages.index_dir, older)
    meta = json.loads((older / "meta.json").read_text())
    for name in (WORD_FLAGS_FILE, WORD_HUBNESS_FILE):
        (older / meta["generation"] / name).unlink()
        del meta["files"][name]
    (older / "meta.json").write_text(json.dumps(meta))
    said = []
    loaded = Assistant.load(corpus=two_pages.corpus, index=older, encoder=real_encoder,
                            progress=False, log=said.append)  # fmt: skip
    assert loaded.built.words.sides is None
    assert any("Index sans côtés des mots" in line for line in said)
    loaded.searcher.translation_weight = 1.0
    question = "Quand le nouvel appel sera-t-il lancé ?"
    assert loaded.searcher.translations(question) == two_pages.searcher.translations(question)
    assert loaded.searcher.translations(question)


def test_a_word_two_question_words_pair_with_counts_once(two_pages):
    s = two_pages.searcher
    question = "L'école et les écoles d'Anderlecht ?"
    s.translations(question)  # computes the sides on first use
    pairs = [p.translation for p in s._translator.pairs(question, "fr")]
    assert pairs.count("scholen") == 2  # both forms pair with it
    assert s.translations(question).count(("scholen", "nl")) == 1
