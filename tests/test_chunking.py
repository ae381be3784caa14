"""Cutting the parsed document into citable chunks."""

from __future__ import annotations

from collections import defaultdict

import pytest

from assistant.documents.parsing import parse_document
from assistant.documents.textrepair import Mapped, repair
from assistant.indexing.chunking import (
    Chunk,
    body_start,
    chunk_document,
    ends_cut_page,
    split_text,
)

DOC_ID = "qe-517"
TARGET, LIMIT = 1500, 2000


@pytest.fixture(scope="module")
def chunks(doc):
    return chunk_document(doc)


def _by_section(chunks):
    out = defaultdict(list)
    for c in chunks:
        out[c.section_id].append(c)
    return out


def _identity(text: str) -> Mapped:
    return Mapped(text, tuple(range(len(text))))


def _sentence(word: str, n: int) -> str:
    """``n`` copies of ``word`` and a full stop: ``n * (len(word) + 1)`` characters."""
    return " ".join([word] * n) + "."


# --- one chunk per section, ids ------------------------------------------------------------------


def test_one_chunk_per_section_in_document_order(doc, chunks):
    firsts = [c for c in chunks if c.part == 1]
    assert [c.section_id for c in firsts] == [s.id for s in doc.sections()]
    assert [(c.start, c.part) for c in chunks] == sorted((c.start, c.part) for c in chunks)


def test_parts_are_numbered_from_one(chunks):
    for section_id, parts in _by_section(chunks).items():
        assert [c.part for c in parts] == list(range(1, len(parts) + 1)), section_id


def test_chunk_ids(doc, chunks):
    ids = [c.id for c in chunks]
    assert len(set(ids)) == len(ids)
    for c in chunks:
        suffix = "" if c.part == 1 else f"-{c.part}"
        assert c.id == f"{DOC_ID}#{c.section_id}{suffix}"
        assert c.doc_id == DOC_ID
        assert c.kind == doc.section(c.section_id).kind
    assert f"{DOC_ID}#chantier-1.2.2" in ids
    assert f"{DOC_ID}#chantier-1.8.1" in ids
    assert f"{DOC_ID}#section-2.4-prevoir-une-approche-specifique-pour" in ids
    assert f"{DOC_ID}#closing" in ids
    # Objectif 2.1's introduction is over 3,000 characters: it has a second part.
    assert len(doc.section("objectif-2.1").text) > 2 * TARGET
    assert f"{DOC_ID}#objectif-2.1-2" in ids


def test_ids_are_stable_across_calls_and_parses(doc, chunks):
    again = chunk_document(doc)
    assert again == chunks
    reparsed = chunk_document(parse_document(doc.source, doc_id=DOC_ID))
    assert [(c.id, c.start, c.end, c.text) for c in reparsed] == [
        (c.id, c.start, c.end, c.text) for c in chunks
    ]


# --- sizes ---------------------------------------------------------------------------------------


def test_no_chunk_over_the_limit_and_none_empty(chunks):
    assert max(len(c.text) for c in chunks) <= LIMIT
    assert all(c.text.strip() == c.text and c.text for c in chunks)


def test_short_sections_are_one_chunk(doc, chunks):
    by_section = _by_section(chunks)
    for s in doc.sections():
        if len(s.text) <= TARGET:
            (only,) = by_section[s.id]
            assert only.text == s.text


def test_sections_over_the_target_are_split(doc, chunks):
    by_section = _by_section(chunks)
    unsplit = [
        (s.id, len(s.text))
        for s in doc.sections()
        if len(s.text) > TARGET and len(by_section[s.id]) < 2
    ]
    assert unsplit == []


def test_split_parts_are_balanced(chunks):
    small = [
        (c.id, len(c.text))
        for parts in _by_section(chunks).values()
        if len(parts) > 1
        for c in parts
        if len(c.text) < 0.2 * TARGET
    ]
    assert small == []


def test_smaller_target_gives_smaller_chunks(doc, chunks):
    small = chunk_document(doc, target=500, limit=800)
    assert max(len(c.text) for c in small) <= 800
    assert len(small) > len(chunks)
    assert [c.section_id for c in small if c.part == 1] == [
        c.section_id for c in chunks if c.part == 1
    ]


# --- offsets -------------------------------------------------------------------------------------


def test_every_answer_character_belongs_to_a_chunk(doc, chunks):
    src = doc.source
    covered = [False] * len(src)
    for c in chunks:
        for i in range(c.start, c.end):
            covered[i] = True
    start = src.index("\nRéponse") + 1
    missing = [i for i in range(start, len(src)) if not src[i].isspace() and not covered[i]]
    assert missing == []


