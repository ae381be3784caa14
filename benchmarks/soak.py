"""Soak test of the running app: many questions through ``gradio_client``, RSS sampled and plotted.

    python benchmarks/soak.py [--questions 20000] [--users 4] [--session-every 25]
                              [--minutes M] [--port 7872] [--png benchmarks/soak.png]
                              [--index DIR]

Starts ``python app.py`` in a fresh process (127.0.0.1 only; the index must be built), then
``--users`` users ask the questions of the evaluation set in turn through ``/ask`` until
``--questions`` are answered; each user opens a new ``Client`` (a new Gradio session, as a
new visitor does) every ``--session-every`` questions. The app's RSS is sampled every
``--every`` seconds beside the count of answered questions; the script prints the RSS after
warm-up (10 % of the questions), at the end, its peak, the growth after warm-up per 1,000
questions, and writes the plot (RSS against questions answered). ``--minutes`` stops
asking after that wall time (the figures are then over the questions answered; it says
so). A line every ``--report`` seconds (questions answered, RSS, load average) keeps a
record if the run is cut short. A benchmark, not a test: nothing is asserted. Other
processes may share the cores: the load average is printed at the start and the end; say
so beside the figures.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from load import rss_mb, start_app  # noqa: E402  (benchmarks/load.py, beside this file)


def soak(
    url: str,
    *,
    total: int,
    users: int,
    session_every: int,
    questions,
    live: dict,
    deadline: float = float("inf"),
) -> dict:
    """Ask ``total`` questions with ``users`` threads (none after ``deadline``, a
    ``perf_counter`` time), a new session every ``session_every`` questions per user;
    ``live["answered"]`` kept up to date for the sampler."""
    from gradio_client import Client

    counter, lock = itertools.count(), threading.Lock()
    state = {"answered": 0, "errors": 0, "busy": 0, "sessions": 0, "first_error": ""}

    def user(_: int) -> None:
        client, asked = None, 0
        while (i := next(counter)) < total and time.perf_counter() < deadline:
            if client is None or asked >= session_every:
                client, asked = Client(url, verbose=False), 0
                with lock:
                    state["sessions"] += 1
            asked += 1
            try:
                out = client.predict(question=questions[i % len(questions)], api_name="/ask")
            except Exception as exc:  # a transport error: counted, the first one shown
                out = {"error": f"{type(exc).__name__}: {exc}"[:160]}
            with lock:
                if "answer" in out:
                    state["answered"] += 1
                    live["answered"] = state["answered"]
                elif "réessayez" in str(out.get("error", "")):
                    state["busy"] += 1
                else:
                    state["errors"] += 1
                    state["first_error"] = state["first_error"] or str(out)[:160]

    with ThreadPoolExecutor(users) as pool:
        list(pool.map(user, range(users)))
    return state


def _load() -> str:
    """The 1, 5 and 15-minute load averages, as ``uptime`` shows them."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def plot(samples: list[tuple[float, int, float]], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.6))
    ax.plot([n for _, n, _ in samples], [r for _, _, r in samples], lw=1.2)
    ax.set(title=title, xlabel="questions answered", ylabel="RSS (MB)")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=int, default=20_000)
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--session-every", type=int, default=25, help="questions per session")
    parser.add_argument("--port", type=int, default=7872)
    parser.add_argument("--every", type=float, default=1.0, help="seconds between samples")
    parser.add_argument("--report", type=float, default=60.0, help="seconds between lines")
    parser.add_argument("--minutes", type=float, help="stop asking after this wall time")
    parser.add_argument("--png", type=Path, default=HERE / "soak.png")
    parser.add_argument("--index", help="the app's --index (default: index/)")
    args = parser.parse_args(argv)
    from evals.dataset import load_questions

    questions = [q.question for q in load_questions()]
    url = f"http://127.0.0.1:{args.port}/"
    proc = start_app(args.port, ("--index", args.index) if args.index else ())
    samples: list[tuple[float, int, float]] = []  # (seconds, questions answered, RSS MB)
    done = threading.Event()
    live = {"answered": 0}  # questions answered so far, read by the sampler
    t0 = time.perf_counter()

    def sample() -> None:
        last = 0.0
        while not done.wait(args.every):
            now = time.perf_counter() - t0
            samples.append((now, live["answered"], rss_mb(proc.pid)))
            if now - last >= args.report:
                last = now
                print(f"  {now:5.0f} s: {live['answered']} answered, RSS {samples[-1][2]:.0f} MB, "
                      f"load {_load()}", flush=True)  # fmt: skip

    try:
        start_rss = rss_mb(proc.pid)
        print(f"app.py pid {proc.pid}: RSS {start_rss:.0f} MB after start and one question; "
              f"load {_load()}", flush=True)  # fmt: skip
        deadline = t0 + 60 * args.minutes if args.minutes else float("inf")
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        state = soak(
            url,
            total=args.questions,
            users=args.users,
            session_every=args.session_every,
            questions=questions,
            live=live,
            deadline=deadline,
        )
        done.set()
        sampler.join()
        end_rss = rss_mb(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except Exception:
            proc.kill()
    wall = time.perf_counter() - t0
    print(f"load average at the end: {_load()}")
    if state["answered"] < args.questions:
        print(f"stopped by --minutes {args.minutes:g}: {state['answered']} of {args.questions}")
    warm_n = min(args.questions, state["answered"]) // 10
    warm = next((r for _, n, r in samples if n >= warm_n), end_rss)
    peak = max((r for _, _, r in samples), default=end_rss)
    growth = (end_rss - warm) / max(1, state["answered"] - warm_n) * 1000
    print(
        f"{state['answered']} answered, {state['busy']} « réessayez », {state['errors']} errors, "
        f"{state['sessions']} sessions, {wall:.0f} s ({state['answered'] / wall:.1f} questions/s)"
    )
    if state["first_error"]:
        print(f"  first error: {state['first_error']}")
    print(
        f"RSS: start {start_rss:.0f} MB, after warm-up ({warm_n} questions) {warm:.0f} MB, "
        f"end {end_rss:.0f} MB ({100 * (end_rss - warm) / warm:+.1f} % after warm-up), "
        f"peak {peak:.0f} MB; {growth:+.1f} MB per 1,000 questions after warm-up"
    )
    title = (
        f"app RSS, {state['answered']} questions, {args.users} users, {state['sessions']} sessions"
    )
    plot(samples, args.png, title)
    print(f"plot: {args.png}")


if __name__ == "__main__":
    main()
