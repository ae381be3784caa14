"""``python -m evals.brief``: agreement of coverage verdicts and chantier statuses with gold.

Prints, for the bundled written question: part verdicts (22 parts), sub-question verdicts
(8), chantier statuses (67 rows), each with its agreement and the disagreements, and
whether the part's evidence lies in a gold section. Exit code 0.
"""

from __future__ import annotations

import sys

from . import agreement, confusion, load_gold


def _report(title: str, pairs, details) -> None:
    print(f"\n{title}: {agreement(pairs):.3f} ({sum(g == p for g, p in pairs)}/{len(pairs)})")
    for (g, p), n in sorted(confusion(pairs).items(), key=lambda x: -x[1]):
        print(f"  gold {g!r} → prédit {p!r} : {n}")
    for line in details:
        print(f"    {line}")


def main(argv=None) -> int:
    from assistant import Assistant
    from assistant.brief.build import build_brief

    assistant = Assistant.load(progress=False)
    brief = build_brief(assistant)
    parts = {pv.part.label: pv for sub in brief.coverage for pv in sub.parts}
    pairs, details, found = [], [], []
    for g in load_gold("gold_coverage"):
        label = f"{g['sub_question']}.{g['part']}"
        pv = parts.get(label)
        if pv is None or not pv.part.text.startswith(g["starts_with"]):
            print(f"partie {label} mal découpée : {pv.part.text if pv else '—'}", file=sys.stderr)
            return 1
        pairs.append((g["verdict"], pv.verdict))
        if g["verdict"] != pv.verdict:
            details.append(f"{label} gold {g['verdict']} / {pv.verdict} : {pv.reason}")
        if g["evidence_in"]:
            found.append(any(e.section_id.startswith(tuple(g["evidence_in"])) for e in pv.evidence))
    _report("Parties des sous-questions, accord", pairs, details)
    print(f"  preuve dans une section de référence : {sum(found)}/{len(found)}")
    subs = {s.n: s.verdict for s in brief.coverage}
    sub_pairs = [(g["verdict"], subs[g["sub_question"]]) for g in load_gold("gold_subquestions")]
    _report("Sous-questions, accord", sub_pairs, [])
    rows = {r.section_id: r for r in brief.rows}
    gold = load_gold("gold_status")
    missing = [g["section_id"] for g in gold if g["section_id"] not in rows]
    if missing:
        print(f"lignes absentes du tableau : {missing}", file=sys.stderr)
        return 1
    st_pairs = [(g["status"], rows[g["section_id"]].status) for g in gold]
    st_details = [
        f"{g['section_id']} gold {g['status']} / {rows[g['section_id']].status} : "
        f"« {rows[g['section_id']].evidence[:80]} »"
        for g in gold
        if g["status"] != rows[g["section_id"]].status
    ]
    _report("Statuts des chantiers, accord", st_pairs, st_details)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
