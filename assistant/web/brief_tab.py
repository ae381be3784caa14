"""The app's "Suivi parlementaire" tab: coverage, chantier table with filters, drafts.

The sub-questions with coloured verdicts and the sentences that support them (HTML, every
text escaped), the chantier table filtered by objectif, minister and status with CSV and
Markdown downloads of the filtered rows, the follow-up drafts each in a read-only box with
a copy button, and a Markdown download of the whole brief.

Non-goals: editing verdicts or drafts in the UI; building the brief
(:mod:`assistant.brief.build`).
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import tempfile
import weakref
from pathlib import Path

from ..brief.build import Brief, build_brief
from ..brief.coverage import SubVerdict, Verdict
from ..brief.status import Status
from ..brief.table import COLUMNS, cells, filter_rows, to_csv, to_markdown
from ..text.analyzer import fold

__all__ = ["brief_tab", "fold_verdict", "refilter_handler", "render_coverage", "table_values"]

ALL = ""
COLOURS = {  # verdict → background colour of its badge
    Verdict.ANSWERED: "#bbf7d0",  # also SubVerdict.ANSWERED, the same string
    Verdict.PARTIAL: "#fde68a",
    SubVerdict.PARTIAL: "#fde68a",
    Verdict.DEFERRED: "#bfdbfe",
    Verdict.UNANSWERED: "#fecaca",
}
CSS = """
.brief { line-height: 1.45; font-size: 0.95rem; }
.brief .sub { border: 1px solid var(--border-color-primary); border-radius: 10px;
  padding: 0.5rem 0.8rem; margin: 0 0 0.6rem; }
