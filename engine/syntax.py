"""Stage 1 — the typed syntax tree of a policy file, as the author wrote it.

Built by engine/parser.py from Lark's parse tree. Nothing is resolved yet: field names are
strings, parameters are names, article references are numbers. Every node carries its span.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, is_dataclass
from decimal import Decimal

from .errors import Span
from .values import Duration


# ---------------------------------------------------------------- operands
@dataclass(frozen=True, slots=True)
class FieldRef:
    path: str
    span: Span


@dataclass(frozen=True, slots=True)
class ParamRef:
    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class Literal:
    """A constant: text (str), money (Decimal 元), date, duration, percent (Decimal) or yes/no."""

    type: str  # 文本 | 金额 | 日期 | 期限 | 百分比 | 是否 | 数量
    value: str | Decimal | dt.date | Duration | bool
    span: Span


@dataclass(frozen=True, slots=True)
class Function:
    """实施.变更的项数 (count of a list), 验收.投入使用日期至今满年数 (full years up to the 评估日期) or
    验收.投入使用日期下一周年日 (the first anniversary of that date after the 评估日期)."""

    name: str  # 项数 | 至今满年数 | 下一周年日
    field: FieldRef
    span: Span


@dataclass(frozen=True, slots=True)
class Arithmetic:
    op: str  # "+" | "*"
    left: "Operand"
    right: "Operand"
    span: Span


Operand = FieldRef | ParamRef | Literal | Arithmetic | Function


# ---------------------------------------------------------------- conditions
@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple["Condition", ...]
    span: Span


@dataclass(frozen=True, slots=True)
class AllOf:
    items: tuple["Condition", ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Negation:
    item: "Condition"
    span: Span


@dataclass(frozen=True, slots=True)
class Comparison:
    left: Operand
    op: str  # the keyword as written: 不低于, 早于, 为 …
    right: Operand
    span: Span


@dataclass(frozen=True, slots=True)
class ListTest:
    left: Operand
    op: str  # 属于 | 不属于 | 包含 | 包含任一 | 缺少 | 不含
    items: tuple[Operand, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Presence:
    operand: Operand
    filled: bool
    span: Span


@dataclass(frozen=True, slots=True)
class FindingRef:
    """违反第十三条 (kind 违规) or 存在第二十五条的后果."""

    article: str  # as written, e.g. 第十三条
    kind: str
    span: Span


@dataclass(frozen=True, slots=True)
class RuleFindingRef:
    """违反规则 28.3、33.1: some of the named rules (not every rule of their articles) found a 违规."""

    rule_ids: tuple[str, ...]
    kind: str
    span: Span


@dataclass(frozen=True, slots=True)
class DerivedRef:
    """【重大项目】 used as a condition: refers to a 认定 (a named condition)."""

    name: str
    span: Span


Condition = AnyOf | AllOf | Negation | Comparison | ListTest | Presence | FindingRef | RuleFindingRef | DerivedRef


# ---------------------------------------------------------------- rules and articles
@dataclass(frozen=True, slots=True)
class IfBody:
    condition: Condition
    kind: str
    summary: str
    span: Span


@dataclass(frozen=True, slots=True)
class ExceptionBody:
    """若 condition 则 例外 6.5、7.1 “summary”: while the condition holds, the named rules do not apply,
    and a 提示 says which article's exception applied."""

    condition: "Condition"
    targets: tuple[str, ...]
    summary: str
    span: Span
    kind: str = "提示"


