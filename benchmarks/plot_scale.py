"""Plot the dense table printed by ``benchmarks/scale.py``: search p95 and recall against size.

    python benchmarks/scale.py > scale.md && python benchmarks/plot_scale.py scale.md

Writes ``benchmarks/scale.png`` (log-log p95 per index type, with the 10 ms target;
recall@10 of each HNSW setting). Reads the Markdown rows; nothing else.
"""

from __future__ import annotations

import sys
from pathlib import Path


def rows(path: Path) -> list[list[str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 9 and cells[0].replace(",", "").isdigit():
            out.append(cells)
    return out


def main(argv=None) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    args = sys.argv[1:] if argv is None else argv
    table = rows(Path(args[0]))
    series: dict[str, list[tuple[int, float, float]]] = {}
    for n, _kind, index, *_rest, p95, recall in [(r[0], r[1], r[2], r[7], r[8]) for r in table]:
        series.setdefault(index, []).append((int(n.replace(",", "")), float(p95), float(recall)))
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for index, pts in series.items():
        pts.sort()
        ax1.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=index)
        if index.startswith("HNSW"):
            ax2.plot([p[0] for p in pts], [p[2] for p in pts], marker="o", label=index)
    ax1.axhline(10, color="grey", ls="--", lw=1, label="10 ms target")
    ax1.set(xscale="log", yscale="log", xlabel="chunks", ylabel="search p95 (ms)")
    ax1.set_title("Dense search p95, one query, top 10")
    ax2.axhline(0.95, color="grey", ls="--", lw=1, label="0.95 target")
    ax2.set(xscale="log", xlabel="chunks", ylabel="recall@10 vs exact")
    ax2.set_title("HNSW recall@10")
    for ax in (ax1, ax2):
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    out = Path(__file__).resolve().parent / "scale.png"
    fig.savefig(out, dpi=110)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
