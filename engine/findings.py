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
    rules = {r.rule_id: r for r in policy.rules}
    fired_kinds = {(rule_id, _kind_of(rules[rule_id], variant)) for rule_id, variant, _ in firings}
    findings = []
    order = lambda f: (_rule_order(f[0]), -1 if f[2] is None else f[2], f[1])  # noqa: E731
    for rule_id, variant, item in sorted(set(firings), key=order):
        rule = rules[rule_id]
        target = values.project if item is None else values.items[rule.each][item]
        outcome = next((o for o in rule.outcomes if o.variant == variant), None)
        basis = _basis(rule, target, item, outcome)
        rests_on = _rests_on(rule, fired_kinds)
        for rid in rests_on:
            basis[f"{rules[rid].article.label}（规则{rid}）"] = "、".join(k for r, k in sorted(fired_kinds) if r == rid)
        if outcome is None:  # 无法判定
            missing = tuple(_shown_path(t, item) for t in rule.reads if target.value(t) is None)
            summary = f"无法判定：{rule.outcomes[0].summary}"
            findings.append(Finding(rule.article, rule, variant, UNDECIDED, summary, basis, missing=missing,
                                    rests_on=rests_on, item=item))
            continue
        deadline = target.value(outcome.deadline) if outcome.deadline is not None else None
        if deadline is not None:
            basis["截止日期"] = deadline.isoformat()
        summary = outcome.summary
        if outcome.conduct is not None:  # not judged: the conduct predates the 施行日期
            summary = messages.PRE_EFFECTIVE.format(summary=summary, date=format_value(target.value(outcome.conduct)))
            basis["施行日期"] = format_value(policy.meta.effective)
        findings.append(Finding(rule.article, rule, variant, outcome.kind, summary, basis, deadline, (), rests_on, item))
    return tuple(findings)


def _shown_path(term: ir.FieldTerm, item: int | None) -> str:
    if term.item and item is not None:
        head, _, name = term.path.rpartition(".")
        return f"{head}[{item}].{name}"
    return term.path


def _kind_of(rule: ir.Rule, variant: str) -> str:
    return next((o.kind for o in rule.outcomes if o.variant == variant), UNDECIDED)


def _basis(rule: ir.Rule, values: Valuation, item: int | None, outcome: ir.Outcome | None) -> dict[str, str]:
    basis: dict[str, str] = {}
    # The 评估日期 is part of the basis only where the outcome compared against it.
    as_of_read = outcome is None or outcome.reads_as_of
    for term in rule.reads:
        value = values.value(term)
        if value is None or (term.path == ir.AS_OF_PATH and not as_of_read):
            continue
        basis[_shown_path(term, item)] = "（未发生）" if value is NEVER else format_value(value)
    for term in rule.terms:
        value = values.value(term)
        if value is not None and term.label != "截止日期":
            basis[term.label] = format_value(value)
    if outcome is not None:
        basis.update(excesses(outcome.condition, values))
    return basis


def excesses(cond: ir.Cond, values: Valuation) -> dict[str, str]:
    """An amount found higher than another (实际支出 高于 总预算) is shown with the excess and its
    percentage of the other, so a reviewer reads how far over it is, not only that it is."""
    shown: dict[str, str] = {}
    match cond:
        case ir.Compare(left=left, op=">", right=right) if left.type == right.type == "金额":
            high, low = values.value(left), values.value(right)
            if high is not None and low is not None and high > low:
                excess = high - low
                share = f"，为{_label(right)}的{_percent(excess * 100 / low)}" if low > 0 else ""
                shown[f"{_label(left)}超出{_label(right)}"] = f"{format_value(excess)}{share}"
        case ir.And(items=items) | ir.Or(items=items):
            for item in items:
                shown.update(excesses(item, values))
        case ir.Compare() | ir.HasWord() | ir.Filled() | ir.FindingExists():
            pass
        case ir.Not() | ir.NotProven():
            pass  # a comparison under a negation that held did not hold: nothing exceeded
        case _:
            assert_never(cond)
    return shown


def _percent(value: Decimal) -> str:
    rounded = value.quantize(Decimal("0.01"))
    return "不足0.01%" if rounded == 0 else f"{rounded.normalize():f}%"


def _label(term: ir.Term) -> str:
    return ir.term_name(term) or format_value(term.value)


def _rests_on(rule: ir.Rule, fired_kinds: set[tuple[str, str]]) -> tuple[str, ...]:
    refs = rule.refs
    return tuple(sorted({rid for ref in refs for rid in ref.rule_ids if (rid, ref.kind) in fired_kinds}, key=_rule_order))

