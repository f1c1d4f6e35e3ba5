"""Stage 2 → 3, one pass: 第四十六条 (the measures judge conduct from their 施行日期 on) applied to a
lowered rule's outcomes, with IR nodes every backend already understands.

Each rule judges some conduct, and the conduct has a date:
- `行为日期 X` under the rule: the conduct is dated X (立项.日期 for 8.1, 实施.开工日期 for 44.1 …);
- a time limit without a declaration: the conduct is failing to act by the deadline, dated the deadline;
- `持续义务`: a continuing duty (整改, a yearly 自评价, a 运维经费 application). What is still unmet is
  judged whenever the duty began; a time limit's act done late is dated the day it was done.
- no declaration on an if-rule: judged as it stands (lint asks for a declaration).

Conduct dated before the 施行日期 is not judged. Where the rule would otherwise have reported a
breach, it reports a 提示 instead ("…发生于本办法施行前（日期），不予追究"), carrying the date.

The reading of an absent conduct date follows the IR's semantics: an event that is not recorded
has not happened (NEVER), so it is not before the 施行日期 and the rule is judged; a date that is
not an event and is absent is unknown, so a rule that would report a breach reports 无法判定 and
names the date as missing, for nobody can tell whether the measures reach that conduct.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from . import ir, language

PRE_EFFECTIVE = "施行前"  # the variant of the 提示 that replaces a finding on conduct before the 施行日期


@dataclass(frozen=True, slots=True)
class ConductDates:
    """The date each outcome's conduct carries (outcome variant → term); an outcome not named is
    judged as it stands (continuing, or informational)."""

    by_variant: dict[str, ir.Term]


def conduct_dates(outcomes: tuple[ir.Outcome, ...], declared: ir.Term | None, continuing: bool,
                  due: ir.Term | None) -> ConductDates:
    """Which date dates which outcome. `declared` is the rule's 行为日期; `due` the date field a
    time limit asks for (its 逾期办理 outcome is dated the day the act was done late)."""
    dated: dict[str, ir.Term] = {}
    for outcome in outcomes:
        if outcome.kind not in language.CONDUCT_KINDS:
            continue
        if declared is not None:
            dated[outcome.variant] = declared
        elif outcome.variant == "逾期办理" and continuing and due is not None:
            dated[outcome.variant] = due
        elif outcome.variant in ("逾期办理", "逾期未办") and not continuing and outcome.deadline is not None:
            dated[outcome.variant] = outcome.deadline
    return ConductDates(dated)


def before(term: ir.Term, effective: dt.date) -> ir.Cond:
    return ir.Compare(term, "<", ir.ConstTerm("日期", effective))


def apply_effective_date(outcomes: tuple[ir.Outcome, ...], undecided: ir.Cond | None, dates: ConductDates,
                         effective: dt.date | None) -> tuple[tuple[ir.Outcome, ...], ir.Cond | None, ir.Cond | None]:
    """(outcomes, undecided, pre_effective): each dated outcome holds only for conduct on or after
    the 施行日期; a 提示 outcome per conduct date says when it was not judged for that reason;
    `pre_effective` holds when the rule's conduct predates the 施行日期 (for explain)."""
    if effective is None or not dates.by_variant:
        return outcomes, undecided, None
    gated, notices, befores = [], [], []
    for term in dict.fromkeys(dates.by_variant.values()):
        judged_away = before(term, effective)
        befores.append(judged_away)
        would_fire = tuple(o for o in outcomes if dates.by_variant.get(o.variant) == term)
        variant = PRE_EFFECTIVE if not notices else f"{PRE_EFFECTIVE}·{_label(term)}"
        notices.append(ir.Outcome(variant, ir.And((judged_away, ir.Or(tuple(o.condition for o in would_fire)))), language.REMINDER,
                                  would_fire[0].summary, conduct=term))
    for outcome in outcomes:
        term = dates.by_variant.get(outcome.variant)
        gated.append(outcome if term is None else
                     replace(outcome, condition=ir.And((outcome.condition, ir.Not(before(term, effective))))))
    terms = tuple(dict.fromkeys(dates.by_variant.values()))
    if undecided is not None:
        undecided = ir.And((undecided, *(ir.Not(before(t, effective)) for t in terms)))
    return (*gated, *notices), undecided, ir.Or(tuple(befores))


def _label(term: ir.Term) -> str:
    return ir.term_name(term) or "日期"
