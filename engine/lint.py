"""Lint: things in a policy that compile but are probably mistakes.

Warnings (exit 1): 原文 that differs from the source copy named by 原文出处; a parameter or 认定
never used; an article with neither rules nor 声明性条款; a rule whose conditions can never hold
together (simple cases: one field required to be two things at once). Errors that stop `check`
(unknown fields, missing 原文, duplicate rule ids, a kind that contradicts the modal word) stop
lint too, with exit 2.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from . import ir, language
from .errors import Span
from .messages import policy_message
from .policy_files import UnreadableFile
from .quantities import find_quantities
from .source_text import corrected_text, read_source, source_articles
from .values import Duration, format_money


@dataclass(frozen=True, slots=True)
class LintWarning:
    code: str
    message: str
    span: Span | None
    article: str | None = None
    hint: str = ""

    @classmethod
    def of(cls, message_key: str, span: Span | None, article: str | None = None, **args) -> "LintWarning":
        code, message, hint = policy_message(message_key, **args)
        return cls(code, message, span, article, hint)

    def render(self) -> str:
        where = f"{self.span}: " if self.span else ""
        lines = [f"{where}警告[{self.code}]: {self.message}"]
        if self.article:
            lines.append(f"  = 所在条文: {self.article}")
        if self.hint:
            lines.append(f"  = 提示: {self.hint}")
        return "\n".join(lines)


def lint_policy(policy: ir.Policy, policy_path: Path) -> list[LintWarning]:
    warnings = [*_source_mismatches(policy, policy_path), *_unused_names(policy), *_articles_without_rules(policy),
                *_impossible_rules(policy), *_quote_numbers(policy), *_header_against_text(policy),
                *_undated_conduct(policy)]
    return sorted(warnings, key=lambda w: (w.span.line, w.span.column) if w.span else (0, 0))


def _source_mismatches(policy: ir.Policy, policy_path: Path) -> list[LintWarning]:
    if not policy.meta.source_text:
        return []
    try:
        text = read_source(policy_path, policy.meta.source_text)
    except UnreadableFile as problem:
        return [LintWarning.of("W201.read", None, name=policy.meta.source_text, problem=problem)]
    if text is None:
        return [LintWarning.of("W201", None, name=policy.meta.source_text)]
    source = source_articles(text)
    warnings = []
    here = _meta_span(policy, "原文出处")  # where this policy names its source: inherited articles are reported here
    for article in policy.articles:
        inherited = article.span.file != policy.file
        at = here if inherited and here else article.span
        if article.label not in source:
            warnings.append(LintWarning.of("W202", at, article.label, label=article.label))
            continue
        expected, unmatched = corrected_text(source[article.label], article.errata)
        if unmatched and inherited and "\n".join(article.text) == "\n".join(source[article.label]):
            unmatched = []  # the base's copy was damaged where this policy's own copy is not: nothing to correct
        for damaged in unmatched:
            warnings.append(LintWarning.of("W203", article.span, article.label, text=damaged))
        if "\n".join(article.text) != expected:
            position = next((i for i, (a, b) in enumerate(zip("\n".join(article.text), expected)) if a != b),
                            min(len("\n".join(article.text)), len(expected)))
            key = "W204.inherited" if inherited and here else "W204"
            warnings.append(LintWarning.of(key, at, article.label, label=article.label, position=position + 1,
                                           expected=expected[position:position + 12]))
    present = {a.label for a in policy.articles}
    for label in source:  # an article of the official text that the policy lost
        if label not in present:
            warnings.append(LintWarning.of("W220", here, label, label=label, name=policy.meta.source_text))
    return warnings


def _meta_span(policy: ir.Policy, key: str) -> Span | None:
    """The line of this policy's own file where a header entry (原文出处, 施行日期, 依据) is written."""
    text = dict(policy.sources).get(policy.file, "")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(key):
            column = len(line) - len(line.lstrip()) + 1
            return Span(policy.file, number, column, number, len(line) + 1)
    return None


_IN_FORCE = re.compile(r"自\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*起施行")
_BOOK = re.compile(r"《[^》]+》")


def _header_against_text(policy: ir.Policy) -> list[LintWarning]:
    """The header's 施行日期 and 依据 against what the articles themselves say: a fork that changed its
    date but inherited 第四十六条 (自2024年12月12日起施行), or names its own 依据 while its inherited
    第一条 still cites another province's laws."""
    warnings = []
    for article in policy.articles:
        match = _IN_FORCE.search("".join(article.text))
        if match and policy.meta.effective:
            said = dt.date(*(int(g) for g in match.groups()))
            if said != policy.meta.effective:
                warnings.append(LintWarning.of("W221", _meta_span(policy, "施行日期") or article.span, article.label,
                                               label=article.label, said=said.isoformat(),
                                               effective=policy.meta.effective.isoformat()))
    first = next((a for a in policy.articles if (a.number, a.sub) == (1, 0)), None)
    if first is not None and policy.meta.basis:
        cited = _BOOK.findall("".join(first.text))
        named = {b.strip("“”\"") for b in policy.meta.basis}
        extra = [book for book in cited if book not in named]
        if extra and first.span.file != policy.file:
            warnings.append(LintWarning.of("W222", _meta_span(policy, "依据") or first.span, first.label,
                                           books="、".join(extra)))
    return warnings


def _unused_names(policy: ir.Policy) -> list[LintWarning]:
    return [LintWarning.of("W205", None, name=name) for name, uses in policy.param_uses.items() if uses == 0]


