"""Syntax errors for people: every error of every article and rule, each with a hint that knows
what the words mean.

A policy that does not parse is read again in pieces: each chapter or article on its own, and
inside an article each rule from where it starts (under a stand-in article heading), so one typo
hides neither the next article's nor the next rule's. Hints come from engine/language.py: a word
staff write for a keyword (小于 → 低于, 500万元以上 → 不低于 500万元) is answered with the keyword of
that meaning, a misspelling only with a keyword whose meaning is not in doubt — never one of the
opposite sense, as 「高于」 for 小于 once was.
"""
from __future__ import annotations

import difflib
import re

from lark import Lark
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from . import language, messages
from .errors import ErrorCollector, PolicyError, Span
from .text import did_you_mean, parse_chinese_number

# A chunk starts at each chapter or article heading, so errors can be collected per article.
_HEADING = re.compile(f"^[ \\t]*第[{language.NUMERALS}0-9]+[条章](?![^\\n]*(?:{'|'.join(language.TERMINAL_WORDS['RENUMBER_OP'])}))",
                      re.MULTILINE)
# Inside an article, a piece starts at each rule (修改 规则 6.5 included).
_RULE_START = re.compile(r"^[ \t]*(?:修改[ \t]+)?规则(?=[ \t])", re.MULTILINE)
# Stands in for the article heading when one rule is parsed on its own; on a line of its own, so
# the rule's lines and columns stay as written, one line lower.
_STAND_IN = "第一条\n"

# What to call a terminal when telling the author what was expected.
_TERMINAL_NAMES = {
    "FIELD": "字段名（如 合同.签订日期）", "PARAM": "参数（如 【重大项目金额】）", "STRING": "带引号的文字",
    "NUMBER": "数字", "DATE": "日期（如 2024-12-12）", "ARTICLE_NO": "条号（如 第二十八条）",
    "RULE_ID": "规则编号（如 28.1）", "TEXT_LINE": "以 > 开头的原文行", "TITLE": "（条标题）",
    "CHAPTER_TITLE": "章名", "CHAPTER_NO": "章号", "LPAR": "（", "RPAR": "）", "PLUS": "+", "STAR": "×", "EQUAL": "=",
    # Long lists by a few examples; the short ones say all their words, from the language's definition.
    "UNIT": "单位（元、万元、%、个工作日、年……）", "COMPARISON": "比较词（不低于、早于、为……）",
    "META_KEY": "名称、文号、施行日期等", "KIND": f"发现类别（{'、'.join(language.WRITTEN_KINDS)}）",
    **{name: "、".join(language.TERMINAL_WORDS[name]) for name in ("LIST_TEST", "PRESENCE", "YES_NO", "DECLARATIVE", "RENUMBER_OP")},
}

# The language's keywords of two or more characters, for did-you-mean on a mistyped one.
KEYWORDS = tuple(sorted(w for w in language.all_keywords() if len(w) >= 2 and re.fullmatch("[\u4e00-\u9fff]+", w)))
# What a keyword means, so that two close keywords of different meanings are told apart.
_MEANING = {k.word: k.meaning for k in language.MEANINGFUL_KEYWORDS}
_STAFF_WORDS = sorted(((word, k) for k in language.MEANINGFUL_KEYWORDS for word in k.staff_words), key=lambda p: -len(p[0]))
_AFTER_VALUE = sorted(((word, k) for k in language.COMPARISONS for word in k.after_value), key=lambda p: -len(p[0]))
_INCLUSIVE = ("以上", "以下", "以内")  # include the number itself (民法典 第一千二百五十九条)
_VALUE = (r"(【[^】\n]+】|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]+(?:\.[0-9]+)?[ \t]*(?:"
          + language.alternation(language.TERMINAL_WORDS["UNIT"]) + r")?)[ \t]*")
_VALUE_BEFORE = re.compile(_VALUE + "$")  # 500万元 | 以上: the error is at 以上
_VALUE_THEN = re.compile(_VALUE + f"({language.alternation(w for w, _ in _AFTER_VALUE)})")  # | 500万元以上: at the value
_CHINESE_QUANTITY = re.compile(f"([{language.NUMERALS}]+)({language.alternation(language.TERMINAL_WORDS['UNIT'])})")
_FIELD_LIKE = re.compile(r"[\u4e00-\u9fff]+(?:\.[\u4e00-\u9fff]+)+")
_WORD = re.compile(r"[^\s(),;:。“”「」\"【】]{1,12}")
# Words that may follow a field name directly: where a mistyped field name ends.
_KEYWORDS = re.compile(language.alternation([*(k.word for k in language.MEANINGFUL_KEYWORDS if k.word != "非"), "则", "时", "起", "内"]))


