"""The workbench answers from the policy file as it is on disk now: a colleague's save, a `git
checkout` or Notepad change it behind the server's back, and the next answer comes from the new text
and says that it reloaded. A text on disk that does not compile leaves the last good version in use,
and every answer says which one."""
from __future__ import annotations

import os
import shutil

import pytest

from engine.workbench.server import version_of
from helpers import ROOT, line_number
from workbench_client import running_workbench

DEADLINE_10 = "【合同签订时限】 = 10个工作日"
DEADLINE_15 = "【合同签订时限】 = 15个工作日"
PENDING = {"sample": "社区网格信息平台", "as_of": "2026-11-27"}  # 28.2 待办: its deadline shows the parameter


@pytest.fixture
def workbench(tmp_path):
    with running_workbench(tmp_path) as running:
        shutil.copy(ROOT / "policies" / "jinxiang_2024.source.txt", running.policy.parent)  # its 原文出处, for lint
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
    workbench.policy.write_text(text, encoding="utf-8")  # checked out back: the page's poll finds it
    status, answer = workbench.call("/api/status")
    assert (status, answer["重新载入"]["版本"], answer["政策文件"]["评估所用"]["版本"]) == (200, version_of(text), version_of(text))


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


def test_check_lints_and_lists_what_still_says_a_changed_parameters_old_value(workbench):
    text = workbench.policy.read_text(encoding="utf-8").replace(DEADLINE_10, DEADLINE_15)
    status, data = workbench.call("/api/check", {"text": text})
    assert status == 200 and data["ok"]
    w208 = [w for w in data["warnings"] if w["code"] == "W208"]
    quote, text_line = line_number(text, "规则 28.2 依据"), line_number(text, "> 项目建设单位应严格按照审核批准的采购内容")
    assert [(w["article"], w["line"]) for w in w208] == [("第二十八条", quote)]
    carried = data["连带"]
    assert carried["参数"] == [{"参数": "合同签订时限", "原值": "10个工作日", "新值": "15个工作日"}]
    # the 依据 is quoted word for word from the 原文, so the 原文 sentence it quotes changes with it (an amendment)
    assert [(e["行"], e["类别"]) for e in carried["修改"]] == [(text_line, "原文"), (quote, "依据"), (quote + 2, "摘要"), (quote + 3, "摘要")]
    assert carried["修改"][1]["改后"] == "规则 28.2 依据“在中标（成交）通知书发出之日起 15 个工作日内签订正式采购合同”"
    # the same 原文 line's 备案 time limit (28.3, 【合同备案时限】) stays 10
    assert carried["修改"][0]["改后"].endswith("发出之日起 15 个工作日内签订正式采购合同，合同应在签订完成后 10 个工作日内向县大数据局备案。")
    assert [(o["条号"], o["行"]) for o in carried["原文"]] == [("第二十八条", text_line)]
    assert carried["修订写法"] == "修订 “jinxiang_2024.rules”"  # how an amendment is recorded instead
    assert {(s["文件"].rsplit("/", 1)[-1], s["行"]) for s in carried["场景"]} == {
        ("05_第五章_采购和合同管理.feature", 40), ("05_第五章_采购和合同管理.feature", 51), ("05_第五章_采购和合同管理.feature", 53)}
    lines = text.splitlines()
    for edit in carried["修改"]:
        lines[edit["行"] - 1] = edit["改后"]
    status, data = workbench.call("/api/check", {"text": "\n".join(lines) + "\n"})
    codes = {w["code"] for w in data["warnings"]}
    assert "W208" not in codes and data["连带"]["修改"] == [] and data["连带"]["原文"] == []
    assert "W204" in codes  # the 原文 now differs from its source copy: the amendment is recorded there too


def test_merge_groups_the_draft_against_the_file_as_it_is_now(workbench):
    base = workbench.policy.read_text(encoding="utf-8")
    theirs = base.replace(DEADLINE_10, DEADLINE_15)
    mine = base + "\n# 我的一行\n"
    workbench.policy.write_text(theirs, encoding="utf-8")
    status, data = workbench.call("/api/merge", {"base": base, "mine": mine})
    assert status == 200 and (data["version"], data["conflicts"]) == (version_of(theirs), 0)
    changed = [g for g in data["groups"] if g["类别"] != "相同"]
    assert [(g["类别"], g["原来"], g["文件"]) for g in changed][0] == ("文件", DEADLINE_10.join(["  ", "\n"]), DEADLINE_15.join(["  ", "\n"]))
    assert changed[1]["类别"] == "我的" and changed[1]["我的"].endswith("# 我的一行\n")
    status, data = workbench.call("/api/merge", {"base": base, "mine": base.replace(DEADLINE_10, "【合同签订时限】 = 12个工作日")})
    conflict = next(g for g in data["groups"] if g["类别"] == "冲突")
    assert ("12个工作日" in conflict["我的"], "15个工作日" in conflict["文件"], "10个工作日" in conflict["原来"]) == (True, True, True)


def test_a_parameter_used_through_a_definition_is_carried_through_too(workbench):
    """【重大项目金额】 is used by rule 6.5 only through 【重大项目】 = 项目.总预算 不低于 【重大项目金额】."""
    text = workbench.policy.read_text(encoding="utf-8").replace("【重大项目金额】 = 500万元", "【重大项目金额】 = 1000万元")
    status, data = workbench.call("/api/check", {"text": text})
    edits = data["连带"]["修改"]
    assert [(e["规则"], e["类别"]) for e in edits] == [("6.5", "原文"), ("6.5", "依据"), ("6.5", "摘要"), ("6.5", "释义")]
    assert edits[3]["改后"].strip() == "释义 “1000万元及以上包含1000万元本数（民法典第一千二百五十九条：以上、以下、以内、届满包括本数）”"
