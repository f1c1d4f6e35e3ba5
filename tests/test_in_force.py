"""第四十六条 in the engine: conduct dated before the 施行日期 is not judged (a 提示 says so, with
the date); a continuing duty is judged from the 施行日期 on. Every case runs on both backends."""
from __future__ import annotations

import datetime as dt

import pytest

from engine import render
from engine.policy import compile_policy
from engine.vocabulary import load_vocabulary
from engine.workdays import load_calendar
from helpers import make_project
from engine.backend import Engine
from engine.policy import prepare_policy

HEADER = "施行日期 2024-12-12\n第三十条（合同）\n> 实施周期不应超过 3 年，质保期一般不低于 2 年。\n"
IF_RULE = "规则 30.1 依据“实施周期不应超过 3 年”\n  若 合同.实施周期 超过 3年 则 违规 “实施周期超过3年”\n"
TIME_LIMIT = ("规则 30.2 依据“实施周期不应超过 3 年”\n  自 采购.中标通知书日期 起 10个工作日 内 应 合同.签订日期，"
              "否则 违规 “逾期签订合同”；未到期 待办 “应签订合同”\n")
AS_OF = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary()


def _evaluate(vocabulary, text: str, changes: dict, removed: tuple[str, ...] = ()):
    """Findings as (rule, kind, summary, missing), the same from the reference evaluator and durable-rules."""
    checked = compile_policy(HEADER + text, "测试.rules", vocabulary)
    project = make_project(vocabulary, changes, removed)
    results = []
    for engine in (Engine.REFERENCE, Engine.DURABLE):
        policy = prepare_policy(checked, vocabulary, load_calendar(), backend=engine)
        try:
            report = policy.evaluate(project, AS_OF)
        finally:
            policy.close()
        results.append([(f.rule.rule_id, f.kind, f.summary, f.missing) for f in report.findings])
    assert results[0] == results[1], f"the backends disagree: {results}"
    return results[0], report, policy, project


@pytest.mark.parametrize(("signed", "expected"), [
    ("2024-12-11", [("30.1", "提示", "实施周期超过3年：该行为发生于本办法施行前（2024-12-11），不予追究（第四十六条）", ())]),
    ("2024-12-12", [("30.1", "违规", "实施周期超过3年", ())]),
    ("2025-03-01", [("30.1", "违规", "实施周期超过3年", ())]),
])
def test_conduct_before_on_and_after_the_effective_date(vocabulary, signed, expected):
    findings, *_ = _evaluate(vocabulary, IF_RULE + "  行为日期 合同.签订日期\n", {"合同.实施周期": "4年", "合同.签订日期": signed})
    assert findings == expected


def test_conduct_before_the_effective_date_that_breaches_nothing_says_nothing(vocabulary):
    findings, *_ = _evaluate(vocabulary, IF_RULE + "  行为日期 合同.签订日期\n", {"合同.签订日期": "2024-06-01"})
    assert findings == []


def test_an_unrecorded_event_has_not_happened_so_it_is_not_before_the_effective_date(vocabulary):
    findings, *_ = _evaluate(vocabulary, IF_RULE + "  行为日期 合同.签订日期\n", {"合同.实施周期": "4年"}, removed=("合同.签订日期",))
    assert findings == [("30.1", "违规", "实施周期超过3年", ())]


def test_an_unknown_conduct_date_that_is_not_an_event_leaves_a_breach_undecided(vocabulary):
    findings, *_ = _evaluate(vocabulary, IF_RULE + "  行为日期 验收.计划竣工日期\n", {"合同.实施周期": "4年"},
                             removed=("验收.计划竣工日期",))
    assert findings == [("30.1", "无法判定", "无法判定：实施周期超过3年", ("验收.计划竣工日期",))]


@pytest.mark.parametrize(("award", "signed", "expected"), [
    # 10 working days from 2024-11-15 end on 2024-11-29: before the 施行日期, not judged
    ("2024-11-15", "2024-12-20", [("30.2", "提示", "逾期签订合同：该行为发生于本办法施行前（2024-11-29），不予追究（第四十六条）", ())]),
    ("2024-11-15", None, [("30.2", "提示", "逾期签订合同：该行为发生于本办法施行前（2024-11-29），不予追究（第四十六条）", ())]),
    # 10 working days from 2024-11-28 end on 2024-12-12, the 施行日期 itself: judged
    ("2024-11-28", "2024-12-13", [("30.2", "违规", "逾期签订合同", ())]),
    ("2024-11-28", "2024-12-12", []),
])
def test_a_time_limit_is_dated_by_its_deadline(vocabulary, award, signed, expected):
    changes = {"采购.中标通知书日期": award, **({"合同.签订日期": signed} if signed else {})}
    findings, *_ = _evaluate(vocabulary, TIME_LIMIT, changes, removed=() if signed else ("合同.签订日期",))
    assert findings == expected


@pytest.mark.parametrize(("signed", "expected"), [
    # a continuing duty: still unmet after the 施行日期 is judged, whenever the deadline fell
    (None, [("30.2", "违规", "逾期签订合同", ())]),
    # done late, but before the 施行日期: the late act is not judged
    ("2024-12-11", [("30.2", "提示", "逾期签订合同：该行为发生于本办法施行前（2024-12-11），不予追究（第四十六条）", ())]),
    # done late after the 施行日期: the duty was unmet on and after it
    ("2024-12-12", [("30.2", "违规", "逾期签订合同", ())]),
])
def test_a_continuing_duty_is_judged_from_the_effective_date_on(vocabulary, signed, expected):
    changes = {"采购.中标通知书日期": "2024-11-15", **({"合同.签订日期": signed} if signed else {})}
    findings, *_ = _evaluate(vocabulary, TIME_LIMIT + "  持续义务\n", changes, removed=() if signed else ("合同.签订日期",))
    assert findings == expected


def test_explain_says_the_conduct_was_not_judged(vocabulary):
    _, report, policy, project = _evaluate(vocabulary, IF_RULE + "  行为日期 合同.签订日期\n",
                                           {"合同.实施周期": "4年", "合同.签订日期": "2024-12-11"})
    lines = render.explain(*policy.using(Engine.REFERENCE).evaluate_recorded(project, AS_OF), policy.ir.articles[0])
    assert "  结果：施行前的行为，不予追究（第四十六条） —— 实施周期超过3年：该行为发生于本办法施行前（2024-12-11），不予追究（第四十六条）" in lines
    _, report, policy, project = _evaluate(vocabulary, IF_RULE + "  行为日期 合同.签订日期\n", {"合同.签订日期": "2024-12-11"})
    lines = render.explain(*policy.using(Engine.REFERENCE).evaluate_recorded(project, AS_OF), policy.ir.articles[0])
    assert "  结果：施行前的行为，不予追究（第四十六条）" in lines
    assert not any("符合本条规则" in line for line in lines)


def test_a_conduct_date_must_be_a_date(vocabulary):
    with pytest.raises(Exception) as error:
        compile_policy(HEADER + IF_RULE + "  行为日期 合同.实施周期\n", "测试.rules", vocabulary)
    assert "错误[E158]: 规则 30.1 的行为日期应为日期，而不是期限" in error.value.render()


def test_a_rule_has_one_conduct_date(vocabulary):
    with pytest.raises(Exception) as error:
        compile_policy(HEADER + IF_RULE + "  行为日期 合同.签订日期\n  持续义务\n", "测试.rules", vocabulary)
    assert "错误[E124]: 规则 30.1 写了不止一次「行为日期／持续义务」" in error.value.render()
