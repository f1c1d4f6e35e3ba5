"""What one facts value may be: for each vocabulary type, the function that reads the text staff
typed into a typed value or raises ValueError with the message they see.

The pydantic model (facts.py) runs these as its validators, and the fast path for plain files
(facts_fast.py) calls the very same functions, so the two cannot read a value differently.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from . import messages
from .text import did_you_mean, fold_fullwidth
from .values import EARLIEST_DATE, LATEST_DATE, Duration, OutOfRange, parse_date, parse_duration, parse_money, parse_yes_no
from .vocabulary import FieldSpec

_YEAR = re.compile(r"\s*[0-9]{4}\s*")

LIST_TYPES = ("词列表", "日期列表", "年份列表")


def _words_checker(spec: FieldSpec):
    def check(value: Any) -> str:
        word = str(value)
        if word not in spec.words:
            raise ValueError(messages.word_not_allowed(word, spec.words, did_you_mean(word, spec.words)))
        return word
    return check


def _duration_checker(spec: FieldSpec):
    def check(value: Any) -> Duration:
        try:
            duration = parse_duration(str(value))
        except OutOfRange as exc:
            raise ValueError(str(exc)) from None
        except ValueError:
            raise ValueError(messages.BAD_DURATION[spec.unit]) from None
        family = "月" if duration.unit == "月" else "日"
        if family != spec.unit:
            raise ValueError(messages.BAD_DURATION[spec.unit])
        return duration
    return check


def _wrap(parser, message: str):
    def check(value: Any):
        try:
            return parser(value)
        except OutOfRange as exc:
            raise ValueError(str(exc)) from None
        except (ValueError, TypeError, ArithmeticError):
            raise ValueError(message) from None
    return check


def _text(value: Any) -> str:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value)
    raise ValueError(messages.BAD_TEXT)


def _required_text(value: Any) -> str:
    """A required text (项目.编号, 名称, 建设单位) identifies the project: blank is as good as absent."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(messages.BLANK_TEXT)
    return _text(value)


def _year(value: Any) -> int:
    if isinstance(value, str) and _YEAR.fullmatch(fold_fullwidth(value)):
        value = int(fold_fullwidth(value))
    if isinstance(value, int) and not isinstance(value, bool) and EARLIEST_DATE.year <= value <= LATEST_DATE.year:
        return value
    raise ValueError(messages.BAD_YEAR)


_check_yes_no = _wrap(parse_yes_no, messages.BAD_YES_NO)
_check_money = _wrap(parse_money, messages.BAD_MONEY)
_check_date = _wrap(parse_date, messages.BAD_DATE)


def value_checker(spec: FieldSpec) -> Callable[[Any], Any]:
    """The check of one value of the field: the field's own value, or one item of a list field
    (a word of a 词列表, a date of a 日期列表, a year of a 年份列表). Not for a 记录列表."""
    match spec.type:
        case "文本":
            return _required_text if spec.required else _text
        case "是否":
            return _check_yes_no
        case "金额":
            return _check_money
        case "日期" | "日期列表":
            return _check_date
        case "期限":
            return _duration_checker(spec)
        case "词" | "词列表":
            return _words_checker(spec)
        case "年份列表":
            return _year
    raise ValueError(spec.type)
