"""Stage 3 — the engine-neutral intermediate form of a checked policy.

Everything is resolved: fields carry their vocabulary type, parameters are replaced by their
values, article references by the rules they point at, and comparisons by plain operators.
Backends (the durable-rules backend, the reference evaluator) read only this module's nodes;
nothing here knows about any engine.

Semantics, shared by every backend:
- a field that is absent is MISSING, and any comparison that reads it is UNKNOWN (Kleene logic);
- an event date that is absent has not happened: it compares as later than every date (NEVER);
- a computed term (a deadline, a percentage of an amount) is MISSING when an input is;
- NotProven(c) is true when c is false or unknown: how the 不适用 gate lets other rules speak.

Every term and condition is a `Node`: `children()` lists the nodes directly inside it and
`walk()` yields it and every node below it (as sqlglot's `Expression.walk`, Jinja's
`iter_child_nodes`). A walker that needs to know every node's meaning dispatches with `match`
and ends in `case _: assert_never(node)`, so a node added here fails loudly wherever it is not
yet understood instead of slipping through.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterator, assert_never

from .errors import Span
from .values import Duration

AS_OF_PATH = "评估日期"
AS_OF_OPS = ("full_years", "next_anniversary")  # computed terms that also read the 评估日期


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    number: int
    sub: int
    label: str  # canonical: 第二十八条
    title: str
    text: tuple[str, ...]
    chapter: str
    declarative: bool
    span: Span
    errata: tuple[tuple[str, str], ...] = ()  # (source copy reads, gazette reads); 〔分页〕 marks a page break


class Node:
    """A term or a condition of the IR."""

    __slots__ = ()

    def children(self) -> tuple["Node", ...]:
        """The nodes directly inside this one, in source order."""
        raise NotImplementedError(f"{type(self).__name__} does not list its children")

    def walk(self) -> Iterator["Node"]:
        """This node and every node below it, depth first, in source order. Iterative, so that a
        condition nested deeper than Python's recursion limit can still be walked (and measured)."""
        pending: list[Node] = [self]
        while pending:
            node = pending.pop()
            yield node
            pending.extend(reversed(node.children()))


# ---------------------------------------------------------------- terms
@dataclass(frozen=True, slots=True)
class FieldTerm(Node):
    path: str
    type: str  # vocabulary type: 文本 是否 金额 日期 期限 词 词列表 …
    event: bool = False
    item: bool = False  # a field of one record of a record list (read by 对每项 rules)

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    def children(self) -> tuple[Node, ...]:
        return ()


@dataclass(frozen=True, slots=True)
class ConstTerm(Node):
    type: str
    value: str | Decimal | dt.date | Duration | bool

    def children(self) -> tuple[Node, ...]:
        return ()


@dataclass(frozen=True, slots=True)
class ComputedTerm(Node):
    """A value worked out in Python before matching: durable-rules can do neither calendars nor
    exact decimal arithmetic. `op` is add_workdays | add_days | add_months | percent_of | count
    (items in a list) | full_years (whole years from a date to the 评估日期) | next_anniversary (the
    first anniversary of a date that falls after the 评估日期: when a yearly duty is next due)."""

    op: str
    base: FieldTerm
    amount: Decimal | Duration | None
    type: str
    label: str  # how it is shown in 依据, e.g. 采购.中标通知书日期+10个工作日

    def __hash__(self) -> int:
        # Every project's computed values are keyed by their terms; the generated hash would hash
        # every field (and the base term's) on each lookup. Equal terms have equal labels, and a
        # string keeps its hash: the label alone is a correct and cheap hash.
        return hash(self.label)

    def children(self) -> tuple[Node, ...]:
        return (self.base,)


Term = FieldTerm | ConstTerm | ComputedTerm


