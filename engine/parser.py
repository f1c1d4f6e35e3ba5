"""Stage 0 → 1: policy text → Lark parse tree (the grammar: grammar/policy.lark) → typed syntax
tree (engine.syntax).

The text is folded 1:1 from full-width to ASCII for lexing; strings and 原文 are then cut from
the original text by position, so they keep every character the author typed. The grammar's word
lists come from engine/language.py; syntax errors are collected article by article and rule by
rule, with meaning-aware hints (syntax_errors.py), so one typo does not hide the next.
"""
from __future__ import annotations

import json
import re
import threading
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedInput, VisitError

from . import language, syntax
from .errors import PolicyError, Span
from .package_data import GRAMMAR_FILE
from .parser_tables import load_tables, save_tables, tables_file
from .syntax_errors import raise_all_syntax_errors
from .text import fold_fullwidth
from .values import MAX_PERCENT, MONEY_UNITS, OutOfRange, parse_date, parse_duration, parse_money

_FROM_LANGUAGE = re.compile(r"^([A-Z_]+): @language$", re.MULTILINE)


def _words(words) -> str:
    return " | ".join(json.dumps(word, ensure_ascii=False) for word in words)


def _language_terminal(match: re.Match) -> str:
    name = match.group(1)
    if name in language.TERMINAL_WORDS:
        return f"{name}: {_words(language.TERMINAL_WORDS[name])}"
    return f"{name}: /{language.TERMINAL_PATTERNS[name]}/"


@lru_cache(maxsize=1)
def grammar_text() -> str:
    """policy.lark with its `@language` terminals filled in from engine/language.py."""
    return _FROM_LANGUAGE.sub(_language_terminal, GRAMMAR_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def build_parser(field_names: tuple[str, ...]) -> Lark:
    """One LALR parser per vocabulary: the field names become literal alternatives of FIELD
    (Lark tries longer literals first, so 评审.需求评审.报备日期 is never read as a shorter field
    plus garbage). Its tables (building them is ~0.1–0.2 s of every start, loading them a tenth of
    that) are kept in the cache folder as JSON (parser_tables.py), never through Lark's pickling cache."""
    grammar = grammar_text() + "\nFIELD.2: " + _words(sorted(field_names, key=lambda name: (-len(name), name))) + "\n"
    saved = tables_file(grammar)
    parser = load_tables(saved, grammar) if saved is not None else None
    if parser is None:
        parser = Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=False)
        if saved is not None:
            save_tables(parser, saved, grammar)
    return parser


class _TokenSink(threading.local):
    tokens: list | None = None


_TOKEN_SINK = _TokenSink()


def _collect(token: Token) -> Token:
    if _TOKEN_SINK.tokens is not None:
        _TOKEN_SINK.tokens.append(token)
    return token


@lru_cache(maxsize=4)
def _token_parser(field_names: tuple[str, ...]) -> Lark:
    """The same parser, reporting every token it lexes — comments and punctuation included — to
    the calling thread's sink. Lark's contextual lexer reads a token as the parser needs it (a
    chapter title, a 原文 line, a string), which no line- or regex-based reading can reproduce."""
    grammar = build_parser(field_names).source_grammar
    names = [t.name for t in build_parser(field_names).terminals]
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=False,
                lexer_callbacks={name: _collect for name in names})


def policy_tokens(text: str, field_names: tuple[str, ...]) -> list[Token]:
    """Every token of a policy text in order, ignored ones (comments, punctuation, whitespace)
    included, as the parser reads it; positions index the original text. Raises UnexpectedInput
    when the text is not a policy."""
    parser = _token_parser(field_names)
    _TOKEN_SINK.tokens = tokens = []
    try:
        parser.parse(fold_fullwidth(text))
    finally:
        _TOKEN_SINK.tokens = None
    return sorted(tokens, key=lambda token: token.start_pos)


MAX_NESTING = 30  # parentheses inside one condition; deeper is a mistake, and would exhaust the stack


def _check_nesting(folded: str, text: str, file: str) -> None:
    """Refuse absurdly nested conditions before parsing: the tree builder and the checker recurse."""
    depth = 0
    for number, line in enumerate(folded.split("\n"), 1):
        stripped = line.lstrip()
        if stripped.startswith((">", "#")):
            continue  # 原文 and comments may hold any brackets
        if stripped.startswith(("规则", "第")):
            depth = 0
        for column, char in enumerate(line, 1):
            if char == "(":
                depth += 1
                if depth > MAX_NESTING:
                    raise PolicyError.of("E103", Span(file, number, column, number, column + 1), source=text, limit=MAX_NESTING)
            elif char == ")":
                depth = max(0, depth - 1)


