"""The named IR → IR passes (engine/passes.py), each on its own."""
from __future__ import annotations

import datetime as dt

import pytest

from engine import checker, ir, passes
from engine.backend import Engine
from engine.durable_backend import DurableBackend
from engine.policy import compile_policy, prepare_policy
from engine.vocabulary import load_vocabulary
from engine.workdays import load_calendar
from grammar.parser import parse_policy_text
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