def raise_all_syntax_errors(parser: Lark, folded: str, text: str, file: str, field_names: tuple[str, ...]) -> None:
    """Raise PolicyErrors with the first syntax error of every article and of every rule in it."""
    collector = ErrorCollector({file: text})
    starts = sorted({0, *(m.start() for m in _HEADING.finditer(folded))})
    for start, end in zip(starts, [*starts[1:], len(folded)]):
        chunk = folded[start:end]
        line_offset = folded.count("\n", 0, start)
        try:
            parser.parse(chunk)
        except UnexpectedInput as exc:
            article = _article_of(chunk)
            first = _syntax_error(exc, chunk, file, line_offset, article, field_names)
            found = [first, *_errors_of_later_rules(parser, chunk, file, line_offset, article, field_names, first)]
            for error in found:
                collector.add(error)
    if not collector.errors:  # the whole failed but every chunk parses: report the first failure
        try:
            parser.parse(folded)
        except UnexpectedInput as exc:
            collector.add(_syntax_error(exc, folded, file, 0, None, field_names))
    collector.raise_if_any()


def _errors_of_later_rules(parser: Lark, chunk: str, file: str, line_offset: int, article: str | None,
                           field_names: tuple[str, ...], first: PolicyError) -> list[PolicyError]:
    """The first error of each rule that starts after the article's first error (or where it was
    found: a rule cut short is reported at the next one's first word, which may hold its own). Each rule is
    parsed with the rule after it (so a rule cut short is seen where the next one starts, as in
    the whole text) under a stand-in heading; an error is the rule's if it lies inside it or on the
    first word of the next rule."""
    starts = [m.start() for m in _RULE_START.finditer(chunk)]
    bounds = list(zip(starts, [*starts[1:], len(chunk)]))
    errors = []
    for index, (start, end) in enumerate(bounds):
        rule_line = line_offset + chunk.count("\n", 0, start)  # lines of the file before the rule's
        first_word = (rule_line + 1, len(chunk[start:end]) - len(chunk[start:end].lstrip()) + 1)
        if first_word < (first.span.line, first.span.column):
            continue  # it holds the first error, or comes before it and parsed
        following = bounds[index + 1][1] if index + 1 < len(bounds) else end
        piece = _STAND_IN + chunk[start:following]
        try:
            parser.parse(piece)
        except UnexpectedInput as exc:
            next_word = end + len(chunk[end:]) - len(chunk[end:].lstrip()) - start + len(_STAND_IN)
            position = _position(exc)
            if end < len(chunk) and (position is None or position > next_word):
                continue  # the error is in the next rule: it gets its own turn
            error = _syntax_error(exc, piece, file, rule_line - 1, article, field_names)
            if (error.span.line, error.span.column) not in {(e.span.line, e.span.column) for e in (first, *errors)}:
                errors.append(error)
    return errors


def _article_of(chunk: str) -> str | None:
    match = re.match(r"\s*(第[^条章\s]+条(之[^\s(]+)?)", chunk)
    return match.group(1) if match else None


def _position(exc: UnexpectedInput) -> int | None:
    position = getattr(exc, "pos_in_stream", None)
    if position is None and isinstance(exc, UnexpectedToken):
        position = exc.token.start_pos
    return position


def _syntax_error(exc: UnexpectedInput, chunk: str, file: str, line_offset: int, article: str | None,
                  field_names: tuple[str, ...]) -> PolicyError:
    line = exc.line + line_offset if exc.line > 0 else line_offset + chunk.count("\n") + 1
    column = max(exc.column, 1)
    position = _position(exc)
    if position is not None and position < len(chunk):
        unknown = _unknown_field(chunk, position, field_names)
        if unknown:
            close = did_you_mean(unknown, field_names)
            hint = messages.DID_YOU_MEAN.format(words="」或「".join(close)) if close else messages.FIELDS_ARE_LISTED
            return PolicyError.of("E140", Span(file, line, column, line, column + len(unknown)), article=article, hint=hint,
                                  field=unknown)
    if isinstance(exc, UnexpectedToken) and exc.token.type == "$END" or position is None or position >= len(chunk):
        return PolicyError("E101", messages.UNEXPECTED_END, Span(file, line, column, line, column + 1),
                           hint=_expected_hint(getattr(exc, "expected", ())), article=article)
    word = _WORD.match(chunk, position)
    found = word.group(0) if word else chunk[position]
    found, hint = _suggestion(found, chunk[:position], chunk[position:position + 60], set(getattr(exc, "expected", ()) or ()))
    # `accepts` replays the parser to what really fits here; `expected` also lists merged LALR states.
    expected = exc.allowed if isinstance(exc, UnexpectedCharacters) else (getattr(exc, "accepts", None) or exc.expected)
    message = messages.syntax_unexpected(found, _expected(expected))
    return PolicyError("E101", message, Span(file, line, column, line, column + len(found)), hint=hint, article=article)