def parse_policy_text(text: str, file: str, field_names: tuple[str, ...]) -> syntax.PolicySource:
    parser = build_parser(field_names)
    folded = fold_fullwidth(text)
    _check_nesting(folded, text, file)
    builder = _Builder(text, file)
    try:
        tree = parser.parse(folded)
    except UnexpectedInput:
        raise_all_syntax_errors(parser, folded, text, file, field_names)
        raise  # unreachable: the chunked pass always finds the error again
    try:
        return builder.transform(tree)
    except VisitError as exc:  # keep our own exception class, as Lark's examples advise
        if isinstance(exc.orig_exc, PolicyError) and exc.orig_exc.source is None:
            exc.orig_exc.source = text
        raise exc.orig_exc from None


_DEFINITION = re.compile(r"^(\??[A-Za-z_][A-Za-z_0-9]*)(?:\.\d+)?\s*:(.*)$")
_QUOTED_WORDS = re.compile(r'\s*"[^"]+"(?:\s*\|\s*"[^"]+")*\s*')


def grammar_keyword_groups() -> dict[str, tuple[str, ...]]:
    """The words the built grammar accepts, read back from it (tests hold them to engine.language's
    keyword_groups()): each terminal written only as quoted words (KIND, COMPARISON, UNIT, …) → its
    words, and "" → the words written inline in the rules (参数, 规则, 若, 则, 自, 起 …)."""
    bodies: dict[str, str] = {}
    current = None
    for line in grammar_text().splitlines():
        code = line.split("//", 1)[0].rstrip()
        definition = _DEFINITION.match(code)
        if definition:
            current = definition.group(1).lstrip("?")
            bodies[current] = definition.group(2)
        elif current and code.strip().startswith("|"):
            bodies[current] += " " + code
        elif not code.strip():
            current = None
    groups: dict[str, tuple[str, ...]] = {}
    inline: dict[str, None] = {}
    for name, body in bodies.items():
        words = re.findall(r'"([^"]+)"', body)
        if name.isupper() and words and _QUOTED_WORDS.fullmatch(body):
            groups[name] = tuple(words)
        elif not name.isupper():
            inline.update((w, None) for w in words if re.search("[\u4e00-\u9fff]", w))
    groups[""] = tuple(inline)
    return groups


class _Each:
    """Marks the 对每项 clause among a rule's children."""

    def __init__(self, field: syntax.FieldRef) -> None:
        self.field = field


def _span(file: str, meta) -> Span:
    return Span(file, meta.line, meta.column, meta.end_line, meta.end_column)


