"""A parameter changed in the editor, carried through: what still says the old value.

When a staffer changes 【合同签订时限】 from 10 to 15 个工作日, the rules that use it still quote the
old number in their 依据 and 摘要 (findings would read "应在…10个工作日内签订" next to a 15-day
deadline), the article's 原文 still says 10, and the scenarios that specify those rules still expect
the old deadlines. This module lists each of them against the policy in use (the last version of
the file that compiled) and proposes the edits to the 依据 and 摘要, line by line, for the page to
preview and apply to the editor's text. The 原文 is never edited: it is the official text, so a
changed number there means the measures were amended, which is recorded as a revision (修订).
Scenarios are listed, not edited: their expected values are updated after a run shows them failing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .. import ir, language
from ..errors import relative_name
from ..quantities import Quantity, find_quantities
from ..text import fold_fullwidth, parse_chinese_number, to_chinese_number

_QUOTED = re.compile(r"“([^”]*)”")
_WRITTEN = re.compile(f"^(百分之)?([0-9.]+|[{language.NUMERALS}]+)(\\s*)(.*)$")
_SCENARIO = re.compile(r"^\s*(?:场景大纲|场景|剧本)\s*[:：]\s*(.+)$")
_ARTICLE_TAG = re.compile(r"@(第[^\s@]+条)")
_DEFINITION = re.compile(r"^\s*【([^】]+)】\s*=\s*(.*)$")  # a parameter or 认定 line
_RULE_ID = re.compile(r"规则\s*(\d+(?:\.\d+)*)")
AMENDMENT_GUIDE = "docs/为本县定制办法.md"


@dataclass(frozen=True, slots=True)
class ParameterChange:
    name: str
    family: str
    old: Decimal
    new: Decimal
    new_literal: str  # as the policy language writes it: 15个工作日


def family_value(values: tuple) -> tuple[str, Decimal] | None:
    """A parameter's single constant as (family, value) in the families the quantities use."""
    if len(values) != 1:
        return None
    match values[0]:
        case ir.ConstTerm(type="金额", value=amount):
            return "金额", Decimal(amount)
        case ir.ConstTerm(type="百分比", value=share):
            return "百分比", Decimal(share)
        case ir.ConstTerm(type="期限", value=duration):
            unit = duration.unit
            return ("月", Decimal(duration.amount) * (12 if unit == "年" else 1)) if unit in ("月", "年") else (unit, Decimal(duration.amount))
    return None


def parameter_changes(in_use: ir.Policy, edited: ir.Policy) -> list[ParameterChange]:
    """The parameters whose value differs between the policy in use and the editor's text."""
    changes = []
    for name, values in edited.params.items():
        old, new = family_value(in_use.params.get(name, ())), family_value(values)
        if old is None or new is None or old[0] != new[0] or old[1] == new[1]:
            continue
        literal = Quantity(new[0], new[1], "", 0, 0).policy_literal()
        changes.append(ParameterChange(name, new[0], old[1], new[1], literal))
    return changes


def _rewrite(quantity: Quantity, change: ParameterChange) -> str:
    """The old quantity as the new one, in the quote's own style: 10 个工作日 → 15 个工作日, 十个工作日 →
    十五个工作日, 500万元 → 1000万元; the policy language's form when the unit cannot carry it."""
    match = _WRITTEN.match(fold_fullwidth(quantity.text))
    if not match:
        return change.new_literal
    percent, number, space, unit = match.groups()
    digits = number[0].isdigit()
    written_value = Decimal(number) if digits else Decimal(parse_chinese_number(number))
    if not written_value:
        return change.new_literal
    scaled = change.new * written_value / quantity.value  # in the quote's own unit (万元, 年)
    if scaled != scaled.to_integral_value():
        return change.new_literal if not digits else f"{percent or ''}{format(scaled.normalize(), 'f')}{space}{unit}"
    written = format(scaled.normalize(), "f") if digits else to_chinese_number(int(scaled))
    return f"{percent or ''}{written}{space}{unit}"


def definitions(lines: list[str]) -> list[tuple[str, str]]:
    """(name, what it is defined as) of every parameter and 认定 line."""
    return [(match.group(1), match.group(2)) for line in lines if (match := _DEFINITION.match(line))]


def names_using(name: str, defined: list[tuple[str, str]]) -> set[str]:
    """【name】 and every 认定 defined with it, directly or through another (【重大项目】 = 项目.总预算 不低于
    【重大项目金额】): a rule that says 【重大项目】 uses the amount as much as one that names it."""
    marks = {f"【{name}】"}
    while True:
        more = {f"【{each}】" for each, body in defined if any(mark in body for mark in marks)} - marks
        if not more:
            return marks
        marks |= more


def _rule_lines(rule: ir.Rule, lines: list[str]) -> range:
    return range(rule.span.line - 1, min(rule.span.end_line, len(lines)))