def _before_value(value: str, word: str) -> str:
    keyword = dict(_AFTER_VALUE)[word]
    note = messages.INCLUSIVE.format(word=word) if word in _INCLUSIVE else ""
    return messages.WRITE_BEFORE_VALUE.format(written=value.strip() + word, keyword=keyword.word, value=value.strip(), note=note)


def _suggestion(found: str, before: str, after: str, expected: set[str]) -> tuple[str, str]:
    """(the part of `found` the error is about, a hint): what the author wrote, read for its meaning."""
    value_then = _VALUE_THEN.match(after)
    if value_then:  # 若 合同.金额 500万元以上 (a comparison keyword was expected here, the value came)
        return value_then.group(0), _before_value(value_then.group(1), value_then.group(2))
    value = _VALUE_BEFORE.search(before)
    for word, keyword in _AFTER_VALUE:  # 若 合同.金额 不低于 500万元以上: the error is at 以上
        if found.startswith(word) and value:
            return word, _before_value(value.group(1), word)
    for word, keyword in _STAFF_WORDS:  # 小于 → 低于 (早于 for dates)
        if found.startswith(word):
            others = language.same_meaning(keyword)
            hint = messages.DID_YOU_MEAN.format(words="」或「".join([keyword.word, *(k.word for k in others)]))
            if others:
                hint += messages.FOR_TYPES.format(first=keyword.word, second=others[0].word, type=others[0].reads)
            return word, hint
    quantity = _CHINESE_QUANTITY.match(found)
    if quantity:  # 十五个工作日 → 15个工作日
        try:
            number = parse_chinese_number(quantity.group(1))
        except ValueError:
            number = None
        if number is not None:
            return quantity.group(0), messages.DIGITS_IN_QUANTITY + messages.DID_YOU_MEAN.format(words=f"{number}{quantity.group(2)}")
    keyword = next((found[:n] for n in range(len(found), 0, -1) if found[:n] in language.keyword_roles()), None)
    if keyword is not None:  # a keyword spelt right but written where it cannot stand
        if keyword in language.WRITTEN_KINDS:
            missing = next((w for w in ("则", "否则") if w in expected), None)
            if missing:
                return found, messages.MISSING_BEFORE.format(word=keyword, missing=missing)
        return found, ""
    close = _close_keyword(found)
    return found, messages.DID_YOU_MEAN.format(words=close) if close else ""


def _close_keyword(found: str) -> str | None:
    """A keyword the author probably misspelt (低与 → 低于): the closest to the word or its start,
    when every keyword that close means the same (底于 is as close to 低于 as to 高于: no guess)."""
    for length in range(len(found), 1, -1):
        start = found[:length]
        cutoff = 0.5 if len(start) <= 4 else 0.6
        scored = [(difflib.SequenceMatcher(None, start, k).ratio(), k) for k in KEYWORDS]
        best = max(score for score, _ in scored)
        if best < cutoff:
            continue
        closest = [k for score, k in scored if score == best]
        if len({_MEANING.get(k, k) for k in closest}) == 1:
            return sorted(closest)[0]
        return None
    return None


def _unknown_field(chunk: str, position: int, field_names: tuple[str, ...]) -> str | None:
    """A path such as 合同.签定日期 at the error position: the author meant a field that does not exist."""
    match = _FIELD_LIKE.match(chunk, position)
    if not match:
        return None
    text = match.group(0)
    head, _, tail = text.rpartition(".")
    keyword = _KEYWORDS.search(tail, 1)
    if keyword:
        text = f"{head}.{tail[:keyword.start()]}"
    return None if text in field_names else text


def _expected(terminals) -> list[str]:
    names = []
    for name in sorted(terminals):
        if name.startswith("__") or name in ("$END",):
            continue
        names.append(_TERMINAL_NAMES.get(name, name))
    return names


def _expected_hint(terminals) -> str:  # noqa: D401 - a sentence for the author
    names = _expected(terminals or ())
    return f"这里可以写：{'、'.join(names[:8])}" if names else ""
