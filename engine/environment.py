"""Stage 2 → 3, first step: the names a policy declares, resolved into one immutable Environment.

`resolve(source, vocabulary)` reads the header (名称, 文号, 施行日期 …), the 参数, the 认定 and the
articles of a parsed policy (engine/syntax.py) and checks them (repeated names, mixed parameter
types, article numbers, empty or mis-corrected 原文). The result is what lowering a rule may read
(engine/lowering.py, `lower_rule`): nothing in it changes afterwards, so every rule is lowered by
a pure function of (rule, environment) and the order rules are lowered in cannot matter.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from . import ir, language, syntax
from .errors import PolicyError
from .text import article_label, parse_article_label
from .vocabulary import Vocabulary

Number = tuple[int, int]  # (article, 之N)


@dataclass(frozen=True)
class Environment:
    vocabulary: Vocabulary
    meta: ir.PolicyMeta
    effective_date: dt.date | None
    params: Mapping[str, tuple[ir.ConstTerm, ...]]  # 【name】 → its values (one, or a list)
    definitions: Mapping[str, syntax.Definition]  # 认定: inlined where used
    articles: Mapping[Number, ir.ArticleInfo]  # the articles that resolved, by number
    article_nodes: tuple[tuple[ir.ArticleInfo, syntax.Article], ...]  # in file order, with their rules
    # Kinds each rule can produce, read from the syntax tree: a reference may name a later article.
    rule_kinds: Mapping[Number, tuple[tuple[str, frozenset[str]], ...]]  # article → (rule id, kinds)
    rule_articles: Mapping[str, tuple[str, frozenset[str]]]  # rule id → (its article as written, kinds)

    def finding_rules(self, number: Number, kind: str) -> tuple[str, ...]:
        """The rules of an article that can produce `kind` (违反第N条 reads their findings)."""
        prefix = f"{number[0]}之{number[1]}." if number[1] else f"{number[0]}."
        return tuple(rule_id for rule_id, kinds in self.rule_kinds.get(number, ()) if rule_id.startswith(prefix) and kind in kinds)

    def canonical_article(self, rule_id: str) -> str:
        """The canonical label (第二十八条) of the article a rule is written in."""
        return article_label(*parse_article_label(self.rule_articles[rule_id][0]))


def kinds_of(body: syntax.IfBody | syntax.DeadlineBody | syntax.ExceptionBody) -> frozenset[str]:
    """The finding kinds a rule's body can produce: a time limit also yields 待办."""
    return frozenset({body.kind, language.TODO} if isinstance(body, syntax.DeadlineBody) else {body.kind})


def resolve(source: syntax.PolicySource, vocabulary: Vocabulary) -> tuple[Environment, list[PolicyError]]:
    """The environment of a parsed policy, and every mistake found while resolving it."""
    errors: list[PolicyError] = []
    effective = effective_date(source)
    meta = _meta(source, errors)
    params = _params(source, effective, errors)
    definitions = _definitions(source, params, errors)
    article_nodes = _articles(source, errors)
    rule_kinds: dict[Number, tuple[tuple[str, frozenset[str]], ...]] = {}
    for node in source.articles:
        number = parse_article_label(node.label)
        if number is not None and number not in rule_kinds:  # the first article of a number is the one read
            rule_kinds[number] = tuple((r.rule_id, kinds_of(r.body)) for r in node.rules)
    rule_articles = {r.rule_id: (node.label, kinds_of(r.body)) for node in source.articles for r in node.rules}
    environment = Environment(
        vocabulary, meta, effective, MappingProxyType(params), MappingProxyType(definitions),
        MappingProxyType({(a.number, a.sub): a for a, _ in article_nodes}), tuple(article_nodes),
        MappingProxyType(rule_kinds), MappingProxyType(rule_articles))
    return environment, errors


