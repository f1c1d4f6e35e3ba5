"""Saving from the workbench never loses anyone's text (engine/workbench/saving.py, api.py): a
colleague's edit made while the page's text compiles is kept (the version is checked again right
before the rename), a save that wrote never answers 500, a symlinked policy stays a link with its
mode, and an evaluation running while a save reloads the policy finishes on the policy it started with."""
from __future__ import annotations

import errno
import os
import shutil
import stat
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import engine.workbench.api as workbench_api
import engine.workbench.saving as workbench_saving
import engine.workbench.policy_state as policy_state
from engine.durable_backend import DurableBackend
from engine.errors import relative_name
from engine.workbench.server import version_of
from helpers import ROOT
from workbench_client import running_workbench

OLD_SUMMARY = "未在中标（成交）通知书发出之日起10个工作日内签订正式采购合同"
NEW_SUMMARY = "中标（成交）通知书发出后10个工作日内未签订正式采购合同"


@pytest.fixture
def workbench(tmp_path):
    with running_workbench(tmp_path) as running:
        yield running


def test_a_colleagues_edit_during_the_compile_is_kept(workbench, monkeypatch):
    original = workbench.policy.read_text(encoding="utf-8")
    colleague = original + "\n# 同事在编辑器里加的一行\n"
    real_compile = workbench_api.compile_file_text

    def compile_while_a_colleague_saves(path, text, *args):
        workbench.policy.write_text(colleague, encoding="utf-8")  # lands between the first check and the rename
        return real_compile(path, text, *args)
    monkeypatch.setattr(workbench_api, "compile_file_text", compile_while_a_colleague_saves)
    status, data = workbench.call("/api/save", {"text": original + "\n# 页面上的修改\n", "version": version_of(original)})
    assert status == 409 and "已在别处被修改" in data["error"]
    assert workbench.policy.read_text(encoding="utf-8") == colleague
    assert not [p.name for p in workbench.policy.parent.iterdir() if p.name.endswith(".tmp")]


def test_two_saves_from_the_same_version_one_wins(workbench):
    original = workbench.policy.read_text(encoding="utf-8")
    texts = [original + f"\n# 第{n}个标签页\n" for n in (1, 2)]
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda text: workbench.call("/api/save", {"text": text, "version": version_of(original)}), texts))
    assert sorted(status for status, _ in answers) == [200, 409]
    winner = texts[[status for status, _ in answers].index(200)]
    assert workbench.policy.read_text(encoding="utf-8") == winner


def test_a_save_that_wrote_never_answers_500(workbench, monkeypatch):
    original = workbench.policy.read_text(encoding="utf-8")
    edited = original + "\n# 已写入的修改\n"

    def reload_crashes(path, text, **options):
        raise RuntimeError("the rules engine fell over while registering")
    monkeypatch.setattr(policy_state, "load_policy_text", reload_crashes)
    status, data = workbench.call("/api/save", {"text": edited, "version": version_of(original)})
    assert (status, data["version"], data["compiled"]) == (200, version_of(edited), False)
    assert workbench.policy.read_text(encoding="utf-8") == edited
    status, report = workbench.call("/api/evaluate", {"sample": "智慧城管综合平台"})  # the last good policy still answers
    assert (status, report["结论"]) == (200, "合规")


@pytest.mark.parametrize("failing", ["os.replace", "os.fsync"])
def test_a_write_the_disk_refuses_leaves_the_file_whole_and_says_so(workbench, monkeypatch, failing):
    original = workbench.policy.read_text(encoding="utf-8")

    def disk_full(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(workbench_saving.os, failing.removeprefix("os."), disk_full)
    status, data = workbench.call("/api/save", {"text": original + "\n# 写不下\n", "version": version_of(original)})
    assert status == 422 and data["error"].startswith(
        f"错误[E500]: {relative_name(workbench.policy)}: 无法写入政策文件（No space left on device），文件没有改动。")
    assert workbench.policy.read_text(encoding="utf-8") == original
    assert not [p.name for p in workbench.policy.parent.iterdir() if p.name.endswith(".tmp")]
    workbench.policy.unlink()  # gone: changed elsewhere, nothing to overwrite
    assert workbench.call("/api/save", {"text": original, "version": version_of(original)})[0] == 409
    assert not workbench.policy.exists()


def test_saving_through_a_symlink_keeps_the_link_and_the_mode(tmp_path):
    real = tmp_path / "共享" / "jinxiang_2024.rules"
    real.parent.mkdir()
    shutil.copy(ROOT / "policies" / "jinxiang_2024.rules", real)
    real.chmod(0o640)
    link = tmp_path / "政策.rules"
    link.symlink_to(os.path.relpath(real, tmp_path))
    with running_workbench(tmp_path, policy=link) as running:
        original = link.read_text(encoding="utf-8")
        edited = original + "\n# 通过链接保存\n"
        assert running.call("/api/save", {"text": edited, "version": version_of(original)})[0] == 200
    assert link.is_symlink() and os.readlink(link) == os.path.relpath(real, tmp_path)
    assert real.read_text(encoding="utf-8") == edited
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert not [p.name for p in real.parent.iterdir() if p.name.endswith(".tmp")]


def test_an_evaluation_running_during_a_reload_finishes_on_its_policy(workbench, monkeypatch):
    original = workbench.policy.read_text(encoding="utf-8")
    assert original.count(f"否则 违规 “{OLD_SUMMARY}”") == 1
    edited = original.replace(f"否则 违规 “{OLD_SUMMARY}”", f"否则 违规 “{NEW_SUMMARY}”")
    inside, release = threading.Event(), threading.Event()
    real_evaluate = DurableBackend.evaluate_many  # every evaluation enters the engine here

    def evaluate_slowly(backend, projects):
        if not inside.is_set():  # only the first evaluation waits, inside the engine, for the save
            inside.set()
            assert release.wait(60)
        return real_evaluate(backend, projects)
    monkeypatch.setattr(DurableBackend, "evaluate_many", evaluate_slowly)

    def summary(report: dict) -> str:
        return next(f["摘要"] for f in report["发现"] if f["规则"] == "28.2")
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(workbench.call, "/api/evaluate", {"sample": "应急指挥调度系统"})
        assert inside.wait(60)
        try:
            status, saved = workbench.call("/api/save", {"text": edited, "version": version_of(original)})
        finally:
            release.set()
        assert (status, saved["version"], saved["compiled"]) == (200, version_of(edited), True)
        status, report = running.result(timeout=60)
    assert (status, summary(report)) == (200, OLD_SUMMARY)
    status, report = workbench.call("/api/evaluate", {"sample": "应急指挥调度系统"})
    assert (status, summary(report)) == (200, NEW_SUMMARY)
