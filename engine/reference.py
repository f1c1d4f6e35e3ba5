"""The reference evaluator: the IR's meaning, in plain Python (a Backend, engine/backend.py).

It exists to be obviously right, not fast: the durable-rules backend is tested against it on
every facts file in the repository and on thousands of generated projects. Conditions are read
in Kleene's three-valued logic (True, False, None for unknown).
"""
from __future__ import annotations

import operator
from typing import assert_never

from . import ir, language
from .backend import BackendClosed, Engine, Firing, RuleRecord
from .valuation import NEVER, ProjectValues, Valuation

_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne}


def kleene(cond: ir.Cond, values: Valuation, fired: set[tuple[str, str]]) -> bool | None:
    """True, False, or None (unknown). `fired` holds (rule id, kind) of findings so far."""
    match cond:
        case ir.Compare(left=left, op=op, right=right):
            a, b = values.value(left), values.value(right)
            if a is None or b is None:
                return None
            return _OPS[op](a, b)
        case ir.HasWord(list_field=field, word=word):
            words = values.value(field)
            return None if words is None else word in words
        case ir.Filled(term=term):
            value = values.value(term)
            if term.type in ("日期列表", "年份列表") and term.event:
                return bool(value)  # an event list is filled when something has happened
            return value is not None and value is not NEVER
        case ir.FindingExists(kind=kind, rule_ids=rule_ids):
            return any((rule_id, kind) in fired for rule_id in rule_ids)
        case ir.And(items=items):
            results = [kleene(i, values, fired) for i in items]
            return False if False in results else (None if None in results else True)
        case ir.Or(items=items):
            results = [kleene(i, values, fired) for i in items]
            return True if True in results else (None if None in results else False)
        case ir.Not(item=item):
            result = kleene(item, values, fired)
            return None if result is None else not result
        case ir.NotProven(item=item):
            return kleene(item, values, fired) is not True
        case _:
            assert_never(cond)


def evaluate_reference(policy: ir.Policy, values: ProjectValues) -> list[Firing]:
    return _evaluate(policy, values, None)


def record_reference(policy: ir.Policy, values: ProjectValues) -> tuple[list[Firing], list[RuleRecord]]:
    """The firings, and what was found about every rule on the way (for explain)."""
    records: list[RuleRecord] = []
    return _evaluate(policy, values, records), records


def _evaluate(policy: ir.Policy, values: ProjectValues, records: list[RuleRecord] | None) -> list[Firing]:
    firings: list[Firing] = []
    fired: set[tuple[str, str]] = set()
    for rule in sorted(policy.rules, key=lambda r: r.stratum):
        targets = values.items.get(rule.each, ()) if rule.each else (values.project,)
        for index, target in enumerate(targets):
            item = index if rule.each else None
            applies = kleene(rule.applies, target, fired)
            if applies is not True:
                if records is not None:
                    records.append(RuleRecord(rule.rule_id, item, applies))
                continue
            decided = False
            results = []
            for outcome in rule.outcomes:
                holds = kleene(outcome.condition, target, fired)
                results.append((outcome.variant, holds))
                if holds is True:
                    firings.append((rule.rule_id, outcome.variant, item))
                    fired.add((rule.rule_id, outcome.kind))
                    decided = True
            undecided = not decided and rule.undecided is not None and kleene(rule.undecided, target, fired) is None
            if undecided:
                firings.append((rule.rule_id, language.UNDECIDED, item))
            if records is not None:
                exempted_by = next((exception for exception, holds in rule.exempted_by
                                    if kleene(holds, target, fired) is True), None)
                pre_effective = rule.pre_effective is not None and kleene(rule.pre_effective, target, fired) is True
                records.append(RuleRecord(rule.rule_id, item, True, tuple(results), undecided, exempted_by, pre_effective))
    return firings


class ReferenceBackend:
    """The reference evaluator behind the Backend protocol (engine/backend.py)."""

    engine = Engine.REFERENCE

    def __init__(self, policy: ir.Policy) -> None:
        self.policy: ir.Policy | None = policy

    def evaluate_many(self, projects: list[ProjectValues]) -> list[list[Firing]]:
        if self.policy is None:
            raise BackendClosed(self.engine)
        return [evaluate_reference(self.policy, values) for values in projects]

    def record(self, values: ProjectValues) -> tuple[list[Firing], list[RuleRecord]]:
        """One project's firings with the record of how each rule was decided."""
        if self.policy is None:
            raise BackendClosed(self.engine)
        return record_reference(self.policy, values)

    def close(self) -> None:
        self.policy = None
