"""Every form of time limit judges an act done after the deadline as late (违规, 逾期办理), an act
not done once the deadline has passed as overdue (违规, 逾期未办), and one not yet due as 待办.
What is due may be a date (应 合同.签订日期) or a condition on dates (应 X 已填 或 Y 已填): either
way it must have happened by the deadline. Both backends agree on every case."""
from __future__ import annotations

import datetime as dt

import pytest

from engine.policy import compile_policy
from engine.vocabulary import load_vocabulary
from engine.workdays import load_calendar
from helpers import make_project
from engine.backend import Engine
from engine.policy import prepare_policy

ARTICLE = "第三十条（合同）\n> 实施周期不应超过 3 年，质保期一般不低于 2 年。\n规则 30.1 依据“实施周期不应超过 3 年”\n  "
ENDING = "，否则 违规 “逾期”；未到期 待办 “应办理”\n"
# 10 working days from 2025-04-10 end on 2025-04-24.
FROM_EVENT = {"start": ("采购.中标通知书日期", "2025-04-10"), "deadline": dt.date(2025, 4, 24), "due": "合同.签订日期"}
FIXED = {"start": None, "deadline": dt.date(2026, 5, 1), "due": "验收.竣工验收申请日期"}

FORMS = {
    "自 A 起 期限 内 应 日期": ("自 采购.中标通知书日期 起 10个工作日 内 应 合同.签订日期", FROM_EVENT),
    "自 A 起 期限 内 应 条件": ("自 采购.中标通知书日期 起 10个工作日 内 应 合同.签订日期 已填", FROM_EVENT),
    "于 日期 前 应 日期": ("于 验收.计划竣工日期 前 应 验收.竣工验收申请日期", FIXED),
    "于 日期 前 应 条件": ("于 验收.计划竣工日期 前 应 验收.竣工验收申请日期 已填 或 验收.延期验收申请日期 已填", FIXED),
}


def _findings(form: str, done: dt.date | None, as_of: dt.date, removed: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    body, shape = FORMS[form]
    vocabulary = load_vocabulary()
    checked = compile_policy(ARTICLE + body + ENDING, "测试.rules", vocabulary)
    changes = {shape["start"][0]: shape["start"][1]} if shape["start"] else {"验收.计划竣工日期": "2026-05-01"}
    changes = {k: v for k, v in changes.items() if k not in removed}
    if done is not None:
        changes[shape["due"]] = done.isoformat()
    project = make_project(vocabulary, changes, (*removed, *(() if done else (shape["due"],)), "验收.延期验收申请日期"))
    results = []
    for engine in (Engine.REFERENCE, Engine.DURABLE):
        policy = prepare_policy(checked, vocabulary, load_calendar(), backend=engine)
        try:
            report = policy.evaluate(project, as_of)
        finally:
            policy.close()
        results.append([(f.variant, f.kind) for f in report.findings])
    assert results[0] == results[1], results
    return results[0]


@pytest.mark.parametrize("form", FORMS)
def test_done_on_the_deadline_is_in_time(form):
    assert _findings(form, FORMS[form][1]["deadline"], dt.date(2026, 11, 27)) == []


@pytest.mark.parametrize("form", FORMS)
def test_done_the_day_after_the_deadline_is_late(form):
    deadline = FORMS[form][1]["deadline"]
    assert _findings(form, deadline + dt.timedelta(days=1), dt.date(2026, 11, 27)) == [("逾期办理", "违规")]


@pytest.mark.parametrize("form", FORMS)
def test_not_done_after_the_deadline_is_overdue(form):
    deadline = FORMS[form][1]["deadline"]
    assert _findings(form, None, deadline + dt.timedelta(days=1)) == [("逾期未办", "违规")]


@pytest.mark.parametrize("form", FORMS)
def test_not_done_on_the_deadline_is_pending(form):
    assert _findings(form, None, FORMS[form][1]["deadline"]) == [("未到期", "待办")]


@pytest.mark.parametrize("form", [f for f in FORMS if FORMS[f][1]["start"] is None])
def test_done_but_the_deadline_unknown_is_undecided(form):
    assert _findings(form, dt.date(2026, 4, 1), dt.date(2026, 11, 27), removed=("验收.计划竣工日期",)) == [("无法判定", "无法判定")]
