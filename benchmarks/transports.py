"""The same questions through the three ways in: ``gradio_client``, ``POST /api/ask``, MCP.

    python benchmarks/transports.py [--port 7872] [--rounds 60] [--index DIR]

Starts ``python app.py --mcp`` in a fresh process (127.0.0.1 only; the index must be
built, ``--index`` to use another folder), warms each transport, then asks ``--rounds``
evaluation questions, each through the three transports in turn (interleaved, so that the
machine's load hits them alike), one client of each kept open: ``gradio_client``'s
``/ask``, httpx's ``POST /api/ask``, and the official MCP client's ``ask`` tool over
streamable HTTP (one session). Prints p50/p95 per transport, each as a ratio to
``/api/ask``, and the server's own compute (``timings_ms.total``). A benchmark, not a
test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def start_app(port: int, index: str | None) -> subprocess.Popen:
    import httpx

    cmd = [sys.executable, "app.py", "--mcp", "--port", str(port)]
    proc = subprocess.Popen(
        cmd + (["--index", index] if index else []),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 300:
        if proc.poll() is not None:
            raise SystemExit(f"app.py s'est arrêté (code {proc.returncode}) : index construit ?")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(1.0)
    proc.kill()
    raise SystemExit("app.py ne répond pas après 300 s")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def measure(base: str, questions: list[str]) -> dict[str, list[tuple[float, float]]]:
    """Per transport, (client-side seconds, server ``timings_ms.total``) of each question."""
    import httpx
    from gradio_client import Client
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    gradio = Client(f"{base}/", verbose=False)
    out: dict[str, list[tuple[float, float]]] = {"gradio_client /ask": [], "POST /api/ask": [],
                                                 "MCP ask": []}  # fmt: skip
    async with httpx.AsyncClient(timeout=120) as http:
        async with streamable_http_client(f"{base}/gradio_api/mcp/", http_client=http) as (r, w, _):
            async with ClientSession(r, w) as mcp:
                await mcp.initialize()

                async def via_gradio(q):
                    return await asyncio.to_thread(gradio.predict, question=q, api_name="/ask")

                async def via_api(q):
                    return (await http.post(f"{base}/api/ask", json={"question": q})).json()

                async def via_mcp(q):
                    result = await mcp.call_tool("ask", {"question": q})
                    return json.loads(result.content[0].text)

                calls = dict(zip(out, (via_gradio, via_api, via_mcp), strict=True))
                for call in calls.values():  # warm-up
                    await call(questions[0])
                for q in questions:
                    for name, call in calls.items():
                        t0 = time.perf_counter()
                        answer = await call(q)
                        seconds = time.perf_counter() - t0
                        out[name].append((seconds, answer.get("timings_ms", {}).get("total", 0)))
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=7872)
    parser.add_argument("--rounds", type=int, default=60, help="questions per transport")
    parser.add_argument("--index", help="index folder (default: index/)")
    args = parser.parse_args(argv)
    from evals.dataset import load_questions

    questions = [q.question for q in load_questions()][: args.rounds]
    proc = start_app(args.port, args.index)
    try:
        results = asyncio.run(measure(f"http://127.0.0.1:{args.port}", questions))
    finally:
        proc.terminate()
        proc.wait(30)
    print(f"{len(questions)} questions × 3 transports, interleaved; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared machine)\n")  # fmt: skip
    print("| transport | p50 ms | p95 ms | p50 / api | p95 / api | server p50 ms |")
    print("|---|---|---|---|---|---|")
    api = [s for s, _ in results["POST /api/ask"]]
    for name, rows in results.items():
        secs = [s for s, _ in rows]
        p50, p95 = percentile(secs, 50), percentile(secs, 95)
        server = statistics.median(t for _, t in rows)
        print(f"| {name} | {p50 * 1000:.0f} | {p95 * 1000:.0f} | "
              f"{p50 / percentile(api, 50):.2f} | {p95 / percentile(api, 95):.2f} | "
              f"{server:.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