def term_name(term: Term) -> str | None:
    """How a field or computed term is named to people (合同.签订日期, 采购.中标通知书日期+10个工作日);
    None for a constant, which is shown by its value."""
    match term:
        case FieldTerm(path=path):
            return path
        case ComputedTerm(label=label):
            return label
        case ConstTerm():
            return None
        case _:
            assert_never(term)


# ---------------------------------------------------------------- conditions
@dataclass(frozen=True, slots=True)
class Compare(Node):
    left: Term
    op: str  # < <= > >= == !=
    right: Term

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, slots=True)
class HasWord(Node):
    list_field: FieldTerm
    word: str

    def children(self) -> tuple[Node, ...]:
        return (self.list_field,)


@dataclass(frozen=True, slots=True)
class Filled(Node):
    term: FieldTerm

    def children(self) -> tuple[Node, ...]:
        return (self.term,)


@dataclass(frozen=True, slots=True)
class FindingExists(Node):
    """Some rule in `rule_ids` (the rules of `article` that can produce `kind`) has fired with `kind`."""

    article: str
    kind: str
    rule_ids: tuple[str, ...]

    def children(self) -> tuple[Node, ...]:
        return ()


@dataclass(frozen=True, slots=True)
class And(Node):
    items: tuple["Cond", ...]

    def children(self) -> tuple[Node, ...]:
        return self.items


@dataclass(frozen=True, slots=True)
class Or(Node):
    items: tuple["Cond", ...]

    def children(self) -> tuple[Node, ...]:
        return self.items


@dataclass(frozen=True, slots=True)
class Not(Node):
    item: "Cond"

    def children(self) -> tuple[Node, ...]:
        return (self.item,)


@dataclass(frozen=True, slots=True)
class NotProven(Node):
    item: "Cond"

    def children(self) -> tuple[Node, ...]:
        return (self.item,)


Cond = Compare | HasWord | Filled | FindingExists | And | Or | Not | NotProven


def map_tests(cond: Cond, test: Callable[[Cond], Cond]) -> Cond:
    """`cond` rebuilt with `test` applied to every test under its connectives (且、或、非、未证实),
    which keep their shape. `test` is given only the other nodes and must handle each kind (ending in
    assert_never), so a new node cannot pass a rewrite unnoticed."""
    match cond:
        case And(items=items):
            return And(tuple(map_tests(item, test) for item in items))
        case Or(items=items):
            return Or(tuple(map_tests(item, test) for item in items))
        case Not(item=item):
            return Not(map_tests(item, test))
        case NotProven(item=item):
            return NotProven(map_tests(item, test))
        case _:
            return test(cond)

TRUE = And(())
FALSE = Or(())


def fields_of(cond: Cond) -> set[str]:
    """Paths of the fields a condition reads (computed terms count as reading their base)."""
    paths: set[str] = set()
    for node in cond.walk():
        match node:
            case FieldTerm(path=path):
                paths.add(path)
            case ComputedTerm(op=op) if op in AS_OF_OPS:
                paths.add(AS_OF_PATH)  # and its base, a FieldTerm below it
            case ComputedTerm() | ConstTerm() | Compare() | HasWord() | Filled() | FindingExists() | And() | Or() \
                    | Not() | NotProven():
                pass
            case _:
                assert_never(node)
    return paths


def finding_refs(cond: Cond) -> list[FindingExists]:
    """Every reference to other findings inside a condition, in order."""
    return [node for node in cond.walk() if isinstance(node, FindingExists)]


# ---------------------------------------------------------------- rules
@dataclass(frozen=True, slots=True)
class Outcome:
    """One way a rule can fire: under `condition` it yields a finding of `kind`."""

    variant: str  # 成立 for an if-rule; 逾期未办 / 逾期办理 / 未到期 for a time limit
    condition: Cond
    kind: str
    summary: str
    deadline: Term | None = None
    conduct: Term | None = None  # set on a 施行前 提示: the date of the conduct that was not judged
    # Whether the condition compares against the 评估日期: asked for every finding, so computed once.
    reads_as_of: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "reads_as_of", AS_OF_PATH in fields_of(self.condition))


