"""The app's "Évaluation" tab, in French: the latest report (tables and plots), and for an
administrator a button to run one.

The evaluation itself lives in the top-level :mod:`evals` package (installed beside
``assistant``); it is imported inside the functions, when the tab is built or a report is
read, so that importing :mod:`assistant.web` does not load it. The tab shows the report in
French (``evals.report.markdown(lang="fr")``) from the app's own folder,
``$ASSISTANT_CACHE_DIR/evaluations`` (:func:`report_folder`), outside the repository's
tracked files; when the repository's ``evals/reports/`` holds a newer report (written by
``python -m evals``), it is copied there in French first. The run button exists only when
``runnable`` (``python app.py --admin``, or ``--auth``): an anonymous visitor cannot keep
the cores busy. One run at a time, across threads and processes (a lock file in the
folder); a second click gets a French message.

Non-goals: editing the question set from the UI.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..files import try_locked

__all__ = ["NOT_ADMIN", "RUNNING", "evaluation_tab", "report_folder", "report_view", "run_handler"]

NO_REPORT = (
    "Aucun rapport pour l’instant : lancez `python -m evals` dans un terminal (ou, pour un "
    "administrateur, le bouton ci-dessous)."
)
NOT_ADMIN = (
    "Les évaluations se lancent par `python -m evals` dans un terminal, ou depuis cette page "
    "quand l’application est démarrée avec `--admin` (ou `--auth`)."
)
RUNNING = "Une évaluation est déjà en cours : attendez qu’elle se termine, puis réessayez."
PLOTS = ("hits.png", "kinds.png", "latency.png")
PLOT_LABELS = ("hit@k par partie", "hit@5 par type de question", "latence par étape")
SPLITS = [("développement", "dev"), ("réservées", "heldout"), ("toutes", "all")]


def report_folder() -> Path:
    """Where the app keeps its reports: ``<cache>/evaluations`` (``models.e5model.cache_dir``)."""
    from ..models.e5model import cache_dir

    return cache_dir() / "evaluations"


def _started(folder: Path) -> float:
    try:
        return float(json.loads((folder / "latest.json").read_text(encoding="utf-8"))["started"])
    except (OSError, ValueError, KeyError, TypeError):
        return float("-inf")


def _refresh(folder: Path) -> None:
    """Copy the repository's report into ``folder``, in French, when it is the newer one."""
    from evals.report import REPORTS, write_report

    if folder.resolve() == REPORTS.resolve() or _started(REPORTS) <= _started(folder):
        return
    report = json.loads((REPORTS / "latest.json").read_text(encoding="utf-8"))
    with try_locked(folder, name=".run.lock") as free:
        if free:  # else a run is writing a newer one
            write_report(report, folder, lang="fr")


def report_view(folder: Path | None = None) -> tuple:
    """(The latest report in French Markdown, without image links; an image or None per plot)."""
    from PIL import Image

    from evals.report import markdown

    folder = folder or report_folder()
    try:
        report = json.loads((folder / "latest.json").read_text(encoding="utf-8"))
        md = markdown(report, lang="fr")
    except (OSError, ValueError, KeyError, TypeError):
        return (NO_REPORT, *(None for _ in PLOTS))
    md = "\n".join(line for line in md.splitlines() if not line.startswith("!["))
    images = []
    for name in PLOTS:
        path = folder / name
        images.append(Image.open(path).copy() if path.is_file() else None)
    return (md, *images)


def run_handler(assistant, folder: Path):
    """The run button's handler: one run at a time, its French report written to ``folder``."""
    import gradio as gr

    from evals.__main__ import load_checked
    from evals.report import write_report
    from evals.runner import run_all

    def launch(which: str, progress=gr.Progress()):  # noqa: B008 (Gradio's idiom)
        with try_locked(folder, name=".run.lock") as free:
            if not free:
                gr.Warning(RUNNING)
                return (RUNNING, *(gr.skip() for _ in PLOTS))
            questions = [q for q in load_checked(assistant) if which == "all" or q.split == which]
            report = run_all(
                assistant,
                questions,
                progress=lambda done, total, config: progress(done / total, desc=config),
            )
            write_report(report, folder, lang="fr")
        return report_view(folder)

    return launch


def evaluation_tab(assistant, *, folder: Path | None = None, runnable: bool = False):
    """Build the tab's components inside the current ``gr.Blocks``; the run button only
    when ``runnable``."""
    import gradio as gr

    folder = folder or report_folder()
    _refresh(folder)
    md, *images = report_view(folder)
    if runnable:
        with gr.Row():
            split = gr.Radio(SPLITS, value="dev", label="Questions évaluées")
            run = gr.Button("Lancer une évaluation", variant="primary", scale=0, min_width=220)
    else:
        gr.Markdown(NOT_ADMIN, elem_id="evaluation-admin")
    view = gr.Markdown(md, elem_id="evaluation-report")
    plots = [
        gr.Image(img, label=label, type="pil", interactive=False, show_label=True)
        for img, label in zip(images, PLOT_LABELS, strict=True)
    ]
    if runnable:
        run.click(run_handler(assistant, folder), [split], [view, *plots], api_visibility="private")
    return view
