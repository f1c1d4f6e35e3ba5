"""The feature scenarios run in this process (engine/scenario_run.py): each scenario's outcome, a
failed step told in Chinese with expected against found and the edit that would update it, coverage
from what the evaluation recorded, selection by article and by line, a fresh read of an edited
feature file, and a time limit."""
from __future__ import annotations

import shutil

import pytest

from helpers import ROOT
from engine.scenario_run import Selection, run_scenarios

SPEC = """# language: zh-CN
功能: 进程内运行

  @第三十七条
  场景: 网络安全预算没有填写，不应违反第三十七条
    假如 一个合规的项目
    而且 项目.网络安全预算 未填
    当 评估该项目
    那么 不应违反第三十七条

  @第二十八条
  场景: 截止日期写错了
    假如 一个合规的项目
    而且 采购.中标通知书日期 为 "2026-11-20"
    而且 合同.签订日期 未填
    而且 合同.备案日期 未填
    当 评估该项目
    那么 应有待办 第二十八条，截止日期为 2026-12-01

  @第三十条
  场景: 质保期一年半
    假如 一个合规的项目
    而且 合同.质保期 为 "18个月"
    当 评估该项目
    那么 规则30.3 应为 警示
"""


@pytest.fixture
def spec(tmp_path):
    """The step library with a feature file of our own."""
    for name in ("conftest.py", "test_features.py", "基准项目.yaml"):
        shutil.copy(ROOT / "features" / name, tmp_path / name)
    (tmp_path / "进程内.feature").write_text(SPEC, encoding="utf-8")
    return tmp_path


def test_outcomes_failures_and_coverage_from_what_was_recorded(spec, policy):
    run = run_scenarios(spec)
    assert [(s.line, s.result) for s in run.scenarios] == [(5, "通过"), (12, "失败"), (21, "通过")]
    assert run.summary() == "通过 2，失败 1" and run.policy_file == "policies/jinxiang_2024.rules"
    undecided, wrong_date, warranty = run.scenarios
    # 「不应违反第三十七条」 passed, but the rules of 第三十七条 that were 无法判定 were not seen silent.
    unknown = {rule for rule, kinds in undecided.fired.items() if rule.startswith("37.") and "无法判定" in kinds}
    breaches = {r.rule_id for r in policy.ir.rules if r.article.label == "第三十七条" and any(o.kind == "违规" for o in r.outcomes)}
    assert unknown and unknown <= breaches
    assert undecided.checked_silent == breaches - unknown
    failure = wrong_date.failure
    assert (failure.line, failure.step, failure.expected, failure.actual) == (18, "那么 应有待办 第二十八条，截止日期为 2026-12-01",
                                                                              "待办 截止日期 2026-12-01", "2026-12-04")
    assert failure.render().startswith(f"{spec}/进程内.feature:18: 场景「截止日期写错了」\n  步骤：那么 应有待办 第二十八条，截止日期为 2026-12-01\n"
                                       "  应有第二十八条的待办，截止日期 2026-12-01；实际：28.2 待办 2026-12-04")
    assert "Traceback" not in failure.render() and "def " not in failure.render()
    assert (failure.update.line, failure.update.written, failure.update.found) == (18, "2026-12-01", "2026-12-04")
    assert warranty.checked_fired == {"30.3"} and warranty.fired["30.3"] == ["警示"]


def test_selection_a_fresh_read_of_an_edited_file_and_the_time_limit(spec):
    feature = spec / "进程内.feature"
    assert [s.line for s in run_scenarios(spec, selection=Selection(article="第三十条")).scenarios] == [21]
    feature.write_text(SPEC.replace("截止日期为 2026-12-01", "截止日期为 2026-12-04"), encoding="utf-8")
    one = run_scenarios(spec, selection=Selection(file=feature, line=12))
    assert [(s.line, s.result) for s in one.scenarios] == [(12, "通过")]  # the edit is read, not the module imported before
    stopped = run_scenarios(spec, time_limit=0)
    assert stopped.not_run == 3 and stopped.summary() == "通过 0，失败 0，未运行 3（运行时间超过上限，其余场景没有运行）"


def test_a_feature_file_that_does_not_parse_is_named(spec):
    (spec / "进程内.feature").write_text("# language: zh-CN\n功能: 坏的\n  场景: 一\n    假如 一个合规的项目\n    这一行不是步骤\n",
                                       encoding="utf-8")
    run = run_scenarios(spec)
    assert run.failed == 1 and run.problems and run.problems == [f"{spec}/进程内.feature:5: 规格文件无法解析：「这一行不是步骤」不是 Gherkin 认得的一行。场景中的每一行应以步骤词"
                                                   "（假如、而且、当、那么、但是）开头，或是表格（| … |）、标签（@第二十八条）、注释（#）、「场景:」等关键词行"]


def test_a_policy_that_does_not_load_is_told_in_the_tools_words(spec, tmp_path):
    broken = tmp_path / "jinxiang_2024.rules"
    broken.write_text((ROOT / "policies" / "jinxiang_2024.rules").read_text(encoding="utf-8").replace("若 合同.质保期 低于", "若 合同.质保其 低于"),
                      encoding="utf-8")
    run = run_scenarios(spec, broken, Selection(article="第三十条"))
    assert [s.result for s in run.scenarios] == ["失败"]
    reason = run.scenarios[0].failure.reason
    assert reason.startswith("步骤执行出错：") and "事实词汇表中没有字段「合同.质保其」" in reason and "Traceback" not in reason
