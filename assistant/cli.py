"""Command line: ``python -m assistant index|search|ask``.

``search "QUESTION" [--k 5] [--mode hybrid] [--json]`` prints the best
passages; ``ask "QUESTION" [--k 5] [--json]`` prints an answer with its cited
sources (or says the document has no information). ``--batch FILE`` (JSON
lines with ``id`` and ``question``, ``-`` for stdin) prints one JSON object per
line and goes on past a bad line. Errors are
one line in French on stderr with exit code 2, never a traceback.

Non-goals: a REPL, conversations (the app keeps the history).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .core import MODES, Assistant
from .errors import AssistantError

__all__ = ["main", "index_main"]


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", type=Path, help="dossier des documents (défaut : corpus/)")
    p.add_argument("--index", type=Path, help="dossier de l'index (défaut : index/)")
    p.add_argument("--model", help="modèle sentence-transformers (défaut : multilingual-e5-small)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant", description="Questions-réponses sur les questions écrites."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_index = sub.add_parser("index", help="construire l'index")
    _common(p_index)
    p_index.add_argument("--force", action="store_true", help="reconstruire même s'il est à jour")
    for name, helptext in (
        ("search", "chercher les passages pertinents"),
        ("ask", "répondre, avec les sources citées"),
    ):
        p = sub.add_parser(name, help=helptext)
        _common(p)
        p.add_argument("question", nargs="?", help="la question, en français")
        p.add_argument("--k", type=int, default=5, help="nombre de passages (défaut : 5)")
        if name == "search":
            p.add_argument("--mode", choices=MODES, default="hybrid")
        p.add_argument("--json", action="store_true", help="sortie JSON")
        p.add_argument("--batch", help="fichier JSON lines (id, question) ; - pour stdin")
    return parser


def _err(msg: str) -> None:
    print(f"Erreur : {msg}", file=sys.stderr)


def _print_hits(result, as_json: bool) -> None:
    if as_json:
        payload = {"query": result.query, "hits": [h.to_json() for h in result.hits]}
        if result.warnings:
            payload["warnings"] = list(result.warnings)
        print(json.dumps(payload, ensure_ascii=False))
        return
    for w in result.warnings:
        print(f"Attention : {w}", file=sys.stderr)
    for h in result.hits:
        print(f"[{h.rank}] {h.section_label}  (score {h.score:.4f})")
        print(f"    {h.heading_path}")
        for line in h.text.splitlines():
            print(f"    {line}" if line else "")
        print()


def _batch_lines(source: str):
    f = sys.stdin if source == "-" else open(source, encoding="utf-8")
    try:
        yield from enumerate(f, start=1)
    finally:
        if f is not sys.stdin:
            f.close()


def _print_answer(answer, as_json: bool) -> None:
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
        return
    for w in answer.warnings:
        print(f"Attention : {w}", file=sys.stderr)
    if answer.resolved_question and answer.resolved_question != answer.question:
        print(f"(question comprise : {answer.resolved_question})")
    print(answer.answer)
    if answer.citations and not answer.abstained:
        print("\nSources :")
        for c in answer.citations:
            print(f"[{c.n}] {c.section_label}")
            if c.ministers:
                print(f"    Ministre(s) porteur(s) : {' ; '.join(c.ministers)}")
            for start, end in c.highlights:
                print(f"    « {c.excerpt[start:end]} »")


def _one(assistant: Assistant, args, question):
    """The JSON object for one question of a batch (search or ask)."""
    if args.command == "ask":
        return assistant.ask(question, k=args.k).to_json()
    result = assistant.search_detailed(question, k=args.k, mode=args.mode)
    out = {"query": result.query, "hits": [h.to_json() for h in result.hits]}
    if result.warnings:
        out["warnings"] = list(result.warnings)
    return out


def _run_batch(assistant: Assistant, args) -> int:
    for n, line in _batch_lines(args.batch):
        if not line.strip():
            continue
        qid = None
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("objet JSON attendu")
            qid = item.get("id")
            out = {"id": qid, **_one(assistant, args, item.get("question"))}
        except (AssistantError, ValueError) as exc:
            msg = (
                f"ligne {n} : JSON invalide" if isinstance(exc, json.JSONDecodeError) else str(exc)
            )
            out = {"id": qid, "error": msg}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "index":
            a = Assistant.load(
                corpus=args.corpus, index=args.index, model=args.model, rebuild=args.force
            )
            meta = a.built.meta
            print(
                f"Index : {meta['count']} passages, modèle {meta['model']['id']}, "
                f"construit le {meta['built_at']}.",
                file=sys.stderr,
            )
            return 0
        if args.k < 1:
            _err(f"--k doit être ≥ 1 (reçu {args.k}).")
            return 2
        if args.batch is None and args.question is None:
            _err("donnez une question, ou --batch FICHIER.")
            return 2
        if args.batch is not None and args.batch != "-" and not Path(args.batch).is_file():
            _err(f"le fichier {args.batch} n'existe pas.")
            return 2
        if args.batch is None:
            from .query import clean_query

            clean_query(args.question)  # fail fast, before loading the model
        assistant = Assistant.load(corpus=args.corpus, index=args.index, model=args.model)
        if args.batch is not None:
            return _run_batch(assistant, args)
        if args.command == "ask":
            _print_answer(assistant.ask(args.question, k=args.k), args.json)
        else:
            _print_hits(
                assistant.search_detailed(args.question, k=args.k, mode=args.mode), args.json
            )
        return 0
    except AssistantError as exc:
        _err(str(exc))
        return 2
    except OSError as exc:  # an unreadable corpus, an index folder that cannot be written
        _err(f"{exc.strerror or exc} : {exc.filename or ''} — vérifiez le chemin et les droits.")
        return 2
    except KeyboardInterrupt:
        return 130


def index_main(argv: list[str] | None = None) -> int:
    """Entry point ``assistant-index``: same as ``assistant index``."""
    return main(["index", *(sys.argv[1:] if argv is None else argv)])