def test_chunk_text_comes_from_its_span(doc, chunks):
    for c in chunks:
        s = doc.section(c.section_id)
        assert s.start <= c.start < c.end <= s.end, c.id
        assert c.text == repair(doc.source, c.start, c.end).text.strip() or c.text in s.text, c.id
        assert c.text in s.text, c.id


def test_parts_of_a_section_do_not_overlap_and_rebuild_it(doc, chunks):
    for section_id, parts in _by_section(chunks).items():
        for a, b in zip(parts, parts[1:]):
            assert a.end <= b.start, (a.id, b.id)
        s = doc.section(section_id)
        assert parts[0].start == s.start and parts[-1].end == s.end
        assert "".join("".join(c.text.split()) for c in parts) == "".join(s.text.split())


# --- labels, heading paths, embedded text --------------------------------------------------------


def test_chantier_chunk_labels(doc, chunks):
    (c,) = [c for c in chunks if c.section_id == "chantier-1.2.2"]
    assert c.section_label == (
        "Chantier 1.2.2 — Créer une politique commerciale et artisanale intégrée afin d’offrir aux…"
    )
    assert c.heading_path == "Objectif 1.2 › " + c.section_label
    assert c.heading_path.startswith("Objectif 1.2 › Chantier 1.2.2 — Créer")
    objectif_title = doc.objectif("1.2").title
    assert c.embed_text.startswith(f"Objectif 1.2 : {objectif_title} › Chantier 1.2.2 : Créer")
    assert c.embed_text.endswith("\n\n" + c.text)
    assert doc.section("chantier-1.2.2").title in c.embed_text
    assert c.ministers == doc.objectif("1.2").ministers
    assert len(c.ministers) == 2


def test_every_chunk_carries_its_heading_path_and_ministers(doc, chunks):
    for c in chunks:
        s = doc.section(c.section_id)
        assert c.ministers == s.ministers, c.id
        assert c.section_label == s.label, c.id
        assert c.text in c.embed_text, c.id
        if s.kind == "chantier":
            assert c.heading_path.startswith(f"Objectif {s.objectif} › Chantier"), c.id
            word = "Chantiers" if len(s.numbers) > 1 else "Chantier"
            assert c.section_label.startswith(f"{word} {' et '.join(s.numbers)} — "), c.id
            assert c.embed_text.startswith(
                f"Objectif {s.objectif} : {doc.objectif(s.objectif).title} › "
            ), c.id
            assert c.ministers == doc.objectif(s.objectif).ministers != (), c.id
        elif s.kind == "objectif":
            assert c.heading_path.startswith(f"Objectif {s.objectif} — "), c.id
            assert c.embed_text.startswith(f"Objectif {s.objectif} — {s.title}\n\n"), c.id


def test_other_heading_paths(chunks):
    first = {c.section_id: c for c in chunks if c.part == 1}
    assert first["objectif-1.7"].heading_path == "Objectif 1.7 — Approfondir la réforme fiscale"
    assert (
        first["section-2.4-soutenir-la-transition-numerique-des"].heading_path
        == "Objectif 2.4 › Soutenir la transition numérique des écoles bruxelloises"
    )
    assert first["chantier-1.8.1"].section_label.startswith("Chantiers 1.8.1 et 1.8.2 — Accélérer")
    assert first["chantier-1.8.1"].embed_text.startswith(
        "Objectif 1.8 : Assurer la transition numérique"
    )
    assert "Chantier 1.8.1 et 1.8.2 : Accélérer" in first["chantier-1.8.1"].embed_text
    assert first["answer-intro"].heading_path == "Réponse — introduction"
    assert first["closing"].heading_path == "Réponse — conclusion"
    assert first["metadata"].ministers == ()


# --- a sentence's body, a cut page's last chunk, on hand-built chunks ----------------------------


def _hand_chunk(doc_id: str, text: str = "", *, body_offset: int = 0, incomplete: bool = False):
    return Chunk(
        id=f"{doc_id}#s", doc_id=doc_id, section_id="s", part=1, kind="answer-intro",
        section_label="Réponse", heading_path="Réponse", ministers=(), start=0, end=len(text),
        text=text, embed_text=text, body_offset=body_offset, doc_incomplete=incomplete,
    )  # fmt: skip


