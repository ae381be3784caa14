"""The word table: the chunks' words encoded once as queries at build time, stored with the
index, read by the grounding before its encoder."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.answers.grounding import Grounder, Levels, Quote, WordVectors
from assistant.errors import IndexStale
from assistant.files import sha256_file
from assistant.indexing.build import build_index
from assistant.indexing.store import WORD_VECTORS_FILE, WORDS_FILE, load_index
from assistant.indexing.words import KEY_PREFIX, AsQueries, WordTable, candidate, corpus_words

from .conftest import ToyEncoder


class QueryOnly(ToyEncoder):
    """The toy encoder whose passages are the opposite of its queries, recording the
    words it is asked to encode as queries."""

    def __init__(self) -> None:
        super().__init__()
        self.queried: list[str] = []

    def encode_queries(self, texts):
        self.queried += list(texts)
        return super().encode_queries(texts)

    def encode_passages(self, texts, *, progress=False):
        return -super().encode_passages(texts)


def test_candidate_words_are_three_letters_and_not_numbers():
    assert [w for w in ("le", "été", "2021", "3e", "Q3", "vélos") if candidate(w)] == [
        "été",
        "vélos",
    ]
    texts = ["Les vélos partagés : 350 vélos en 2021.", "Vélos et trottinettes"]
    assert corpus_words(texts) == ["les", "partagés", "trottinettes", "vélos"]


def test_as_queries_encodes_the_words_without_their_prefix_as_queries():
    enc = QueryOnly()
    out = AsQueries(enc).encode_passages([KEY_PREFIX + "vélos", KEY_PREFIX + "budget"])
    assert enc.queried == ["vélos", "budget"]
    assert np.allclose(out, enc.encode_queries(["vélos", "budget"]))
    assert (AsQueries(enc).id, AsQueries(enc).dim) == (enc.id, enc.dim)


def test_table_rows_and_shape_check():
    table = WordTable.of(["un", "deux"], np.eye(2, 4))
    assert len(table) == 2 and table.vectors.dtype == np.float32
    assert np.array_equal(table.get("deux"), np.eye(4)[1]) and table.get("trois") is None
    with pytest.raises(ValueError):
        WordTable.of(["un"], np.eye(2, 4))


@pytest.fixture
def built(tmp_path, corpus_dir):
    enc = QueryOnly()
    build_index(corpus=corpus_dir, index_dir=tmp_path / "index", encoder=enc, progress=False)
    return tmp_path / "index", enc


def test_the_build_stores_every_chunk_word_as_a_query(built, corpus_dir):
    index_dir, enc = built
    loaded = load_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc)
    chunks = loaded.chunks
    want = corpus_words([c.text for c in chunks] + [c.section_label for c in chunks])
    assert list(loaded.words.words) == want and len(want) > 1000
    assert loaded.meta["words"] == {"distinct": len(want), "embedded": len(want)}
    assert set(enc.queried) == set(want)  # as queries, each once
    assert len(enc.queried) == len(want)
    some = ["gouvernement", "bruxelles", "emploi"]
    assert np.allclose(np.stack([loaded.words.get(w) for w in some]), enc.encode_queries(some))
    assert isinstance(loaded.words.vectors, np.memmap) or isinstance(
        loaded.words.vectors.base, np.memmap
    )  # mapped, not read into memory


def test_a_rebuild_encodes_only_new_words(built, corpus_dir):
    index_dir, first = built
    again = QueryOnly()
    meta = build_index(corpus=corpus_dir, index_dir=index_dir, encoder=again, progress=False).meta
    assert meta["words"]["embedded"] == 0 and again.queried == []
    (corpus_dir / "extra.txt").write_text(
        (corpus_dir / next(p.name for p in corpus_dir.iterdir())).read_text(encoding="utf-8")
        + "\nLes zyxophones et les quirblats.\n",
        encoding="utf-8",
    )
    third = QueryOnly()
    meta = build_index(corpus=corpus_dir, index_dir=index_dir, encoder=third, progress=False).meta
    assert meta["words"]["embedded"] == 2 and sorted(third.queried) == ["quirblats", "zyxophones"]


def _rewrite(index_dir, name, data: bytes):
    """Replace one file of the generation and record its new hash, as a buggy writer would."""
    meta = json.loads((index_dir / "meta.json").read_text())
    path = index_dir / meta["generation"] / name
    path.write_bytes(data)
    meta["files"][name] = {"sha256": sha256_file(path), "size": path.stat().st_size}
    (index_dir / "meta.json").write_text(json.dumps(meta))
    return meta


def test_a_table_that_disagrees_with_its_vectors_is_stale(built, corpus_dir):
    index_dir, enc = built
    meta = json.loads((index_dir / "meta.json").read_text())
    words = json.loads((index_dir / meta["generation"] / WORDS_FILE).read_text())
    _rewrite(index_dir, WORDS_FILE, json.dumps(words[:-1]).encode())
    with pytest.raises(IndexStale, match="vecteurs des mots"):
        load_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc)


def test_an_index_from_before_the_table_loads_without_it(built, corpus_dir):
    index_dir, enc = built
    meta = json.loads((index_dir / "meta.json").read_text())
    for name in (WORDS_FILE, WORD_VECTORS_FILE):
        (index_dir / meta["generation"] / name).unlink()
        del meta["files"][name]
    (index_dir / "meta.json").write_text(json.dumps(meta))
    assert load_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc).words is None


def test_word_vectors_read_the_table_before_the_encoder():
    enc = QueryOnly()
    table = WordTable.of(["bicyclettes"], enc.encode_queries(["bicyclettes"]))
    enc.queried.clear()
    vectors = WordVectors(enc, words=table)
    out = vectors(["bicyclettes", "vélos", "bicyclettes"])
    assert enc.queried == ["vélos"]  # only the word the table lacks
    assert np.allclose(out, enc.encode_queries(["bicyclettes", "vélos", "bicyclettes"]))


def test_the_grounder_finds_a_neighbour_in_the_table_without_encoding_it():
    q = "Quel budget pour les vélos partagés ?"
    near = np.array([0.9, np.sqrt(1 - 0.81), 0, 0], dtype=np.float32)

    class Vélos:
        def __init__(self):
            self.queried = []

        def encode_queries(self, words):
            self.queried += list(words)
            return np.stack([np.eye(4, dtype=np.float32)[0 if w == "vélos" else 3] for w in words])

    words = ["bicyclettes", "budget", "les", "mobilité", "ont", "partagées", "propre"]
    vectors = [near] + [np.eye(4, dtype=np.float32)[2]] * 6
    enc = Vélos()
    g = Grounder(Levels(4.2, 1.0, 0.85, False), enc, words=WordTable.of(words, vectors))
    quotes = [Quote("Mobilité", ("Les bicyclettes partagées ont un budget propre.",))]
    assert g.gap(q, quotes) is None  # cosine 0.9 with "bicyclettes", read from the table
    # the question's words alone were encoded (« partagés » too: the label lacks it), never
    # a word of the table
    assert "vélos" in enc.queried and set(enc.queried) <= {"vélos", "partagés"}
    assert Grounder(Levels(4.2, 1.0, 0.85, False), Vélos()).gap(q, quotes) is not None


@pytest.mark.slow
def test_real_answers_are_the_same_with_the_table_and_spare_the_encoder(real_assistant):
    """The real index's table gives the answers the encoder gives, and asks it for less."""
    from assistant.answers.grounding import fitted_levels
    from evals.dataset import load_questions

    assert real_assistant.built.words is not None and len(real_assistant.built.words) > 1000
    levels = fitted_levels()
    questions = [q.question for q in load_questions() if q.split == "dev"]

    class Counting:
        def __init__(self, encoder):
            self.encoder, self.words = encoder, 0

        def encode_queries(self, texts):
            self.words += len(texts)
            return self.encoder.encode_queries(texts)

    def answers(words):
        enc = Counting(real_assistant.encoder)
        grounder = Grounder(levels, enc, words=words)
        real_assistant._grounder = lambda: grounder
        try:
            return [real_assistant.ask(q).answer for q in questions], enc.words
        finally:
            del real_assistant._grounder

    with_table, asked = answers(real_assistant.built.words)
    without, encoded = answers(None)
    assert with_table == without
    assert encoded > 0 and asked < encoded / 4  # the question's own words only


