"""What the command line prints: passages, answers, documents and the index summary.

Scope: the text and JSON shapes of ``search``, ``ask`` and ``list`` and the one-line
summary after ``index``; results on stdout, warnings and summaries on stderr.
The JSON objects are those of ``Hit.to_json``, ``Answer.to_json`` and
``DocumentInfo.to_json``.

Non-goals: parsing arguments and running commands (see :mod:`assistant.cli`); the
parliamentary brief's output (see :mod:`assistant.brief`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

__all__ = [
    "hits_json",
    "print_hits",
    "print_answer",
    "print_documents",
    "index_summary",
    "print_error",
]


def print_error(msg: str) -> None:
    print(f"Erreur : {msg}", file=sys.stderr)


def hits_json(result) -> dict:
    """``{"query": …, "hits": [...], "warnings": [...]}`` (warnings only when there are)."""
    payload = {"query": result.query, "hits": [h.to_json() for h in result.hits]}
    if result.warnings:
        payload["warnings"] = list(result.warnings)
    return payload


def print_hits(result, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(hits_json(result), ensure_ascii=False))
        return
    for w in result.warnings:
        print(f"Attention : {w}", file=sys.stderr)
    for h in result.hits:
        print(f"[{h.rank}] {h.section_label}  (score {h.score:.4f})")
        print(f"    {h.heading_path}")
        for line in h.text.splitlines():
            print(f"    {line}" if line else "")
        print()


def _document_line(d) -> str:
    """ "Question écrite n°517 — … · Bianca Debaets → Rudi Vervoort · 2021-04-28" """
    who = " → ".join(x for x in (d.author, d.addressee) if x)
    cut = "page incomplète" if d.incomplete else ""
    return " · ".join(x for x in (d.label, who, d.date, cut) if x)


def print_answer(answer, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
        return
    for w in answer.warnings:
        print(f"Attention : {w}", file=sys.stderr)
    if answer.resolved_question and answer.resolved_question != answer.question:
        print(f"(question comprise : {answer.resolved_question})")
    print(answer.answer)
    if answer.note:
        print(f"\nNote : {answer.note}")
    if answer.citations and not answer.abstained:
        print("\nSources :")
        for c in answer.citations:
            print(f"[{c.n}] {c.section_label}")
            if c.document.label:
                print(f"    {_document_line(c.document)}")
            if c.ministers:
                print(f"    Ministre(s) porteur(s) : {' ; '.join(c.ministers)}")
            for start, end in c.highlights:
                print(f"    « {c.excerpt[start:end]} »")


def _document_kind(d) -> str:
    """ "txt · nl · qe n°1021": format, language, series and number."""
    number = " ".join(x for x in (d.series, f"n°{d.number}" if d.number else "") if x)
    return " · ".join(x for x in (d.format, d.language, number) if x)


def print_documents(docs, *, corpus: Path, as_json: bool) -> None:
    """``list``: one JSON line per document, or two lines of text each and a count."""
    for d in docs:
        if as_json:
            print(json.dumps(d.to_json(), ensure_ascii=False))
        else:
            who = " → ".join(x for x in (d.author, d.addressee) if x)
            print(f"{d.doc_id}  [{_document_kind(d)}]  {d.label}")
            cut = " · page incomplète" if d.incomplete else ""
            print(f"    {who or '—'} · {d.date or 'sans date'} · {d.sections} sections{cut}")
    if not as_json:
        print(f"{len(docs)} document(s) dans {corpus}.", file=sys.stderr)


def index_summary(meta: dict) -> str:
    """The line ``index`` prints: passages, model, dense index, build time, cache reuse."""
    emb = meta.get("embeddings", {})
    return (
        f"Index : {meta['count']} passages, modèle {meta['model']['id']}, "
        f"index dense {meta['dense_backend']}, construit le {meta['built_at']} "
        f"en {meta['build_seconds']:.1f} s ({emb.get('embedded', '?')} textes encodés, "
        f"{emb.get('from_cache', '?')} repris du cache)."
    )
