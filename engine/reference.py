"""The reference evaluator: the IR's meaning, in plain Python (a Backend, engine/backend.py).

It exists to be obviously right, not fast: the durable-rules backend is tested against it on
every facts file in the repository and on thousands of generated projects. Conditions are read
in Kleene's three-valued logic (True, False, None for unknown).
"""
from __future__ import annotations

import operator
from typing import assert_never

from . import ir
from .backend import BackendClosed, Engine, Firing
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
    firings: list[Firing] = []
    fired: set[tuple[str, str]] = set()
    for rule in sorted(policy.rules, key=lambda r: r.stratum):
        targets = values.items.get(rule.each, ()) if rule.each else (values.project,)
        for index, target in enumerate(targets):
            item = index if rule.each else None
            if kleene(rule.applies, target, fired) is not True:
                continue
            decided = False
            for outcome in rule.outcomes:
                if kleene(outcome.condition, target, fired) is True:
                    firings.append((rule.rule_id, outcome.variant, item))
                    fired.add((rule.rule_id, outcome.kind))
                    decided = True
            if not decided and rule.undecided is not None and kleene(rule.undecided, target, fired) is None:
                firings.append((rule.rule_id, "无法判定", item))
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

    def close(self) -> None:
        self.policy = None
