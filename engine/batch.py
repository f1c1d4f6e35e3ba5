"""Evaluating a portfolio: many facts files, spread over worker processes, results in input order.

durable-rules holds the GIL inside the engine, so parallelism needs processes. Workers are forked
from a process that has already compiled the policy, so each starts ready; each file's result
comes back as the report's JSON form (or the rendered error), never as live engine objects.
"""
from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from . import messages
from .errors import FactsError, FactsErrors, ToolError, relative_name
from .facts import load_facts
from .policy import CompiledPolicy


@dataclass(frozen=True, slots=True)
class FileResult:
    """One file's own result: its report, or the located error that made it unusable."""

    path: Path
    report: dict | None  # Report.to_json()
    error: str | None  # the rendered message when the file could not be used
    error_entries: tuple[dict, ...] = ()  # the same error as JSON objects

    @property
    def has_violations(self) -> bool:
        return bool(self.report) and any(f["类别"] in ("违规", "后果") for f in self.report["发现"])

    def to_json(self) -> dict:
        """The report, or {"文件": …, "错误": […]} for a file that could not be used."""
        if self.report is not None:
            return self.report
        return {"文件": relative_name(self.path), "错误": list(self.error_entries)}


_worker_policy: CompiledPolicy | None = None
_worker_as_of: dt.date | None = None


def evaluate_file(policy: CompiledPolicy, path: Path, as_of: dt.date | None) -> FileResult:
    """One file, start to end. Whatever goes wrong stays with this file: a mistake in it is a
    located error, and even a bug of the tool's (E999) becomes this file's result, never the batch's."""
    display = relative_name(path)
    try:
        facts = load_facts(path, policy.vocabulary)
        report = policy.evaluate(facts, as_of).to_json()
        json.dumps(report, ensure_ascii=False).encode("utf-8")  # it must be printable, or it is this file's error
        return FileResult(path, report, None)
    except (FactsError, FactsErrors) as error:
        return FileResult(path, None, error.render(), tuple(error.entries()))
    except ToolError as error:  # e.g. a working-day count reaching a year with no holiday data
        entries = tuple({"文件": display, **entry} for entry in error.entries())
        return FileResult(path, None, f"{display}: {error.render()}", entries)
    except Exception as error:  # noqa: BLE001 - a bug must cost one file, not the whole batch
        message = messages.internal_error(error)
        return FileResult(path, None, f"{display}: 内部错误[E999]: {message}", ({"代码": "E999", "文件": display, "信息": message},))


def _evaluate_in_worker(path: Path) -> FileResult:
    return evaluate_file(_worker_policy, path, _worker_as_of)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def evaluate_files(policy: CompiledPolicy, files: list[Path], as_of: dt.date | None, jobs: int) -> Iterator[FileResult]:
    """Results in the order of `files`; a bad file yields its error and the batch goes on."""
    global _worker_policy, _worker_as_of
    _worker_policy, _worker_as_of = policy, as_of
    jobs = max(1, min(jobs, len(files)))
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(_evaluate_in_worker, files)
        return
    context = multiprocessing.get_context("fork")
    chunk = max(1, min(64, len(files) // (jobs * 8)))
    with context.Pool(jobs) as pool:
        yield from pool.imap(_evaluate_in_worker, files, chunksize=chunk)
