"""Amounts, periods and percentages as a gazette writes them, found in running Chinese text.

Used by `draft` to see which numbers an amended article changed: 500万元 and 五百万元, 10个工作日 and
十个工作日, 5% and 百分之五 are the same quantities. Each is normalised to a family and a value so
that two spellings compare equal, and keeps its position so that it can be traced in the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .language import NUMERALS, UNITS_DEFINED
from .text import fold_fullwidth, parse_chinese_number

_CN = NUMERALS
_NUMBER = rf"(?:\d+(?:\.\d+)?|[{_CN}]+)"
# The policy language's units (engine/language.py), and 周年, which a gazette writes for a period
# of years; a period's family is its base unit (工作日, 月, 日), money's and a percentage's their type.
_FAMILY_FACTOR = {
    **{u.word: (u.base if u.measures == "期限" else u.measures, Decimal(u.factor)) for u in UNITS_DEFINED if u.in_policy},
    "周年": ("月", Decimal(12)),
}
# A period's 年/日 must not be part of a date (2024年12月12日) or of 年度/日常.
_NOT_PART_OF = {"年": rf"(?!\s*[0-9{_CN}]+\s*月|度)", "日": "(?!常)"}
_UNIT = "|".join(re.escape(unit) + _NOT_PART_OF.get(unit, "") for unit in sorted(_FAMILY_FACTOR, key=lambda u: (-len(u), u)))
_QUANTITY = re.compile(rf"(?P<percent_cn>百分之(?P<pn>{_NUMBER}))|(?P<number>{_NUMBER})\s*(?P<unit>{_UNIT})")


@dataclass(frozen=True, slots=True)
class Quantity:
    family: str  # 金额 (元) | 百分比 | 工作日 | 月 | 日
    value: Decimal
    text: str  # as written: 五百万元, 10 个工作日
    start: int
    end: int

    def same_as(self, other: "Quantity") -> bool:
        return self.family == other.family and self.value == other.value

    def policy_literal(self) -> str:
        """The quantity as the policy language writes it: 500万元, 15个工作日, 3年, 5%."""
        match self.family:
            case "金额":
                if self.value % 10_000 == 0:
                    return f"{_plain(self.value / 10_000)}万元"
                return f"{_plain(self.value)}元"
            case "百分比":
                return f"{_plain(self.value)}%"
            case "工作日":
                return f"{_plain(self.value)}个工作日"
            case "月":
                return f"{_plain(self.value / 12)}年" if self.value % 12 == 0 else f"{_plain(self.value)}个月"
        return f"{_plain(self.value)}日"


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _number(text: str) -> Decimal | None:
    text = fold_fullwidth(text)
    try:
        return Decimal(text) if text[0].isdigit() else Decimal(parse_chinese_number(text))
    except (ValueError, InvalidOperation, IndexError):
        return None


def find_quantities(text: str) -> list[Quantity]:
    """Every amount, period and percentage in `text`, in order."""
    found = []
    folded = fold_fullwidth(text)  # 1:1, so positions are the original's
    for match in _QUANTITY.finditer(folded):
        if match.group("percent_cn"):
            value, family = _number(match.group("pn")), "百分比"
        elif match.group("unit") in ("日", "天") and folded[:match.start()].rstrip().endswith("月"):
            continue  # the day of a date: 12月12日
        else:
            value = _number(match.group("number"))
            family, factor = _FAMILY_FACTOR[match.group("unit")]
            value = None if value is None else value * factor
        if value is not None:
            found.append(Quantity(family, value, text[match.start():match.end()], match.start(), match.end()))
    return found
