"""Load test of the running app: N concurrent ``gradio_client`` users on loopback.

    python benchmarks/load.py [--port 7871] [--levels 1,4,16,32] [--per-level 160]
                              [--overflow 80] [--memory 2000]

Starts ``python app.py`` in a fresh process (127.0.0.1 only; the index must be built),
then, for each level N, runs N users, each with its own client, asking questions of
the evaluation set in turn until ``--per-level`` questions are answered (or 180 s have
passed). Prints, per level, the throughput, the p50/p95/p99 latency and the error
count; answers that say « réessayez » (the admission gate is full) are counted apart.
"server p50" is the median of the answers' own ``timings_ms.total`` (the compute, without
HTTP and queueing); "load avg" is the machine's 1-minute load average when the level
started (other processes share the cores). ``--overflow`` users at once then check that
an overloaded app refuses at once with « réessayez » instead of hanging. Last, the
app's RSS after 100 questions and after ``--memory`` questions (4 users). A benchmark,
not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LEVEL_TIMEOUT = 180.0


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_app(port: int, extra: tuple[str, ...] = ()) -> subprocess.Popen:
    """``python app.py --port PORT *extra`` in a fresh process, once it answers a question."""
    from gradio_client import Client

    proc = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port), *extra],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 300:
        if proc.poll() is not None:
            raise SystemExit(f"app.py s'est arrêté (code {proc.returncode}) : index construit ?")
        try:
            Client(f"http://127.0.0.1:{port}/", verbose=False).predict(
                question="Quel budget ?", api_name="/ask"
            )
            return proc
        except Exception:
            time.sleep(1.0)
    proc.kill()
    raise SystemExit("app.py ne répond pas après 300 s")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run_level(url: str, users: int, total: int, questions: list[str]) -> dict:
    """``users`` concurrent clients ask ``total`` questions in all (or stop at the timeout)."""
    from gradio_client import Client

    clients = [Client(url, verbose=False) for _ in range(users)]
    counter = itertools.count()
    lock = threading.Lock()
    latencies: list[float] = []
    server_ms: list[float] = []  # the answer's own timings_ms.total: compute, without HTTP
    errors, busy = [], 0
    deadline = time.perf_counter() + LEVEL_TIMEOUT

    def user(client) -> None:
        nonlocal busy
        while time.perf_counter() < deadline:
            with lock:
                i = next(counter)
            if i >= total:
                return
            t = time.perf_counter()
            try:
                out = client.predict(question=questions[i % len(questions)], api_name="/ask")
            except Exception as exc:  # a transport error: counted, shown once
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}"[:120])
                continue
            dt = time.perf_counter() - t
            with lock:
                if "answer" in out:
                    latencies.append(dt)
                    server_ms.append(out["timings_ms"]["total"])
                elif "réessayez" in out.get("error", ""):
                    busy += 1
                else:
                    errors.append(str(out)[:120])

    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        list(pool.map(user, clients))
    wall = time.perf_counter() - t0
    return {
        "users": users,
        "answered": len(latencies),
        "throughput": len(latencies) / wall,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "errors": len(errors),
        "busy": busy,
        "server_p50_ms": statistics.median(server_ms) if server_ms else float("nan"),
        "load": load,
        "first_error": errors[0] if errors else "",
    }


def overflow(url: str, users: int, question: str) -> dict:
    """``users`` questions sent at the same instant; how many answered, how many « réessayez »."""
    from gradio_client import Client

    clients = [Client(url, verbose=False) for _ in range(users)]
    start = threading.Barrier(users)

    def one(client):
        start.wait()
        t = time.perf_counter()
        try:
            out = client.predict(question=question, api_name="/ask")
        except Exception as exc:
            return "exception", time.perf_counter() - t, str(exc)[:100]
        kind = "answer" if "answer" in out else "busy" if "réessayez" in str(out) else "error"
        return kind, time.perf_counter() - t, ""

    with ThreadPoolExecutor(users) as pool:
        results = list(pool.map(one, clients, timeout=LEVEL_TIMEOUT))
    by = {k: [t for kind, t, _ in results if kind == k] for k in ("answer", "busy", "error")}
    return {
        "users": users,
        "answered": len(by["answer"]),
        "busy": len(by["busy"]),
        "errors": len(by["error"]) + sum(kind == "exception" for kind, _, _ in results),
        "busy_max_s": max(by["busy"], default=float("nan")),
        "answer_max_s": max(by["answer"], default=float("nan")),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=7871)
    parser.add_argument("--levels", default="1,4,16,32")
    parser.add_argument("--per-level", type=int, default=160, help="questions per level")
    parser.add_argument("--overflow", type=int, default=80, help="users at once (0: skip)")
    parser.add_argument("--memory", type=int, default=2000, help="questions for RSS (0: skip)")
    parser.add_argument("--index", help="the app's --index (default: index/)")
    args = parser.parse_args(argv)
    from evals.dataset import load_questions

    questions = [q.question for q in load_questions()]
    url = f"http://127.0.0.1:{args.port}/"
    proc = start_app(args.port, ("--index", args.index) if args.index else ())
    try:
        print(f"app.py pid {proc.pid} on {url}; {len(questions)} evaluation questions\n")
        print(
            "| users | answered | questions/s | p50 s | p95 s | p99 s | errors | réessayez "
            "| server p50 ms | load avg |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|")
        for users in (int(n) for n in args.levels.split(",")):
            r = run_level(url, users, args.per_level, questions)
            print(
                f"| {r['users']} | {r['answered']} | {r['throughput']:.1f} | {r['p50']:.3f} | "
                f"{r['p95']:.3f} | {r['p99']:.3f} | {r['errors']} | {r['busy']} | "
                f"{r['server_p50_ms']:.0f} | {r['load']:.1f} |",
                flush=True,
            )
            if r["first_error"]:
                print(f"  first error: {r['first_error']}")
        if args.overflow:
            o = overflow(url, args.overflow, questions[0])
            print(
                f"\nOverflow, {o['users']} users at once: {o['answered']} answered "
                f"(slowest {o['answer_max_s']:.2f} s), {o['busy']} « réessayez » "
                f"(slowest {o['busy_max_s']:.2f} s), {o['errors']} errors",
                flush=True,
            )
        if args.memory:
            run_level(url, 4, 100, questions)
            after_100 = rss_mb(proc.pid)
            run_level(url, 4, args.memory - 100, questions[37:] + questions[:37])
            after_n = rss_mb(proc.pid)
            change = 100 * (after_n - after_100) / after_100
            print(
                f"\nRSS after 100 questions: {after_100:.0f} MB; after {args.memory}: "
                f"{after_n:.0f} MB ({change:+.1f} %)"
            )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