def effective_date(source: syntax.PolicySource) -> dt.date | None:
    """The header's 施行日期: conduct before it is not judged (第四十六条)."""
    for entry in source.meta:
        if entry.key == "施行日期" and entry.values and hasattr(entry.values[0], "year"):
            return entry.values[0]
    return None


def _meta(source: syntax.PolicySource, errors: list[PolicyError]) -> ir.PolicyMeta:
    found: dict[str, tuple] = {}
    for entry in source.meta:
        if entry.key in found and entry.key != "依据":
            errors.append(PolicyError.of("E110.repeated", entry.span, name=entry.key))
        found[entry.key] = found.get(entry.key, ()) + entry.values if entry.key == "依据" else entry.values
    dates = {}
    for key in ("发布日期", "施行日期"):
        value = found.get(key, (None,))[0]
        if value is not None and not hasattr(value, "year"):
            errors.append(PolicyError.of("E110.date", None, name=key))
            value = None
        dates[key] = value
    return ir.PolicyMeta(
        name=str(found.get("名称", ("",))[0]), number=str(found.get("文号", ("",))[0]),
        issued=dates["发布日期"], effective=dates["施行日期"],
        basis=tuple(str(v) for v in found.get("依据", ())),
        source_text=str(found["原文出处"][0]) if "原文出处" in found else None,
    )


def _params(source: syntax.PolicySource, effective: dt.date | None,
            errors: list[PolicyError]) -> dict[str, tuple[ir.ConstTerm, ...]]:
    params: dict[str, tuple[ir.ConstTerm, ...]] = {}
    for decl in source.params:
        if decl.name in params:
            errors.append(PolicyError.of("E111.parameter", decl.span, name=decl.name))
            continue
        if len({v.type for v in decl.values}) > 1:
            errors.append(PolicyError.of("E112", decl.span, name=decl.name))
        params[decl.name] = tuple(ir.ConstTerm(v.type, v.value) for v in decl.values)
    # The header's 施行日期 is usable as 【施行日期】, so a fork changes it in one place.
    if effective and "施行日期" not in params:
        params["施行日期"] = (ir.ConstTerm("日期", effective),)
    return params


def _definitions(source: syntax.PolicySource, params: Mapping[str, object],
                 errors: list[PolicyError]) -> dict[str, syntax.Definition]:
    definitions: dict[str, syntax.Definition] = {}
    for definition in source.definitions:
        if definition.name in definitions or definition.name in params:
            errors.append(PolicyError.of("E111.definition", definition.span, name=definition.name))
            continue
        definitions[definition.name] = definition
    return definitions


def _articles(source: syntax.PolicySource, errors: list[PolicyError]) -> list[tuple[ir.ArticleInfo, syntax.Article]]:
    # After merging a fork these are gone; what is left was written without a base to change.
    for node in (*source.repeals, *(a for a in source.articles if a.amends),
                 *source.rule_amendments, *source.rule_repeals):
        errors.append(PolicyError.of("E180", node.span))
    for entry in source.numbering:
        errors.append(PolicyError.of("E195", entry.span))
    result: list[tuple[ir.ArticleInfo, syntax.Article]] = []
    seen: set[Number] = set()
    for node in source.articles:
        number = parse_article_label(node.label)
        if number is None:
            errors.append(PolicyError.of("E113", node.span, text=node.label))
            continue
        label = article_label(*number)
        if number in seen:
            errors.append(PolicyError.of("E114", node.span, article=label, label=label))
            continue
        if not node.text:
            errors.append(PolicyError.of("E115", node.span, article=label, label=label))
        for erratum in node.errata:
            if erratum.corrected not in "\n".join(node.text):
                errors.append(PolicyError.of("E116", erratum.span, article=label, corrected=erratum.corrected, label=label))
        info = ir.ArticleInfo(number[0], number[1], label, node.title, node.text, node.chapter, node.declarative, node.span,
                              tuple((e.source, e.corrected) for e in node.errata))
        seen.add(number)
        result.append((info, node))
    return result
