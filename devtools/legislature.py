"""A legislature-sized folder of written questions, recombined from the multi-document fixtures.

``generate(dest, n, seed=…, start=…)`` writes ``n`` plain-text written questions in the
published parlement.brussels shapes (French or Dutch, as their source), each taking from
the fixtures of ``evals/multidoc/documents/*.txt``: the title and question of one source,
an author recombined from the fixtures' first and last names, an addressee with their
function drawn from the sources of the same language, a number of its own (from
``start``), dates drawn inside the 2019-2024 legislature, and an answer whose paragraphs
are shuffled between two or three sources of the same language. Deterministic for a
seed. Used by ``benchmarks/legislature.py``.

Non-goals: realistic text (the paragraphs repeat across documents, which makes the
embedding cache's job easier than real pages would: see the benchmark's notes); HTML or
PDF pages; Commission communautaire commune series.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

__all__ = ["Source", "generate", "read_sources"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "evals" / "multidoc" / "documents"
_LABELS = {  # language -> (question label, answer label)
    "fr": ("Question", "Réponse"),
    "nl": ("Vraag", "Antwoord"),
}


@dataclass(frozen=True)
class Source:
    language: str  # "fr" or "nl"
    title: str
    author: str
    addressee: str  # "Name, Function"
    question: str
    answer: tuple[str, ...]  # paragraphs


def _after(lines: list[str], label: str) -> str:
    i = lines.index(label)
    return lines[i + 1].strip()


def _source(text: str) -> Source | None:
    lines = [ln.rstrip() for ln in text.splitlines()]
    nl = any(ln.startswith("Schriftelijke vraag") for ln in lines)
    language = "nl" if nl else "fr"
    q_label, a_label = _LABELS[language]
    title_line = next(
        (ln for ln in lines if re.match(r"(Schriftelijke vraag|Question écrite)", ln)), ""
    )
    title = re.sub(
        r"^(Schriftelijke vraag betreffende|Question écrite concernant)\s+", "", title_line
    )
    try:
        author = _after(lines, "Indiener(s)" if nl else "de")
        addressee = _after(lines, "aan" if nl else "à")
    except (ValueError, IndexError):
        return None
    addressee = re.sub(r"\s*\((?:Vragen nr|question n°)\s*\d+\)\s*$", "", addressee)
    body = text.split(f"\n{q_label} ", 1)
    if len(body) < 2 or f"\n{a_label} " not in body[1]:
        return None
    question, answer = body[1].split(f"\n{a_label} ", 1)
    paragraphs = tuple(p.strip() for p in re.split(r"\n\s*\n", answer) if p.strip())
    return Source(language, title, author, addressee, question.strip(), paragraphs)


def read_sources(folder: Path = FIXTURES) -> list[Source]:
    """The plain-text fixtures of ``folder`` that have a title, people, question and answer."""
    out = []
    for f in sorted(folder.glob("*.txt")):
        s = _source(f.read_text(encoding="utf-8"))
        if s is not None and s.answer:
            out.append(s)
    return out


def _date(rng: random.Random) -> date:
    return date(2019, 9, 1) + timedelta(days=rng.randrange(0, 4 * 365))


def _page(s: Source, *, number: int, author: str, addressee: str, answer: list[str], rng) -> str:
    received = _date(rng)
    published = received + timedelta(days=rng.randrange(20, 90))
    answered = published - timedelta(days=rng.randrange(2, 15))
    d = lambda x: x.strftime("%d/%m/%Y")  # noqa: E731
    session = f"{received.year % 100:02d}/{received.year % 100 + 1:02d}"
    q_label, a_label = _LABELS[s.language]
    body = "\n\n".join(answer)
    if s.language == "nl":
        head = (
            f"Schriftelijke vraag betreffende {s.title}\n\nIndiener(s)\n{author}\naan\n"
            f"{addressee} (Vragen nr {number})\n\n \n"
            f"Datum ontvangst: {d(received)} Datum publicatie: {d(published)}\n"
            f"Zittingsperiode: 19/24 Zitting: {session} Datum antwoord: {d(answered)}\n \n"
            f"Datum behandeling van het stuk Indiener(s) Referentie Blz.\n"
            f"{d(received + timedelta(days=7))} Ontvankelijk p.m.\n \n"
        )
    else:
        head = (
            f"Question écrite concernant {s.title}\n\nde\n{author}\nà\n"
            f"{addressee} (question n°{number})\n\n \n"
            f"Date de réception: {d(received)} Date de publication: {d(published)}\n"
            f"Législature: 19/24 Session: {session} Date de réponse: {d(answered)}\n \n"
            f"Date Intitulé de l'acte de Référence page\n"
            f"{d(received + timedelta(days=7))} Recevable p.m.\n \n"
        )
    return f"Logo Parlement Buxellois\n\n{head}{q_label}    {s.question}\n \n{a_label}    {body}\n"


def generate(dest: Path, n: int, *, seed: int = 13, start: int = 3000, sources=None) -> list[Path]:
    """Write ``n`` recombined written questions into ``dest``; returns their paths."""
    sources = sources or read_sources()
    if not sources:
        raise ValueError(f"aucune question écrite lisible dans {FIXTURES}")
    rng = random.Random(seed)
    firsts = sorted({s.author.split()[0] for s in sources})
    lasts = sorted({" ".join(s.author.split()[1:]) for s in sources})
    people = {
        lang: sorted({s.addressee for s in sources if s.language == lang}) for lang in _LABELS
    }
    dest.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        s = sources[i % len(sources)]
        same = [o for o in sources if o.language == s.language and o is not s]
        others = rng.sample(same, k=min(len(same), rng.randint(1, 2)))
        answer = list(s.answer) + [p for o in others for p in rng.sample(o.answer, k=1)]
        rng.shuffle(answer)
        number = start + i
        page = _page(
            s,
            number=number,
            author=f"{rng.choice(firsts)} {rng.choice(lasts)}",
            addressee=rng.choice(people[s.language] or [s.addressee]),
            answer=answer,
            rng=rng,
        )
        path = dest / f"qe-{number}.txt"
        path.write_text(page, encoding="utf-8")
        paths.append(path)
    return paths