@dataclass(frozen=True, slots=True)
class DeadlineBody:
    """自 start 起 limit 内 应 due，否则 kind summary；未到期 待办 pending_summary.
    Or, with a fixed deadline (start and limit None): 于 deadline 前 应 due …
    `due` is a date field (the event that must happen) or a condition that must hold."""

    start: Operand | None
    limit: Operand | None
    deadline: Operand | None
    due: Operand | Condition
    kind: str
    summary: str
    pending_summary: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class Reading:
    """释义 “…”: the interpretive reading a rule rests on, so a reviewer can see it and disagree."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Conduct:
    """行为日期 X: the rule judges conduct dated X; 持续义务 (date None): a continuing duty."""

    date: "Operand | None"
    span: Span


@dataclass(frozen=True, slots=True)
class Reminder:
    """只作提示 “reason”: a 提示 on a sentence that says 应, kept a reminder on purpose."""

    reason: str
    span: Span


RuleNote = Reading | Conduct | Reminder


@dataclass(frozen=True, slots=True)
class Rule:
    rule_id: str
    quote: str
    quote_span: Span
    each: FieldRef | None  # 对每项 实施.变更: the rule is checked once per record
    guard: Condition | None
    body: IfBody | DeadlineBody | ExceptionBody
    span: Span
    readings: tuple[Reading, ...] = ()
    conduct: Conduct | None = None
    reminder: Reminder | None = None


@dataclass(frozen=True, slots=True)
class Erratum:
    """The source copy reads `source` (〔分页〕 marking a page break); the gazette reads `corrected`."""

    source: str
    corrected: str
    span: Span


@dataclass(frozen=True, slots=True)
class Article:
    label: str  # as written: 第二十八条 or 第28条
    title: str
    text: tuple[str, ...]  # verbatim paragraphs
    errata: tuple[Erratum, ...]
    declarative: bool
    rules: tuple[Rule, ...]
    chapter: str
    span: Span
    amends: bool = False  # written as 修改 第N条 in a policy that inherits another


@dataclass(frozen=True, slots=True)
class Repeal:
    """废止 第二十条, in a policy that inherits another."""

    label: str
    span: Span


@dataclass(frozen=True, slots=True)
class RuleRepeal:
    """废止 规则 6.5, in a policy that inherits another."""

    rule_id: str
    span: Span


@dataclass(frozen=True, slots=True)
class RuleAmendment:
    """修改 规则 6.5 …, in a policy that inherits another: the rule replaces the base's rule 6.5."""

    rule: Rule
    span: Span


@dataclass(frozen=True, slots=True)
class Renumbering:
    """条号对照, in a policy that inherits another: `第二十七条 改为 第二十六条` (the base's article has the
    county's number) or `第二十八条 并入 第二十六条` (its rules join the county's article)."""

    old: str  # the base's label
    new: str  # the county's label
    merge: bool
    span: Span


@dataclass(frozen=True, slots=True)
class ParamDecl:
    name: str
    values: tuple[Literal, ...]
    span: Span
    added: bool = False  # declared under 新增参数 (a fork adding a parameter its base lacks)


@dataclass(frozen=True, slots=True)
class Definition:
    name: str
    condition: Condition
    span: Span


@dataclass(frozen=True, slots=True)
class MetaEntry:
    key: str
    values: tuple[str | dt.date, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class PolicySource:
    file: str
    text: str
    meta: tuple[MetaEntry, ...]
    params: tuple[ParamDecl, ...]
    definitions: tuple[Definition, ...]
    articles: tuple[Article, ...]
    repeals: tuple[Repeal, ...] = ()
    numbering: tuple[Renumbering, ...] = ()  # 条号对照: applied to the base when a fork is merged
    rule_amendments: tuple[RuleAmendment, ...] = ()  # 修改 规则 …
    rule_repeals: tuple[RuleRepeal, ...] = ()  # 废止 规则 …
    repealed: tuple[tuple[str, str], ...] = ()  # (label, title) of base articles a merged fork repealed
    texts: tuple[tuple[str, str], ...] = ()  # (file, text) of every file the policy was read from


def walk(node):
    """Every syntax node in and under `node` (a node or a tuple of them), parents before children.
    Generic over the dataclass fields, so a node kind added later is visited without changes here."""
    if isinstance(node, tuple):
        for item in node:
            yield from walk(item)
    elif is_dataclass(node) and not isinstance(node, (Span, Duration)):
        yield node
        for field in fields(node):
            yield from walk(getattr(node, field.name))
