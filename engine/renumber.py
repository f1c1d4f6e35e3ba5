"""A fork's own article numbers (条号对照): the base's articles as the county's text numbers them.

Stage 1½, inside inherit.py's merge: before a fork's changes are applied, its numbering table is
applied to the base's syntax tree. `第二十七条 改为 第二十六条` gives the base's 第二十七条 the
county's number: the article's label, its rules' ids (27.1 → 26.1), and every reference to it
(违反第二十七条, 违反规则 27.1, 例外 27.1) follow, so findings, explanations and scenario tags cite the county's own
number while the rules and their source lines stay the base's. `第二十八条 并入 第二十六条` moves
the base's 第二十八条 rules into the county's 第二十六条 (numbered after its own) and drops the
article. The fork's own 修改/废止 then speak of the county's numbers.
"""
from __future__ import annotations

import dataclasses
from dataclasses import replace

from . import syntax
from .errors import ErrorCollector, PolicyError
from .text import article_label, parse_article_label

Number = tuple[int, int]


def apply_numbering(base: syntax.PolicySource, table: tuple[syntax.Renumbering, ...],
                    errors: ErrorCollector) -> syntax.PolicySource:
    if not table:
        return base
    articles = {parse_article_label(a.label): a for a in base.articles}
    moves: dict[Number, Number] = {}
    merges: dict[Number, Number] = {}
    for entry in table:
        old, new = parse_article_label(entry.old), parse_article_label(entry.new)
        if old not in articles:
            errors.add(PolicyError.of("E190", entry.span, label=entry.old))
            continue
        if old in moves or old in merges:
            errors.add(PolicyError.of("E191", entry.span, label=entry.old))
            continue
        (merges if entry.merge else moves)[old] = new
    rule_ids: dict[str, str] = {}
    renamed: dict[Number, syntax.Article] = {}
    for number, article in articles.items():
        if number in merges:
            continue
        target = moves.get(number, number)
        rules = []
        for index, rule in enumerate(article.rules, start=1):
            new_id = _rule_id(target, _rule_suffix(rule.rule_id, index))
            rule_ids[rule.rule_id] = new_id
            rules.append(replace(rule, rule_id=new_id))
        renamed[target] = replace(article, label=article_label(*target), rules=tuple(rules))
    for number, target in merges.items():
        host = renamed.get(target)
        if host is None:
            errors.add(PolicyError.of("E192", _entry_for(table, number).span, label=article_label(*target)))
            continue
        moved = []
        for offset, rule in enumerate(articles[number].rules, start=len(host.rules) + 1):
            new_id = _rule_id(target, str(offset))
            rule_ids[rule.rule_id] = new_id
            moved.append(replace(rule, rule_id=new_id))
        renamed[target] = replace(host, rules=(*host.rules, *moved))
    label_map = {article_label(*old): article_label(*new) for old, new in {**moves, **merges}.items()}
    if len(renamed) != len(articles) - len(merges):
        errors.add(PolicyError.of("E193", table[0].span, labels=_duplicates(articles, moves, merges)))
    mapped = tuple(_remap(article, label_map, rule_ids) for _, article in sorted(renamed.items()))
    definitions = tuple(_remap(d, label_map, rule_ids) for d in base.definitions)
    return replace(base, articles=mapped, definitions=definitions)


def check_contiguous(articles: tuple[syntax.Article, ...], table: tuple[syntax.Renumbering, ...],
                     errors: ErrorCollector) -> None:
    """A fork that states its own numbering numbers its articles 第一条, 第二条, … with no gap."""
    if not table:
        return
    numbers = sorted(n for n in (parse_article_label(a.label) for a in articles) if n is not None and n[1] == 0)
    missing = [article_label(n) for n in range(1, (numbers[-1][0] if numbers else 0) + 1) if (n, 0) not in numbers]
    if missing:
        errors.add(PolicyError.of("E194", table[0].span, labels="、".join(missing[:10])))


def _rule_suffix(rule_id: str, index: int) -> str:
    return rule_id.rsplit(".", 1)[1] if "." in rule_id else str(index)


def _rule_id(number: Number, suffix: str) -> str:
    main, sub = number
    return f"{main}{'之' + str(sub) if sub else ''}.{suffix}"


def _entry_for(table, number: Number) -> syntax.Renumbering:
    return next(e for e in table if parse_article_label(e.old) == number)


def _duplicates(articles, moves, merges) -> str:
    seen: dict[Number, list[str]] = {}
    for number in articles:
        if number in merges:
            continue
        seen.setdefault(moves.get(number, number), []).append(article_label(*number))
    clashes = [f"{article_label(*target)}（{'、'.join(old)}）" for target, old in seen.items() if len(old) > 1]
    return "、".join(clashes)


def _remap(node, labels: dict[str, str], rule_ids: dict[str, str]):
    """The node with every article reference and rule id renumbered (a generic walk over the frozen
    syntax dataclasses, so a new node kind that holds a reference is not silently skipped: references
    live only in FindingRef, RuleFindingRef and ExceptionBody, all handled here)."""
    match node:
        case syntax.FindingRef():
            number = parse_article_label(node.article)
            written = article_label(*number) if number else node.article
            return replace(node, article=labels.get(written, written))
        case syntax.RuleFindingRef():
            return replace(node, rule_ids=tuple(rule_ids.get(r, r) for r in node.rule_ids))
        case syntax.ExceptionBody():
            return replace(node, condition=_remap(node.condition, labels, rule_ids),
                           targets=tuple(rule_ids.get(t, t) for t in node.targets))
        case tuple():
            return tuple(_remap(item, labels, rule_ids) for item in node)
        case _ if dataclasses.is_dataclass(node) and not isinstance(node, type):
            changes = {}
            for f in dataclasses.fields(node):
                if f.name in ("span", "quote_span") or not f.init:
                    continue
                value = getattr(node, f.name)
                new = _remap(value, labels, rule_ids)
                if new is not value:
                    changes[f.name] = new
            return replace(node, **changes) if changes else node
    return node
