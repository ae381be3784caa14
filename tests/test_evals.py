"""Evaluation: metrics by hand and against ranx, the dataset validator, the runner end to end."""

from __future__ import annotations

import json

import pytest

from assistant import Assistant
from evals.__main__ import main as evals_main
from evals.dataset import load_questions
from evals.metrics import distinct, hit_at, mrr_at, ndcg_at
from evals.report import markdown, text_table, write_report
from evals.runner import run_all

# Three questions, rankings of distinct section ids, gold sets: computed by hand below.
RANKED = {
    "a": ["x", "s1", "y"],  # gold s1 at rank 2
    "b": ["s3", "z", "s2"],  # gold s2, s3 at ranks 3 and 1
    "c": ["u", "v", "w"],  # gold t: absent
}
GOLD = {"a": {"s1"}, "b": {"s2", "s3"}, "c": {"t"}}


def test_metrics_by_hand():
    assert [hit_at(RANKED[q], GOLD[q], 1) for q in "abc"] == [0, 1, 0]
    assert [hit_at(RANKED[q], GOLD[q], 3) for q in "abc"] == [1, 1, 0]
    assert [mrr_at(RANKED[q], GOLD[q]) for q in "abc"] == [0.5, 1.0, 0.0]
    # a: 1/log2(3) / 1 ; b: (1 + 1/log2(4)) / (1 + 1/log2(3)) ; c: 0
    assert ndcg_at(RANKED["a"], GOLD["a"]) == pytest.approx(0.6309298)
    assert ndcg_at(RANKED["b"], GOLD["b"]) == pytest.approx(1.5 / (1 + 0.6309298))
    assert ndcg_at(RANKED["c"], GOLD["c"]) == 0.0
    assert distinct(["s1", "s1", "s2", "s1"]) == ["s1", "s2"]


@pytest.mark.filterwarnings("ignore:unsafe cast")  # inside ranx's numba code
def test_metrics_agree_with_ranx():
    import ranx  # a dev dependency (pip install -e ".[dev]")

    qrels = ranx.Qrels({q: {s: 1 for s in GOLD[q]} for q in GOLD})
    run = ranx.Run({q: {s: float(10 - i) for i, s in enumerate(RANKED[q])} for q in RANKED})
    got = ranx.evaluate(
        qrels, run, ["hit_rate@1", "hit_rate@3", "mrr@10", "ndcg@10"], return_mean=False
    )
    for i, q in enumerate("abc"):
        assert got["hit_rate@1"][i] == pytest.approx(hit_at(RANKED[q], GOLD[q], 1))
        assert got["hit_rate@3"][i] == pytest.approx(hit_at(RANKED[q], GOLD[q], 3))
        assert got["mrr@10"][i] == pytest.approx(mrr_at(RANKED[q], GOLD[q]))
        assert got["ndcg@10"][i] == pytest.approx(ndcg_at(RANKED[q], GOLD[q]))


def _line(qid, question, gold, evidence, answerable=True, kind="citizen", split="dev"):
    return json.dumps(
        {
            "id": qid,
            "question": question,
            "kind": kind,
            "gold_sections": gold,
            "evidence": evidence,
            "answerable": answerable,
            "split": split,
        },
        ensure_ascii=False,
    )


def test_validator_reports_a_wrong_evidence_span_with_its_id(tmp_path, doc):
    f = tmp_path / "q.jsonl"
    f.write_text(
        _line(
            "q1",
            "Où en est le PRAS ?",
            ["chantier-1.6.1"],
            ["Ouverture de la modification d’ici fin 2021."],
        )
        + "\n"
        + _line("q2", "Quand ?", ["chantier-1.6.1"], ["une phrase qui n'est pas dans le texte"])
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"ligne 2 \(q2\).*preuve introuvable"):
        load_questions(f, documents=[doc])
    f.write_text(_line("q1", "PRAS ?", ["chantier-9.9.9"], ["Ouverture de la modification"]))
    with pytest.raises(ValueError, match=r"\(q1\).*section 'chantier-9.9.9' inconnue"):
        load_questions(f, documents=[doc])


