"""The rules engine's limits, checked before the engine sees anything: when a policy is compiled
(every rule's size in disjunctive form, the texts it compares) and when a project's values are
worked out (every text, amount and computed value). A policy that passes `check` and a project that is read
without error never reach one of durable-rules' own failures, which are silent or fatal:

- Three-valued conditions are compiled to disjunctive form, one durable rule and one alpha-network
  path per alternative. `(A 或 B) 且 (C 或 D) 且 …` grows as 5^n: measured on the 2-core box, four
  such clauses give 625 paths (plan 0.5 s, registration 0.3 s); five give 3,125 paths (plan 6 s,
  registration several minutes); six give 15,625 (plan 113 s, registration ten minutes and more).
  The size is estimated here from the IR, before any plan is built, and bounded per rule.
- Strings are compared over at most 65,535 bytes (events.c keeps lengths in an unsigned short):
  a longer text silently equals its own first (length mod 65,536) bytes.
- Numbers travel as JSON and are read into 64-bit integers or doubles: money is sent in 分. The
  amounts, percentages and periods a policy or a facts file may write are bounded where they are
  read (engine/values.py: 1万亿元, 1000%, 100年); what is computed from them is checked here to stay
  within 2^53, where integer and double comparisons are both exact.
- Text that is not valid Unicode (a lone surrogate) cannot be encoded for the engine at all.

Limits of the ruleset's shape (32 expressions per pattern, the 64-entry alpha stack, 252 properties,
key hashes) depend on the backend's encoding and are checked where that encoding is built
(engine/durable_backend.py), also when the policy is checked.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Iterable, assert_never

from . import ir
from .errors import FactsError, FactsErrors, PolicyError, PolicyErrors
from .values import Duration

# Alternatives of one rule in disjunctive form (an upper bound: the simplifier often keeps far
# fewer): 625 (four nested 或 clauses) builds in about a second, 1,000 in two; 3,125 (five
# clauses) takes minutes. The shipped policies' largest rule (30.1) counts 1,049 and builds in
# milliseconds; all their rules together count about 2,200.
MAX_RULE_ALTERNATIVES = 2_000
MAX_POLICY_ALTERNATIVES = 10_000  # registration time grows faster than the number of rules
MAX_TEXT_BYTES = 65_535  # durable-rules compares strings by an unsigned-short length
MAX_ENGINE_INTEGER = 2**53  # any number the engine compares (money in 分, days, counts): exact as a double too


# ---------------------------------------------------------------- the size of a rule
def _sizes(cond: ir.Cond) -> tuple[int, int, int]:
    """(alternatives for true, for false, for unknown): an upper bound on what the backend's plan
    compiler produces, computed without building it (same recursion, counts instead of plans)."""
    match cond:
        case ir.Compare(left=left, right=right):
            unknown = sum(1 for t in (left, right) if not isinstance(t, ir.ConstTerm))
            return 1, 1, unknown
        case ir.HasWord():
            return 1, 1, 1
        case ir.Filled() | ir.FindingExists():
            return 1, 1, 0
        case ir.Not(item=item):
            true, false, unknown = _sizes(item)
            return false, true, unknown
        case ir.NotProven(item=item):
            true, false, unknown = _sizes(item)
            return false + unknown, true, 0
        case ir.And(items=items) | ir.Or(items=items) if _one_field_tests(items):
            # Tests of one field (属于 a list, a range): the unknown alternatives all say "this field
            # is absent", and the simplifier keeps one of them; true and false stay linear.
            true, false = (1, len(items)) if isinstance(cond, ir.And) else (len(items), 1)
            return true, false, 1
        case ir.And(items=items):
            sizes = [_sizes(i) for i in items]
            return _product(s[0] for s in sizes), sum(s[1] for s in sizes), _unknown_of(sizes, absorbing=0)
        case ir.Or(items=items):
            sizes = [_sizes(i) for i in items]
            return sum(s[0] for s in sizes), _product(s[1] for s in sizes), _unknown_of(sizes, absorbing=1)
        case _:
            assert_never(cond)


def _one_field_tests(items: tuple[ir.Cond, ...]) -> bool:
    return all(isinstance(i, (ir.Compare, ir.HasWord, ir.Filled)) for i in items) and \
        len(set().union(*(ir.fields_of(i) for i in items))) == 1


def _product(values: Iterable[int]) -> int:
    result = 1
    for value in values:
        result *= value
    return result


def _unknown_of(sizes: list[tuple[int, int, int]], absorbing: int) -> int:
    """And is unknown when one item is unknown, the items before it true and the ones after it
    true or unknown (Or: false, false or unknown) — as the plan compiler enumerates it."""
    total = 0
    for index, (_, _, unknown) in enumerate(sizes):
        before = _product(s[absorbing] for s in sizes[:index])
        after = _product(s[absorbing] + s[2] for s in sizes[index + 1:])
        total += unknown * before * after
    return total


def rule_alternatives(rule: ir.Rule) -> int:
    """How many alternatives the rule's conditions have in disjunctive form, all outcomes and its
    无法判定 together: about the number of durable rules it becomes."""
    applies = _sizes(rule.applies)[0]
    total = sum(_sizes(outcome.condition)[0] for outcome in rule.outcomes)
    if rule.undecided is not None:
        total += _sizes(rule.undecided)[2]
    return total * applies


# ---------------------------------------------------------------- the policy
def check_policy_limits(policy: ir.Policy) -> None:
    """Raise every engine limit the policy exceeds, each located at its rule."""
    errors: list[PolicyError] = []
    total = 0
    for rule in policy.rules:
        size = rule_alternatives(rule)
        total += size
        if size > MAX_RULE_ALTERNATIVES:
            errors.append(PolicyError.of("E163", rule.span, article=rule.article.label, rule=rule.rule_id,
                                         size=f"{size:,}", limit=f"{MAX_RULE_ALTERNATIVES:,}"))
        elif total > MAX_POLICY_ALTERNATIVES >= total - size:  # reported once, at the rule that crosses it
            errors.append(PolicyError.of("E163.total", rule.span, article=rule.article.label, rule=rule.rule_id,
                                         limit=f"{MAX_POLICY_ALTERNATIVES:,}"))
        for const in dict.fromkeys(_constants(rule)):  # one error per constant, however often it is used
            size = _utf8_size(const.value) if isinstance(const.value, str) else 0
            if size is None or size > MAX_TEXT_BYTES:
                errors.append(PolicyError.of("E164", rule.span, article=rule.article.label, rule=rule.rule_id,
                                             limit=f"{MAX_TEXT_BYTES:,}"))
    if errors:
        sources = dict(policy.sources)
        for error in errors:
            if error.span is not None:
                error.source = sources.get(error.span.file)
        raise PolicyErrors(errors)


def _constants(rule: ir.Rule) -> list[ir.ConstTerm]:
    return [node for cond in (rule.applies, *(o.condition for o in rule.outcomes))
            for node in cond.walk() if isinstance(node, ir.ConstTerm)]


def _utf8_size(text: str) -> int | None:
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:
        return None


# ---------------------------------------------------------------- a project's values
def check_project_values(file: str, fields: dict, computed: dict, line_of=None) -> None:
    """Raise a located error for every value the engine could not compare exactly. `fields` maps
    key paths to typed values; `computed` maps computed terms (with a label) to theirs."""
    errors: list[FactsError] = []
    for path, value in fields.items():
        kind = type(value)
        if kind in _ALWAYS_EXACT or (kind is str and value in _COMPARABLE_TEXTS):  # most values: no call at all
            continue
        message = _value_problem(value)
        if message:
            errors.append(FactsError("E340", message, file=file, key_path=path, line=line_of(path) if line_of else None))
    for term, value in computed.items():
        message = _value_problem(value)
        if message:
            label = getattr(term, "label", str(term))
            errors.append(FactsError("E341", f"由此算出的「{label}」{message}", file=file, key_path=term.base.path,
                                     line=line_of(term.base.path) if line_of else None))
    if errors:
        raise FactsErrors(errors)


_ALWAYS_EXACT = frozenset((bool, dt.date, type(None)))  # exactly these types, never a subclass
# Short texts already found comparable: the words and names of a portfolio recur in every project.
_COMPARABLE_TEXTS: set[str] = set()
_REMEMBERED_TEXTS = 100_000  # then no more are remembered (a few MB at most)
_REMEMBERED_LENGTH = 200


def _value_problem(value) -> str | None:
    # The values facts hold, by exact type, without a class-pattern match (most of a project's ~120
    # values are yes/no, dates and short texts); anything else, subclasses included, is matched.
    kind = type(value)
    if kind is bool or kind is dt.date or value is None:
        return None
    if kind is str:
        if value in _COMPARABLE_TEXTS:
            return None
        message = _text_problem(value)
        if message is None and len(value) <= _REMEMBERED_LENGTH and len(_COMPARABLE_TEXTS) < _REMEMBERED_TEXTS:
            _COMPARABLE_TEXTS.add(value)
        return message
    if kind is frozenset:
        for item in value:
            message = _value_problem(item)
            if message:
                return message
        return None
    return _matched_value_problem(value)


def _text_problem(value: str) -> str | None:
    size = _utf8_size(value)
    if size is None:
        return "含有无法编码的字符（如孤立的代理项），请删去或改写这些字符"
    if size > MAX_TEXT_BYTES:
        return f"有 {size:,} 字节，超过规则引擎能比较的 {MAX_TEXT_BYTES:,} 字节；请只写名称，详细说明放在附件中"
    return None


def _matched_value_problem(value) -> str | None:
    match value:
        case bool() | None | dt.date():
            return None
        case str():
            return _text_problem(value)
        case Decimal():
            if abs(value * 100) > MAX_ENGINE_INTEGER:
                return "金额过大，规则引擎无法精确比较；请检查单位（元、万元、亿元）是否写错"
        case Duration(amount=amount) | int(amount):
            if abs(amount) > MAX_ENGINE_INTEGER:
                return "数值过大，规则引擎无法精确比较"
        case tuple() | list() | set() | frozenset():
            for item in value:
                message = _value_problem(item)
                if message:
                    return message
    return None
