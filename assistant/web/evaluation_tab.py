"""The app's "Évaluation" tab: the latest report (tables and plots) and a button to run one.

The evaluation itself lives in the top-level :mod:`evals` package (installed beside
``assistant``); it is imported inside the functions, when the tab is built or a report is
read, so that importing :mod:`assistant.web` does not load it.

Non-goals: editing the question set from the UI.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["evaluation_tab", "report_view"]

NO_REPORT = (
    "Aucun rapport pour l’instant : lancez une évaluation ci-dessous, ou "
    "`python -m evals` dans un terminal."
)
PLOTS = ("hits.png", "kinds.png", "latency.png")


def report_view(folder: Path | None = None) -> tuple:
    """(Markdown of the latest report without its image links, one PIL image or None per plot)."""
    from PIL import Image

    from evals.report import REPORTS

    folder = folder or REPORTS
    md_path = folder / "latest.md"
    if not md_path.is_file():
        return (NO_REPORT, *(None for _ in PLOTS))
    md = "\n".join(
        line
        for line in md_path.read_text(encoding="utf-8").splitlines()
        if not line.startswith("![")
    )
    images = []
    for name in PLOTS:
        path = folder / name
        images.append(Image.open(path).copy() if path.is_file() else None)
    return (md, *images)


def evaluation_tab(assistant, *, folder: Path | None = None):
    """Build the tab's components inside the current ``gr.Blocks``; wire the run button."""
    import gradio as gr

    from evals.__main__ import load_checked
    from evals.report import REPORTS, write_report
    from evals.runner import run_all

    folder = folder or REPORTS
    md, *images = report_view(folder)
    with gr.Row():
        split = gr.Radio(["dev", "heldout", "all"], value="dev", label="Questions")
        run = gr.Button("Lancer une évaluation", variant="primary", scale=0, min_width=220)
    view = gr.Markdown(md, elem_id="evaluation-report")
    plots = [
        gr.Image(img, label=label, type="pil", interactive=False, show_label=True)
        for img, label in zip(images, ("hit@k", "hit@5 par type", "latence"), strict=True)
    ]

    def launch(which: str, progress=gr.Progress()):  # noqa: B008 (Gradio's idiom)
        questions = [q for q in load_checked(assistant) if which == "all" or q.split == which]
        report = run_all(
            assistant,
            questions,
            progress=lambda done, total, config: progress(done / total, desc=config),
        )
        write_report(report, folder)
        return report_view(folder)

    run.click(launch, [split], [view, *plots], api_visibility="private")
    return view