def test_a_sentence_s_body_starts_past_the_label_it_shares_a_line_with():
    text = "Réponse : Depuis 2021, Vivaqua a remplacé les collecteurs. Le bassin est prévu."
    chunk = _hand_chunk("d", text, body_offset=len("Réponse"))
    first, second = text.index("Depuis"), text.index("Le bassin")
    assert body_start(chunk, 0, second - 1) == first  # the label, its « : » and spaces left out
    assert body_start(chunk, second, len(text)) == second  # a sentence of the body: as it is
    heading = _hand_chunk("d", "Chantier 1.2.2 :", body_offset=len("Chantier 1.2.2"))
    assert body_start(heading, 0, len(heading.text)) == len(heading.text)  # all heading


def test_only_the_last_chunk_of_a_page_saved_cut_ends_a_cut_page():
    chunks = [
        _hand_chunk("a", incomplete=True),
        _hand_chunk("a", incomplete=True),  # the cut page's last chunk
        _hand_chunk("b"),  # a page saved whole
        _hand_chunk("c", incomplete=True),  # the last chunk of all
    ]
    assert [ends_cut_page(chunks, row) for row in range(len(chunks))] == [False, True, False, True]


# --- split_text on hand-built text ---------------------------------------------------------------


def test_split_text_keeps_a_short_text_whole():
    text = _identity("Un texte court.\n\nDeux paragraphes.")
    assert split_text(text, target=100, limit=150) == [text]


def test_split_text_keeps_paragraphs_whole():
    p1, p2, p3 = _sentence("aaa", 10), _sentence("bbb", 10), _sentence("ccc", 22)
    assert (len(p1), len(p2), len(p3)) == (40, 40, 88)
    src = f"{p1}\n\n{p2}\n\n{p3}"  # 172 characters: two parts of at most ~99
    parts = split_text(_identity(src), target=100, limit=150)
    assert [p.text for p in parts] == [f"{p1}\n\n{p2}", p3]
    assert [(p.start, p.end) for p in parts] == [(0, 82), (84, 172)]


def test_split_text_cuts_a_long_paragraph_on_sentences():
    sentences = [_sentence(w, 12) for w in ("aaa", "bbb", "ccc", "ddd")]  # 48 characters each
    src = " ".join(sentences)  # one paragraph of 195 characters, over the limit
    parts = split_text(_identity(src), target=120, limit=150)
    assert [p.text for p in parts] == [
        f"{sentences[0]} {sentences[1]}",
        f"{sentences[2]} {sentences[3]}",
    ]


def test_split_text_cuts_a_long_paragraph_on_lines():
    lines = [
        " ".join([w] * 12) for w in ("aaa", "bbb", "ccc", "ddd")
    ]  # 47 characters, no full stop
    src = "\n".join(lines)
    parts = split_text(_identity(src), target=120, limit=150)
    assert [p.text for p in parts] == [f"{lines[0]}\n{lines[1]}", f"{lines[2]}\n{lines[3]}"]


def test_split_text_cuts_a_run_without_punctuation_on_words():
    src = " ".join(["mot"] * 100)  # 399 characters, no sentence end
    parts = split_text(_identity(src), target=100, limit=150)
    assert all(len(p) <= 150 for p in parts)
    assert all(set(p.text.split()) == {"mot"} for p in parts)
    assert " ".join(p.text for p in parts) == src


def test_split_text_parts_are_exact_slices():
    src = "\n\n".join(
        _sentence(w, n) for w, n in [("aaa", 30), ("bbb", 5), ("ccc", 40), ("ddd", 12)]
    )
    parts = split_text(_identity(src), target=100, limit=200)
    assert len(parts) > 1
    for p in parts:
        assert p.text == src[p.start : p.end]
        assert p.offsets == tuple(range(p.start, p.end))
        assert len(p) <= 200
    assert "".join(src[p.start : p.end] for p in parts).replace("\n", "") == src.replace("\n", "")


def test_split_text_splits_a_text_over_the_target_even_within_the_limit():
    paragraphs = [_sentence(w, 10) for w in ("aaa", "bbb", "ccc")]  # 40 characters each
    src = "\n\n".join(paragraphs)  # 124 characters: over the target, under the limit
    parts = split_text(_identity(src), target=100, limit=150)
    assert len(parts) >= 2
    for p in parts:
        assert set(p.text.split("\n\n")) <= set(paragraphs)


def test_split_text_leaves_no_tiny_last_part():
    p1, p2, p3 = _sentence("aaa", 25), _sentence("bbb", 25), _sentence("ccc", 2)
    src = f"{p1}\n\n{p2}\n\n{p3}"  # 100 + 100 + 8: "p2 + p3" (110) fits the limit of 150
    parts = split_text(_identity(src), target=100, limit=150)
    assert min(len(p) for p in parts) >= 0.2 * 100


