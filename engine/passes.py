"""Stage 3 → 3: named passes over a checked policy's IR, each a function IR → IR.

The checker (checker.py) lowers each rule on its own; what only simplifies is a pass here, run
in the order of `FINAL_PASSES` by `finish`, and tested on its own (tests/test_passes.py).

- fold_constants: a comparison of two constants (a fixed deadline `于 【日期】 前` against the
  施行日期, engine/in_force.py) is decided here, once, and becomes TRUE or FALSE, so that no
  backend has to decide it (durable-rules cannot compare two constants; the durable backend
  refuses one it meets). Run last: a revision (versions.py) compares rules with their 施行日期
  constants set aside, which it can only do before they are folded away.
"""
from __future__ import annotations

import operator
from dataclasses import replace
from typing import Callable, assert_never

from . import ir

_COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne}

Pass = Callable[[ir.Policy], ir.Policy]


# ---------------------------------------------------------------- folding
def fold_constants(policy: ir.Policy) -> ir.Policy:
    """The policy with every comparison of two known constants replaced by TRUE or FALSE."""
    return replace(policy, rules=tuple(_fold_rule(rule) for rule in policy.rules))


def _fold_rule(rule: ir.Rule) -> ir.Rule:
    def maybe(cond: ir.Cond | None) -> ir.Cond | None:
        return None if cond is None else fold_condition(cond)

    folded = replace(
        rule, applies=fold_condition(rule.applies),
        outcomes=tuple(replace(o, condition=fold_condition(o.condition)) for o in rule.outcomes),
        undecided=maybe(rule.undecided), pre_effective=maybe(rule.pre_effective),
        exempted_by=tuple((rule_id, fold_condition(cond)) for rule_id, cond in rule.exempted_by))
    return rule if folded == rule else folded


def fold_condition(cond: ir.Cond) -> ir.Cond:
    match cond:
        case ir.Compare(left=ir.ConstTerm(value=left), op=op, right=ir.ConstTerm(value=right)) \
                if left is not None and right is not None:
            return ir.TRUE if _COMPARE[op](left, right) else ir.FALSE
        case ir.Compare() | ir.HasWord() | ir.Filled() | ir.FindingExists():
            return cond
        case ir.And(items=items):
            return ir.And(tuple(fold_condition(item) for item in items))
        case ir.Or(items=items):
            return ir.Or(tuple(fold_condition(item) for item in items))
        case ir.Not(item=item):
            return ir.Not(fold_condition(item))
        case ir.NotProven(item=item):
            return ir.NotProven(fold_condition(item))
        case _:
            assert_never(cond)


def constant_comparisons(cond: ir.Cond) -> list[ir.Compare]:
    """The comparisons of two constants left in a condition (none, once folded)."""
    return [node for node in cond.walk()
            if isinstance(node, ir.Compare) and isinstance(node.left, ir.ConstTerm) and isinstance(node.right, ir.ConstTerm)]


# Run on the policy a backend receives, after every other stage (see the module docstring).
FINAL_PASSES: tuple[tuple[str, Pass], ...] = (("fold_constants", fold_constants),)


def finish(policy: ir.Policy) -> ir.Policy:
    for _name, run in FINAL_PASSES:
        policy = run(policy)
    return policy