def _articles_without_rules(policy: ir.Policy) -> list[LintWarning]:
    with_rules = {r.article.label for r in policy.rules}
    return [LintWarning.of("W206", a.span, a.label, label=a.label)
            for a in policy.articles if a.label not in with_rules and not a.declarative]


def _undated_conduct(policy: ir.Policy) -> list[LintWarning]:
    """A rule that judges conduct should say when the conduct happens (第四十六条). Not asked of a
    rule whose form dates it already: a time limit (its deadline), a rule resting on other findings
    (their conduct), a 提示, a 不适用 gate or an exception."""
    if policy.meta.effective is None:
        return []
    warnings = []
    for rule in policy.rules:
        variants = {o.variant for o in rule.outcomes}
        kinds = {o.kind for o in rule.outcomes}
        chained = any(ref.article != "本办法" for ref in rule.refs)  # 本办法: the 不适用 gate every rule reads
        if rule.conduct or rule.is_gate or chained or "例外" in variants or "逾期未办" in variants or kinds <= {language.REMINDER}:
            continue
        warnings.append(LintWarning.of("W209", rule.span, rule.article.label, rule=rule.rule_id))
    return warnings


def _impossible_rules(policy: ir.Policy) -> list[LintWarning]:
    warnings = []
    for rule in policy.rules:
        for outcome in rule.outcomes:
            if _contradictory(_conjuncts(ir.And((rule.applies, outcome.condition)))):
                warnings.append(LintWarning.of("W207", rule.span, rule.article.label, rule=rule.rule_id))
                break
    return warnings


def _quote_numbers(policy: ir.Policy) -> list[LintWarning]:
    """A rule whose quoted 原文 names an amount, share or time limit that none of its own values
    match — typically a parameter changed without amending the article's text. The quote is read as
    the gazette writes it (10 个工作日, 十个工作日, 五百万元, 百分之五: engine/quantities.py)."""
    warnings = []
    for rule in policy.rules:
        quoted: dict[str, set] = {}
        for quantity in find_quantities(rule.quote):
            quoted.setdefault(quantity.family, set()).add(quantity.value)
        used: dict[str, set] = {}
        for family, normal in _constants(rule):
            used.setdefault(family, set()).add(normal)
        for family, values in quoted.items():
            if family in used and not values & used[family]:
                warnings.append(LintWarning.of("W208", rule.span, rule.article.label, rule=rule.rule_id,
                                               quoted=_show(family, min(values)), used=_show(family, min(used[family]))))
                break
    return warnings


def _show(family: str, value: Decimal) -> str:
    return {"金额": lambda v: format_money(v), "百分比": lambda v: f"{v.normalize():f}%",
            "月": lambda v: f"{v // 12}年" if v % 12 == 0 else f"{v}个月", "工作日": lambda v: f"{v}个工作日",
            "日": lambda v: f"{v}日"}[family](value)


def _constants(rule: ir.Rule) -> list[tuple[str, Decimal]]:
    found = []

    def term(value) -> None:
        match value:
            case ir.ConstTerm(type="金额", value=amount):
                found.append(("金额", Decimal(amount)))
            case ir.ConstTerm(type="百分比", value=share):
                found.append(("百分比", Decimal(share)))
            case ir.ConstTerm(type="期限", value=duration):
                found.append(("月" if duration.unit == "月" else duration.unit, Decimal(duration.amount)))
            case ir.ComputedTerm(op="percent_of", amount=share):
                found.append(("百分比", Decimal(share)))
            case ir.ComputedTerm(amount=Duration() as duration):
                found.append(("月" if duration.unit == "月" else duration.unit, Decimal(duration.amount)))

    def walk(cond: ir.Cond) -> None:
        for node in cond.walk():
            if isinstance(node, ir.Compare):
                term(node.left)
                term(node.right)

    walk(rule.applies)
    for outcome in rule.outcomes:
        walk(outcome.condition)
        if outcome.deadline is not None:
            term(outcome.deadline)
    return found


def _conjuncts(cond: ir.Cond) -> list[ir.Cond]:
    match cond:
        case ir.And(items=items):
            return [c for item in items for c in _conjuncts(item)]
    return [cond]


def _contradictory(tests: list[ir.Cond]) -> bool:
    """Simple cases only: equal to two constants, equal and unequal to one, empty numeric or date
    ranges, filled and not filled, a word both present and absent."""
    equal: dict[str, object] = {}
    unequal: dict[str, set] = {}
    low: dict[str, tuple] = {}
    high: dict[str, tuple] = {}
    positive, negative = set(), set()
    for test in tests:
        match test:
            case ir.Compare(left=ir.FieldTerm(path=path), op=op, right=ir.ConstTerm(value=value)):
                if op == "==":
                    if path in equal and equal[path] != value:
                        return True
                    equal[path] = value
                elif op == "!=":
                    unequal.setdefault(path, set()).add(value)
                elif op in (">", ">="):
                    if path not in low or value > low[path][0]:
                        low[path] = (value, op == ">")
                elif op in ("<", "<="):
                    if path not in high or value < high[path][0]:
                        high[path] = (value, op == "<")
            case ir.Filled() | ir.HasWord():
                positive.add(test)
            case ir.Not(item=ir.Filled() | ir.HasWord() as inner):
                negative.add(inner)
    if positive & negative:
        return True
    for path, value in equal.items():
        if value in unequal.get(path, ()):
            return True
    for path in low.keys() & high.keys():
        (lo, lo_strict), (hi, hi_strict) = low[path], high[path]
        try:
            if lo > hi or (lo == hi and (lo_strict or hi_strict)):
                return True
        except TypeError:
            continue
    return False


__all__ = ["LintWarning", "lint_policy"]
