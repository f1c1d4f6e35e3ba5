"""Typed values as staff write them: money, dates, durations, yes/no.

Money is held exactly as Decimal 元; dates as datetime.date; durations as a Duration of months,
days or working days. These parsers serve both the facts files and the literals of the policy
language, so 500万元 means the same thing in both.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MONEY_UNITS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
DURATION_UNITS = {"年": ("月", 12), "个月": ("月", 1), "月": ("月", 1), "日": ("日", 1), "天": ("日", 1),
                  "个工作日": ("工作日", 1), "工作日": ("工作日", 1)}

_MONEY = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*(元|万元|亿元)?\s*$")
_DATE_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_DATE_CN = re.compile(r"^\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*$")
_DURATION = re.compile(r"^\s*(\d+)\s*(年|个月|月|个工作日|工作日|日|天)\s*$")
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
    if isinstance(text, (int, Decimal)):
        amount = Decimal(text)
    elif isinstance(text, float):
        amount = Decimal(repr(text))
    else:
        match = _MONEY.match(str(text).replace(",", ""))
        if not match:
            raise ValueError(text)
        try:
            amount = Decimal(match.group(1)) * MONEY_UNITS[match.group(2) or "元"]
        except InvalidOperation as exc:
            raise ValueError(text) from exc
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValueError(text)  # negative, or finer than one 分
    return amount.normalize() if amount == amount.to_integral() else amount


def parse_date(text: str | dt.date) -> dt.date:
    """'2025-01-24' or '2025年1月24日' → date. Raises ValueError (also for 2025-02-30)."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    match = _DATE_ISO.match(str(text)) or _DATE_CN.match(str(text))
    if not match:
        raise ValueError(text)
    return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def parse_duration(text: str) -> Duration:
    """'18个月' → Duration('月', 18); '3年' → Duration('月', 36). Raises ValueError."""
    match = _DURATION.match(str(text))
    if not match:
        raise ValueError(text)
    unit, factor = DURATION_UNITS[match.group(2)]
    return Duration(unit, int(match.group(1)) * factor)


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


def format_value(value) -> str:
    """How a value appears in findings and explanations."""
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
