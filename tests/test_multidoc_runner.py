"""The multi-document runner: its corpus folder, its rows and its figures, by hand."""

from __future__ import annotations

import pytest

from evals.multidoc.dataset import MultiDocQuestion
from evals.multidoc.report import markdown, text_table
from evals.multidoc.runner import MultiDocRow, by_split, prepare_corpus, summarise


def _q(id, kind="fr-fr", gold="qe-1", split="dev"):
    answerable = kind != "absent"
    return MultiDocQuestion(
        id=id,
        question=f"question {id} ?",
        kind=kind,
        gold_doc=gold if answerable else None,
        evidence=("la preuve",) if answerable else (),
        answerable=answerable,
        split=split,
    )


def _row(q, *, first, ev5, in_answer, abstained):
    return MultiDocRow(
        q=q,
        ranked_docs=(q.gold_doc,) if first else ("qe-9",),
        doc_first=float(first),
        doc_mrr=1.0 if first else 0.0,
        evidence_at_5=float(ev5),
        evidence_in_answer=in_answer,
        abstained=abstained,
        cited_docs=(),
        answer="",
    )


def test_the_figures_of_a_split():
    rows = [
        _row(_q("a"), first=True, ev5=True, in_answer=True, abstained=False),
        _row(_q("b", "fr-nl"), first=False, ev5=True, in_answer=False, abstained=True),
        _row(_q("c", "absent"), first=False, ev5=False, in_answer=False, abstained=True),
        _row(_q("d", "absent"), first=False, ev5=False, in_answer=False, abstained=False),
    ]
    s = summarise(rows)
    assert (s["n"], s["answerable"], s["absent"]) == (4, 2, 2)
    assert s["doc_first"] == 0.5 and s["evidence@5"] == 1.0 and s["evidence_in_answer"] == 0.5
    # two refusals, one right (c); one of the two absent facts refused; b refused wrongly
    assert s["abstention_precision"] == 0.5 and s["abstention_recall"] == 0.5
    assert s["wrong_refusals"] == 1
    assert s["doc_first_by_kind"] == {"fr-fr": 1.0, "fr-nl": 0.0}


def test_by_split_then_all():
    rows = [
        _row(_q("a"), first=True, ev5=True, in_answer=True, abstained=False),
        _row(_q("b", split="heldout"), first=False, ev5=False, in_answer=False, abstained=False),
    ]
    out = by_split(rows)
    assert list(out) == ["dev", "heldout", "all"]
    assert [out[s]["doc_first"] for s in out] == [1.0, 0.0, 0.5]
    assert "heldout" in text_table(out)
    md = "\n".join(markdown(out, records=[r.to_json() for r in rows]))
    assert "| heldout | 1 | 0.000 |" in md and "Right document not first (1)" in md


def test_the_corpus_folder_holds_exactly_the_sources(tmp_path):
    a, b, dest = tmp_path / "a", tmp_path / "b", tmp_path / "dest"
    a.mkdir(), b.mkdir()
    (a / "one.txt").write_text("1"), (b / "two.txt").write_text("2")
    prepare_corpus(dest, sources=(a, b))
    assert sorted(f.name for f in dest.iterdir()) == ["one.txt", "two.txt"]
    (b / "two.txt").write_text("2 bis")
    (a / "one.txt").unlink()
    prepare_corpus(dest, sources=(a, b))
    assert [f.name for f in dest.iterdir()] == ["two.txt"]
    assert (dest / "two.txt").read_text() == "2 bis"
    (a / "two.txt").write_text("same name")
    with pytest.raises(ValueError, match="deux fichiers two.txt"):
        prepare_corpus(dest, sources=(a, b))


@pytest.mark.parametrize(
    "name",
    [
        "fit_metadata_weight",
        "fit_document_share",
        "fit_language_offset",
        "fit_translation_weight",
        "fit_ranking",
    ],
)
def test_every_fit_refuses_held_out_questions(name):
    from evals.multidoc import fit

    with pytest.raises(ValueError, match="dev seulement"):
        getattr(fit, name)(None, [_q("a", split="heldout")])
