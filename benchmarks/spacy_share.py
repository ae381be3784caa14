"""spaCy's share of the index build, its load time and memory, and the cold start of ``ask``.

    python benchmarks/spacy_share.py [--runs 1]

Needs a built index in ``index/`` (its embedding cache makes the builds below embed
nothing, so they time the rest of the build). Prints:

- the build time of the bundled corpus without annotation (``annotate=False``), with
  every sentence annotated by spaCy (previous annotations removed), and with all of them
  from the previous generation's annotations (the cache by content hash), after one
  warm-up build;
- in a fresh process: the seconds to ``import spacy`` and ``spacy.load("fr_core_news_sm")``,
  and the peak RSS (``VmHWM``) before and after;
- the cold start of ``python -m assistant ask … --json`` (a fresh process on the built index)
  with its peak RSS, and whether spaCy, thinc or torch got imported (they must not).

Each build runs on a private copy of ``index/`` in a temporary folder. A benchmark, not a
test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_LOAD = (
    "import json, time\n"
    "rss = lambda: int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) / 1024\n"
    "before = rss(); t = time.perf_counter()\n"
    "import spacy\n"
    "t_import = time.perf_counter() - t\n"
    "nlp = spacy.load('fr_core_news_sm', disable=['parser'])\n"
    "t_load = time.perf_counter() - t\n"
    "t2 = time.perf_counter(); doc = nlp('Le ministre Alain Maron a financé trois écoles.')\n"
    "print(json.dumps([before, t_import, t_load, rss(), time.perf_counter() - t2]))\n"
)
_ASK = (
    "import json, sys, time\n"
    "t = time.perf_counter()\n"
    "from assistant.cli import main\n"
    "main(['ask', 'Qui organise le sommet social ?', '--json'])\n"
    "print(json.dumps([time.perf_counter() - t,"
    " int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) / 1024,"
    " [m for m in ('spacy', 'thinc', 'torch') if m in sys.modules]]))\n"
)


def _without_annotations(index_dir: Path) -> None:
    """Make the copied index look like one from before the annotations (format 1)."""
    meta = json.loads((index_dir / "meta.json").read_text())
    meta["files"].pop("annotations.jsonl", None)
    (index_dir / meta["generation"] / "annotations.jsonl").unlink(missing_ok=True)
    meta["format_version"] = 1
    (index_dir / "meta.json").write_text(json.dumps(meta))


def _build(index_dir: Path, encoder, *, annotate: bool) -> tuple[float, dict | None]:
    from assistant.indexing.build import build_index

    t = time.perf_counter()
    built = build_index(
        corpus=ROOT / "corpus",
        index_dir=index_dir,
        encoder=encoder,
        progress=False,
        annotate=annotate,
        warn=lambda m: None,
    )
    return time.perf_counter() - t, built.meta.get("annotations")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=1)
    args = p.parse_args(argv)
    from assistant.models.encoder import load_encoder

    encoder = load_encoder()
    source = ROOT / "index"
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            plain = Path(tmp) / f"plain-{run}"
            spacy_dir = Path(tmp) / f"spacy-{run}"
            for d in (plain, spacy_dir):
                shutil.copytree(source, d, ignore=shutil.ignore_patterns(".*lock"))
                _without_annotations(d)
            _build(plain, encoder, annotate=False)  # warm-up: imports, first FAISS and BM25
            _without_annotations(plain)
            t_plain, _ = _build(plain, encoder, annotate=False)
            t_spacy, first = _build(spacy_dir, encoder, annotate=True)
            t_cached, again = _build(spacy_dir, encoder, annotate=True)
            print(f"build without annotation      {t_plain:7.2f} s")
            print(
                f"build, all sentences by spaCy {t_spacy:7.2f} s  "
                f"({first['annotated']} sentences, annotation {first['seconds']} s "
                f"of which spaCy load {first['spacy_load_seconds']} s, in this process)"
            )
            print(
                f"build, annotations cached     {t_cached:7.2f} s  "
                f"({again['annotated']} sentences to spaCy, {again['from_cache']} from cache)"
            )
    out = subprocess.run(
        [sys.executable, "-c", _LOAD], cwd=ROOT, capture_output=True, text=True, check=True
    )
    before, t_import, t_load, after, t_doc = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"spaCy fresh process: import {t_import:.2f} s, import+load fr_core_news_sm "
        f"{t_load:.2f} s, one sentence {t_doc * 1000:.0f} ms; peak RSS {before:.0f} -> "
        f"{after:.0f} MiB (+{after - before:.0f} MiB)"
    )
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, "-c", _ASK], cwd=ROOT, capture_output=True, text=True, check=True
        )
        seconds, rss, heavy = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"ask cold start {seconds:.2f} s, peak RSS {rss:.0f} MiB, imported {heavy or 'none'}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this process, with the encoder and spaCy: peak RSS {peak:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
