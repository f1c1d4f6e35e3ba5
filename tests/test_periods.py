"""Periods in 日、个月、年 (民法典第二百零一条、第二百零三条) as a policy's time limit sees them: the start
day is not counted, and a period whose last day is a rest day ends on the next working day.
Working-day periods are counted in working days and are unchanged. Both backends agree."""
from __future__ import annotations

import datetime as dt

import pytest

from engine.policy import compile_policy
from engine.vocabulary import load_vocabulary
from engine.workdays import load_calendar
from helpers import make_project
from engine.backend import Engine
from engine.policy import prepare_policy

ARTICLE = "施行日期 2024-12-12\n第三十条（合同）\n> 实施周期不应超过 3 年，质保期一般不低于 2 年。\n"


def _rule(limit: str) -> str:
    return (f"规则 30.1 依据“实施周期不应超过 3 年”\n  自 采购.中标通知书日期 起 {limit} 内 应 合同.签订日期，"
            "否则 违规 “逾期签订合同”；未到期 待办 “应签订合同”\n")


@pytest.mark.parametrize(("limit", "award", "deadline"), [
    ("1个月", "2025-09-01", "2025-10-09"),   # 2025-10-01 is National Day: the period ends on 10-09
    ("1个月", "2025-09-09", "2025-10-09"),   # ends on 10-09 anyway
    ("1个月", "2025-09-10", "2025-10-10"),   # a working day: unchanged
    ("1年", "2025-01-01", "2026-01-04"),     # New Year 2026 (01-01…01-03); 01-04 is a make-up working day
    ("10日", "2025-04-25", "2025-05-06"),    # Labour Day 05-01…05-05
    ("10日", "2025-03-01", "2025-03-11"),    # a Tuesday: unchanged
    ("10个工作日", "2025-09-26", "2025-10-16"),  # working days: counted as before
])
def test_the_deadline_of_a_period(limit, award, deadline):
    vocabulary = load_vocabulary()
    checked = compile_policy(ARTICLE + _rule(limit), "测试.rules", vocabulary)
    last = dt.date.fromisoformat(deadline)
    for signed, expected in ((last, []), (last + dt.timedelta(days=1), ["违规"])):
        project = make_project(vocabulary, {"采购.中标通知书日期": award, "合同.签订日期": signed.isoformat()})
        kinds = []
        for engine in (Engine.REFERENCE, Engine.DURABLE):
            policy = prepare_policy(checked, vocabulary, load_calendar(), backend=engine)
            try:
                report = policy.evaluate(project, dt.date(2026, 11, 27))
            finally:
                policy.close()
            kinds.append([f.kind for f in report.findings])
            if expected:
                assert report.findings[0].deadline == last
        assert kinds == [expected, expected], (signed, kinds)
