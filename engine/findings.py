"""Stage 5 — findings: what an evaluation reports, as docs/report.md defines it.

A backend only says which rules fired and how (firings); this module turns firings into findings
that carry everything a reviewer needs: the article and its text, the rule and where it is written,
the facts read with their values, computed dates and amounts, the deadline, what is missing, and
for a chained finding the findings it rests on. An Evaluation keeps the live rules (explain reads
them); what is shown and written out is its report (report.py).
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, assert_never

from . import ir, language, messages
from .valuation import NEVER, ProjectValues, Valuation
from .values import format_value

if TYPE_CHECKING:
    from .report import Report

UNDECIDED = language.UNDECIDED
KIND_ORDER = language.KIND_ORDER


@dataclass(frozen=True, slots=True)
class Finding:
    article: ir.ArticleInfo
    rule: ir.Rule
    variant: str
    kind: str
    summary: str
    basis: dict[str, str]  # fact or computed value → as shown
    deadline: dt.date | None = None
    missing: tuple[str, ...] = ()
    rests_on: tuple[str, ...] = ()  # rule ids of the findings a chained finding rests on
    item: int | None = None  # for a rule checked per record: which record (0-based)

    @property
    def location(self) -> str:
        span = self.rule.span
        return f"{span.file}:{span.line}-{span.end_line}"

    def to_json(self) -> dict[str, Any]:
        """This finding as the report shows it (report.ReportFinding)."""
        from .report import ReportFinding  # report.py reads this module's kinds: imported here, one way
        return ReportFinding.of(self).to_json()


@dataclass(frozen=True, slots=True)
class Evaluation:
    """One project evaluated: its findings with the live rules they came from (explain reads these);
    what is shown and written out is its report (report.Report)."""

    policy: ir.Policy
    file: str
    project_id: str
    project_name: str
    as_of: dt.date
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def conclusion(self) -> str:
        return language.conclusion(f.kind for f in self.findings)

    @property
    def has_violations(self) -> bool:
        return any(f.kind in language.BREACH_KINDS for f in self.findings)

    def report(self) -> Report:
        from .report import Report  # report.py reads this module's kinds: imported here, one way
        return Report.of(self)

    def to_json(self) -> dict[str, Any]:
        return self.report().to_json()


@lru_cache(maxsize=4096)  # a policy has a few hundred rule ids; each project sorts its findings by them
def _rule_order(rule_id: str) -> tuple:
    """28.2 before 28.10; an earlier version's rule (28.2（2024-12-12版）, engine/versions.py) beside its successor."""
    head, _, tail = rule_id.rpartition(".")
    number, _, sub = head.partition("之")
    digits = re.match(r"\d+", tail)
    return (int(number), int(sub or 0), int(digits.group(0)) if digits else 0, tail)


def build_findings(policy: ir.Policy, values: ProjectValues, firings: list[tuple[str, str, int | None]]) -> tuple[Finding, ...]:
    """Findings of one project from its firings. A compiled policy keeps its FindingsPlan and
    calls its `build`; this plans the policy afresh on every call."""
    return FindingsPlan.of(policy).build(values, firings)


@dataclass(frozen=True, slots=True)
class _Read:
    """A field a rule reads, and how it is named in 依据 and 缺少: a record's field by its record
    (实施.变更[2].日期), so `head` and `name` are kept apart for it."""

    path: str
    head: str | None  # for a field of a record: its record list
    name: str

    def shown(self, item: int | None) -> str:
        return self.path if self.head is None or item is None else f"{self.head}[{item}].{self.name}"


@dataclass(frozen=True, slots=True)
class _Excess:
    """An amount compared as higher than another (see excesses), with its 依据 label worked out."""

    high: ir.Term
    low: ir.Term
    key: str  # 实际支出超出总预算
    share: str  # ，为总预算的


