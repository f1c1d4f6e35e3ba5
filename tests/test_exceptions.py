"""例外 (若 … 则 例外 rule ids): while the exception holds the excepted rule is set aside; while it
is unknown, so is what the excepted rule would report (无法判定, naming what is missing), never a
违规. Both backends agree."""
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

POLICY = """第三十条（合同）
> 实施周期不应超过 3 年，质保期一般不低于 2 年。
规则 30.1 依据“实施周期不应超过 3 年”
  若 合同.实施周期 超过 3年 则 违规 “合同约定的实施周期超过3年”
规则 30.2 依据“实施周期不应超过 3 年”
  若 项目.总预算 低于 50万元 则 例外 30.1 “小项目不检查实施周期”
"""


@pytest.mark.parametrize(("changes", "removed", "expected"), [
    ({"项目.总预算": "10万元", "合同.实施周期": "4年"}, (), [("30.2", "提示", ())]),
    ({"项目.总预算": "100万元", "合同.实施周期": "4年"}, (), [("30.1", "违规", ())]),
    ({"合同.实施周期": "4年"}, ("项目.总预算",), [("30.1", "无法判定", ("项目.总预算",))]),
    ({"合同.实施周期": "2年"}, ("项目.总预算",), []),  # nothing to report, whatever the exception
])
def test_an_unknown_exception_leaves_the_excepted_rule_undecided(changes, removed, expected):
    vocabulary = load_vocabulary()
    checked = compile_policy(POLICY, "测试.rules", vocabulary)
    project = make_project(vocabulary, changes, removed)
    for engine in (Engine.REFERENCE, Engine.DURABLE):
        policy = prepare_policy(checked, vocabulary, load_calendar(), backend=engine)
        try:
            report = policy.evaluate(project, dt.date(2026, 11, 27))
        finally:
            policy.close()
        assert [(f.rule.rule_id, f.kind, f.missing) for f in report.findings] == expected, engine
    if expected == [("30.2", "提示", ())]:
        recorded = policy.using(Engine.REFERENCE).evaluate_recorded(project, dt.date(2026, 11, 27))
        lines = render.explain(*recorded, policy.ir.articles[0])
        assert "  结果：不检查：适用规则 30.2 的例外" in lines
