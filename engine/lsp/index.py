"""Where every name of a policy is declared and used: fields, parameters, 认定, articles and rules,
with their spans, read from the merged syntax tree (so a fork's index also covers its base).

Nodes are visited with engine.syntax.walk, which follows every dataclass field: a node kind added
to the language later is indexed as long as it holds FieldRef, ParamRef or DerivedRef nodes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine import syntax
from engine.errors import Span
from engine.text import article_label, parse_article_label

FIELD, PARAMETER, DEFINITION, ARTICLE, RULE = "字段", "参数", "认定", "条", "规则"


@dataclass(frozen=True, slots=True)
class Occurrence:
    kind: str  # FIELD, PARAMETER, DEFINITION, ARTICLE or RULE
    name: str  # a field path, a name without 【】, an article label (第二十八条) or a rule id
    span: Span  # the name itself, not the clause around it
    declaration: bool = False
    owner: str = ""  # the rule (规则 28.2) or 认定 whose text holds it


def article_key(label: str) -> str:
    """第28条 and 第二十八条 are one article."""
    number = parse_article_label(label)
    return article_label(*number) if number else label


@dataclass
class SymbolIndex:
    occurrences: list[Occurrence] = field(default_factory=list)
    rule_articles: dict[str, str] = field(default_factory=dict)  # rule id → its article's label

    @classmethod
    def of(cls, source: syntax.PolicySource, own: syntax.PolicySource | None = None) -> "SymbolIndex":
        """`source` is the merged tree; `own`, for a fork, its own tree, whose 废止 and 条号对照 merging used up."""
        texts = dict(source.texts) or {source.file: source.text}
        builder = _Builder({name: text.split("\n") for name, text in texts.items()})
        for decl in source.params:
            builder.name_declaration(PARAMETER, decl.name, decl.span)
        for definition in source.definitions:
            builder.name_declaration(DEFINITION, definition.name, definition.span)
            builder.uses(definition.condition, f"认定【{definition.name}】")
        for article in source.articles:
            builder.add(ARTICLE, article_key(article.label), builder.find(article.label, article.span), declaration=True)
            for rule in article.rules:
                builder.rule_articles[rule.rule_id] = article_key(article.label)
                builder.add(RULE, rule.rule_id, builder.find(rule.rule_id, rule.span), declaration=True)
                builder.uses(rule, f"规则 {rule.rule_id}")
        for repeal in (*source.repeals, *(own.repeals if own else ())):
            builder.add(ARTICLE, article_key(repeal.label), builder.find(repeal.label, repeal.span))
        for rule_repeal in own.rule_repeals if own else ():
            builder.add(RULE, rule_repeal.rule_id, builder.find(rule_repeal.rule_id, rule_repeal.span))
        for entry in own.numbering if own else ():
            # The old number is the base's article; the new one is the county's, in the merged policy.
            old = builder.find(entry.old, entry.span)
            builder.add(ARTICLE, article_key(entry.old), old)
            after = Span(entry.span.file, old.end_line, old.end_column, entry.span.end_line, entry.span.end_column)
            builder.add(ARTICLE, article_key(entry.new), builder.find(entry.new, after), owner="条号对照")
        return cls(builder.found, builder.rule_articles)

    def at(self, path: Path, line: int, column: int) -> Occurrence | None:
        """The name at a position (lines and columns from 1, as in spans); the narrowest if nested."""
        hits = [o for o in self.occurrences if _contains(o.span, line, column) and Path(o.span.file).resolve() == path]
        return min(hits, key=lambda o: (o.span.end_line - o.span.line, o.span.end_column - o.span.column), default=None)

    def declarations(self, kind: str, name: str) -> list[Occurrence]:
        return [o for o in self.occurrences if o.declaration and o.name == name and _same_kind(o.kind, kind)]

    def uses(self, kind: str, name: str) -> list[Occurrence]:
        return [o for o in self.occurrences if not o.declaration and o.name == name and _same_kind(o.kind, kind)]

    def names(self, kind: str) -> list[str]:
        return list(dict.fromkeys(o.name for o in self.occurrences if o.declaration and o.kind == kind))


def _same_kind(a: str, b: str) -> bool:
    # 【…】 is one namespace: a use cannot tell a parameter from a 认定 until it is resolved.
    return a == b or {a, b} <= {PARAMETER, DEFINITION}


def _contains(span: Span, line: int, column: int) -> bool:
    return (span.line, span.column) <= (line, column) <= (span.end_line, span.end_column)


class _Builder:
    def __init__(self, lines: dict[str, list[str]]) -> None:
        self.lines = lines
        self.found: list[Occurrence] = []
        self.rule_articles: dict[str, str] = {}

    def add(self, kind: str, name: str, span: Span, declaration: bool = False, owner: str = "") -> None:
        self.found.append(Occurrence(kind, name, span, declaration, owner))

    def find(self, word: str, around: Span) -> Span:
        """The span of `word` written inside `around` (a clause whose nodes do not keep the word's own position)."""
        lines = self.lines.get(around.file, [])
        for number in range(around.line, min(around.end_line, len(lines)) + 1):
            text = lines[number - 1]
            start = text.find(word, around.column - 1 if number == around.line else 0)
            if start >= 0:
                return Span(around.file, number, start + 1, number, start + 1 + len(word))
        return Span(around.file, around.line, around.column, around.line, around.column + len(word))

    def name_declaration(self, kind: str, name: str, span: Span) -> None:
        self.add(kind, name, self.find(f"【{name}】", span), declaration=True)

    def uses(self, node, owner: str) -> None:
        for item in syntax.walk(node):
            match item:
                case syntax.FieldRef(path=path, span=span):
                    self.add(FIELD, path, span, owner=owner)
                case syntax.ParamRef(name=name, span=span):
                    self.add(PARAMETER, name, span, owner=owner)
                case syntax.DerivedRef(name=name, span=span):
                    self.add(DEFINITION, name, span, owner=owner)
                case syntax.FindingRef(article=label, span=span):
                    self.add(ARTICLE, article_key(label), self.find(label, span), owner=owner)
                case syntax.ExceptionBody(targets=rule_ids, span=span) | syntax.RuleFindingRef(rule_ids=rule_ids, span=span):
                    for rule_id in rule_ids:  # written one after another: 例外 6.2、16.1 / 违反规则 28.3、33.1
                        found = self.find(rule_id, span)
                        self.add(RULE, rule_id, found, owner=owner)
                        span = Span(span.file, found.end_line, found.end_column, span.end_line, span.end_column)