@dataclass(frozen=True, slots=True)
class Rule:
    rule_id: str
    article: ArticleInfo
    quote: str
    applies: Cond  # guard and scope gate; while not TRUE the rule is silent
    outcomes: tuple[Outcome, ...]
    reads: tuple[FieldTerm, ...]  # every field the rule reads, in source order
    terms: tuple[ComputedTerm, ...]
    stratum: int  # 0: reads facts only; k: reads findings of rules below stratum k
    is_gate: bool
    undecided: Cond | None  # when this is unknown (and no outcome holds) the rule reports 无法判定
    each: str | None  # a record list (实施.变更): the rule is checked once per record
    span: Span
    refs: tuple[FindingExists, ...] = ()  # the findings it reads, filled in once the policy is checked
    readings: tuple[str, ...] = ()  # 释义: the interpretive readings the rule rests on, shown with its findings
    pre_effective: Cond | None = None  # holds when the conduct it judges predates the 施行日期 (第四十六条)
    conduct: str = ""  # as declared: the 行为日期's field, 持续义务, or "" when the rule declares none
    exempted_by: tuple[tuple[str, Cond], ...] = ()  # (exception rule id, when it holds): 若 … 则 例外 this rule
    version: str = ""  # in a version chain (修订): the version of the measures this rule is judged under
    excepts: tuple[str, ...] = ()  # an exception (若 … 则 例外 6.5): the rules it sets aside, as written
    excepts_span: Span | None = None  # where it names them

    def finding_refs(self) -> list[FindingExists]:
        return [ref for cond in (self.applies, *(o.condition for o in self.outcomes)) for ref in finding_refs(cond)]


@dataclass(frozen=True, slots=True)
class PolicyMeta:
    name: str
    number: str
    issued: dt.date | None
    effective: dt.date | None
    basis: tuple[str, ...]
    source_text: str | None  # the file the 原文 is quoted from, relative to the policy


@dataclass(frozen=True, slots=True)
class Policy:
    file: str
    fingerprint: str
    meta: PolicyMeta
    articles: tuple[ArticleInfo, ...]
    rules: tuple[Rule, ...]
    params: dict = field(default_factory=dict)  # name → tuple of constant values
    param_uses: dict = field(default_factory=dict)  # name → number of uses
    sources: tuple[tuple[str, str], ...] = ()  # (file, text) of every file the policy was read from
    repealed: tuple[tuple[str, str], ...] = ()  # (label, title) of inherited articles this policy repealed (废止)

    def rule_text(self, rule: "Rule") -> str:
        """The lines of the policy file where a rule is written."""
        text = dict(self.sources).get(rule.span.file, "")
        return "\n".join(text.splitlines()[rule.span.line - 1:rule.span.end_line])

    @property
    def strata(self) -> int:
        return max((r.stratum for r in self.rules), default=0)

    def computed_terms(self) -> tuple[ComputedTerm, ...]:
        seen: dict[ComputedTerm, None] = {}
        for rule in self.rules:
            for term in rule.terms:
                seen.setdefault(term)
        return tuple(seen)

    def read_fields(self) -> tuple[FieldTerm, ...]:
        """Project-level fields read by any rule (record fields excluded)."""
        seen: dict[str, FieldTerm] = {}
        for rule in self.rules:
            for term in rule.reads:
                if not term.item:
                    seen.setdefault(term.path, term)
        return tuple(seen.values())

    def item_fields(self, record_list: str) -> tuple[FieldTerm, ...]:
        seen: dict[str, FieldTerm] = {}
        for rule in self.rules:
            if rule.each == record_list:
                for term in rule.reads:
                    if term.item:
                        seen.setdefault(term.path, term)
        return tuple(seen.values())

    def record_lists(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.each for r in self.rules if r.each))
