"""``python -m evals.brief``: agreement of coverage verdicts and chantier statuses with gold.

Prints, for the bundled written question: part verdicts (22 parts), sub-question verdicts
(8), chantier statuses (67 rows), each with its agreement and the disagreements, and
whether the part's supporting sentences lie in a gold section. Exit code 0.
"""

from __future__ import annotations

import sys

from . import agreement, confusion, load_gold


def _report(title: str, pairs, details) -> None:
    print(f"\n{title}: {agreement(pairs):.3f} ({sum(g == p for g, p in pairs)}/{len(pairs)})")
    for (g, p), n in sorted(confusion(pairs).items(), key=lambda x: -x[1]):
        print(f"  gold {str(g)!r} → prédit {str(p)!r} : {n}")
    for line in details:
        print(f"    {line}")


def _parts(brief) -> bool:
    """The parts' verdicts against gold; False when a part is not split as the gold's."""
    from assistant.brief.coverage import Verdict

    parts = {pv.part.label: pv for sub in brief.coverage for pv in sub.parts}
    pairs, details, found = [], [], []
    for g in load_gold("gold_coverage"):
        label = f"{g['sub_question']}.{g['part']}"
        pv = parts.get(label)
        if pv is None or not pv.part.text.startswith(g["starts_with"]):
            print(f"partie {label} mal découpée : {pv.part.text if pv else '—'}", file=sys.stderr)
            return False
        gold = Verdict(g["verdict"])
        pairs.append((gold, pv.verdict))
        if gold != pv.verdict:
            details.append(f"{label} gold {gold} / {pv.verdict} : {pv.reason}")
        if g["evidence_in"]:
            where = tuple(g["evidence_in"])
            found.append(any(s.section_id.startswith(where) for s in pv.support))
    _report("Parties des sous-questions, accord", pairs, details)
    print(f"  preuve dans une section de référence : {sum(found)}/{len(found)}")
    return True


def _sub_questions(brief) -> None:
    from assistant.brief.coverage import SubVerdict

    subs = {s.n: s.verdict for s in brief.coverage}
    gold = load_gold("gold_subquestions")
    pairs = [(SubVerdict(g["verdict"]), subs[g["sub_question"]]) for g in gold]
    _report("Sous-questions, accord", pairs, [])


def _statuses(brief) -> bool:
    """The chantiers' statuses against gold; False when a gold row is not in the table."""
    from assistant.brief.status import Status

    rows = {r.section_id: r for r in brief.rows}
    gold = load_gold("gold_status")
    missing = [g["section_id"] for g in gold if g["section_id"] not in rows]
    if missing:
        print(f"lignes absentes du tableau : {missing}", file=sys.stderr)
        return False
    pairs, details = [], []
    for g in gold:
        row, expected = rows[g["section_id"]], Status(g["status"])
        pairs.append((expected, row.status))
        if expected != row.status:
            details.append(
                f"{g['section_id']} gold {expected} / {row.status} : « {row.status_sentence[:80]} »"
            )
    _report("Statuts des chantiers, accord", pairs, details)
    return True


def main(argv=None) -> int:
    from assistant import Assistant
    from assistant.brief.build import build_brief

    assistant = Assistant.load(progress=False)
    brief = build_brief(assistant)
    if not _parts(brief):
        return 1
    _sub_questions(brief)
    return 0 if _statuses(brief) else 1


if __name__ == "__main__":
    raise SystemExit(main())
