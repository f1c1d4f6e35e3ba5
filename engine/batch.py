"""Evaluating a portfolio: many facts files, spread over worker processes, results in input order.

durable-rules holds the GIL inside the engine, so parallelism needs processes. Workers are forked
from a process that has already compiled the policy, so each starts ready; they take the files in
chunks, and a chunk's projects share engine sessions. Each file's result comes back as its
typed report (report.Report: plain data) or the rendered error, never as live engine objects; or,
when the caller names a `send`, as whatever `send` makes of it in the worker (the CLI's eval takes
the file's printed JSON, eval_output.py, so the parent only writes bytes).
"""
from __future__ import annotations

import datetime as dt
import json
import math
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, TypeVar

import orjson

from . import messages
from .durable_session import BATCH_SIZE
from .errors import FactsError, FactsErrors, ToolError, printable_name, relative_name
from .facts import ProjectFacts, load_facts
from .facts_cache import FactsCache
from .policy import CompiledPolicy
from .report import Report
from .valuation import ProjectValues


@dataclass(frozen=True, slots=True)
class FileResult:
    """One file's own result: its report, or the located error that made it unusable."""

    path: Path
    report: Report | None
    error: str | None  # the rendered message when the file could not be used
    error_entries: tuple[dict, ...] = ()  # the same error as JSON objects

    @property
    def has_violations(self) -> bool:
        return self.report is not None and self.report.has_violations

    def to_json(self) -> dict:
        """The report, or {"文件": …, "错误": […]} for a file that could not be used."""
        if self.report is not None:
            return self.report.to_json()
        return {"文件": relative_name(self.path), "错误": list(self.error_entries)}


Sent = TypeVar("Sent")


def _checked(result: FileResult) -> FileResult:
    """The result itself, once its report is known to be printable as JSON (a lone surrogate is the
    file's error, not a crash when the results are printed)."""
    if result.report is not None:
        _printable(result.report.to_json())
    return result


_worker_policy: CompiledPolicy | None = None
_worker_as_of: dt.date | None = None
_worker_cache: FactsCache | None = None
_worker_send: Callable[[FileResult], object] = _checked


def _evaluate_chunk(paths: list[Path]) -> list:
    """A chunk of files: each read, validated and valued on its own, then all evaluated together
    in shared engine sessions, then each reported on its own and sent as the caller asked. Whatever
    goes wrong stays with its file: a mistake in it is a located error, and even a bug of the
    tool's (E999) becomes this file's result, never the chunk's."""
    policy, as_of, cache, send = _worker_policy, _worker_as_of, _worker_cache, _worker_send
    here = Path.cwd().resolve()  # once per chunk, not once per file
    folders: dict[Path, Path] = {}
    displays = [display_name(path, here, folders) for path in paths]
    results: list = [None] * len(paths)
    ready: list[tuple[int, ProjectFacts, ProjectValues]] = []
    loaded = cache.load_many(paths, displays) if cache is not None else [_loaded(path, policy, display)
                                                                          for path, display in zip(paths, displays)]
    for index, (path, display, facts) in enumerate(zip(paths, displays, loaded)):
        try:
            if isinstance(facts, Exception):
                raise facts
            ready.append((index, facts, policy.values(facts, as_of)))
        except Exception as error:  # noqa: BLE001 - see _failed
            results[index] = send(_failed(path, display, error))
    fired = policy.firings([values for _, _, values in ready])
    for (index, facts, values), firings in zip(ready, fired):
        try:
            if isinstance(firings, Exception):
                raise firings
            report = policy.evaluation(facts, values, firings).report()
            results[index] = send(FileResult(paths[index], report, None))
        except Exception as error:  # noqa: BLE001 - see _failed
            results[index] = send(_failed(paths[index], displays[index], error))
    return results


def _loaded(path: Path, policy: CompiledPolicy, display: str) -> ProjectFacts | Exception:
    try:
        return load_facts(path, policy.vocabulary, display)
    except Exception as error:  # noqa: BLE001 - see _failed
        return error


