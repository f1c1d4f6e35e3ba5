"""Evaluating a portfolio: many facts files, spread over worker processes, results in input order.

durable-rules holds the GIL inside the engine, so parallelism needs processes. Workers are forked
from a process that has already compiled the policy, so each starts ready; each file's result
comes back as the report's JSON form (or the rendered error), never as live engine objects.
"""
from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .errors import ToolError
from .facts import load_facts
from .policy import CompiledPolicy


@dataclass(frozen=True, slots=True)
class FileResult:
    path: Path
    report: dict | None  # Report.to_json()
    error: str | None  # the rendered message when the file could not be used

    @property
    def has_violations(self) -> bool:
        return bool(self.report) and any(f["类别"] in ("违规", "后果") for f in self.report["发现"])


_worker_policy: CompiledPolicy | None = None
_worker_as_of: dt.date | None = None


def _evaluate_file(path: Path) -> FileResult:
    try:
        facts = load_facts(path, _worker_policy.vocabulary)
        return FileResult(path, _worker_policy.evaluate(facts, _worker_as_of).to_json(), None)
    except ToolError as error:
        return FileResult(path, None, error.render())


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def evaluate_files(policy: CompiledPolicy, files: list[Path], as_of: dt.date | None, jobs: int) -> Iterator[FileResult]:
    """Results in the order of `files`; a bad file yields its error and the batch goes on."""
    global _worker_policy, _worker_as_of
    _worker_policy, _worker_as_of = policy, as_of
    jobs = max(1, min(jobs, len(files)))
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(_evaluate_file, files)
        return
    context = multiprocessing.get_context("fork")
    chunk = max(1, min(64, len(files) // (jobs * 8)))
    with context.Pool(jobs) as pool:
        yield from pool.imap(_evaluate_file, files, chunksize=chunk)