@dataclass(frozen=True, slots=True)
class _VariantPlan:
    """What a finding of one rule and variant needs that does not depend on the project."""

    rule: ir.Rule
    variant: str
    outcome: ir.Outcome | None  # None: 无法判定
    kind: str
    summary: str
    reads: tuple[_Read, ...]  # shown in 依据 when present (the 评估日期 only where the outcome compares it)
    all_reads: tuple[_Read, ...]  # for 缺少
    terms: tuple[tuple[ir.ComputedTerm, str], ...]  # computed values shown in 依据, with their labels
    excesses: tuple[_Excess, ...]
    refs: frozenset[tuple[str, str]]  # (rule id, kind) of the findings the rule reads


class FindingsPlan:
    """Everything about a policy's findings that is the same for every project, worked out once
    per policy (as ValuationPlan is for values): per rule and variant, what 依据 shows and under
    which labels, which amounts are compared for an excess, the findings a rule rests on."""

    def __init__(self, policy: ir.Policy) -> None:
        self.policy = policy
        self.rules = {r.rule_id: r for r in policy.rules}
        self._variants: dict[tuple[str, str], _VariantPlan] = {}
        for rule in policy.rules:
            for outcome in rule.outcomes:
                self._variants.setdefault((rule.rule_id, outcome.variant), self._variant(rule, outcome.variant))
            self._variants.setdefault((rule.rule_id, UNDECIDED), self._variant(rule, UNDECIDED))
        self._ref_labels = {rid: f"{rule.article.label}（规则{rid}）" for rid, rule in self.rules.items()}
        self._effective = format_value(policy.meta.effective)

    @classmethod
    def of(cls, policy: ir.Policy) -> FindingsPlan:
        return cls(policy)

    def _variant(self, rule: ir.Rule, variant: str) -> _VariantPlan:
        outcome = next((o for o in rule.outcomes if o.variant == variant), None)
        all_reads = tuple(_Read(t.path, t.path.rpartition(".")[0] if t.item else None, t.name) for t in rule.reads)
        # The 评估日期 is part of the basis only where the outcome compared against it.
        as_of_read = outcome is None or outcome.reads_as_of
        reads = tuple(r for r in all_reads if as_of_read or r.path != ir.AS_OF_PATH)
        terms = tuple((t, t.label) for t in rule.terms if t.label != "截止日期")
        refs = frozenset((rid, ref.kind) for ref in rule.refs for rid in ref.rule_ids)
        if outcome is None:
            return _VariantPlan(rule, variant, None, UNDECIDED, f"无法判定：{rule.outcomes[0].summary}", reads, all_reads,
                                terms, (), refs)
        return _VariantPlan(rule, variant, outcome, outcome.kind, outcome.summary, reads, all_reads, terms,
                            _excesses_of(outcome.condition), refs)

    def variant(self, rule_id: str, variant: str) -> _VariantPlan:
        plan = self._variants.get((rule_id, variant))
        if plan is None:  # a variant no outcome has reads as 无法判定, as the rule's own would
            plan = self._variants[(rule_id, variant)] = self._variant(self.rules[rule_id], variant)
        return plan

    def build(self, values: ProjectValues, firings: list[tuple[str, str, int | None]]) -> tuple[Finding, ...]:
        plans = {(rule_id, variant): self.variant(rule_id, variant) for rule_id, variant, _ in firings}
        fired_kinds = {(rule_id, plans[(rule_id, variant)].kind) for rule_id, variant, _ in firings}
        findings = []
        shown_kinds: dict[str, str] = {}  # rule id → its fired kinds as 依据 shows them
        order = lambda f: (_rule_order(f[0]), -1 if f[2] is None else f[2], f[1])  # noqa: E731
        for rule_id, variant, item in sorted(set(firings), key=order):
            plan = plans[(rule_id, variant)]
            rule, outcome = plan.rule, plan.outcome
            target = values.project if item is None else values.items[rule.each][item]
            basis = _basis(plan, target, item)
            rests_on = _rests_on(plan.refs, fired_kinds)
            for rid in rests_on:
                shown = shown_kinds.get(rid)
                if shown is None:
                    shown = shown_kinds[rid] = "、".join(k for r, k in sorted(fired_kinds) if r == rid)
                basis[self._ref_labels[rid]] = shown
            if outcome is None:  # 无法判定
                fields = target.fields
                missing = tuple(r.shown(item) for r in plan.all_reads if fields.get(r.path) is None)
                findings.append(Finding(rule.article, rule, variant, UNDECIDED, plan.summary, basis, missing=missing,
                                        rests_on=rests_on, item=item))
                continue
            deadline = target.value(outcome.deadline) if outcome.deadline is not None else None
            if deadline is not None:
                basis["截止日期"] = deadline.isoformat()
            summary = plan.summary
            if outcome.conduct is not None:  # not judged: the conduct predates the 施行日期
                summary = messages.PRE_EFFECTIVE.format(summary=summary, date=format_value(target.value(outcome.conduct)))
                basis["施行日期"] = self._effective
            findings.append(Finding(rule.article, rule, variant, plan.kind, summary, basis, deadline, (), rests_on, item))
        return tuple(findings)


