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


def compute(term: ir.ComputedTerm, base: Any, workdays: WorkdayCalendar) -> Any:
    match term.op:
        case "percent_of":
            return base * Decimal(term.amount) / 100
        case "add_workdays":
            return workdays.add_workdays(base, term.amount.amount)
        case "add_days":
            return base + dt.timedelta(days=term.amount.amount)
        case "add_months":
            return add_months(base, term.amount.amount)
    raise AssertionError(f"unknown computed term {term.op}")


def value_project(policy: ir.Policy, facts: ProjectFacts, as_of: dt.date, workdays: WorkdayCalendar) -> Valuation:
    fields: dict[str, Any] = {}
    for term in policy.read_fields():
        value = facts.values.get(term.path)
        if value is None and term.event:
            value = NEVER
        if value is not None:
            fields[term.path] = value
    fields[ir.AS_OF_PATH] = as_of
    computed: dict[ir.ComputedTerm, Any] = {}
    for term in policy.computed_terms():
        base = fields.get(term.base.path)
        if base is not None and base is not NEVER:
            computed[term] = compute(term, base, workdays)
    return Valuation(fields, computed)
