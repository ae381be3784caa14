"""The multi-document figures as a text table (terminal) and Markdown (the report).

Non-goals: computing them (:mod:`evals.multidoc.runner`).
"""

from __future__ import annotations

__all__ = ["COLUMNS", "markdown", "text_table"]

COLUMNS = (  # (key in the summary, heading)
    ("n", "questions"),
    ("doc_first", "right doc first"),
    ("evidence@5", "evidence-hit@5"),
    ("evidence_in_answer", "evidence in answer"),
    ("abstention_precision", "abstention precision"),
    ("abstention_recall", "abstention recall"),
    ("wrong_refusals", "wrong refusals"),
)


def _value(v) -> str:
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def text_table(summary: dict[str, dict]) -> str:
    """One line per split, aligned."""
    head = ["split", *(h for _, h in COLUMNS)]
    rows = [[split, *(_value(s[k]) for k, _ in COLUMNS)] for split, s in summary.items()]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    return "\n".join(
        "  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in [head, *rows]
    )


def markdown(summary: dict[str, dict], *, records: list[dict] | None = None) -> list[str]:
    """The Markdown section: the table by split, right document first by kind, the misses."""
    lines = ["", "## Multi-document set (`python -m evals.multidoc`)", ""]
    lines.append("| split | " + " | ".join(h for _, h in COLUMNS) + " |")
    lines.append("|" + "---|" * (len(COLUMNS) + 1))
    for split, s in summary.items():
        lines.append(f"| {split} | " + " | ".join(_value(s[k]) for k, _ in COLUMNS) + " |")
    kinds = sorted({k for s in summary.values() for k in s["doc_first_by_kind"]})
    lines += ["", "Right document first, by question kind:", ""]
    lines.append("| split | " + " | ".join(kinds) + " |")
    lines.append("|" + "---|" * (len(kinds) + 1))
    for split, s in summary.items():
        by_kind = s["doc_first_by_kind"]
        lines.append(
            f"| {split} | "
            + " | ".join(_value(by_kind[k]) if k in by_kind else "—" for k in kinds)
            + " |"
        )
    missed = [r for r in records or [] if r["answerable"] and not r["doc_first"]]
    if missed:
        lines += ["", f"Right document not first ({len(missed)}):", ""]
        lines += ["| id | split | kind | question | gold | first |", "|---|---|---|---|---|---|"]
        for r in missed:
            question = r["question"].replace("|", "\\|")
            first = r["ranked_docs"][0] if r["ranked_docs"] else "—"
            lines.append(
                f"| {r['id']} | {r['split']} | {r['kind']} | {question} | {r['gold']} | {first} |"
            )
    return lines