# The index is rebuilt when CHUNKER_VERSION changes, not when the code does: any change to
# the chunks or sentences of the bundled document must bump the version and add its hash.
# v5 only added the doc_* fields (which document a chunk comes from): without them, the
# payload still hashes to v4's value (test_v5_changed_nothing_but_the_document_fields).
# v6 only renamed doc_minister to doc_addressee (test_v6_only_renamed_the_addressee).
# v7 only renamed the document (qe-517) and added doc_language, doc_series, doc_function
# (test_v7_only_renamed_the_document_and_added_its_language_series_and_function).
# v8 only added doc_incomplete (test_v8_only_added_whether_the_page_was_cut).
# v9 changed nothing in n°517: an answer label alone on its line, or with nothing after it
# (tests/test_parsing.py, test_an_answer_label_alone_…, test_an_answer_cut_after_its_label…).
CHUNK_HASHES = {
    4: "a02dc69425f9e938505f9d6ed6d8d375739b37e56d4abd603a8fe86ea9de8e25",
    5: "1c06a42550ec836cbea03364f99eb3fb1193c714503142f440aac317e38c4ec5",
    6: "9e74d133becb6e43a496afc99d752fad6ad5abac8710e0cc0875989aee2c66d2",
    7: "2e9f1377c17a948695c5d483325d52a6f5ef8d17f7bca4127067e31785a7fbee",
    8: "ba862a329362bba626b1682a3ae5581982f4bd6c8e2757b689dffd862a256daa",
    9: "ba862a329362bba626b1682a3ae5581982f4bd6c8e2757b689dffd862a256daa",
}


def _chunk_payload(doc, rename=None):
    import dataclasses

    from assistant.text.sentences import split_sentences

    out = []
    for c in chunk_document(doc):
        fields = dataclasses.asdict(c)
        for new, old in (rename or {}).items():
            fields[old] = fields.pop(new)
        out.append({**fields, "sentences": [(s.start, s.end) for s in split_sentences(c.text)]})
    return out


def _digest(payload) -> str:
    import hashlib
    import json

    return hashlib.sha256(
        json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()


_V7_FIELDS = ("doc_language", "doc_series", "doc_function")
_V6_ID = "qe-517-sommet-social-2021"  # the file's stem, before stable ids


def _as_v7(payload):
    """What chunker 7 wrote: no doc_incomplete."""
    return [{k: v for k, v in row.items() if k != "doc_incomplete"} for row in payload]


def test_v8_only_added_whether_the_page_was_cut(doc):
    payload = _chunk_payload(doc)
    assert {row["doc_incomplete"] for row in payload} == {False}  # n°517 was saved whole
    assert _digest(_as_v7(payload)) == CHUNK_HASHES[7]


def _as_v6(payload):
    """What chunker 6 wrote: the document id was the file stem, no language/series/function."""
    out = []
    for row in _as_v7(payload):
        row = {k: v for k, v in row.items() if k not in _V7_FIELDS}
        row["doc_id"] = _V6_ID
        row["id"] = row["id"].replace(f"{DOC_ID}#", f"{_V6_ID}#", 1)
        out.append(row)
    return out


def test_v7_only_renamed_the_document_and_added_its_language_series_and_function(doc):
    assert doc.doc_id == DOC_ID == "qe-517"
    assert _digest(_as_v6(_chunk_payload(doc))) == CHUNK_HASHES[6]


def test_v6_only_renamed_the_addressee(doc):
    payload = _as_v6(_chunk_payload(doc, {"doc_addressee": "doc_minister"}))
    assert _digest(payload) == CHUNK_HASHES[5]


def _as_v6_chunks(chunks):
    import dataclasses

    return [
        dataclasses.replace(c, doc_id=_V6_ID, id=c.id.replace(f"{DOC_ID}#", f"{_V6_ID}#", 1))
        for c in chunks
    ]


def test_v5_changed_nothing_but_the_document_fields(doc):
    import dataclasses
    import hashlib
    import json

    from assistant.text.sentences import split_sentences

    payload = [
        {
            **{
                k: v
                for k, v in dataclasses.asdict(c).items()
                if not k.startswith("doc_") or k == "doc_id"
            },
            "sentences": [(s.start, s.end) for s in split_sentences(c.text)],
        }
        for c in _as_v6_chunks(chunk_document(doc))
    ]
    digest = hashlib.sha256(
        json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()
    assert digest == CHUNK_HASHES[4]


def test_chunker_version_pins_the_output(doc):

    from assistant.indexing.chunking import CHUNKER_VERSION

    digest = _digest(_chunk_payload(doc))
    assert CHUNK_HASHES.get(CHUNKER_VERSION) == digest, (
        f"chunks changed: bump CHUNKER_VERSION and record {digest} for it"
    )
