"""Stage 3 → 3: named passes over a checked policy's IR, each a function IR → IR.

The checker (checker.py) lowers each rule on its own (lowering.py); what needs every rule at once
is a pass here, run in the order of `CHECKER_PASSES`, and what only simplifies runs last, in the
order of `FINAL_PASSES` (`finish`). Each is a function of the rules (or the policy) alone, tested
on its own (tests/test_passes.py); the checker passes also return the mistakes they found.

- apply_exceptions: 若 … 则 例外 6.5 — the excepted rules report only while the exception is
  shown not to hold, and the exception reports when it set one aside;
- apply_gate: every rule but the 不适用 rules applies only while no 不适用 rule has fired;
- assign_strata: a rule that reads other findings runs after them (its stratum), and a cycle of
  such references is an error;
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

from . import ir, language
from .errors import PolicyError

_COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne}

Pass = Callable[[ir.Policy], ir.Policy]
Rules = tuple[ir.Rule, ...]
CheckerPass = Callable[[Rules], tuple[Rules, list[PolicyError]]]


# ---------------------------------------------------------------- exceptions, gate, strata
def apply_exceptions(rules: Rules) -> tuple[Rules, list[PolicyError]]:
    """若 … 则 例外 6.5: the excepted rules report only while the exception is shown not to hold;
    while it is unknown, what they would report is unknown too (无法判定, naming what is missing),
    and a pending duty (待办) is still shown. The exception itself reports (提示) when it set aside
    a rule that would otherwise have fired."""
    errors: list[PolicyError] = []
    by_id = {r.rule_id: r for r in rules}
    exceptions = {r.rule_id for r in rules if r.excepts}
    excepted: dict[str, list[tuple[str, ir.Cond]]] = {}
    for exception in (r for r in rules if r.excepts):
        holds = ir.And((exception.applies, exception.outcomes[0].condition))
        would_fire = []
        for target in exception.excepts:
            if target not in by_id or target in exceptions:
                errors.append(PolicyError.of("E181", exception.excepts_span, article=exception.article.label, rule=target))
                continue
            excepted.setdefault(target, []).append((exception.rule_id, holds))
            base = by_id[target]
            would_fire.extend(ir.And((base.applies, o.condition)) for o in base.outcomes
                              if o.kind != language.TODO and o.conduct is None)
        outcome = replace(exception.outcomes[0], condition=ir.And((exception.outcomes[0].condition, ir.Or(tuple(would_fire)))))
        reads = {t.path: t for r in (exception, *(by_id[t] for t in exception.excepts if t in by_id)) for t in r.reads}
        by_id[exception.rule_id] = replace(exception, outcomes=(outcome,), reads=tuple(reads.values()))
    for target, conditions in excepted.items():
        rule = by_id[target]
        exempt = ir.Or(tuple(c for _, c in conditions))
        outcomes = tuple(replace(o, condition=ir.And((o.condition, ir.NotProven(exempt) if o.kind == language.TODO else ir.Not(exempt))))
                         for o in rule.outcomes)
        undecided = ir.And((rule.undecided, ir.Not(exempt))) if rule.undecided is not None else None
        reads = {t.path: t for r in (rule, *(by_id[e] for e, _ in conditions)) for t in r.reads}
        by_id[target] = replace(rule, outcomes=outcomes, undecided=undecided, reads=tuple(reads.values()),
                                exempted_by=tuple(conditions))
    return tuple(by_id[r.rule_id] for r in rules), errors


def apply_gate(rules: Rules) -> tuple[Rules, list[PolicyError]]:
    """Every other rule applies only while no 不适用 rule has fired: a chain on the gate's
    findings, so an unknown gate (无法判定) lets the rest of the measures speak."""
    gates = tuple(r.rule_id for r in rules if r.is_gate)
    if not gates:
        return rules, []
    in_scope = ir.Not(ir.FindingExists("本办法", language.NOT_APPLICABLE, gates))
    return tuple(rule if rule.is_gate else replace(rule, applies=ir.And((rule.applies, in_scope))) for rule in rules), []


def assign_strata(rules: Rules) -> tuple[Rules, list[PolicyError]]:
    """Each rule's stratum (0: the gate; 1: reads facts only; k: reads findings of rules below k)
    and the findings it reads (refs); a cycle of references is an error (E131)."""
    errors: list[PolicyError] = []
    by_id = {r.rule_id: r for r in rules}
    depends = {r.rule_id: {rid for ref in r.finding_refs() for rid in ref.rule_ids} for r in rules}
    strata: dict[str, int] = {}

    def stratum(rule_id: str, trail: tuple[str, ...]) -> int:
        if rule_id in strata:
            return strata[rule_id]
        if rule_id in trail:
            cycle = " → ".join((*trail[trail.index(rule_id):], rule_id))
            rule = by_id[rule_id]
            errors.append(PolicyError.of("E131", rule.span, article=rule.article.label, cycle=cycle))
            return 0
        below = [stratum(d, (*trail, rule_id)) for d in depends.get(rule_id, ()) if d in by_id]
        # 不适用 rules (the gate) alone are stratum 0; every other rule runs once the gate has spoken.
        strata[rule_id] = 1 + max(below, default=0) if not by_id[rule_id].is_gate else 0
        return strata[rule_id]

    result = tuple(replace(rule, stratum=stratum(rule.rule_id, ()), refs=tuple(rule.finding_refs())) for rule in rules)
    return result, errors


# The checker runs these in order on the rules it lowered, then reports every mistake at once.
CHECKER_PASSES: tuple[tuple[str, CheckerPass], ...] = (
    ("exceptions", apply_exceptions),
    ("gate", apply_gate),
    ("strata", assign_strata),
)


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
    return ir.map_tests(cond, _fold_test)


def _fold_test(cond: ir.Cond) -> ir.Cond:
    match cond:
        case ir.Compare(left=ir.ConstTerm(value=left), op=op, right=ir.ConstTerm(value=right)) \
                if left is not None and right is not None:
            return ir.TRUE if _COMPARE[op](left, right) else ir.FALSE
        case ir.Compare() | ir.HasWord() | ir.Filled() | ir.FindingExists():
            return cond
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
