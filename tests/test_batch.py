"""A portfolio evaluated in one process: each file's result is its own, even when the tool itself
fails on one of them (the batch's last line of defence)."""
from __future__ import annotations

import os

from helpers import AS_OF, SAMPLES
from engine.batch import evaluate_files


class _FailsOnOneProject:
    """A policy that breaks on one project, as a bug would (its projects share engine batches)."""

    def __init__(self, policy, broken_file: str) -> None:
        self._policy, self._broken = policy, broken_file

    def __getattr__(self, name):
        return getattr(self._policy, name)

    def evaluation(self, facts, values, firings):
        if facts.file.endswith(self._broken):
            raise RecursionError("maximum recursion depth exceeded")
        return self._policy.evaluation(facts, values, firings)


def test_a_bug_on_one_file_costs_only_that_file(policy):
    files = sorted(SAMPLES.glob("*.yaml"))[:3]
    results = list(evaluate_files(_FailsOnOneProject(policy, files[1].name), files, AS_OF, jobs=1))
    assert [r.report is not None for r in results] == [True, False, True]
    assert results[1].error.endswith(f"{files[1].name}: 内部错误[E999]: RecursionError: maximum recursion depth exceeded。"
                                     "这是本工具的缺陷，请将命令和这个文件报告给开发人员")
    assert results[1].to_json()["错误"][0]["代码"] == "E999"


class _KillsItsProcessOnOneProject(_FailsOnOneProject):
    """As a crash in native code or the OOM killer would: the worker process is gone."""

    def evaluation(self, facts, values, firings):
        if facts.file.endswith(self._broken):
            os._exit(70)
        return self._policy.evaluation(facts, values, firings)


def test_a_worker_killed_by_one_file_costs_only_that_file(policy):
    files = sorted(SAMPLES.glob("*.yaml"))[:4]
    results = list(evaluate_files(_KillsItsProcessOnOneProject(policy, files[1].name), files, AS_OF, jobs=2))
    assert [r.path for r in results] == files
    assert [r.report is not None for r in results] == [True, False, True, True]
    assert "内部错误[E999]: 评估这个文件时工作进程意外退出" in results[1].error


def test_display_names_with_remembered_folders_are_those_of_resolving_each_file(tmp_path, monkeypatch):
    from pathlib import Path
    from engine.batch import display_name
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "f.yaml").write_text("", encoding="utf-8")
    (tmp_path / "a" / "link.yaml").symlink_to(tmp_path / "a" / "f.yaml")
    (tmp_path / "dirlink").symlink_to(tmp_path / "a" / "b")
    (tmp_path / "outside").symlink_to("/")
    monkeypatch.chdir(tmp_path)
    paths = [Path(p) for p in ("a/f.yaml", "a/link.yaml", "a/b/../f.yaml", "dirlink/../f.yaml", "dirlink/x.yaml",
                               "outside/etc/hostname", str(tmp_path / "a" / "f.yaml"), "missing/y.yaml")]
    here, folders = Path.cwd().resolve(), {}
    assert [display_name(p, here, folders) for p in paths] == [display_name(p, here) for p in paths]
    assert display_name(Path("a/link.yaml"), here, folders) == "a/f.yaml"


def test_a_report_drawn_in_a_worker_is_what_the_parents_console_draws(policy):
    """--format text draws each report in its worker (engine/eval_output.py) on a console set up as
    the parent's: the same text, colour codes and width included, for a report and an unusable file."""
    import io
    from rich.console import Console
    from engine import render
    from engine.errors import relative_name
    from engine.eval_output import ConsoleSettings, TextPrinter
    from engine.staff_labels import staff_labels
    labels = staff_labels(policy)
    files = [*sorted(SAMPLES.glob("*.yaml"))[:2], SAMPLES / "没有这个文件.yaml"]
    results = list(evaluate_files(policy, files, AS_OF, jobs=1))
    for width, colours, terminal in ((100, "truecolor", True), (80, None, False), (57, "standard", True)):
        parent = Console(file=io.StringIO(), width=width, color_system=colours, force_terminal=terminal,
                         highlight=False, markup=False, emoji=False, soft_wrap=False)
        draw = TextPrinter(ConsoleSettings.of(parent), labels)
        for result in results:
            if result.report is not None:
                render.print_report(parent, result.report, labels)
            else:
                render.print_unusable(parent, relative_name(result.path), result.error)
            parent.print()
        assert "".join(draw(result).drawn for result in results) == parent.file.getvalue()
    assert "\x1b[" in draw(results[0]).drawn and results[2].error
