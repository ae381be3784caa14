"""Choose the support threshold of generated-answer verification (assistant.answers.verification).

    python benchmarks/verify_threshold.py

Scores the hand-labelled pairs of ``evals/verify_pairs.jsonl`` (an answer sentence, the
chunk it cites, supported or not: paraphrases of the chunk; facts invented on the chunk's
topic; true sentences citing the wrong chunk) with the real model, and prints, for each
candidate threshold, how many supported sentences pass and unsupported ones are caught,
by the cosine alone and with the number check.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answers.verification import SUPPORT_THRESHOLD, verify_answer  # noqa: E402
from assistant.documents.parsing import parse_file  # noqa: E402
from assistant.indexing.chunking import chunk_document  # noqa: E402
from assistant.models.encoder import load_encoder  # noqa: E402


def main() -> None:
    doc = parse_file(ROOT / "corpus" / "qe-517-sommet-social-2021.txt")
    chunks = {c.id.split("#")[1]: c for c in chunk_document(doc)}
    pairs = [json.loads(x) for x in open(ROOT / "evals" / "verify_pairs.jsonl", encoding="utf-8")]
    encoder = load_encoder()
    rows = []
    for p in pairs:
        c = chunks[p["chunk"]]
        v = verify_answer(
            p["sentence"] + " [1]", {1: c.text}, encoder, labels={1: c.section_label}, threshold=-1
        )
        s = v.sentences[0]
        rows.append((p["supported"], s.support, not s.problem, p["sentence"]))
    for sup, cos, numbers_ok, text in sorted(rows, key=lambda r: -r[1]):
        flag = "" if numbers_ok else "  (nombre absent)"
        print(f"{'OUI' if sup else 'non'}  {cos:.3f}  {text[:80]}{flag}")
    pos = [r for r in rows if r[0]]
    neg = [r for r in rows if not r[0]]
    print(f"\n{len(pos)} supported, {len(neg)} unsupported")
    print("threshold  supported-pass  unsupported-caught (cosine)  (cosine + numbers)")
    for t in (0.80, 0.82, 0.84, 0.85, 0.86, 0.87, 0.88, 0.90):
        ok = sum(r[1] >= t and r[2] for r in pos)
        caught_cos = sum(r[1] < t for r in neg)
        caught = sum(r[1] < t or not r[2] for r in neg)
        mark = "  <- SUPPORT_THRESHOLD" if abs(t - SUPPORT_THRESHOLD) < 1e-9 else ""
        print(
            f"  {t:.2f}     {ok:>2}/{len(pos)}           {caught_cos:>2}/{len(neg)}"
            f"                   {caught:>2}/{len(neg)}{mark}"
        )


if __name__ == "__main__":
    main()
