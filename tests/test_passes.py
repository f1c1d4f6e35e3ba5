"""The named IR → IR passes (engine/passes.py), each on its own."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from engine import checker, ir, passes
from engine.backend import Engine
from engine.durable_backend import DurableBackend
from engine.errors import Span
from engine.policy import compile_policy, prepare_policy
from engine.vocabulary import load_vocabulary
from engine.values import Duration
from engine.workdays import load_calendar
from engine.parser import parse_policy_text
from helpers import make_project

EARLY, LATE = ir.ConstTerm("日期", dt.date(2024, 6, 1)), ir.ConstTerm("日期", dt.date(2024, 12, 12))
SIGNED = ir.FieldTerm("合同.签订日期", "日期", event=True)
# A fixed deadline before the 施行日期: its 施行前 gate compares two constants.
FIXED_DEADLINE = ("施行日期 2024-12-12\n第三十条（合同）\n> 实施周期不应超过 3 年，质保期一般不低于 2 年。\n"
                  "规则 30.1 依据“实施周期不应超过 3 年”\n"
                  "  于 {day} 前 应 验收.竣工验收申请日期，否则 违规 “逾期”；未到期 待办 “应办理”\n")


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary()


def _conditions(rule: ir.Rule) -> list[ir.Cond]:
    return [c for c in (rule.applies, *(o.condition for o in rule.outcomes), rule.undecided, rule.pre_effective,
                        *(c for _, c in rule.exempted_by)) if c is not None]


def test_fold_decides_a_comparison_of_two_constants_and_leaves_the_rest():
    assert passes.fold_condition(ir.Compare(EARLY, "<", LATE)) == ir.TRUE
    assert passes.fold_condition(ir.Compare(LATE, "<=", EARLY)) == ir.FALSE
    assert passes.fold_condition(ir.Compare(EARLY, "==", EARLY)) == ir.TRUE
    field_test = ir.Compare(SIGNED, "<", LATE)
    nested = ir.And((field_test, ir.Not(ir.Compare(EARLY, ">", LATE)), ir.NotProven(ir.Or((ir.Compare(LATE, "!=", LATE),)))))
    assert passes.fold_condition(nested) == ir.And((field_test, ir.Not(ir.FALSE), ir.NotProven(ir.Or((ir.FALSE,)))))
    assert passes.constant_comparisons(nested) and not passes.constant_comparisons(passes.fold_condition(nested))


def test_the_checker_leaves_constant_comparisons_and_the_final_passes_fold_them(vocabulary):
    text = FIXED_DEADLINE.format(day="2024-06-01")
    unfolded = checker.check_policy(parse_policy_text(text, "试验.rules", tuple(vocabulary.policy_paths())), vocabulary)
    assert sum(len(passes.constant_comparisons(c)) for c in _conditions(unfolded.rules[0])) == 5
    folded = passes.finish(unfolded)
    assert [name for name, _ in passes.FINAL_PASSES] == ["fold_constants"]
    assert not any(passes.constant_comparisons(c) for c in _conditions(folded.rules[0]))
    assert compile_policy(text, "试验.rules", vocabulary) == folded


def test_the_durable_backend_refuses_an_unfolded_policy(vocabulary):
    text = FIXED_DEADLINE.format(day="2024-06-01")
    unfolded = checker.check_policy(parse_policy_text(text, "试验.rules", tuple(vocabulary.policy_paths())), vocabulary)
    with pytest.raises(AssertionError, match="fold_constants"):
        DurableBackend(unfolded)


@pytest.mark.parametrize(("day", "expected"), [
    ("2024-06-01", ["施行前"]),  # overdue before the 施行日期: not judged
    ("2025-06-01", ["逾期未办"]),
    ("2027-06-01", ["未到期"]),
])
def test_folded_fixed_deadlines_judge_the_same_on_both_backends(vocabulary, day, expected):
    checked = compile_policy(FIXED_DEADLINE.format(day=day), "试验.rules", vocabulary)
    project = make_project(vocabulary, {}, ("验收.竣工验收申请日期",))
    variants = []
    for engine in Engine:
        compiled = prepare_policy(checked, vocabulary, load_calendar(), backend=engine)
        try:
            variants.append([f.variant for f in compiled.evaluate(project, dt.date(2026, 11, 27)).findings])
        finally:
            compiled.close()
    assert variants == [expected, expected]


# ---------------------------------------------------------------- the checker passes, one by one
SPAN = Span("试验.rules", 1, 1, 1, 2)
ARTICLE = ir.ArticleInfo(30, 0, "第三十条", "合同", ("原文",), "第五章", False, SPAN)
PERIOD = ir.FieldTerm("合同.实施周期", "期限")
BUDGET = ir.FieldTerm("项目.总预算", "金额")
LONG = ir.Compare(PERIOD, ">", ir.ConstTerm("期限", Duration("月", 36)))
SMALL = ir.Compare(BUDGET, "<", ir.ConstTerm("金额", Decimal(500_000)))


def _rule(rule_id: str, condition: ir.Cond, kind: str = "违规", **extra) -> ir.Rule:
    reads = tuple(t for t in condition.walk() if isinstance(t, ir.FieldTerm))
    return ir.Rule(rule_id, ARTICLE, "原文", ir.TRUE, (ir.Outcome("成立", condition, kind, "摘要"),), reads, (),
                   stratum=0, is_gate=kind == "不适用", undecided=condition, each=None, span=SPAN, **extra)


def test_apply_exceptions_sets_the_excepted_rule_aside_while_the_exception_holds():
    base = _rule("30.1", LONG)
    exception = _rule("30.2", SMALL, kind="提示", excepts=("30.1",), excepts_span=SPAN)
    (excepted, reporting), errors = passes.apply_exceptions((base, exception))
    holds = ir.And((ir.TRUE, SMALL))
    assert errors == []
    assert excepted.exempted_by == (("30.2", holds),)
    assert excepted.outcomes[0].condition == ir.And((LONG, ir.Not(ir.Or((holds,)))))
    assert excepted.undecided == ir.And((LONG, ir.Not(ir.Or((holds,)))))
    assert reporting.outcomes[0].condition == ir.And((SMALL, ir.Or((ir.And((ir.TRUE, LONG)),))))
    assert {t.path for t in reporting.reads} == {"项目.总预算", "合同.实施周期"}  # it reads what it sets aside


def test_apply_exceptions_refuses_an_exception_of_nothing_or_of_an_exception():
    first = _rule("30.2", SMALL, kind="提示", excepts=("30.9",), excepts_span=SPAN)
    second = _rule("30.3", SMALL, kind="提示", excepts=("30.2",), excepts_span=SPAN)
    _, errors = passes.apply_exceptions((first, second))
    assert [(e.code, e.message) for e in errors] == [("E181", "例外所指的规则 30.9 不存在"), ("E181", "例外所指的规则 30.2 不存在")]


def test_apply_gate_makes_every_other_rule_wait_for_the_gate():
    gate, other = _rule("2.1", SMALL, kind="不适用"), _rule("30.1", LONG)
    (gate_after, other_after), errors = passes.apply_gate((gate, other))
    assert errors == [] and gate_after == gate
    assert other_after.applies == ir.And((ir.TRUE, ir.Not(ir.FindingExists("本办法", "不适用", ("2.1",)))))
    assert passes.apply_gate((other,)) == ((other,), [])  # no gate, nothing to wait for


def test_assign_strata_orders_chained_rules_and_finds_cycles():
    gate = _rule("2.1", SMALL, kind="不适用")
    facts_only = _rule("30.1", LONG)
    chained = _rule("30.2", ir.FindingExists("第三十条", "违规", ("30.1",)))
    (gate, facts_only, chained), errors = passes.assign_strata((gate, facts_only, chained))
    assert errors == [] and (gate.stratum, facts_only.stratum, chained.stratum) == (0, 1, 2)
    assert chained.refs == (ir.FindingExists("第三十条", "违规", ("30.1",)),)
    loop = (_rule("30.1", ir.FindingExists("第三十条", "违规", ("30.2",))),
            _rule("30.2", ir.FindingExists("第三十条", "违规", ("30.1",))))
    _, errors = passes.assign_strata(loop)
    assert [e.code for e in errors] == ["E131"] and "30.1 → 30.2 → 30.1" in errors[0].message


def test_a_reference_inside_a_node_the_passes_do_not_know_still_decides_the_stratum():
    from test_ir_walk import Unheard
    first = _rule("30.1", LONG)
    hidden = replace(_rule("30.2", ir.TRUE), applies=Unheard(ir.FindingExists("第三十条", "违规", ("30.1",))))
    (_, hidden), _ = passes.assign_strata((first, hidden))
    assert hidden.stratum == 2


def test_the_checker_runs_its_passes_in_a_named_order():
    assert [name for name, _ in passes.CHECKER_PASSES] == ["exceptions", "gate", "strata"]
