"""Run the dev cases through OpenAIClassifier against a real OpenAI-compatible server.

A benchmark of the plumbing (structured call, deadline, fallbacks, token counts), not of
quality: with the tiny local model the classifications mean little. Prints the share answered
by the LLM vs fallen back (reasons counted), latency p50/p95 and tokens per chat call.

    .venv/bin/python bench/real_llm.py

Environment (all optional):
  OPENAI_BASE_URL           default http://127.0.0.1:8091/v1 (shared/tools/real-llm server)
  OPENAI_API_KEY            default "none"
  OPENAI_MODEL              default "smollm2-135m"
  REPAIR_COACH_LLM_TIMEOUT  seconds for one whole classification, default 20
  REPAIR_COACH_LLM_SCHEMA   strict | bounded, default chosen from the base URL
  MODERATION                1 (default) or 0
  MAX_RETRIES               the client's retries, default 2
  LIMIT                     only the first N cases
  RUNS                      passes over the cases, default 1
  CASES                     default tests/data/dev.jsonl
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openai

from coaching.models import Draft
from coaching.understanding.offline import OfflineClassifier
from llm.classifier import LlmUsage, OpenAIClassifier, SchemaMode, schema_mode_for

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    base_url: str
    api_key: str
    model: str
    timeout: float
    schema_mode: SchemaMode
    moderation: bool
    max_retries: int
    limit: int | None
    runs: int
    cases: Path

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        base_url = env.get("OPENAI_BASE_URL", "http://127.0.0.1:8091/v1")
        schema = env.get("REPAIR_COACH_LLM_SCHEMA")
        limit = env.get("LIMIT")
        return cls(
            base_url=base_url,
            api_key=env.get("OPENAI_API_KEY", "none"),
            model=env.get("OPENAI_MODEL", "smollm2-135m"),
            timeout=float(env.get("REPAIR_COACH_LLM_TIMEOUT", "20")),
            schema_mode=SchemaMode(schema) if schema else schema_mode_for(base_url),
            moderation=env.get("MODERATION", "1") == "1",
            max_retries=int(env.get("MAX_RETRIES", "2")),
            limit=int(limit) if limit else None,
            runs=int(env.get("RUNS", "1")),
            cases=Path(env.get("CASES", str(ROOT / "tests" / "data" / "dev.jsonl"))),
        )


@dataclass
class Call:
    case: dict[str, Any]
    draft: Draft
    seconds: float
    usage: list[LlmUsage] = field(default_factory=list)


def load_cases(path: Path, limit: int | None) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        cases = [json.loads(line) for line in lines if line.strip()]
    return cases[:limit] if limit else cases


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: a value that was actually seen."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


async def run(settings: Settings, cases: list[dict[str, Any]]) -> list[Call]:
    client = openai.AsyncOpenAI(
        base_url=settings.base_url, api_key=settings.api_key, max_retries=settings.max_retries
    )
    usage_sink: list[LlmUsage] = []
    classifier = OpenAIClassifier(
        client=client,
        model=settings.model,
        fallback=OfflineClassifier(),
        timeout=settings.timeout,
        schema_mode=settings.schema_mode,
        moderation=settings.moderation,
        on_usage=usage_sink.append,
    )
    calls: list[Call] = []
    try:
        for run_index in range(settings.runs):
            for case in cases:
                usage_sink.clear()
                started = time.monotonic()
                draft = await classifier.classify(case["text"])
                call = Call(case, draft, time.monotonic() - started, list(usage_sink))
                calls.append(call)
                print_progress(run_index, call)
    finally:
        await client.close()
    print(f"moderation endpoint available: {classifier.moderation_available}")
    return calls


def print_progress(run_index: int, call: Call) -> None:
    draft = call.draft
    top = draft.classification.patterns[0].id.value if draft.classification.patterns else "-"
    reason = draft.fallback_reason or ""
    tokens = "/".join(f"{u.prompt_tokens}+{u.completion_tokens}" for u in call.usage) or "-"
    print(
        f"[run {run_index + 1}] {call.case['id']:<8} {draft.classifier:<7} {reason:<16} "
        f"{call.seconds:6.2f}s tokens={tokens:<10} rupture={draft.classification.rupture!s:<5} "
        f"top={top}",
        flush=True,
    )


def summarise(settings: Settings, calls: list[Call]) -> None:
    total = len(calls)
    by_llm = [c for c in calls if c.draft.classifier == "llm"]
    reasons = Counter(c.draft.fallback_reason for c in calls if c.draft.classifier != "llm")
    latencies = [c.seconds for c in calls]
    usages = [u for c in calls for u in c.usage]
    print()
    print(
        f"server={settings.base_url} model={settings.model} schema={settings.schema_mode} "
        f"timeout={settings.timeout:g}s runs={settings.runs} calls={total}"
    )
    print(f"answered by LLM: {len(by_llm)}/{total} ({len(by_llm) / total:.0%})")
    fallen = total - len(by_llm)
    print(f"fell back:       {fallen}/{total} ({fallen / total:.0%}) {dict(reasons.most_common())}")
    print(
        f"latency all:     p50={percentile(latencies, 0.5):.2f}s "
        f"p95={percentile(latencies, 0.95):.2f}s max={max(latencies):.2f}s"
    )
    if by_llm:
        llm_latencies = [c.seconds for c in by_llm]
        print(
            f"latency LLM-answered: p50={percentile(llm_latencies, 0.5):.2f}s "
            f"p95={percentile(llm_latencies, 0.95):.2f}s"
        )
    summarise_tokens(usages)
    summarise_agreement(by_llm)


def summarise_tokens(usages: list[LlmUsage]) -> None:
    if not usages:
        print("tokens: no chat call returned usage")
        return
    prompt = [u.prompt_tokens for u in usages]
    completion = [u.completion_tokens for u in usages]
    print(
        f"tokens per chat call ({len(usages)} with usage): "
        f"prompt mean={statistics.fmean(prompt):.0f} median={statistics.median(prompt):.0f}; "
        f"completion mean={statistics.fmean(completion):.0f} "
        f"median={statistics.median(completion):.0f}"
    )


def summarise_agreement(by_llm: list[Call]) -> None:
    """Label agreement of LLM answers on non-safety cases; meaningless for a 135M model, shown
    so a bigger model's run can be compared on the same line."""
    coachable = [c for c in by_llm if c.case.get("safety", "none") == "none"]
    if not coachable:
        return
    rupture_ok = sum(c.draft.classification.rupture == c.case["rupture"] for c in coachable)
    ruptures = [c for c in coachable if c.case["rupture"]]
    top1_ok = sum(
        bool(c.draft.classification.patterns)
        and c.draft.classification.patterns[0].id.value in c.case["present"]
        for c in ruptures
    )
    print(
        f"label agreement (LLM-answered, safety none; not a quality claim): "
        f"rupture {rupture_ok}/{len(coachable)}, top-1 pattern {top1_ok}/{len(ruptures)}"
    )


def main() -> int:
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "ERROR"), stream=sys.stderr)
    settings = Settings.from_env()
    cases = load_cases(settings.cases, settings.limit)
    calls = asyncio.run(run(settings, cases))
    summarise(settings, calls)
    return 0


if __name__ == "__main__":
    sys.exit(main())