def _basis(plan: _VariantPlan, values: Valuation, item: int | None) -> dict[str, str]:
    basis: dict[str, str] = {}
    fields, computed = values.fields, values.computed
    for read in plan.reads:
        value = fields.get(read.path)
        if value is not None:
            basis[read.path if item is None else read.shown(item)] = "（未发生）" if value is NEVER else format_value(value)
    for term, label in plan.terms:
        value = computed.get(term)
        if value is not None:
            basis[label] = format_value(value)
    _show_excesses(plan.excesses, values, basis)
    return basis


def excesses(cond: ir.Cond, values: Valuation) -> dict[str, str]:
    """An amount found higher than another (实际支出 高于 总预算) is shown with the excess and its
    percentage of the other, so a reviewer reads how far over it is, not only that it is."""
    shown: dict[str, str] = {}
    _show_excesses(_excesses_of(cond), values, shown)
    return shown


def _excesses_of(cond: ir.Cond) -> tuple[_Excess, ...]:
    """The amount comparisons of a condition that excesses() shows, with their labels, in the order
    the condition is written (a FindingsPlan works them out once per rule and variant)."""
    return tuple(_Excess(c.left, c.right, f"{_label(c.left)}超出{_label(c.right)}", f"，为{_label(c.right)}的")
                 for c in _excess_comparisons(cond))


def _show_excesses(planned: tuple[_Excess, ...], values: Valuation, shown: dict[str, str]) -> None:
    """Each excess that holds for `values`, into `shown`: a repeated label keeps its first place."""
    for excess in planned:
        high, low = values.value(excess.high), values.value(excess.low)
        if high is not None and low is not None and high > low:
            difference = high - low
            share = f"{excess.share}{_percent(difference * 100 / low)}" if low > 0 else ""
            shown[excess.key] = f"{format_value(difference)}{share}"


def _excess_comparisons(cond: ir.Cond) -> list[ir.Compare]:
    match cond:
        case ir.Compare(left=left, op=">", right=right) if left.type == right.type == "金额":
            return [cond]
        case ir.And(items=items) | ir.Or(items=items):
            return [found for item in items for found in _excess_comparisons(item)]
        case ir.Compare() | ir.HasWord() | ir.Filled() | ir.FindingExists():
            return []
        case ir.Not() | ir.NotProven():
            return []  # a comparison under a negation that held did not hold: nothing exceeded
        case _:
            assert_never(cond)


def _percent(value: Decimal) -> str:
    rounded = value.quantize(Decimal("0.01"))
    return "不足0.01%" if rounded == 0 else f"{rounded.normalize():f}%"


def _label(term: ir.Term) -> str:
    return ir.term_name(term) or format_value(term.value)


def _rests_on(refs: frozenset[tuple[str, str]], fired_kinds: set[tuple[str, str]]) -> tuple[str, ...]:
    fired = refs & fired_kinds
    return tuple(sorted({rid for rid, _ in fired}, key=_rule_order)) if fired else ()
