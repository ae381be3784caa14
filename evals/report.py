"""Render an evaluation report: aligned text table, Markdown, JSON and PNG plots.

``write_report(report, folder)`` writes ``latest.md``, ``latest.json``,
``hits.png`` (hit@k per configuration and split), ``kinds.png`` (hit@5 per
question kind) and ``latency.png`` (p50 / p95 per stage) into ``folder``, each
atomically (a temporary file of its own, then rename, so that runs at the same moment do
not collide). ``lang="fr"`` writes the same report in French (the app's *Évaluation* tab);
the default, English, is the file ``python -m evals`` writes for evaluators.

Non-goals: HTML; the app shows the Markdown and the PNGs.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["text_table", "markdown", "write_report", "REPORTS"]

REPORTS = Path(__file__).resolve().parent / "reports"
RETRIEVAL_COLS = ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "ndcg@10", "evidence@5")
ANSWER_COLS = (
    "evidence_in_answer",
    "gold_cited",
    "citation_precision",
    "abstention_precision",
    "abstention_recall",
    "abstention_f1",
    "wrong_refusal_rate",
)


# the words of the report in each language (metric names such as hit@5 stay as they are)
WORDS = {
    "en": {
        "title": "Evaluation report",
        "colon": ":",
        "model": "model",
        "questions": "questions",
        "command": "command",
        "intro": "Retrieval metrics are by gold section on the answerable questions; `answer` is "
        "the whole answering pipeline (hybrid search, sentence selection, abstention).",
        "retrieval": "Retrieval",
        "answers": "Answers",
        "latency": "Latency of the answering pipeline (ms):",
        "kinds": "hit@5 by question kind (all splits)",
        "failures": "Failures",
        "config": "config",
        "split": "split",
        "stage": "stage",
        "missed": "Hybrid search without a gold section in the top 5",
        "wrong": "Answers that missed ({n}: refused although answerable, answered although "
        "unanswerable, or evidence not quoted):",
        "cols": ("id", "kind", "question", "gold", "first", "answer given", "cited", "refused"),
        "yes": "oui",
        "no": "non",
        "plot_hits": "hit@k — {split}",
        "plot_kinds": "hit@5 by question kind",
        "plot_latency": "answer latency per stage (ms)",
    },
    "fr": {
        "title": "Rapport d’évaluation",
        "colon": " :",
        "model": "modèle",
        "questions": "questions",
        "command": "commande",
        "intro": "Les mesures de recherche comptent la section de référence parmi les passages "
        "trouvés, sur les questions qui ont une réponse ; `answer` est toute la chaîne de "
        "réponse (recherche hybride, choix des phrases, abstention). hit@k : part des "
        "questions dont la section de référence est dans les k premiers passages ; mrr@10 et "
        "ndcg@10 : le rang de cette section ; evidence@5 : la preuve dans les 5 premiers.",
        "retrieval": "Recherche",
        "answers": "Réponses",
        "latency": "Latence de la chaîne de réponse (ms) :",
        "kinds": "hit@5 par type de question (toutes parties)",
        "failures": "Échecs",
        "config": "configuration",
        "split": "partie",
        "stage": "étape",
        "missed": "Recherche hybride sans section de référence dans les 5 premiers",
        "wrong": "Réponses manquées ({n} : refus alors qu’une réponse existe, réponse alors "
        "qu’il n’y en a pas, ou preuve non citée) :",
        "cols": (
            "id",
            "type",
            "question",
            "référence",
            "premier",
            "réponse donnée",
            "cités",
            "refus",
        ),  # fmt: skip
        "yes": "oui",
        "no": "non",
        "plot_hits": "hit@k — {split}",
        "plot_kinds": "hit@5 par type de question",
        "plot_latency": "latence de la réponse par étape (ms)",
    },
}
ANSWER_COLS_FR = {
    "evidence_in_answer": "preuve dans la réponse",
    "gold_cited": "référence citée",
    "citation_precision": "précision des citations",
    "abstention_precision": "précision de l’abstention",
    "abstention_recall": "rappel de l’abstention",
    "abstention_f1": "F1 de l’abstention",
    "wrong_refusal_rate": "refus à tort",
}
SPLITS_FR = {"dev": "développement", "heldout": "réservée", "all": "toutes"}
KINDS_FR = {
    "citizen": "citoyen",
    "cross-section": "plusieurs sections",
    "other language": "autre langue",
}
STAGES_FR = {"encode": "encodage", "search": "recherche", "answer": "réponse", "total": "total"}


def _split_name(split: str, lang: str) -> str:
    return SPLITS_FR.get(split, split) if lang == "fr" else split


def _rows(report: dict, split: str):
    for config, per_split in report["summary"].items():
        if split in per_split:
            yield config, per_split[split]


ANSWERS = ("answer", "generated")  # configurations scored as answers


def text_table(report: dict) -> str:
    """The aligned table printed by ``python -m evals``."""
    out = []
    for split in [*report["splits"], "all"]:
        rows = [(c, s) for c, s in _rows(report, split) if c not in ANSWERS]
        if rows:
            out.append(f"\n[{split}] retrieval, {rows[0][1]['n']} answerable questions")
            out.append(
                f"{'config':<8}"
                + "".join(f"{c:>11}" for c in RETRIEVAL_COLS)
                + f"{'p50 ms':>9}{'p95 ms':>9}"
            )
            for config, s in rows:
                lat = s["latency_ms"].get("total", {"p50": 0.0, "p95": 0.0})
                out.append(
                    f"{config:<8}"
                    + "".join(f"{s[c]:>11.3f}" for c in RETRIEVAL_COLS)
                    + f"{lat['p50']:>9.1f}{lat['p95']:>9.1f}"
                )
        for config in ANSWERS:
            ans = dict(_rows(report, split)).get(config)
            if ans:
                out.append(
                    f"[{split}] {config}, {ans['n']} questions ({ans['unanswerable']} unanswerable)"
                )
                out.append("  " + "  ".join(f"{c}={ans.get(c, 0.0):.3f}" for c in ANSWER_COLS))
                if config == "generated":
                    out.append(f"  generated_share={ans.get('generated_share', 0.0):.3f}")
    return "\n".join(out)


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + [
        "| " + " | ".join(r) + " |" for r in rows
    ]


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown(report: dict, *, max_failures: int = 40, lang: str = "en") -> str:
    """The report as Markdown, in English (``lang="en"``, the file) or French (``"fr"``)."""
    w = WORDS[lang]
    when = datetime.fromtimestamp(report["started"], UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"# {w['title']}",
        "",
        f"{when} · {w['model']} `{report['model']}` · {report['questions']} {w['questions']} · "
        f"{report['seconds']} s · {w['command']}{w['colon']} `python -m evals`",
        "",
        w["intro"],
    ]
    lines += _retrieval_md(report, lang)
    lines += _answers_md(report, lang)
    lines += ["", "![hit@k](hits.png)", "", "![by kind](kinds.png)", "", "![latency](latency.png)"]
    lines += ["", f"## {w['failures']}", ""]
    lines += _missed_searches_md(report, max_failures, lang)
    lines += _missed_answers_md(report, max_failures, lang)
    if report.get("multidoc"):  # python -m evals without --no-multidoc
        from .multidoc.report import markdown as multidoc_markdown

        md = report["multidoc"]
        lines += multidoc_markdown(md["summary"], records=md.get("records"))
    return "\n".join(lines) + "\n"


def _retrieval_md(report: dict, lang: str = "en") -> list[str]:
    w = WORDS[lang]
    lines: list[str] = []
    for split in [*report["splits"], "all"]:
        rows = [(c, s) for c, s in _rows(report, split) if c not in ANSWERS]
        if rows:
            n = rows[0][1]["n"]
            lines += ["", f"## {w['retrieval']} — {_split_name(split, lang)} ({n} questions)", ""]
            lines += _md_table(
                [w["config"], *RETRIEVAL_COLS, "p50 ms", "p95 ms"],
                [
                    [
                        c,
                        *(f"{s[k]:.3f}" for k in RETRIEVAL_COLS),
                        f"{s['latency_ms'].get('total', {}).get('p50', 0):.1f}",
                        f"{s['latency_ms'].get('total', {}).get('p95', 0):.1f}",
                    ]
                    for c, s in rows
                ],
            )
    return lines


def _answers_md(report: dict, lang: str = "en") -> list[str]:
    """The answer metrics, the answer latency and hit@5 by question kind."""
    w = WORDS[lang]
    cols = [ANSWER_COLS_FR[c] for c in ANSWER_COLS] if lang == "fr" else list(ANSWER_COLS)
    lines = ["", f"## {w['answers']}", ""]
    lines += _md_table(
        [w["split"], w["config"], "n", *cols],
        [
            [
                _split_name(split, lang),
                c,
                str(s["n"]),
                *(f"{s.get(k, 0.0):.3f}" for k in ANSWER_COLS),
            ]
            for split in [*report["splits"], "all"]
            for c, s in _rows(report, split)
            if c in ANSWERS
        ],
    )
    ans = report["summary"].get("answer", {}).get("all")
    if ans:
        stages = STAGES_FR if lang == "fr" else {}
        lines += ["", w["latency"], ""]
        lines += _md_table(
            [w["stage"], "p50", "p95"],
            [
                [stages.get(st, st), f"{v['p50']:.1f}", f"{v['p95']:.1f}"]
                for st, v in ans["latency_ms"].items()
            ],
        )
    kinds = report["by_kind_hit@5"]
    if kinds:
        all_kinds = sorted({k for v in kinds.values() for k in v})
        lines += ["", f"## {w['kinds']}", ""]
        kind_names = [KINDS_FR.get(k, k) if lang == "fr" else k for k in all_kinds]
        lines += _md_table(
            [w["config"], *kind_names],
            [[c, *(f"{v.get(k, 0):.3f}" for k in all_kinds)] for c, v in kinds.items()],
        )
    return lines


def _missed_searches_md(report: dict, max_failures: int, lang: str = "en") -> list[str]:
    w = WORDS[lang]
    lines: list[str] = []
    retrieval = report["records"].get("hybrid", [])
    missed = [r for r in retrieval if not r["hit@5"]]
    if missed:
        lines += [f"{w['missed']} ({len(missed)}){w['colon']}", ""]
        answers = {r["id"]: r for r in report["records"].get("answer", [])}
        lines += _md_table(
            list(w["cols"][:6]),
            [
                [
                    r["id"],
                    r["kind"],
                    _cell(r["question"]),
                    _cell(", ".join(r["gold"])),
                    _cell(r["ranked"][0] if r["ranked"] else "—"),
                    _cell(answers.get(r["id"], {}).get("answer", "")[:160]),
                ]
                for r in missed[:max_failures]
            ],
        )
    return lines


def _missed_answers_md(report: dict, max_failures: int, lang: str = "en") -> list[str]:
    w = WORDS[lang]
    lines: list[str] = []
    answer_rows = report["records"].get("answer", [])
    wrong = [
        r
        for r in answer_rows
        if (r["answerable"] and (r["abstained"] or not r["evidence_in_answer"]))
        or (not r["answerable"] and not r["abstained"])
    ]
    if wrong:
        cols = w["cols"]
        lines += ["", w["wrong"].format(n=len(wrong)), ""]
        lines += _md_table(
            [*cols[:4], cols[6], cols[7], cols[5]],
            [
                [
                    r["id"],
                    r["kind"],
                    _cell(r["question"]),
                    _cell(", ".join(r["gold"]) or "—"),
                    _cell(", ".join(r["cited"]) or "—"),
                    w["yes"] if r["abstained"] else w["no"],
                    _cell(r["answer"][:160]),
                ]
                for r in wrong[:max_failures]
            ],
        )
    return lines


def _save(fig, folder: Path, name: str) -> None:
    """``fig`` as ``folder/name``.png through a temporary file of its own, then renamed."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".png")
    try:
        with os.fdopen(fd, "wb") as f:
            fig.savefig(f, dpi=110, format="png")
        os.replace(tmp, folder / f"{name}.png")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _plots(report: dict, folder: Path, lang: str = "en") -> None:
    w = WORDS[lang]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ks = [1, 3, 5, 10]
    splits = [s for s in [*report["splits"], "all"] if s != "all" or len(report["splits"]) == 1]
    fig, axes = plt.subplots(1, len(splits), figsize=(5 * len(splits), 3.6), squeeze=False)
    for ax, split in zip(axes[0], splits, strict=True):
        for config, curves in report["hit_curve"].items():
            if split in curves:
                ax.plot(ks, curves[split], marker="o", label=config)
        title = w["plot_hits"].format(split=_split_name(split, lang))
        ax.set(title=title, xlabel="k", ylabel="hit@k", xticks=ks, ylim=(0.5, 1.01))
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right")
    fig.tight_layout()
    _save(fig, folder, "hits")
    plt.close(fig)

    kinds = report["by_kind_hit@5"]
    names = sorted({k for v in kinds.values() for k in v})
    fig, ax = plt.subplots(figsize=(8, 3.6))
    width = 0.8 / max(len(kinds), 1)
    for i, (config, values) in enumerate(kinds.items()):
        ax.bar(
            [j + i * width for j in range(len(names))],
            [values.get(n, 0) for n in names],
            width,
            label=config,
        )
    labels = [KINDS_FR.get(n, n) if lang == "fr" else n for n in names]
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(names))], labels, fontsize=8)
    ax.set(title=w["plot_kinds"], ylim=(0, 1.05))
    ax.legend(fontsize=8)
    fig.tight_layout()
    _save(fig, folder, "kinds")
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 3.4))
    lat = report["summary"].get("answer", {}).get("all", {}).get("latency_ms", {})
    stages = [s for s in ("encode", "search", "answer", "total") if s in lat]
    ax.bar([i - 0.2 for i in range(len(stages))], [lat[s]["p50"] for s in stages], 0.4, label="p50")
    ax.bar([i + 0.2 for i in range(len(stages))], [lat[s]["p95"] for s in stages], 0.4, label="p95")
    ax.set_xticks(range(len(stages)), [STAGES_FR.get(s, s) if lang == "fr" else s for s in stages])
    ax.set(title=w["plot_latency"], ylabel="ms")
    ax.legend()
    fig.tight_layout()
    _save(fig, folder, "latency")
    plt.close(fig)


def write_report(report: dict, folder: Path = REPORTS, *, lang: str = "en") -> Path:
    """Write latest.md, latest.json and the plots into ``folder``; returns latest.md.

    Every file goes through a temporary file of its own, so two runs at the same moment
    never collide (the last one wins, whole)."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    _plots(report, folder, lang)
    _atomic(folder / "latest.json", json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    md = folder / "latest.md"
    _atomic(md, markdown(report, lang=lang))
    return md


def _atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
