"""Text helpers shared by the policy and facts readers: full-width folding, Chinese numerals,
did-you-mean suggestions.

Full-width folding is a 1:1 character map (not NFKC), so every position in the folded text is the
position in the original and error carets land where the author typed.
"""
from __future__ import annotations

import difflib
import re

from . import language

_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space
_FULLWIDTH[0x00D7] = ord("*")  # ×, the multiplication sign staff type
# Chinese brackets and quotes that the grammar reads as they are are deliberately not folded.


def fold_fullwidth(text: str) -> str:
    """Map full-width ASCII forms to ASCII one character for one character."""
    return text.translate(_FULLWIDTH)


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERALS = "零一二三四五六七八九"
_ASCII_DIGITS = re.compile(r"[0-9]{1,9}")
# Article numbers the Chinese numerals above can write (千 is the largest unit): 第一条 to 第九千九百九十九条.
MAX_ARTICLE_NUMBER = language.MAX_ARTICLE_NUMBER
MAX_SUB_NUMBER = language.MAX_SUB_NUMBER


def parse_chinese_number(text: str) -> int:
    """二十八 → 28, 一百零五 → 105, 28 → 28. Raises ValueError on anything else."""
    if _ASCII_DIGITS.fullmatch(text):  # str.isdigit() also takes ²…, and other scripts' digits
        return int(text)
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        raise ValueError(text)
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and digit != 0:
                raise ValueError(text)  # 三七 is not a number
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
    value = total + (digit or 0)
    if to_chinese_number(value) != text.replace("两", "二").replace("〇", "零"):
        raise ValueError(text)
    return value


def to_chinese_number(value: int) -> str:
    """28 → 二十八, 10 → 十, 105 → 一百零五 (the form the gazette writes)."""
    if value == 0:
        return "零"
    parts: list[str] = []
    zero_pending = False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, value = divmod(value, unit_value)
        if digit:
            if zero_pending:
                parts.append("零")
            parts.append(_NUMERALS[digit] + unit)
            zero_pending = False
        elif parts:
            zero_pending = True
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def article_label(number: int, sub: int = 0) -> str:
    """28 → 第二十八条; (47, 1) → 第四十七条之一."""
    label = f"第{to_chinese_number(number)}条"
    return f"{label}之{to_chinese_number(sub)}" if sub else label


def did_you_mean(word: str, choices: list[str] | tuple[str, ...] | set[str], limit: int = 3) -> list[str]:
    """The closest known words, for a message such as 「您是不是要写 合同.签订日期？」."""
    pool = sorted(set(choices))
    # Chinese names are short: one wrong character in a two-character word is a ratio of 0.5.
    close = difflib.get_close_matches(word, pool, n=limit, cutoff=0.5 if len(word) <= 4 else 0.6)
    if close:
        return close
    # Chinese field names are short; a shared tail (签订日期 vs 合同.签订日期) is a good second guess.
    tail = word.rsplit(".", 1)[-1]
    return [c for c in pool if c.endswith(tail) or tail in c][:limit]


def suggestion(word: str, choices, what: str) -> str:
    close = did_you_mean(word, choices)
    if close:
        return f"您是不是要写「{'」或「'.join(close)}」？"
    return f"可用的{what}见 facts/vocabulary.yaml。" if what == "字段" else f"可用的{what}：{'、'.join(sorted(choices))}"


_ARTICLE_LABEL = language.ARTICLE_LABEL


def parse_article_label(label: str) -> tuple[int, int] | None:
    match = _ARTICLE_LABEL.match(label)
    if not match:
        return None
    try:
        number = parse_chinese_number(match.group(1))
        sub = parse_chinese_number(match.group(2)) if match.group(2) else 0
    except ValueError:
        return None
    if not (1 <= number <= MAX_ARTICLE_NUMBER and (not match.group(2) or 1 <= sub <= MAX_SUB_NUMBER)):
        return None  # 第10000条 has no Chinese label; 第零条 and 之零 are not articles
    return number, sub
