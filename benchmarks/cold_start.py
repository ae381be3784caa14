"""Cold start of ``python app.py``: seconds until the running app answers ``/ask``.

    python benchmarks/cold_start.py [--port 7870] [--runs 3]

Starts the app in a fresh process (loopback only; the index must already be
built, or the first run includes the build), polls it with ``gradio_client``
until a question gets an answer, prints the time, stops the app. Bounded: each
run gives up after 180 s. A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one_run(port: int, timeout: float = 180.0) -> float:
    from gradio_client import Client

    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while time.perf_counter() - t0 < timeout:
            try:
                out = Client(f"http://127.0.0.1:{port}/", verbose=False).predict(
                    question="Où en est le PRAS ?", api_name="/ask"
                )
                if "answer" in out:
                    return time.perf_counter() - t0
            except Exception:  # not up yet
                time.sleep(0.25)
        raise TimeoutError(f"the app did not answer within {timeout:.0f} s")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=7870)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)
    times = [one_run(args.port + i) for i in range(args.runs)]
    print("cold start until /ask answers: " + ", ".join(f"{t:.1f} s" for t in times))
    print(f"median: {statistics.median(times):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
