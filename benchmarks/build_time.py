"""Index build of the bundled corpus, once the model is built: where the time goes.

    python benchmarks/build_time.py [--runs 2]

In one process (the model loaded once, as ``python -m assistant index`` does):
a full build into an empty folder (every distinct text embedded), a rebuild of
the unchanged corpus (everything from the embedding cache), and a build after
adding a second document (only its new texts embedded). For the full build it
prints what is embedded (passages, lines, sentences: texts and tokens), the
encoding rate, and the share of the build spent encoding. Also the time to load
the model. A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _tokens(encoder, texts: list[str]) -> int:
    tok = encoder._model.tokenizer
    return sum(len(tok("passage: " + t)["input_ids"]) for t in texts)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=2)
    args = p.parse_args(argv)

    from assistant.documents.corpus import corpus_files
    from assistant.indexing.build import build_index, chunks_from, embedding_texts
    from assistant.models.encoder import load_encoder

    t = time.perf_counter()
    enc = load_encoder()
    print(f"model load: {time.perf_counter() - t:.1f} s")
    corpus = ROOT / "corpus"
    chunks = chunks_from(corpus_files(corpus), print)
    texts, owner, spans = embedding_texts(chunks)
    n_c, n_l = len(chunks), len(owner)
    seen: set[str] = set()
    print("\n| texts | count | distinct new | tokens |\n|---|---|---|---|")
    for name, part in (("passages", texts[:n_c]), ("lines", texts[n_c : n_c + n_l]),
                       ("sentences", texts[n_c + n_l :])):  # fmt: skip
        new = [x for x in dict.fromkeys(part) if x not in seen]
        seen.update(new)
        print(f"| {name} | {len(part)} | {len(new)} | {_tokens(enc, new):,} |")
    heading = sum(len(enc._model.tokenizer(x.partition("\n\n")[0])["input_ids"]) - 2 for x in seen)
    print(f"| all | {len(texts)} | {len(seen)} | {_tokens(enc, list(seen)):,} "
          f"(heading paths: {heading:,}) |")  # fmt: skip

    rows: dict[str, list[tuple[float, float, int]]] = {"full": [], "unchanged": [], "added": []}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            shutil.copytree(corpus, tmp / "corpus")
            for label in ("full", "unchanged", "added"):
                if label == "added":
                    src = (corpus / "qe-517-sommet-social-2021.txt").read_text(encoding="utf-8")
                    (tmp / "corpus" / "qe-518-copie.txt").write_text(
                        src.replace("(question n°517)", "(question n°518)").replace(
                            "Housing First", "Logement d'abord"
                        ),
                        encoding="utf-8",
                    )
                t = time.perf_counter()
                build_index(corpus=tmp / "corpus", index_dir=tmp / "index", encoder=enc,
                            progress=False, warn=lambda m: None)  # fmt: skip
                wall = time.perf_counter() - t
                meta = json.loads((tmp / "index" / "meta.json").read_text())
                emb = meta["embeddings"]
                rows[label].append((wall, emb["seconds"], emb["embedded"]))
    print(f"\n| build ({args.runs} runs, median) | seconds | of which encoding | texts embedded |")
    print("|---|---|---|---|")
    for label, runs in rows.items():
        wall = statistics.median(r[0] for r in runs)
        emb = statistics.median(r[1] for r in runs)
        print(f"| {label} | {wall:.2f} | {emb:.2f} ({emb / wall:.0%}) | {runs[0][2]} |")
    full_tokens = _tokens(enc, list(seen))
    emb = statistics.median(r[1] for r in rows["full"])
    print(f"\nencoding rate: {full_tokens / emb:,.0f} tokens/s, {len(seen) / emb:.1f} texts/s")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
