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
from dataclasses import dataclass

import numpy as np

from .answers import AnswerRow, answer_row
from .answers import summarise as summarise_answers
from .dataset import EvalQuestion, _loose
from .metrics import distinct, evidence_hit_at, hit_at, mrr_at, ndcg_at

__all__ = [
    "CONFIGS",
    "ANSWER_CONFIGS",
    "RetrievalRow",
    "available_configs",
    "run_all",
    "retrieval_summary",
]

CONFIGS = ("bm25", "dense", "rrf", "hybrid", "answer", "generated")
ANSWER_CONFIGS = ("answer", "generated")  # scored as answers, on every question


def available_configs(env=None) -> tuple[str, ...]:
    """The configurations that can run here: ``generated`` only with an endpoint configured."""
    from assistant.answers.llm import GeneratorConfig

    if GeneratorConfig.configured(env):
        return CONFIGS
    return tuple(c for c in CONFIGS if c != "generated")


KS = (1, 3, 5, 10)


@dataclass(frozen=True)
class RetrievalRow:
    """How one search configuration ranked the sections for one question."""

    q: EvalQuestion
    metrics: dict[str, float]  # "hit@1" … "hit@10", "mrr@10", "ndcg@10", "evidence@1", "@5"
    ranked: tuple[str, ...]  # distinct section ids, best first
    timings_ms: dict[str, float]

    def to_json(self) -> dict:
        return {
            **self.metrics,
            "ranked": list(self.ranked),
            "timings_ms": self.timings_ms,
            **self.q.row_fields(),
        }


def _retrieval_row(assistant, q: EvalQuestion, mode: str) -> RetrievalRow:
    result = assistant.search_detailed(q.question, k=10, mode=mode)
    ranked = distinct([h.section_id for h in result.hits])
    gold = set(q.gold_sections)
    metrics = {f"hit@{k}": hit_at(ranked, gold, k) for k in KS}
    metrics["mrr@10"] = mrr_at(ranked, gold)
    metrics["ndcg@10"] = ndcg_at(ranked, gold)
    for k in (1, 5):
        metrics[f"evidence@{k}"] = evidence_hit_at(
            [h.text for h in result.hits], list(q.evidence), k, _loose
        )
    return RetrievalRow(q, metrics, tuple(ranked), result.timings_ms)


def retrieval_summary(rows: list[RetrievalRow]) -> dict[str, float]:
    keys = [f"hit@{k}" for k in KS] + ["mrr@10", "ndcg@10", "evidence@1", "evidence@5"]
    return {k: float(np.mean([r.metrics[k] for r in rows])) if rows else 0.0 for k in keys}


Row = RetrievalRow | AnswerRow


def _latency(rows: list[Row]) -> dict[str, dict[str, float]]:
    stages: dict[str, list[float]] = {}
    for r in rows:
        for stage, ms in r.timings_ms.items():
            stages.setdefault(stage, []).append(ms)
    return {
        s: {"p50": float(np.percentile(v, 50)), "p95": float(np.percentile(v, 95))}
        for s, v in stages.items()
        if s in ("encode", "search", "answer", "total")
    }


def _rows(assistant, questions, config: str, generator, tick) -> list[Row]:
    """The rows of one configuration: answers on every question, searches on answerable ones."""
    rows: list[Row] = []
    for q in questions:
        if config not in ANSWER_CONFIGS and not q.answerable:
            continue
        if config == "answer":
            rows.append(answer_row(assistant, q))
        elif config == "generated":
            rows.append(answer_row(assistant, q, generator=generator))
        else:
            rows.append(_retrieval_row(assistant, q, config))
        tick(config)
    return rows


def _summary(records: dict[str, list[Row]], splits: list[str]) -> dict:
    summary: dict = {}
    for config, rows in records.items():
        for split in [*splits, "all"]:
            part = [r for r in rows if split == "all" or r.q.split == split]
            if not part:
                continue
            s = summarise_answers(part) if config in ANSWER_CONFIGS else retrieval_summary(part)
            s["n"] = len(part)
            s["latency_ms"] = _latency(part)
            summary.setdefault(config, {})[split] = s
    return summary


def _hit_curve(rows: list[RetrievalRow], splits: list[str]) -> dict[str, list[float]]:
    return {
        split: [
            float(
                statistics.fmean(
                    r.metrics[f"hit@{k}"] for r in rows if split == "all" or r.q.split == split
                )
            )
            for k in KS
        ]
        for split in [*splits, "all"]
        if any(split == "all" or r.q.split == split for r in rows)
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
    total = sum(
        len([q for q in questions if q.answerable]) if c not in ANSWER_CONFIGS else len(questions)
        for c in configs
    )
    done = 0

    def tick(config: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, config)

    records = {c: _rows(assistant, questions, c, generator, tick) for c in configs}
    splits = sorted({q.split for q in questions})
    kinds = sorted({q.kind for q in questions})
    retrieval = {c: rows for c, rows in records.items() if c not in ANSWER_CONFIGS}
    by_kind = {
        config: {
            kind: float(np.mean([r.metrics["hit@5"] for r in rows if r.q.kind == kind]))
            for kind in kinds
            if any(r.q.kind == kind for r in rows)
        }
        for config, rows in retrieval.items()
    }
    return {
        "started": started,
        "seconds": round(time.time() - started, 1),
        "model": assistant.encoder.id,
        "index": {k: assistant.built.meta.get(k) for k in ("built_at", "count", "generation")},
        "questions": len(questions),
        "splits": splits,
        "configs": list(configs),
        "summary": _summary(records, splits),
        "hit_curve": {c: _hit_curve(rows, splits) for c, rows in retrieval.items()},
        "by_kind_hit@5": by_kind,
        "records": {c: [r.to_json() for r in rows] for c, rows in records.items()},
    }