def test_the_build_stores_the_word_sides_and_a_damaged_one_is_stale(built, corpus_dir):
    import io

    from assistant.indexing.store import WORD_FLAGS_FILE
    from assistant.indexing.word_sides import PRESENT, SIDE

    index_dir, enc = built
    loaded = load_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc)
    sides = loaded.words.sides
    row = loaded.words.row("gouvernement")
    assert sides.flags[row] == PRESENT["fr"] | SIDE["fr"]  # French passages only
    assert sides.present(row, "fr") and not sides.present(row, "nl")
    assert not sides.present(None, "fr")  # a word of no passage
    assert not sides.hubness.any()  # no Dutch side to be near
    buf = io.BytesIO()
    np.save(buf, sides.flags[:-1], allow_pickle=False)
    _rewrite(index_dir, WORD_FLAGS_FILE, buf.getvalue())
    with pytest.raises(IndexStale, match="côtés des mots"):
        load_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc)


def test_an_empty_or_lone_side_file_is_stale_and_another_version_is_recomputed(built, corpus_dir):
    from assistant.indexing.store import WORD_FLAGS_FILE, WORD_HUBNESS_FILE

    index_dir, enc = built
    meta = json.loads((index_dir / "meta.json").read_text())
    saved = (index_dir / meta["generation"] / WORD_FLAGS_FILE).read_bytes()
    _rewrite(index_dir, WORD_FLAGS_FILE, b"")  # a 0-byte file, its hash recorded
    with pytest.raises(IndexStale, match="côtés des mots"):
        load_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc)
    meta = _rewrite(index_dir, WORD_FLAGS_FILE, saved)
    del meta["files"][WORD_HUBNESS_FILE]  # one of the two recorded
    (index_dir / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(IndexStale, match="un fichier manque"):
        load_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc)
    path = index_dir / meta["generation"] / WORD_HUBNESS_FILE
    meta["files"][WORD_HUBNESS_FILE] = {"sha256": sha256_file(path), "size": path.stat().st_size}
    meta["word_sides_version"] = -1  # sides of other rules: not read
    (index_dir / "meta.json").write_text(json.dumps(meta))
    loaded = load_index(corpus=corpus_dir, index_dir=index_dir, encoder=enc)
    assert loaded.words is not None and loaded.words.sides is None
