"""Versions of the same measures: a revision (修订 “…”) judged beside the version it replaces.

Stage 3 → 3, one pass over two checked policies. A county revises its measures: some articles
and parameters change from the revision's 施行日期 on, while conduct before that date stays
under the version in force then (法不溯及既往). A revision is written as a policy that inherits
the previous version (`修订 “jinxiang_2024.rules”` instead of `继承`) with its own 施行日期. Both
are checked on their own; this pass then makes one policy of them:

- a rule the revision left as it was: the previous version's rule, judged from its 施行日期 on;
- a rule the revision changed: two rules. The previous version's rule (its id marked with the
  version, e.g. `28.2（2024-12-12版）`) judges conduct dated before the revision's 施行日期; the
  revised rule judges conduct from then on. A rule added by the revision judges conduct from its
  施行日期 on (before that there was no such duty: its 施行前 提示 says so); a rule the revision
  dropped judges only conduct before it.

Which date decides is the rule's conduct date (行为日期, engine/in_force.py). For a time limit that
declares none, it is the event the period runs from (the 中标通知书 for 28.2): the duty arose on
that day, under the version in force then, even when its deadline falls after the revision. A
rule with no conduct date at all (a standing reminder) cannot be split: the current version's
rule stands alone. Every finding of a version chain says which version it was judged under.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import replace
from typing import assert_never

from . import ir
from .in_force import PRE_EFFECTIVE, before


def version_label(meta: ir.PolicyMeta) -> str:
    effective = meta.effective.isoformat() if meta.effective else "施行日期未写"
    return f"{meta.number or meta.name}（{effective}起施行）"


def combine_versions(previous: ir.Policy, current: ir.Policy) -> ir.Policy:
    revised_on = current.meta.effective
    if revised_on is None:
        return current  # the checker requires a 施行日期 of a revision; nothing to split on without one
    old_label, new_label = version_label(previous.meta), version_label(current.meta)
    suffix = f"（{previous.meta.effective.isoformat() if previous.meta.effective else '前'}版）"
    previous_rules = {r.rule_id: r for r in previous.rules}
    rules: list[ir.Rule] = []
    renamed: dict[str, str] = {}
    for rule in current.rules:
        old = previous_rules.pop(rule.rule_id, None)
        if old is None:
            rules.append(replace(rule, version=new_label))
        elif _same(old, rule, previous.meta.effective, revised_on):
            rules.append(replace(old, article=rule.article, version=f"{old_label}，{new_label}未修改"))
        elif (selector := _selector(old) or _selector(rule)) is None:
            rules.append(replace(rule, version=f"{new_label}（本条规则没有行为日期，不区分版本）"))
        else:
            # The same rule id judges the same conduct: either version's conduct date decides for both.
            renamed[old.rule_id] = old.rule_id + suffix
            rules.append(_only(old, before(selector, revised_on), old.rule_id + suffix, old_label, keep_notices=True))
            rules.append(_only(rule, ir.Not(before(_selector(rule) or selector, revised_on)), rule.rule_id, new_label,
                               keep_notices=False))
    for old in previous_rules.values():  # dropped by the revision: still judges what happened before it
        selector = _selector(old)
        if selector is not None:
            renamed[old.rule_id] = old.rule_id + suffix
            rules.append(_only(old, before(selector, revised_on), old.rule_id + suffix, old_label, keep_notices=True))
    rules = [_with_refs(rule, renamed) for rule in rules]
    fingerprint = f"{previous.fingerprint}+{current.fingerprint}"
    return replace(current, rules=tuple(rules), fingerprint=fingerprint,
                   sources=tuple(dict((*previous.sources, *current.sources)).items()))


def _selector(rule: ir.Rule) -> ir.Term | None:
    """The date that decides which version judges this rule: its conduct date, or for a time limit
    dated by its deadline, the event its period runs from."""
    for outcome in rule.outcomes:
        if outcome.variant.startswith(PRE_EFFECTIVE) and outcome.conduct is not None:
            conduct = outcome.conduct
            if isinstance(conduct, ir.ComputedTerm) and conduct.op.startswith("add_"):
                return conduct.base
            return conduct
    return None


def _only(rule: ir.Rule, when: ir.Cond, rule_id: str, version: str, keep_notices: bool) -> ir.Rule:
    """The rule restricted to the conduct `when` selects. The revised rule drops its own 施行前
    提示: conduct before the revision is the previous version's to judge (or not to judge)."""
    outcomes = tuple(replace(o, condition=ir.And((o.condition, when))) for o in rule.outcomes
                     if keep_notices or not o.variant.startswith(PRE_EFFECTIVE))
    undecided = ir.And((rule.undecided, when)) if rule.undecided is not None else None
    return replace(rule, rule_id=rule_id, outcomes=outcomes, undecided=undecided, version=version)


def _with_refs(rule: ir.Rule, renamed: dict[str, str]) -> ir.Rule:
    """A chained rule (违反第二十八条 …) reads the findings of both versions of the rules it names."""
    if not renamed or not rule.finding_refs():
        return rule

    def widen_test(node):
        match node:
            case ir.FindingExists(rule_ids=ids):
                extra = tuple(renamed[i] for i in ids if i in renamed)
                return replace(node, rule_ids=(*ids, *extra)) if extra else node
            case ir.Compare() | ir.HasWord() | ir.Filled():
                return node
            case _:
                assert_never(node)

    def widen(cond):
        return ir.map_tests(cond, widen_test)

    outcomes = tuple(replace(o, condition=widen(o.condition)) for o in rule.outcomes)
    refs = tuple(widen(ref) for ref in rule.refs)
    return replace(rule, applies=widen(rule.applies), outcomes=outcomes, refs=refs)


def _same(old: ir.Rule, new: ir.Rule, old_date: dt.date | None, new_date: dt.date) -> bool:
    """Whether the revision left a rule's meaning as it was: the same conditions, kinds and
    summaries once each version's own 施行日期 is set aside."""
    dates = {d for d in (old_date, new_date) if d is not None}
    return (_neutral(old.applies, dates) == _neutral(new.applies, dates)
            and _neutral(old.outcomes, dates) == _neutral(new.outcomes, dates)
            and _neutral(old.undecided, dates) == _neutral(new.undecided, dates))


def _neutral(node, dates: set[dt.date]):
    """`node` with the 施行日期 constants that gate it (engine/in_force.py) blanked out."""
    match node:
        case ir.ConstTerm(type="日期", value=value) if value in dates:
            return ir.ConstTerm("日期", None)
        case tuple():
            return tuple(_neutral(item, dates) for item in node)
        case _ if dataclasses.is_dataclass(node) and not isinstance(node, type):
            return replace(node, **{f.name: _neutral(getattr(node, f.name), dates) for f in dataclasses.fields(node) if f.init})
    return node
