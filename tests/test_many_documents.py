"""Retrieval across documents with the real model: a question about one document cites it only.

The corpus is the five fixtures (numbered answer, HTML, Dutch, PDF written here, Markdown);
``python benchmarks/cross_documents.py`` runs the same questions with the bundled document
added (slower: it embeds the whole bundled answer) and prints the figures.
"""

from __future__ import annotations

import pytest

from devtools.many_documents import QUESTIONS, build, run

FIXTURE_QUESTIONS = [q for q in QUESTIONS if q[1] != "qe-517"]


@pytest.fixture(scope="module")
def rows(tmp_path_factory, real_encoder):
    a = build(tmp_path_factory.mktemp("many"), real_encoder, bundled=False)
    assert len({c.doc_id for c in a.chunks}) == 5
    return run(a, FIXTURE_QUESTIONS)


@pytest.mark.slow
@pytest.mark.parametrize("i", range(len(FIXTURE_QUESTIONS)), ids=lambda i: FIXTURE_QUESTIONS[i][1])
def test_a_question_about_one_document_cites_only_that_document(rows, i):
    r = rows[i]
    assert not r["abstained"], r
    assert r["top_doc"] == r["doc"], r
    assert r["cited"] == [r["doc"]], r
    assert r["section"] in r["cited_sections"], r
