"""Hover: what a name under the cursor is. A field: its type, unit, allowed words, description
and the articles whose rules read it. A parameter or 认定: its value or condition as written and
the rules that use it. An article or rule: its title, 原文, the rule's 依据 and any 释义."""
from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from engine import syntax
from engine.errors import Span

from .analysis import Analysis
from .diagnostics import lsp_range
from .index import ARTICLE, DEFINITION, FIELD, PARAMETER, RULE, Occurrence, article_key


def hover(analysis: Analysis, path: Path, line: int, column: int) -> types.Hover | None:
    occurrence = analysis.index.at(path, line, column)
    if occurrence is None:
        return None
    kind = occurrence.kind
    if kind == FIELD:
        text = _field(analysis, occurrence.name)
    elif kind in (PARAMETER, DEFINITION):
        text = _name(analysis, occurrence.name)
    elif kind == ARTICLE:
        text = _article(analysis, occurrence.name)
    elif kind == RULE:
        text = _rule(analysis, occurrence.name)
    else:
        raise AssertionError(f"an index kind without a hover: {kind}")
    if not text:
        return None
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, text), lsp_range(occurrence.span))


def span_text(analysis: Analysis, span: Span) -> str:
    texts = dict(analysis.source.texts) if analysis.source else {}
    lines = texts.get(span.file, "").split("\n")[span.line - 1:span.end_line]
    if not lines:
        return ""
    if len(lines) == 1:
        return lines[0][span.column - 1:span.end_column - 1]
    return "\n".join([lines[0][span.column - 1:], *lines[1:-1], lines[-1][:span.end_column - 1]])


def _users(analysis: Analysis, kind: str, name: str) -> list[Occurrence]:
    return [o for o in analysis.index.uses(kind, name) if o.owner]


def _articles_reading(analysis: Analysis, uses: list[Occurrence]) -> str:
    by_article: dict[str, list[str]] = {}
    for use in uses:
        rule_id = use.owner.removeprefix("规则 ")
        article = analysis.index.rule_articles.get(rule_id)
        if article:
            by_article.setdefault(article, [])
            if rule_id not in by_article[article]:
                by_article[article].append(rule_id)
        elif use.owner not in by_article:
            by_article[use.owner] = []
    return "；".join(f"{a}（规则 {'、'.join(r)}）" if r else a for a, r in by_article.items())


def _field(analysis: Analysis, path: str) -> str | None:
    spec = analysis.vocabulary.get(path) or analysis.vocabulary.item_field(path)
    if spec is None:
        return None
    kind = spec.type + (f"，以{spec.unit}计" if spec.unit else "") + ("，必填" if spec.required else "")
    if spec.event:
        kind += "，事件（未填表示尚未发生）"
    lines = [f"**{path}**　字段：{kind}"]
    if spec.description:
        lines.append(spec.description)
    if spec.words:
        lines.append(f"可选的词：{'、'.join(spec.words)}")
    if spec.record_fields:
        lines.append(f"每项的字段：{'、'.join(f.name for f in spec.record_fields)}")
    readers = _articles_reading(analysis, _users(analysis, FIELD, path))
    if readers:
        lines.append(f"读取它的条文：{readers}")
    elif spec.articles:
        lines.append(f"词汇表所列条文：{'、'.join(f'第{n}条' for n in spec.articles)}")
    return "\n\n".join(lines)


def _name(analysis: Analysis, name: str) -> str | None:
    declarations = analysis.index.declarations(PARAMETER, name)
    uses = _users(analysis, PARAMETER, name)
    if not declarations:
        if analysis.policy is None or name not in analysis.policy.params:
            return None
        lines = [f"**【{name}】**　参数，取自文件开头的「{name}」"]
    else:
        declaration = declarations[0]
        written = span_text(analysis, _declaration_span(analysis, declaration))
        what = "认定" if declaration.kind == DEFINITION else "参数"
        lines = [f"**【{name}】**　{what}", f"```\n{written.strip()}\n```", f"定义于 {declaration.span}"]
    lines.append(f"用到它的地方（{len(uses)} 处）：{_articles_reading(analysis, uses)}" if uses else "没有规则用到它")
    return "\n\n".join(lines)


def _declaration_span(analysis: Analysis, declaration: Occurrence) -> Span:
    """The whole 【name】 = … entry, from the syntax tree."""
    if analysis.source is not None:
        for node in (*analysis.source.params, *analysis.source.definitions):
            if node.name == declaration.name and node.span.file == declaration.span.file:
                return node.span
    return declaration.span


def _article_node(analysis: Analysis, label: str) -> syntax.Article | None:
    if analysis.source is None:
        return None
    return next((a for a in analysis.source.articles if article_key(a.label) == label), None)


def _article(analysis: Analysis, label: str) -> str | None:
    article = _article_node(analysis, label)
    if article is None:
        return f"**{label}**　本办法中没有这一条（可能已废止）"
    heading = f"**{label}**" + (f"（{article.title}）" if article.title else "")
    lines = [heading + (f"　{article.chapter}" if article.chapter else "")]
    lines += [f"> {paragraph}" for paragraph in article.text]
    lines.append("声明性条款" if article.declarative else f"{len(article.rules)} 条规则，写在 {article.span}")
    return "\n\n".join(lines)


def _rule(analysis: Analysis, rule_id: str) -> str | None:
    label = analysis.index.rule_articles.get(rule_id)
    article = _article_node(analysis, label) if label else None
    rule = next((r for r in article.rules if r.rule_id == rule_id), None) if article else None
    if rule is None:
        return f"**规则 {rule_id}**　本办法中没有这条规则"
    lines = [f"**规则 {rule_id}**　{label}" + (f"（{article.title}）" if article.title else ""), f"依据：“{rule.quote}”",
             "原文：", *[f"> {paragraph}" for paragraph in article.text]]
    lines[2:2] = _readings(rule)
    return "\n\n".join(lines)


def _readings(rule: syntax.Rule) -> list[str]:
    """The rule's 释义: the reading of the text it rests on."""
    return [f"释义：{reading.text}" for reading in rule.readings]
