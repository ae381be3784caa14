"""Render an evaluation report: aligned text table, Markdown, JSON and PNG plots.

``write_report(report, folder)`` writes ``latest.md``, ``latest.json``,
``hits.png`` (hit@k per configuration and split), ``kinds.png`` (hit@5 per
question kind) and ``latency.png`` (p50 / p95 per stage) into ``folder``, each
atomically (temp file, then rename).

Non-goals: HTML; the app shows the Markdown and the PNGs.
"""

from __future__ import annotations

import os
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


def markdown(report: dict, *, max_failures: int = 40) -> str:
    when = datetime.fromtimestamp(report["started"], UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Evaluation report",
        "",
        f"{when} · model `{report['model']}` · {report['questions']} questions · "
        f"{report['seconds']} s · command: `python -m evals`",
        "",
        "Retrieval metrics are by gold section on the answerable questions; `answer` is the "
        "whole answering pipeline (hybrid search, sentence selection, abstention).",
    ]
    lines += _retrieval_md(report)
    lines += _answers_md(report)
    lines += ["", "![hit@k](hits.png)", "", "![by kind](kinds.png)", "", "![latency](latency.png)"]
    lines += ["", "## Failures", ""]
    lines += _missed_searches_md(report, max_failures)
    lines += _missed_answers_md(report, max_failures)
    if report.get("multidoc"):  # python -m evals without --no-multidoc
        from .multidoc.report import markdown as multidoc_markdown

        md = report["multidoc"]
        lines += multidoc_markdown(md["summary"], records=md.get("records"))
    return "\n".join(lines) + "\n"


def _retrieval_md(report: dict) -> list[str]:
    lines: list[str] = []
    for split in [*report["splits"], "all"]:
        rows = [(c, s) for c, s in _rows(report, split) if c not in ANSWERS]
        if rows:
            lines += ["", f"## Retrieval — {split} ({rows[0][1]['n']} questions)", ""]
            lines += _md_table(
                ["config", *RETRIEVAL_COLS, "p50 ms", "p95 ms"],
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


def _answers_md(report: dict) -> list[str]:
    """The answer metrics, the answer latency and hit@5 by question kind."""
    lines = ["", "## Answers", ""]
    lines += _md_table(
        ["split", "config", "n", *ANSWER_COLS],
        [
            [split, c, str(s["n"]), *(f"{s.get(k, 0.0):.3f}" for k in ANSWER_COLS)]
            for split in [*report["splits"], "all"]
            for c, s in _rows(report, split)
            if c in ANSWERS
        ],
    )
    ans = report["summary"].get("answer", {}).get("all")
    if ans:
        lines += ["", "Latency of the answering pipeline (ms):", ""]
        lines += _md_table(
            ["stage", "p50", "p95"],
            [[st, f"{v['p50']:.1f}", f"{v['p95']:.1f}"] for st, v in ans["latency_ms"].items()],
        )
    kinds = report["by_kind_hit@5"]
    if kinds:
        all_kinds = sorted({k for v in kinds.values() for k in v})
        lines += ["", "## hit@5 by question kind (all splits)", ""]
        lines += _md_table(
            ["config", *all_kinds],
            [[c, *(f"{v.get(k, 0):.3f}" for k in all_kinds)] for c, v in kinds.items()],
        )
    return lines


def _missed_searches_md(report: dict, max_failures: int) -> list[str]:
    lines: list[str] = []
    retrieval = report["records"].get("hybrid", [])
    missed = [r for r in retrieval if not r["hit@5"]]
    if missed:
        lines += [f"Hybrid search without a gold section in the top 5 ({len(missed)}):", ""]
        answers = {r["id"]: r for r in report["records"].get("answer", [])}
        lines += _md_table(
            ["id", "kind", "question", "gold", "first", "answer given"],
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


def _missed_answers_md(report: dict, max_failures: int) -> list[str]:
    lines: list[str] = []
    answer_rows = report["records"].get("answer", [])
    wrong = [
        r
        for r in answer_rows
        if (r["answerable"] and (r["abstained"] or not r["evidence_in_answer"]))
        or (not r["answerable"] and not r["abstained"])
    ]
    if wrong:
        lines += [
            "",
            f"Answers that missed ({len(wrong)}: refused although answerable, "
            "answered although unanswerable, or evidence not quoted):",
            "",
        ]
        lines += _md_table(
            ["id", "kind", "question", "gold", "cited", "refused", "answer given"],
            [
                [
                    r["id"],
                    r["kind"],
                    _cell(r["question"]),
                    _cell(", ".join(r["gold"]) or "—"),
                    _cell(", ".join(r["cited"]) or "—"),
                    "oui" if r["abstained"] else "non",
                    _cell(r["answer"][:160]),
                ]
                for r in wrong[:max_failures]
            ],
        )
    return lines


def _plots(report: dict, folder: Path) -> None:
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
        ax.set(title=f"hit@k — {split}", xlabel="k", ylabel="hit@k", xticks=ks, ylim=(0.5, 1.01))
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(folder / ".hits.png", dpi=110)
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
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(names))], names, fontsize=8)
    ax.set(title="hit@5 by question kind", ylim=(0, 1.05))
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(folder / ".kinds.png", dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 3.4))
    lat = report["summary"].get("answer", {}).get("all", {}).get("latency_ms", {})
    stages = [s for s in ("encode", "search", "answer", "total") if s in lat]
    ax.bar([i - 0.2 for i in range(len(stages))], [lat[s]["p50"] for s in stages], 0.4, label="p50")
    ax.bar([i + 0.2 for i in range(len(stages))], [lat[s]["p95"] for s in stages], 0.4, label="p95")
    ax.set_xticks(range(len(stages)), stages)
    ax.set(title="answer latency per stage (ms)", ylabel="ms")
    ax.legend()
    fig.tight_layout()
    fig.savefig(folder / ".latency.png", dpi=110)
    plt.close(fig)
    for name in ("hits", "kinds", "latency"):
        os.replace(folder / f".{name}.png", folder / f"{name}.png")


def write_report(report: dict, folder: Path = REPORTS) -> Path:
    """Write latest.md, latest.json and the plots into ``folder``; returns latest.md."""
    folder.mkdir(parents=True, exist_ok=True)
    _plots(report, folder)
    from assistant.files import write_json_atomic, write_text_atomic

    write_json_atomic(folder / "latest.json", report, indent=1)
    md = folder / "latest.md"
    write_text_atomic(md, markdown(report))
    return md