@v_args(meta=True)
class _Builder(Transformer):
    """Lark tree → engine.syntax nodes. Strings and 原文 are cut from the original text."""

    def __init__(self, original: str, file: str) -> None:
        super().__init__()
        self.original = original
        self.file = file
        self.current_chapter = ""

    def _token_span(self, token: Token) -> Span:
        return Span(self.file, token.line, token.column, token.end_line, token.end_column)

    def _original(self, token: Token) -> str:
        return self.original[token.start_pos:token.end_pos]

    # -------------------------------------------------- top level
    def start(self, meta, items):
        return syntax.PolicySource(
            file=self.file, text=self.original,
            meta=tuple(i for i in items if isinstance(i, syntax.MetaEntry)),
            params=tuple(p for i in items if isinstance(i, tuple) for p in i if isinstance(p, syntax.ParamDecl)),
            definitions=tuple(d for i in items if isinstance(i, tuple) for d in i if isinstance(d, syntax.Definition)),
            articles=tuple(i for i in items if isinstance(i, syntax.Article)),
            repeals=tuple(i for i in items if isinstance(i, syntax.Repeal)),
            numbering=tuple(n for i in items if isinstance(i, tuple) for n in i if isinstance(n, syntax.Renumbering)),
            rule_amendments=tuple(i for i in items if isinstance(i, syntax.RuleAmendment)),
            rule_repeals=tuple(i for i in items if isinstance(i, syntax.RuleRepeal)),
            texts=((self.file, self.original),),
        )

    def meta(self, meta, items):
        key, *values = items
        converted = []
        for value in values:
            if isinstance(value, syntax.Literal):
                converted.append(value.value)
            else:
                converted.append(self.date(meta, [value]).value)
        return syntax.MetaEntry(str(key), tuple(converted), _span(self.file, meta))

    def params(self, meta, items):
        return tuple(items)

    def new_params(self, meta, items):
        return tuple(replace(item, added=True) for item in items)

    def amendment(self, meta, items):
        return replace(self.article(meta, items), amends=True)

    def repeal(self, meta, items):
        return syntax.Repeal(str(items[0]), _span(self.file, meta))

    def rule_amendment(self, meta, items):
        return syntax.RuleAmendment(items[0], _span(self.file, meta))

    def rule_repeal(self, meta, items):
        return syntax.RuleRepeal(str(items[0]), _span(self.file, meta))

    def numbering(self, meta, items):
        return tuple(items)

    def renumbering(self, meta, items):
        old, op, new = items
        return syntax.Renumbering(str(old), str(new), str(op) == "并入", _span(self.file, meta))

    def param(self, meta, items):
        name, values = items
        return syntax.ParamDecl(str(name)[1:-1], tuple(values), _span(self.file, meta))

    def definitions(self, meta, items):
        return tuple(items)

    def definition(self, meta, items):
        name, condition = items
        return syntax.Definition(str(name)[1:-1], condition, _span(self.file, meta))

    def derived(self, meta, items):
        return syntax.DerivedRef(str(items[0])[1:-1], self._token_span(items[0]))

    def value_list(self, meta, items):
        return tuple(items)

    def chapter(self, meta, items):
        number, title = items
        self.current_chapter = f"{number} {self._original(title).strip()}"
        return None

    def article(self, meta, items):
        label, *rest = items
        title, text, rules, errata, declarative = "", [], [], [], False
        for item in rest:
            if isinstance(item, syntax.Rule):
                rules.append(item)
            elif isinstance(item, syntax.Erratum):
                errata.append(item)
            elif item.type == "TITLE":
                title = self._original(item)[1:-1]
            elif item.type == "TEXT_LINE":
                text.append(self._original(item)[1:].strip())
            elif item.type == "DECLARATIVE":
                declarative = True
        return syntax.Article(str(label), title, tuple(text), tuple(errata), declarative, tuple(rules), self.current_chapter,
                              _span(self.file, meta))

    def erratum(self, meta, items):
        source, corrected = items
        return syntax.Erratum(source.value, corrected.value, _span(self.file, meta))

    # -------------------------------------------------- rules
    def rule(self, meta, items):
        rule_id, (quote, quote_span), *rest = items
        notes = [i for i in rest if isinstance(i, (syntax.Reading, syntax.Conduct, syntax.Reminder))]
        rest = [i for i in rest if not isinstance(i, (syntax.Reading, syntax.Conduct, syntax.Reminder))]
        each = next((i for i in rest if isinstance(i, _Each)), None)
        guard = next((i for i in rest[:-1] if not isinstance(i, _Each)), None)
        conducts = [n for n in notes if isinstance(n, syntax.Conduct)]
        reminders = [n for n in notes if isinstance(n, syntax.Reminder)]
        for repeated in (conducts[1:2], reminders[1:2]):
            if repeated:
                raise PolicyError.of("E124", repeated[0].span, rule=str(rule_id),
                                     keyword="只作提示" if isinstance(repeated[0], syntax.Reminder) else "行为日期／持续义务")
        return syntax.Rule(str(rule_id), quote, quote_span, each.field if each else None, guard, rest[-1], _span(self.file, meta),
                           readings=tuple(n for n in notes if isinstance(n, syntax.Reading)),
                           conduct=conducts[0] if conducts else None, reminder=reminders[0] if reminders else None)

    def reading(self, meta, items):
        return syntax.Reading(items[0].value, _span(self.file, meta))

    def conduct_date(self, meta, items):
        return syntax.Conduct(items[0], _span(self.file, meta))

    def continuing_duty(self, meta, items):
        return syntax.Conduct(None, _span(self.file, meta))

    def reminder(self, meta, items):
        return syntax.Reminder(items[0].value, _span(self.file, meta))

    def each(self, meta, items):
        return _Each(syntax.FieldRef(str(items[0]), self._token_span(items[0])))

    def quote(self, meta, items):
        return items[0].value, items[0].span

    def guard(self, meta, items):
        return items[0]

    def exception_body(self, meta, items):
        condition, *targets, summary = items
        return syntax.ExceptionBody(condition, tuple(str(t) for t in targets), summary.value, _span(self.file, meta))

    def if_body(self, meta, items):
        condition, kind, summary = items
        return syntax.IfBody(condition, str(kind), summary.value, _span(self.file, meta))

    def deadline_body(self, meta, items):
        start, limit, due, kind, summary, *pending = items
        return syntax.DeadlineBody(start, limit, None, due, str(kind), summary.value,
                                   pending[0] if pending else None, _span(self.file, meta))

    def fixed_deadline_body(self, meta, items):
        deadline, due, kind, summary, *pending = items
        return syntax.DeadlineBody(None, None, deadline, due, str(kind), summary.value,
                                   pending[0] if pending else None, _span(self.file, meta))

    def due_event(self, meta, items):
        return syntax.FieldRef(str(items[0]), self._token_span(items[0]))

    def due_condition(self, meta, items):
        return items[0]

    def count_of(self, meta, items):
        field = syntax.FieldRef(str(items[0]), self._token_span(items[0]))
        return syntax.Function("项数", field, _span(self.file, meta))

    def full_years_of(self, meta, items):
        field = syntax.FieldRef(str(items[0]), self._token_span(items[0]))
        return syntax.Function("至今满年数", field, _span(self.file, meta))

    def next_anniversary_of(self, meta, items):
        field = syntax.FieldRef(str(items[0]), self._token_span(items[0]))
        return syntax.Function("下一周年日", field, _span(self.file, meta))

    def number(self, meta, items):
        return syntax.Literal("数量", int(Decimal(str(items[0]))) if "." not in str(items[0]) else Decimal(str(items[0])),
                              self._token_span(items[0]))

    def pending(self, meta, items):
        return items[1].value

    # -------------------------------------------------- conditions
    def any_of(self, meta, items):
        return items[0] if len(items) == 1 else syntax.AnyOf(tuple(items), _span(self.file, meta))

    def all_of(self, meta, items):
        return items[0] if len(items) == 1 else syntax.AllOf(tuple(items), _span(self.file, meta))

    def negation(self, meta, items):
        return syntax.Negation(items[0], _span(self.file, meta))

    def comparison(self, meta, items):
        left, op, right = items
        return syntax.Comparison(left, str(op), right, _span(self.file, meta))

    def list_test(self, meta, items):
        left, op, values = items
        return syntax.ListTest(left, str(op), values, _span(self.file, meta))

    def operand_list(self, meta, items):
        return tuple(items)

    def presence(self, meta, items):
        operand, word = items
        return syntax.Presence(operand, str(word) == "已填", _span(self.file, meta))

    def violates(self, meta, items):
        return syntax.FindingRef(str(items[0]), language.VIOLATION, _span(self.file, meta))

    def violates_rules(self, meta, items):
        return syntax.RuleFindingRef(tuple(str(i) for i in items), language.VIOLATION, _span(self.file, meta))

    def has_finding(self, meta, items):
        return syntax.FindingRef(str(items[0]), str(items[1]), _span(self.file, meta))

    # -------------------------------------------------- operands
    def sum(self, meta, items):
        return self._fold("+", items)

    def product(self, meta, items):
        return self._fold("*", items)

    def _fold(self, op, items):
        result = items[0]
        for item in items[1:]:
            result = syntax.Arithmetic(op, result, item, Span(self.file, result.span.line, result.span.column, item.span.end_line, item.span.end_column))
        return result

    def field(self, meta, items):
        return syntax.FieldRef(str(items[0]), self._token_span(items[0]))

    def parameter(self, meta, items):
        return syntax.ParamRef(str(items[0])[1:-1], self._token_span(items[0]))

    def string(self, meta, items):
        return syntax.Literal("文本", self._original(items[0])[1:-1], self._token_span(items[0]))

    def date(self, meta, items):
        span = self._token_span(items[0])
        try:
            return syntax.Literal("日期", parse_date(str(items[0])), span)
        except OutOfRange as exc:
            raise PolicyError.of("E102.range", span, problem=exc) from None
        except ValueError:
            raise PolicyError.of("E102.date", span, text=items[0]) from None

    def yes_no(self, meta, items):
        return syntax.Literal("是否", str(items[0]) == "是", self._token_span(items[0]))

    def quantity(self, meta, items):
        number, unit = items
        span = Span(self.file, number.line, number.column, unit.end_line, unit.end_column)
        written = f"{number}{unit}"
        if str(unit) == "%":
            amount = Decimal(str(number))
            if amount > MAX_PERCENT or amount != amount.quantize(Decimal("0.0001")):
                raise PolicyError.of("E102.percent", span, text=written)
            return syntax.Literal("百分比", amount, span)
        try:
            if str(unit) in MONEY_UNITS:
                return syntax.Literal("金额", parse_money(written), span)
            return syntax.Literal("期限", parse_duration(written), span)
        except OutOfRange as exc:
            raise PolicyError.of("E102.range", span, problem=exc) from None
        except ValueError:
            key = "E102.money" if str(unit) in MONEY_UNITS else "E102.duration"
            raise PolicyError.of(key, span, text=written) from None

    def __default_token__(self, token):
        return token

