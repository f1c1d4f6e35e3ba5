"""The values a policy reads from one project: its facts as typed values, plus computed terms.

Shared by every backend, so that a deadline or a percentage is worked out once, exactly, with the
working-day calendar, and both backends compare the same numbers.
"""
from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import ir
from .engine_limits import check_project_values
from .facts import ProjectFacts
from .workdays import WorkdayCalendar

# An event that has not happened compares as later than every date.
NEVER = dt.date.max


@dataclass(frozen=True, slots=True)
class Valuation:
    """Typed values by field path and by computed term; an absent key means MISSING."""

    fields: dict[str, Any]
    computed: dict[ir.ComputedTerm, Any]

    def value(self, term: ir.Term) -> Any:
        match term:
            case ir.FieldTerm(path=path):
                return self.fields.get(path)
            case ir.ConstTerm(value=value):
                return value
            case ir.ComputedTerm():
                return self.computed.get(term)


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day of the month N months later, or that month's last day (1-31 + 1 month → 2-28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = month_calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def full_years(start: dt.date, end: dt.date) -> int:
    """Years counted from start that have run out before end. A year's last day is the anniversary
    and it runs out at that day's end (民法典 第二百零一条、第二百零二条、第二百零三条第二款), so a
    yearly duty due on the anniversary may still be done that day: 2025-05-15 → 2026-05-15 is 0,
    → 2026-05-16 is 1."""
    if end <= start:
        return 0
    years = end.year - start.year
    return years if add_months(start, 12 * years) < end else years - 1


def next_anniversary(start: dt.date, as_of: dt.date) -> dt.date:
    """The last day of the year running on as_of: a yearly duty counted from start is next due then
    (start 2025-05-15: as of 2026-05-15 → 2026-05-15, the day itself; as of 2026-05-16 → 2027-05-15)."""
    return add_months(start, 12 * (full_years(start, as_of) + 1))


def compute(term: ir.ComputedTerm, base: Any, workdays: WorkdayCalendar, as_of: dt.date) -> Any:
    match term.op:
        case "count":
            return len(base)
        case "full_years":
            return full_years(base, as_of)
        case "next_anniversary":
            return next_anniversary(base, as_of)
        case "percent_of":
            return base * Decimal(term.amount) / 100
        case "add_workdays":
            return workdays.add_workdays(base, term.amount.amount)
        case "add_days":  # 民法典第二百零一条: the start day is not counted; 第二百零三条: a rest day extends
            return workdays.period_end(base + dt.timedelta(days=term.amount.amount))
        case "add_months":
            return workdays.period_end(add_months(base, term.amount.amount))
    raise AssertionError(f"unknown computed term {term.op}")


def _when_absent(term: ir.FieldTerm) -> Any:
    """What a field the facts leave out reads as: an event that has not happened is NEVER (an empty
    list for event lists); None leaves it absent (MISSING)."""
    if term.event:
        return frozenset() if term.type in ("日期列表", "年份列表") else NEVER
    return None


@dataclass(frozen=True, slots=True)
class ProjectValues:
    """The project's own valuation, and one valuation per record of each record list the policy
    checks item by item (the project's values plus that record's fields)."""

    project: Valuation
    items: dict[str, tuple[Valuation, ...]]


_RECORDS = object()  # in ValuationPlan.reads: a record list, valued as its records


@dataclass(frozen=True, slots=True)
class ValuationPlan:
    """What a policy reads, worked out once per policy rather than once per project."""

    reads: tuple[tuple[str, Any], ...]  # (path, what its absence reads as, or _RECORDS) per field read
    computed: tuple[ir.ComputedTerm, ...]
    item_reads: tuple[tuple[str, tuple[tuple[str, str, Any], ...]], ...]  # per record list: (path, name, when absent)

    @classmethod
    def of(cls, policy: ir.Policy) -> "ValuationPlan":
        return cls(tuple((t.path, _RECORDS if t.type == "记录列表" else _when_absent(t)) for t in policy.read_fields()),
                   policy.computed_terms(),
                   tuple((path, tuple((t.path, t.name, _when_absent(t)) for t in policy.item_fields(path)))
                         for path in policy.record_lists()))


def value_project(plan: ValuationPlan, facts: ProjectFacts, as_of: dt.date, workdays: WorkdayCalendar) -> ProjectValues:
    """The project's values. Raises FactsErrors, located in facts.file, for a text, amount or
    computed value the rules engine could not compare exactly (engine_limits), for every backend
    alike, so that the two always agree."""
    fields: dict[str, Any] = {}
    known, records = facts.values.get, facts.records
    for path, absent in plan.reads:
        if absent is _RECORDS:
            fields[path] = records.get(path, ())
            continue
        value = known(path)
        if value is not None:
            fields[path] = value
        elif absent is not None:
            fields[path] = absent
    fields[ir.AS_OF_PATH] = as_of
    computed: dict[ir.ComputedTerm, Any] = {}
    for term in plan.computed:
        base = fields.get(term.base.path)
        if base is not None and base is not NEVER:
            computed[term] = compute(term, base, workdays, as_of)
    check_project_values(facts.file, fields, computed)
    project = Valuation(fields, computed)
    items: dict[str, tuple[Valuation, ...]] = {}
    for record_list, reads in plan.item_reads:
        valued = []
        for record in records.get(record_list, ()):
            own = {}
            for path, name, absent in reads:
                value = record.get(name)
                if value is not None:
                    own[path] = value
                elif absent is not None:
                    own[path] = absent
            check_project_values(facts.file, own, {})  # a record's own fields (the project's are checked above)
            valued.append(Valuation({**fields, **own}, computed))
        items[record_list] = tuple(valued)
    return ProjectValues(project, items)
