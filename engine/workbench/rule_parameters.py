"""Which 【参数】 a rule uses, with their values as the policy writes them (15个工作日, 500万元, 5%).

The 条文 tab lists them under each article: a staffer reading 第二十八条's text, which says 10 个工作日,
sees that the rule now counts 15. The 规格场景 tab uses them to tell a moved boundary from a changed
result: when a failed scenario's rules use a parameter whose value moved since the workbench
started, or that its title names with another value, the example's dates sit on the old boundary.

A rule uses a parameter when its text names it, directly or through a 认定 defined with it
(【重大项目】 = 项目.总预算 不低于 【重大项目金额】); the IR has parameters replaced by their values,
so the names are read from the rule's own lines (as carry.py does).
"""
from __future__ import annotations

from .. import ir
from ..quantities import find_quantities
from ..values import format_parameter
from .carry import definitions, family_value, names_using


def parameter_values(policy: ir.Policy) -> dict[str, str]:
    """Every parameter's value(s), shown: 【合同签订时限】 → 10个工作日."""
    return {name: "、".join(map(format_parameter, values)) for name, values in policy.params.items()}


def parameters_of_rules(policy: ir.Policy) -> dict[str, list[str]]:
    """Rule id → the parameters it uses, in the policy's order of parameters."""
    lines = [line for _, text in policy.sources for line in text.splitlines()]
    found_definitions = definitions(lines)
    marks = {name: names_using(name, found_definitions) for name in policy.params}
    uses = {}
    for rule in policy.rules:
        text = policy.rule_text(rule)
        uses[rule.rule_id] = [name for name, names in marks.items() if any(mark in text for mark in names)]
    return uses


def named_otherwise(policy: ir.Policy, name: str, text: str) -> str | None:
    """How `text` (a scenario's title) names the parameter's kind of quantity with a value other than
    the parameter's own — 「10 个工作日」 when 【合同签订时限】 is 15个工作日 — or None."""
    own = family_value(policy.params.get(name, ()))
    if own is None:
        return None
    family, value = own
    return next((q.text for q in find_quantities(text) if q.family == family and q.value != value), None)
