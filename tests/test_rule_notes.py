"""Notes written under a rule: 释义 (the reading a rule rests on), carried onto every finding and
shown wherever a finding is read (JSON, the terminal report, explain, the workbench)."""
from __future__ import annotations

import io

import pytest
from rich.console import Console

from engine import render
from engine.errors import ToolError
from engine.formatter import format_policy
from engine.policy import CompiledPolicy, compile_policy
from engine.vocabulary import load_vocabulary
from engine.workdays import load_calendar
from engine.report_html import printable_report
from engine.staff_labels import staff_labels
from helpers import AS_OF, make_project
from engine.backend import Engine
from engine.policy import prepare_policy

ARTICLE = "第三十条（合同）\n> 实施周期不应超过 3 年，质保期一般不低于 2 年。\n"
RULE = "规则 30.1 依据“实施周期不应超过 3 年”\n  若 合同.实施周期 超过 3年 则 违规 “实施周期超过3年”\n"
READING = "  释义 “不超过 3 年包含 3 年本数（民法典第一千二百五十九条）”\n"


def _compiled(text: str) -> CompiledPolicy:
    vocabulary = load_vocabulary()
    return prepare_policy(compile_policy(text, "测试.rules", vocabulary), vocabulary, load_calendar(), backend=Engine.REFERENCE)


def _report(text: str, changes: dict):
    policy = _compiled(text)
    return policy, policy.evaluate(make_project(policy.vocabulary, changes), AS_OF)


def test_a_reading_is_carried_onto_every_finding_of_its_rule():
    _, report = _report(ARTICLE + RULE + READING, {"合同.实施周期": "4年"})
    (finding,) = report.to_json()["发现"]
    assert finding["释义"] == "不超过 3 年包含 3 年本数（民法典第一千二百五十九条）"


def test_a_rule_without_a_reading_has_no_reading_key():
    _, report = _report(ARTICLE + RULE, {"合同.实施周期": "4年"})
    assert "释义" not in report.to_json()["发现"][0]


def test_several_readings_are_joined():
    _, report = _report(ARTICLE + RULE + READING + "  释义 “第二种读法”\n", {"合同.实施周期": "4年"})
    assert report.to_json()["发现"][0]["释义"].endswith("；第二种读法")


def test_the_reading_is_shown_by_explain_the_terminal_report_and_the_printed_report():
    policy, report = _report(ARTICLE + RULE + READING, {"合同.实施周期": "4年"})
    lines = render.explain(*policy.evaluate_recorded(make_project(policy.vocabulary, {"合同.实施周期": "4年"}), AS_OF),
                           policy.ir.articles[0])
    assert "  释义：不超过 3 年包含 3 年本数（民法典第一千二百五十九条）" in lines
    out = io.StringIO()
    render.print_report(Console(file=out, width=200), report.report())
    assert "释义：不超过 3 年包含 3 年本数" in out.getvalue()
    assert "释义：不超过 3 年包含 3 年本数（民法典第一千二百五十九条）" in printable_report(report.report(), staff_labels(policy))


def test_fmt_indents_a_reading_under_its_rule():
    messy = ARTICLE + "规则 30.1 依据“实施周期不应超过 3 年”\n若 合同.实施周期 超过 3年 则 违规 “实施周期超过3年”\n释义   “甲  乙”\n"
    assert format_policy(messy) == ARTICLE + "\n" + RULE + "  释义 “甲  乙”\n"
    assert format_policy(format_policy(messy)) == format_policy(messy)


def test_a_reading_must_be_quoted_text():
    with pytest.raises(ToolError) as error:
        compile_policy(ARTICLE + RULE + "  释义 不带引号\n", "测试.rules", load_vocabulary())
    assert error.value.render().startswith("测试.rules:5:6: 错误[E101]: 此处不应出现「不带引号」，这里应写：带引号的文字")


def test_the_workbench_completes_the_new_keywords():
    from engine.workbench.api import Workbench  # noqa: PLC0415 - only this test needs the workbench
    from helpers import ROOT  # noqa: PLC0415
    words = Workbench(ROOT / "policies" / "jinxiang_2024.rules").vocabulary()["关键词"]
    assert {"释义", "行为日期", "持续义务", "只作提示"} <= set(words)


def test_a_reminder_on_a_mandatory_sentence_needs_its_reason_written():
    reminder = ARTICLE + "规则 30.1 依据“实施周期不应超过 3 年”\n  若 合同.法律顾问 为 否 则 提示 “x”\n"
    with pytest.raises(ToolError) as error:
        compile_policy(reminder, "测试.rules", load_vocabulary())
    assert "错误[E125]" in error.value.render()
    policy = compile_policy(reminder + "  只作提示 “没有可以核对的标准”\n", "测试.rules", load_vocabulary())
    assert [o.kind for o in policy.rules[0].outcomes] == ["提示"]


@pytest.mark.parametrize("quote", ["质保期一般不低于 2 年", "实施周期"])
def test_a_reminder_on_a_soft_or_plain_sentence_needs_no_reason(quote):
    text = ARTICLE + f"规则 30.1 依据“{quote}”\n  若 合同.法律顾问 为 否 则 提示 “x”\n"
    assert compile_policy(text, "测试.rules", load_vocabulary()).rules


def test_several_readings_of_a_rule_are_joined_without_doubled_punctuation():
    from engine.report import joined_readings  # noqa: PLC0415
    assert joined_readings(("只连锁程序本身的违规：", "立项——4.1；", "审核——6.1。", "不在其列")) == \
        "只连锁程序本身的违规：立项——4.1；审核——6.1。不在其列"
    assert joined_readings(("甲", "乙")) == "甲；乙" and joined_readings(()) is None
