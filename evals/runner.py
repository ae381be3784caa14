"""Run the evaluation: every retrieval configuration and the answers, in one process.

:func:`run_all` asks each question of the set through each configuration
(``bm25``, ``dense``, ``rrf``, ``hybrid``: the search modes of the assistant)
and through the answering pipeline (``answer``: hybrid search, sentence
selection, abstention) — plus ``generated`` (answers from the OpenAI-compatible endpoint,
checked, with their extractive fallback) when ``ASSISTANT_LLM_BASE_URL`` and
``ASSISTANT_LLM_MODEL`` are set — and returns a report dict: metrics per configuration
and split, per question kind, latency per stage, and the per-question records
used to list failures.

Non-goals: rendering (see :mod:`evals.report`).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np

from .answers import answer_row
from .answers import summarise as summarise_answers
from .dataset import EvalQuestion, _loose
from .metrics import distinct, evidence_hit_at, hit_at, mrr_at, ndcg_at

__all__ = ["CONFIGS", "ANSWER_CONFIGS", "available_configs", "run_all", "retrieval_summary"]

CONFIGS = ("bm25", "dense", "rrf", "hybrid", "answer", "generated")
ANSWER_CONFIGS = ("answer", "generated")  # scored as answers, on every question


def available_configs(env=None) -> tuple[str, ...]:
    """The configurations that can run here: ``generated`` only with an endpoint configured."""
    from assistant.answers.llm import GeneratorConfig

    if GeneratorConfig.configured(env):
        return CONFIGS
    return tuple(c for c in CONFIGS if c != "generated")


KS = (1, 3, 5, 10)


def _retrieval_row(assistant, q: EvalQuestion, mode: str) -> dict:
    result = assistant.search_detailed(q.question, k=10, mode=mode)
    ranked = distinct([h.section_id for h in result.hits])
    gold = set(q.gold_sections)
    row = {f"hit@{k}": hit_at(ranked, gold, k) for k in KS}
    row["mrr@10"] = mrr_at(ranked, gold)
    row["ndcg@10"] = ndcg_at(ranked, gold)
    for k in (1, 5):
        row[f"evidence@{k}"] = evidence_hit_at(
            [h.text for h in result.hits], list(q.evidence), k, _loose
        )
    row["ranked"] = ranked
    row["timings_ms"] = result.timings_ms
    return row


def retrieval_summary(rows: list[dict]) -> dict[str, float]:
    keys = [f"hit@{k}" for k in KS] + ["mrr@10", "ndcg@10", "evidence@1", "evidence@5"]
    return {k: float(np.mean([r[k] for r in rows])) if rows else 0.0 for k in keys}


def _latency(rows: list[dict]) -> dict[str, dict[str, float]]:
    stages: dict[str, list[float]] = {}
    for r in rows:
        for stage, ms in r["timings_ms"].items():
            stages.setdefault(stage, []).append(ms)
    return {
        s: {"p50": float(np.percentile(v, 50)), "p95": float(np.percentile(v, 95))}
        for s, v in stages.items()
        if s in ("encode", "search", "answer", "total")
    }


def run_all(
    assistant,
    questions: list[EvalQuestion],
    *,
    configs: tuple[str, ...] | None = None,
    progress: Callable | None = None,
    generator=None,
) -> dict:
    """Evaluate ``questions`` with each configuration; returns the report dict.

    ``configs`` defaults to :func:`available_configs`; ``generated`` uses ``generator``
    (a GeneratorConfig), or the endpoint configured in the environment.
    """
    configs = available_configs() if configs is None else configs
    unknown = set(configs) - set(CONFIGS)
    if unknown:
        raise ValueError(f"unknown configuration(s) {sorted(unknown)}; choose among {CONFIGS}")
    if "generated" in configs and generator is None:
        from assistant.answers.llm import GeneratorConfig

        generator = GeneratorConfig.from_env()
    started = time.time()
    records: dict[str, list[dict]] = {}
    total = sum(
        len([q for q in questions if q.answerable]) if c not in ANSWER_CONFIGS else len(questions)
        for c in configs
    )
    done = 0
    for config in configs:
        rows = []
        for q in questions:
            if config not in ANSWER_CONFIGS and not q.answerable:
                continue
            if config == "answer":
                row = answer_row(assistant, q)
            elif config == "generated":
                row = answer_row(assistant, q, generator=generator)
            else:
                row = _retrieval_row(assistant, q, config)
            row.update(
                id=q.id,
                split=q.split,
                kind=q.kind,
                answerable=q.answerable,
                question=q.question,
                gold=list(q.gold_sections),
            )
            rows.append(row)
            done += 1
            if progress:
                progress(done, total, config)
        records[config] = rows

    splits = sorted({q.split for q in questions})
    summary: dict = {}
    for config, rows in records.items():
        for split in [*splits, "all"]:
            part = [r for r in rows if split == "all" or r["split"] == split]
            if not part:
                continue
            s = summarise_answers(part) if config in ANSWER_CONFIGS else retrieval_summary(part)
            s["n"] = len(part)
            s["latency_ms"] = _latency(part)
            summary.setdefault(config, {})[split] = s
    kinds = sorted({q.kind for q in questions})
    by_kind = {
        config: {
            kind: float(np.mean([r["hit@5"] for r in rows if r["kind"] == kind]))
            for kind in kinds
            if any(r["kind"] == kind for r in rows)
        }
        for config, rows in records.items()
        if config not in ANSWER_CONFIGS
    }
    return {
        "started": started,
        "seconds": round(time.time() - started, 1),
        "model": assistant.encoder.id,
        "index": {k: assistant.built.meta.get(k) for k in ("built_at", "count", "generation")},
        "questions": len(questions),
        "splits": splits,
        "configs": list(configs),
        "summary": summary,
        "hit_curve": {
            config: {
                split: [
                    float(
                        statistics.fmean(
                            r[f"hit@{k}"] for r in rows if split == "all" or r["split"] == split
                        )
                    )
                    for k in KS
                ]
                for split in [*splits, "all"]
                if any(split == "all" or r["split"] == split for r in rows)
            }
            for config, rows in records.items()
            if config not in ANSWER_CONFIGS
        },
        "by_kind_hit@5": by_kind,
        "records": records,
    }