def _printable(report: dict) -> None:
    """The report must be printable as JSON, or it is this file's error (a lone surrogate)."""
    try:
        orjson.dumps(report)
    except TypeError:  # orjson refuses what json may still write, as an integer beyond 64 bits
        json.dumps(report, ensure_ascii=False).encode("utf-8")


def _failed(path: Path, display: str, error: Exception) -> FileResult:
    if isinstance(error, (FactsError, FactsErrors)):
        return FileResult(path, None, error.render(), tuple(error.entries()))
    if isinstance(error, ToolError):  # e.g. a working-day count reaching a year with no holiday data
        entries = tuple({"文件": display, **entry} for entry in error.entries())
        return FileResult(path, None, f"{display}: {error.render()}", entries)
    # a bug must cost one file, not the whole batch
    message = messages.internal_error(error)
    return FileResult(path, None, f"{display}: 内部错误[E999]: {message}", ({"代码": "E999", "文件": display, "信息": message},))


def display_name(path: Path, here: Path, folders: dict[Path, Path] | None = None) -> str:
    """As errors.relative_name, with the working directory resolved once by the caller. `folders`
    remembers resolved folders: a file that is not a symlink resolves to its resolved folder and
    its name (one lstat instead of one per path component)."""
    try:
        return printable_name(str(_resolved(path, folders).relative_to(here)))
    except ValueError:
        return printable_name(str(path))


def _resolved(path: Path, folders: dict[Path, Path] | None) -> Path:
    if folders is None or path.name in ("", ".", "..") or os.path.islink(path):
        return path.resolve()
    folder = folders.get(path.parent)
    if folder is None:
        folder = folders[path.parent] = path.parent.resolve()
    return folder / path.name


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def evaluate_files(policy: CompiledPolicy, files: list[Path], as_of: dt.date | None, jobs: int,
                   cache_folder: Path | None = None, send: Callable[[FileResult], Sent] = _checked) -> Iterator[Sent]:
    """Results in the order of `files`, each as soon as its chunk is done; a bad file yields its
    error and the batch goes on, even when evaluating it kills the worker process. Workers take
    chunks of files, so that the projects of a chunk share engine sessions. With `cache_folder`,
    validated facts are remembered there by file content (facts_cache). `send` turns each file's
    result, in the worker, into what comes back to this process (by default the FileResult); it
    must not fail on a result whose report it has already refused (_failed's error)."""
    global _worker_policy, _worker_as_of, _worker_cache, _worker_send
    _worker_policy, _worker_as_of, _worker_send = policy, as_of, send
    _worker_cache = FactsCache(cache_folder, policy.vocabulary) if cache_folder is not None else None
    jobs = max(1, min(jobs, len(files)))
    # Chunks no larger than an engine batch, and enough of them (4 per worker) to keep all busy.
    size = max(1, min(BATCH_SIZE, math.ceil(len(files) / (jobs * 4))))
    chunks = [files[start:start + size] for start in range(0, len(files), size)]
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in chunks:
            yield from _evaluate_chunk(chunk)
        return
    context = multiprocessing.get_context("fork")
    finished = 0
    try:
        # Unlike multiprocessing.Pool, which waits forever for the files of a worker that died, the
        # executor reports a dead worker (BrokenProcessPool).
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            for results in pool.map(_evaluate_chunk, chunks):
                for result in results:
                    finished += 1
                    yield result
    except BrokenProcessPool:
        # A worker died (killed, or a crash in native code) and took unfinished files with it: the
        # rest are evaluated one process each, so a file that kills its process costs only itself.
        for path in files[finished:]:
            yield _in_own_process(context, path, send)


def _in_own_process(context, path: Path, send: Callable[[FileResult], Sent]) -> Sent:
    try:
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            return pool.submit(_evaluate_chunk, [path]).result()[0]
    except BrokenProcessPool:
        display = relative_name(path)
        return send(FileResult(path, None, f"{display}: 内部错误[E999]: {messages.WORKER_DIED}",
                               ({"代码": "E999", "文件": display, "信息": messages.WORKER_DIED},)))