@pytest.fixture
def few_questions(tmp_path):
    f = tmp_path / "few.jsonl"
    f.write_text(
        "\n".join(
            [
                _line(
                    "q1",
                    "Où en est la modification du PRAS ?",
                    ["chantier-1.6.1"],
                    ["préparation de la modification du PRAS en cours"],
                ),
                _line(
                    "q2",
                    "Combien de Chromebooks ont été distribués ?",
                    ["section-2.4-soutenir-la-transition-numerique-des"],
                    ["distribuer plus de 700 Chromebooks"],
                    split="heldout",
                ),
                _line(
                    "q3",
                    "Qui a gagné la coupe du monde ?",
                    [],
                    [],
                    answerable=False,
                    kind="unanswerable",
                ),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return f


def test_runner_end_to_end(tmp_path, corpus_dir, toy_encoder, few_questions, doc):
    a = Assistant.load(
        corpus=corpus_dir, index=tmp_path / "i", encoder=toy_encoder, log=lambda m: None
    )
    calls = []
    report = run_all(
        a,
        load_questions(few_questions, documents=[doc]),
        progress=lambda done, total, config: calls.append((done, total)),
    )
    assert calls[-1] == (4 * 2 + 3, 4 * 2 + 3)  # 4 retrieval configs x 2, answers x 3
    assert set(report["summary"]) == {"bm25", "dense", "rrf", "hybrid", "answer"}
    assert report["summary"]["bm25"]["dev"]["hit@1"] == 1.0  # the PRAS passage first
    assert report["summary"]["answer"]["all"]["unanswerable"] == 1
    assert {"encode", "search", "answer", "total"} <= set(
        report["summary"]["answer"]["all"]["latency_ms"]
    )
    md_path = write_report(report, tmp_path / "reports")
    names = {p.name for p in (tmp_path / "reports").iterdir()}
    assert {"latest.md", "latest.json", "hits.png", "kinds.png", "latency.png"} <= names
    md = md_path.read_text(encoding="utf-8")
    assert "## Retrieval — dev" in md and "| hybrid |" in md and "## Failures" in md
    assert "q3" in md  # the toy assistant answers the off-topic question: listed as a miss
    assert json.loads((tmp_path / "reports" / "latest.json").read_text())["questions"] == 3
    assert "hit@5" in text_table(report) and markdown(report).startswith("# Evaluation report")


def test_python_m_evals_in_process(
    tmp_path, corpus_dir, toy_encoder, few_questions, monkeypatch, capsys
):
    import assistant.models.encoder
    import evals.report

    monkeypatch.setattr(assistant.models.encoder, "load_encoder", lambda model=None: toy_encoder)
    monkeypatch.setenv("ASSISTANT_CORPUS", str(corpus_dir))
    monkeypatch.setenv("ASSISTANT_INDEX", str(tmp_path / "i"))
    monkeypatch.setattr(evals.report, "REPORTS", tmp_path / "reports")
    monkeypatch.setattr(evals.report.write_report, "__defaults__", (tmp_path / "reports",))
    assert (
        evals_main(
            ["--questions", str(few_questions), "--split", "dev", "--config", "bm25", "--json"]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["configs"] == ["bm25"] and out["summary"]["bm25"]["dev"]["n"] == 1
    assert (tmp_path / "reports" / "latest.md").exists()


def test_evaluation_tab_shows_the_latest_report(
    tmp_path, corpus_dir, toy_encoder, few_questions, doc
):
    from assistant.web.evaluation_tab import NO_REPORT, report_view

    md, *images = report_view(tmp_path / "none")
    assert md == NO_REPORT and images == [None, None, None]
    a = Assistant.load(
        corpus=corpus_dir, index=tmp_path / "i", encoder=toy_encoder, log=lambda m: None
    )
    write_report(run_all(a, load_questions(few_questions, documents=[doc])), tmp_path / "r")
    md, *images = report_view(tmp_path / "r")
    assert md.startswith("# Rapport d’évaluation") and "![" not in md
    assert all(img is not None and img.size[0] > 300 for img in images)


def test_the_evaluation_set_covers_the_document(doc):
    """evals/README.md's promises: size, kinds, coverage of objectifs and chantiers."""
    from evals.dataset import QUESTIONS

    qs = load_questions(QUESTIONS, documents=[doc])
    kinds = [q.kind for q in qs]
    assert len(qs) >= 120
    assert kinds.count("citizen") >= 0.4 * len(qs)
    assert kinds.count("unanswerable") >= 20 and kinds.count("other language") >= 3
    assert {q.split for q in qs} == {"dev", "heldout"}
    gold = {s for q in qs for s in q.gold_sections}
    for obj in doc.objectifs:  # every objectif is the gold of some question
        assert any(s.id in gold for s in obj.sections), obj.number
    with_body = [s for s in doc.sections() if s.kind == "chantier" and s.end - s.body_start > 20]
    covered = [s for s in with_body if s.id in gold]
    assert len(covered) >= 0.8 * len(with_body), (len(covered), len(with_body))