def stale_mentions(in_use: ir.Policy, edited: ir.Policy, text: str, feature_files: list[Path]) -> dict | None:
    """Every 依据, 摘要, 原文 and scenario that still says the old value of a changed parameter, and
    the edits that bring the 依据 and 摘要 up to date; None when no parameter changed."""
    changes = parameter_changes(in_use, edited)
    if not changes:
        return None
    lines = text.splitlines()
    edits: dict[int, str] = {}  # line index → the line as it will read
    quotes, originals, rules_by_change = [], [], {}
    for change in changes:
        marks = names_using(change.name, definitions(lines))
        rules = [r for r in edited.rules if r.span.file == edited.file
                 and any(mark in lines[i] for i in _rule_lines(r, lines) for mark in marks)]
        rules_by_change[change.name] = rules
        for rule in rules:
            for index in _rule_lines(rule, lines):
                line = edits.get(index, lines[index])
                new_line, rewritten = _rewrite_quotes(line, change)
                if new_line == line:
                    continue
                before_quote = line[:line.index("“")]
                role = "依据" if "依据" in before_quote else "释义" if "释义" in before_quote else "摘要"
                quotes.append({"参数": change.name, "规则": rule.rule_id, "条号": rule.article.label, "类别": role,
                               "行": index + 1, "改前": lines[index]})
                edits[index] = new_line
                if role == "依据":  # a 依据 is quoted word for word from the 原文: the 原文 changes with it
                    for old_quote, new_quote in rewritten:
                        quotes.extend(_amend_original(edited, rule, lines, edits, old_quote, new_quote, change))
        originals.extend(_original_lines(edited, rules, lines, change))
    return {"参数": [{"参数": c.name, "原值": _show(c, c.old), "新值": _show(c, c.new)} for c in changes],
            "修改": _merged_edits(quotes, edits), "原文": originals,
            "场景": _scenario_mentions(changes, rules_by_change, feature_files),
            "修订说明": AMENDMENT_GUIDE, "修订写法": f"修订 “{Path(edited.file).name}”"}


def _rewrite_quotes(line: str, change: ParameterChange) -> tuple[str, list[tuple[str, str]]]:
    """The line with the old value rewritten in each of its quotes, and (old, new) of each quote changed."""
    rewritten = []

    def replace(match: re.Match) -> str:
        quote = match.group(1)
        for quantity in reversed(find_quantities(quote)):
            if quantity.family == change.family and quantity.value == change.old:
                quote = quote[:quantity.start] + _rewrite(quantity, change) + quote[quantity.end:]
        if quote != match.group(1):
            rewritten.append((match.group(1), quote))
        return f"“{quote}”"
    return _QUOTED.sub(replace, line), rewritten


def _amend_original(policy: ir.Policy, rule: ir.Rule, lines: list[str], edits: dict[int, str], old_quote: str,
                    new_quote: str, change: ParameterChange) -> list[dict]:
    """The 原文 line that holds a rule's 依据, with the quoted sentence as the 依据 now reads; only that
    sentence changes (第二十八条 says 10 个工作日 twice, for two different time limits)."""
    for index in _original_range(policy, rule.article.label, lines):
        line = edits.get(index, lines[index])
        if old_quote in line:
            edits[index] = line.replace(old_quote, new_quote, 1)
            return [{"参数": change.name, "规则": rule.rule_id, "条号": rule.article.label, "类别": "原文",
                     "行": index + 1, "改前": lines[index]}]
    return []


def _original_range(policy: ir.Policy, label: str, lines: list[str]) -> range:
    """The line indexes of an article's 原文 (the > lines under its heading) in this file."""
    article = next((a for a in policy.articles if a.label == label and a.span.file == policy.file), None)
    if article is None:
        return range(0)
    end = start = article.span.line  # the line after the heading
    while end < len(lines) and lines[end].lstrip().startswith(">"):
        end += 1
    return range(start, end)


def _merged_edits(quotes: list[dict], edits: dict[int, str]) -> list[dict]:
    """One edit per line (two changes in one line make one edit with both), in line order."""
    by_line: dict[int, dict] = {}
    for quote in quotes:
        by_line.setdefault(quote["行"], quote)
    return [{**by_line[index + 1], "改后": edits[index]} for index in sorted(edits)]


def _show(change: ParameterChange, value: Decimal) -> str:
    return Quantity(change.family, value, "", 0, 0).policy_literal()


def _original_lines(policy: ir.Policy, rules: list[ir.Rule], lines: list[str], change: ParameterChange) -> list[dict]:
    """The 原文 lines (> …) holding a 依据 that still names the old value: the official text says it."""
    found = []
    for rule in rules:
        said = [q.text for q in find_quantities(rule.quote) if q.family == change.family and q.value == change.old]
        if not said:
            continue
        for index in _original_range(policy, rule.article.label, lines):
            if rule.quote in lines[index]:
                found.append({"参数": change.name, "条号": rule.article.label, "规则": rule.rule_id, "行": index + 1,
                              "文字": rule.quote, "原值": said[0]})
                break
    return found


def _scenario_mentions(changes: list[ParameterChange], rules_by_change: dict[str, list[ir.Rule]],
                       feature_files: list[Path]) -> list[dict]:
    """Scenarios of the changed rules' articles that still say the old value: a scenario that names
    rules counts when it names one of the changed rules; one that names none counts by its tag."""
    found = []
    for path in feature_files:
        for scenario, tags, body in _scenarios(path.read_text(encoding="utf-8").splitlines()):
            for change in changes:
                rules = rules_by_change[change.name]
                if not tags & {r.article.label for r in rules}:
                    continue
                named = set(_RULE_ID.findall(" ".join(line for _, line in body)))
                if named and not named & {r.rule_id for r in rules}:
                    continue
                for number, line in body:
                    if any(q.family == change.family and q.value == change.old for q in find_quantities(line)):
                        found.append({"参数": change.name, "文件": relative_name(path), "行": number, "场景": scenario,
                                      "文字": line.strip()})
    return found


def _scenarios(lines: list[str]):
    """(name, article tags, [(line number, line)]) of each scenario of a feature file."""
    tags: set[str] = set()
    pending: set[str] = set()
    current = None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("@"):
            if current is not None:
                yield current
                current = None
            pending |= set(_ARTICLE_TAG.findall(stripped))
            continue
        match = _SCENARIO.match(line)
        if match:
            if current is not None:
                yield current
            tags, pending = pending, set()
            current = (match.group(1).strip(), tags, [(number, line)])
        elif current is not None:
            current[2].append((number, line))
    if current is not None:
        yield current