.brief .badge { border-radius: 6px; padding: 0 0.4em; font-weight: 700; color: #111; }
.brief .part { margin: 0.35rem 0 0.2rem 0.6rem; }
.brief .why { color: var(--body-text-color-subdued); font-size: 0.85rem; }
.brief blockquote { margin: 0.2rem 0 0.2rem 1.2rem; padding-left: 0.5rem;
  border-left: 3px solid var(--border-color-accent); font-size: 0.88rem; }
"""
HEADERS = list(COLUMNS)


def fold_verdict(v: str) -> str:
    """A verdict as a CSS-safe word: "sans-reponse", "renvoye" …"""
    return re.sub(r"[^a-z]+", "-", fold(v)).strip("-")


def _esc(text: str) -> str:
    return html.escape(" ".join(str(text).split()))


def _badge(verdict: Verdict | SubVerdict) -> str:
    colour = COLOURS.get(verdict, "#e5e7eb")
    return (
        f'<span class="badge verdict-{fold_verdict(verdict)}" '
        f'style="background:{colour}">{_esc(verdict)}</span>'
    )


def render_coverage(brief: Brief) -> str:
    """The sub-questions, their parts and verdicts, and the sentences quoted (HTML)."""
    out = ['<div class="brief">']
    for sub in brief.coverage:
        out.append(
            f'<div class="sub" id="sub-{sub.n}"><p>{_badge(sub.verdict)} '
            f"<b>Sous-question {sub.n}</b></p>"
        )
        for pv in sub.parts:
            out.append(
                f'<div class="part">{_badge(pv.verdict)} <b>{pv.part.label}</b> '
                f'{_esc(pv.part.text)}<br><span class="why">{_esc(pv.reason)}</span>'
            )
            for s in pv.support:
                out.append(
                    f"<blockquote><i>{_esc(s.section_label)}</i> : "
                    f"« {_esc(s.quoted)} »</blockquote>"
                )
            out.append("</div>")
        out.append("</div>")
    return "".join(out) + "</div>"


def table_values(rows) -> list[list[str]]:
    """The table's rows as lists of cells, in :data:`HEADERS` order."""
    return [cells(r) for r in rows]


def _write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _hashed(folder: Path, name: str, text: str) -> str:
    """``folder/<sha256 of text>/name``, written once (atomically): the same rows, the same
    file, so the filters' downloads stay as many as the distinct tables, not the changes."""
    path = folder / hashlib.sha256(text.encode("utf-8")).hexdigest()[:16] / name
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    return str(path)


def refilter_handler(brief: Brief, folder: Path):
    """The filters' handler: (row count, table, CSV path, Markdown path) for the rows kept."""

    def refilter(objectif, minister, status):
        rows = filter_rows(brief.rows, objectif=objectif or None, status=status or None)
        if minister:
            rows = [r for r in rows if minister in r.ministers]
        return (
            f"{len(rows)} lignes",
            table_values(rows),
            _hashed(folder, "chantiers.csv", to_csv(rows)),
            _hashed(folder, "chantiers.md", to_markdown(rows)),
        )

    return refilter


def _choices(everything: str, values) -> list[tuple[str, str]]:
    """A dropdown's choices: « Tous … » first (the empty filter), then each value."""
    return [(everything, ALL)] + [(v, v) for v in values]


def _filters(brief: Brief):
    """The three dropdowns above the table: objectif, minister porteur, status."""
    import gradio as gr

    objectifs = sorted(
        {r.objectif for r in brief.rows if r.objectif},
        key=lambda n: tuple(int(x) for x in n.split(".")),
    )
    ministers = sorted({m for r in brief.rows for m in r.ministers})
    with gr.Row():
        return (
            gr.Dropdown(
                _choices("Tous les objectifs", objectifs),
                value=ALL,
                label="Objectif",
                elem_id="filter-objectif",
            ),
            gr.Dropdown(
                _choices("Tous les ministres", ministers),
                value=ALL,
                label="Ministre porteur",
                elem_id="filter-ministre",
            ),
            gr.Dropdown(
                _choices("Tous les statuts", [s.value for s in Status]),
                value=ALL,
                label="Statut",
                elem_id="filter-statut",
            ),
        )


def _table(brief: Brief, folder: Path) -> None:
    """The chantier table with its filters and downloads; the filters refresh the rest."""
    import gradio as gr

    filters = _filters(brief)
    count = gr.Markdown(f"{len(brief.rows)} lignes", elem_id="table-count")
    table = gr.Dataframe(
        table_values(brief.rows),
        headers=HEADERS,
        interactive=False,
        wrap=True,
        elem_id="chantier-table",
        max_height=520,
    )
    with gr.Row():
        csv_btn = gr.DownloadButton(
            "CSV", value=_write(folder, "chantiers.csv", to_csv(brief.rows)), size="sm"
        )
        md_btn = gr.DownloadButton(
            "Markdown", value=_write(folder, "chantiers.md", to_markdown(brief.rows)), size="sm"
        )
    refilter = refilter_handler(brief, folder)
    for f in filters:
        f.change(refilter, list(filters), [count, table, csv_btn, md_btn], api_visibility="private")


def _drafts(brief: Brief) -> None:
    """Each follow-up draft in a read-only box with a copy button."""
    import gradio as gr

    for i, d in enumerate(brief.drafts, start=1):
        gr.Textbox(
            d.text,
            label=f"{i}. {d.subject} — {d.reason} — à : {d.addressee}",
            lines=3,
            interactive=False,
            buttons=["copy"],
            elem_classes=["draft"],
        )


def brief_tab(assistant, *, brief: Brief | None = None) -> Brief:
    """Build the tab inside the current ``gr.Blocks``; returns the brief it shows."""
    import gradio as gr

    brief = brief or build_brief(assistant)
    m = brief.doc.metadata
    folder = Path(tempfile.mkdtemp(prefix="suivi-"))
    # removed with the tab (the brief its handlers hold) or at exit, whichever comes first:
    # Gradio serves copies from its own cache, and each start must not leave a folder behind
    weakref.finalize(brief, shutil.rmtree, folder, ignore_errors=True)
    whole = _write(folder, f"suivi-qe-{m.number}.md", brief.to_markdown())
    gr.Markdown(f"### Suivi de la question écrite n°{m.number} — {m.title}")
    gr.DownloadButton(
        "Télécharger la note complète (Markdown)", value=whole, elem_id="brief-download", size="sm"
    )
    with gr.Accordion("Couverture des sous-questions", open=True):
        gr.HTML(render_coverage(brief), elem_id="coverage", css_template=CSS)
    with gr.Accordion("État des chantiers", open=True):
        _table(brief, folder)
    with gr.Accordion(
        f"Projets de questions de suivi ({len(brief.drafts)})", open=False, elem_id="drafts"
    ):
        _drafts(brief)
    return brief
