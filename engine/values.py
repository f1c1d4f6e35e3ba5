"""Typed values as staff write them: money, dates, durations, yes/no.

Money is held exactly as Decimal 元; dates as datetime.date; durations as a Duration of months,
days or working days. These parsers serve both the facts files and the literals of the policy
language, so 500万元 means the same thing in both.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from .language import DURATION_UNITS, MONEY_UNITS, alternation
from .text import fold_fullwidth

# MONEY_UNITS (unit → 元) and DURATION_UNITS (unit → (base unit, factor)) come from engine/language.py.

# What staff write, and nothing looser. Digits are ASCII 0-9 (full-width digits are folded to them
# first); Python's \d would also take Arabic-Indic and other scripts' digits, which int() accepts.
# A thousands separator comes only in proper groups of three (1,234,567.5), never 5,,,2. Ten
# decimals are the most a 分 of 亿元 needs; with at most 13 whole digits every product is exact.
_MONEY = re.compile(rf"\s*((?:[0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]+)(?:\.[0-9]{{1,10}})?)\s*({alternation(MONEY_UNITS)})?\s*")
_DATE_ISO = re.compile(r"\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\s*")
_DATE_CN = re.compile(r"\s*([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日\s*")
_DURATION = re.compile(rf"\s*([0-9]+)\s*({alternation(DURATION_UNITS)})\s*")

# The range of dates a project's facts and a policy may hold. Inside the engine an event that has
# not happened is dt.date.max, and a deadline is a date plus at most MAX_DURATION; bounding dates
# well below that keeps every real date, and every date computed from one, apart from the sentinel
# and inside what datetime can represent. No government IT project predates the People's Republic.
EARLIEST_DATE = dt.date(1949, 10, 1)
LATEST_DATE = dt.date(2199, 12, 31)
# Amounts beyond a trillion 元 are typing mistakes in a county's project; the bound also keeps money
# far inside what the rules engine holds as a whole number of 分 (int64).
MAX_MONEY = Decimal(10) ** 12
# A policy's percentages (网络安全预算比例 5%) are shares of an amount: ten times the amount is
# already no share, and four decimals are finer than any regulation writes.
MAX_PERCENT = Decimal(1000)
# The longest period a policy or a project may state, per unit (a century).
MAX_DURATION = {"月": 1200, "日": 36_500, "工作日": 25_000}


class OutOfRange(ValueError):
    """A value written correctly but outside the range the tool accepts; str() says the range."""
YES_WORDS = {"是": True, "否": False, "true": True, "false": False}


@dataclass(frozen=True, slots=True, order=True)
class Duration:
    """A length of time; `unit` is 月, 日 or 工作日 (years are held as 12 months)."""

    unit: str
    amount: int

    def __str__(self) -> str:
        if self.unit == "月":
            return f"{self.amount // 12}年" if self.amount % 12 == 0 and self.amount else f"{self.amount}个月"
        return f"{self.amount}个工作日" if self.unit == "工作日" else f"{self.amount}日"


def parse_money(text: str | int | float | Decimal) -> Decimal:
    """'680万元' → Decimal('6800000'); a bare number is 元. Raises ValueError."""
    if isinstance(text, bool):
        raise ValueError(text)
    if isinstance(text, int) and abs(text) > MAX_MONEY:
        raise OutOfRange(_money_range())  # before Decimal(): a 5,000-digit int is slow to convert
    if isinstance(text, (int, Decimal)):
        amount = Decimal(text)
    elif isinstance(text, float):
        amount = Decimal(repr(text))
    else:
        match = _MONEY.fullmatch(fold_fullwidth(str(text)))
        if not match:
            raise ValueError(text)
        digits = match.group(1).replace(",", "")
        if len(digits.partition(".")[0].lstrip("0")) > 13:
            raise OutOfRange(_money_range())
        amount = Decimal(digits) * MONEY_UNITS[match.group(2) or "元"]
    if not amount.is_finite() or amount < 0:
        raise ValueError(text)
    if amount > MAX_MONEY:
        raise OutOfRange(_money_range())
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(text)  # finer than one 分
    return amount.normalize() if amount == amount.to_integral() else amount


def _money_range() -> str:
    return "金额超过了 1万亿元 的上限，请检查是否多写了几位数或写错了单位"


def parse_date(text: str | dt.date) -> dt.date:
    """'2025-01-24' or '2025年1月24日' → date. Raises ValueError (also for 2025-02-30)."""
    if isinstance(text, dt.datetime):
        day = text.date()
    elif isinstance(text, dt.date):
        day = text
    else:
        folded = fold_fullwidth(str(text))
        match = _DATE_ISO.fullmatch(folded) or _DATE_CN.fullmatch(folded)
        if not match:
            raise ValueError(text)
        day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise OutOfRange(f"日期 {day.isoformat()} 不在 {EARLIEST_DATE.isoformat()} 至 {LATEST_DATE.isoformat()} 之间，请检查年份")
    return day


def parse_duration(text: str) -> Duration:
    """'18个月' → Duration('月', 18); '3年' → Duration('月', 36). Raises ValueError."""
    match = _DURATION.fullmatch(fold_fullwidth(str(text)))
    if not match:
        raise ValueError(text)
    unit, factor = DURATION_UNITS[match.group(2)]
    number = match.group(1).lstrip("0") or "0"
    if len(number) > 6 or int(number) * factor > MAX_DURATION[unit]:
        limit = MAX_DURATION[unit]
        shown = f"{limit // 12}年" if unit == "月" else f"{limit}个工作日" if unit == "工作日" else f"{limit}日"
        raise OutOfRange(f"期限「{text}」超过了 {shown} 的上限")
    return Duration(unit, int(number) * factor)


def parse_yes_no(value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    key = str(value).strip().lower()
    if key not in YES_WORDS:
        raise ValueError(value)
    return YES_WORDS[key]


def format_money(amount: Decimal) -> str:
    """6800000 → '680万元'; 4999900 → '499.99万元'; 1234.5 → '1234.5元'."""
    if amount >= 10_000 and (amount / 10_000) == (amount / 10_000).quantize(Decimal("0.0001")):
        wan = (amount / 10_000).normalize()
        return f"{wan:f}万元"
    return f"{amount.normalize():f}元"


def format_parameter(const) -> str:
    """A 【参数】's value (an ir.ConstTerm) as the policy writes it: 15个工作日, 500万元, 5%."""
    if const.type == "百分比" and isinstance(const.value, Decimal):
        return f"{const.value.normalize():f}%"
    return format_value(const.value)


def format_value(value) -> str:
    """How a value appears in findings and explanations."""
    shown = _SHOWN_BY_TYPE.get(type(value))  # the common types by exact type, before the match
    if shown is not None:
        return shown(value)
    match value:
        case None:
            return "（未填）"
        case bool():
            return "是" if value else "否"
        case Decimal():
            return format_money(value)
        case dt.date():
            return value.isoformat()
        case frozenset() | tuple() | list():
            return "、".join(format_value(v) for v in sorted(value, key=str)) or "（空）"
        case _:
            return str(value)


_SHOWN_BY_TYPE = {bool: lambda value: "是" if value else "否", str: str, dt.date: dt.date.isoformat, Decimal: format_money}
