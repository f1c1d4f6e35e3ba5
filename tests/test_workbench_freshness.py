"""The workbench answers from the policy file as it is on disk now: a colleague's save, a `git
checkout` or Notepad change it behind the server's back, and the next answer comes from the new text
and says that it reloaded. A text on disk that does not compile leaves the last good version in use,
and every answer says which one."""
from __future__ import annotations

import os

import pytest

from engine.workbench.server import version_of
from workbench_client import running_workbench

DEADLINE_10 = "【合同签订时限】 = 10个工作日"
DEADLINE_15 = "【合同签订时限】 = 15个工作日"
PENDING = {"sample": "社区网格信息平台", "as_of": "2026-11-27"}  # 28.2 待办: its deadline shows the parameter


@pytest.fixture
def workbench(tmp_path):
    with running_workbench(tmp_path) as running:
        yield running


def _deadline_28_2(report: dict) -> str:
    return next(f["截止日期"] for f in report["发现"] if f["规则"] == "28.2")


def test_a_checkout_of_the_file_is_answered_from_the_new_text_and_said(workbench):
    status, report = workbench.call("/api/evaluate", PENDING)
    assert status == 200 and _deadline_28_2(report) == "2026-12-04" and "重新载入" not in report
    before = workbench.policy.stat()
    text = workbench.policy.read_text(encoding="utf-8")
    assert text.count(DEADLINE_10) == 1
    workbench.policy.write_text(text.replace(DEADLINE_10, DEADLINE_15), encoding="utf-8")
    os.utime(workbench.policy, ns=(before.st_atime_ns, before.st_mtime_ns))  # the same mtime: only the text tells
    status, report = workbench.call("/api/evaluate", PENDING)
    new_version = version_of(text.replace(DEADLINE_10, DEADLINE_15))
    assert status == 200 and _deadline_28_2(report) == "2026-12-11"
    assert report["重新载入"]["版本"] == new_version
    assert report["政策文件"]["版本"] == report["政策文件"]["评估所用"]["版本"] == new_version
    status, again = workbench.call("/api/evaluate", PENDING)
    assert "重新载入" not in again  # said once, by the answer that found it
    status, policy = workbench.call("/api/policy")
    assert (policy["version"], policy["text"].count(DEADLINE_15)) == (new_version, 1)


def test_articles_and_check_answer_from_the_new_text(workbench):
    text = workbench.policy.read_text(encoding="utf-8")
    workbench.policy.write_text(text + "\n# 同事加的一行\n", encoding="utf-8")
    status, data = workbench.call("/api/articles")
    assert status == 200 and "重新载入" in data and data["政策文件"]["能编译"]


def test_a_file_that_stops_compiling_on_disk_keeps_the_last_good_version_and_says_which(workbench):
    text = workbench.policy.read_text(encoding="utf-8")
    good = version_of(text)
    workbench.policy.write_text(text.replace("若 合同.质保期 低于", "若 合同.质保其 低于"), encoding="utf-8")
    status, report = workbench.call("/api/evaluate", {"sample": "智慧城管综合平台"})
    assert status == 200 and report["结论"] == "合规"
    state = report["政策文件"]
    assert (state["能编译"], state["评估所用"]["版本"]) == (False, good)
    assert "E140" in state["错误"] and state["版本"] != good
    workbench.policy.write_text(text, encoding="utf-8")
    status, report = workbench.call("/api/evaluate", {"sample": "智慧城管综合平台"})
    assert report["政策文件"]["能编译"] and report["政策文件"]["版本"] == good
