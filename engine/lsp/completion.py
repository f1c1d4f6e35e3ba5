"""Completion: 【parameters and 认定】 after 【, article numbers after 第 (and after 违反, 存在,
修改, 废止), and otherwise the keywords and field names that start like the text before the caret.

Chinese has no spaces between words (若合同.签订日期早于…), so the text being completed is, for
each candidate, the longest tail of the text before the caret that begins the candidate; the
item's edit replaces exactly that tail.
"""
from __future__ import annotations

import re

from lsprotocol import types

from engine import language
from engine.vocabulary import FieldSpec

from .analysis import Analysis
from .index import ARTICLE, DEFINITION, PARAMETER, article_key
from .language import all_keywords

_OPEN_NAME = re.compile(r"【([^】]*)$")
_ARTICLE_START = re.compile(f"第[{language.NUMERALS}0-9]*$")
_ARTICLE_AFTER = re.compile(r"(违反|存在|修改|废止)[ \t]*$")
_MAX_TAIL = 24


def complete(analysis: Analysis, line: str, column: int) -> list[types.CompletionItem]:
    before, after = line[:column], line[column:]
    stripped = before.lstrip()
    if stripped.startswith((">", "＞", "#", "＃")) or "#" in before or _inside_quote(before):
        return []  # 原文, comments and quoted text are the author's own words
    position = types.Position(0, column)  # the line number is filled in by the server
    name = _OPEN_NAME.search(before)
    if name:
        return _names(analysis, column - len(name.group(1)), column, position, closed=after.startswith("】"))
    article = _ARTICLE_START.search(before)
    if article:
        return _articles(analysis, column - len(article.group(0)), position)
    if _ARTICLE_AFTER.search(before):
        return _articles(analysis, column, position)
    return _words(analysis, before, position)


def _inside_quote(before: str) -> bool:
    for opening, closing in (("“", "”"), ("「", "」")):
        if before.rfind(opening) > before.rfind(closing):
            return True
    return before.count('"') % 2 == 1


def _edit(start: int, position: types.Position, text: str) -> types.TextEdit:
    return types.TextEdit(types.Range(types.Position(position.line, start), position), text)


def _names(analysis: Analysis, start: int, column: int, position: types.Position, closed: bool) -> list[types.CompletionItem]:
    items = []
    params = analysis.policy.params if analysis.policy else {}
    for kind, names in ((PARAMETER, [*analysis.index.names(PARAMETER), *params]), (DEFINITION, analysis.index.names(DEFINITION))):
        for name in dict.fromkeys(names):
            items.append(types.CompletionItem(
                label=name, kind=types.CompletionItemKind.Constant if kind == PARAMETER else types.CompletionItemKind.Function,
                detail=kind, filter_text=name, text_edit=_edit(start, position, name if closed else f"{name}】")))
    return items


def _articles(analysis: Analysis, start: int, position: types.Position) -> list[types.CompletionItem]:
    titles = {}
    if analysis.source is not None:
        titles = {article_key(a.label): a.title for a in analysis.source.articles}
    return [types.CompletionItem(label=label, kind=types.CompletionItemKind.Reference, detail=titles.get(label, ""),
                                 filter_text=label, sort_text=f"{number:04d}", text_edit=_edit(start, position, label))
            for number, label in enumerate(analysis.index.names(ARTICLE))]


def _words(analysis: Analysis, before: str, position: types.Position) -> list[types.CompletionItem]:
    at_word_start = not before or not re.match(r"[\w.]", before[-1])
    tail = before[-_MAX_TAIL:]
    items = []
    candidates = [(word, types.CompletionItemKind.Keyword, what, None) for word, what in all_keywords()]
    candidates += [(path, types.CompletionItemKind.Field, _field_detail(spec), spec) for path, spec in _fields(analysis)]
    for text, kind, detail, spec in candidates:
        typed = typed_part(tail, text)
        if not typed and not at_word_start:
            continue
        items.append(types.CompletionItem(
            label=text, kind=kind, detail=detail, filter_text=text,
            documentation=_field_documentation(spec) if spec else None,
            sort_text=("0" if kind == types.CompletionItemKind.Field else "1") + text,
            text_edit=_edit(position.character - len(typed), position, text)))
    return items


def typed_part(tail: str, candidate: str) -> str:
    """The longest end of `tail` that begins `candidate` (合同.签 for 合同.签订日期 after 若合同.签)."""
    for start in range(max(0, len(tail) - len(candidate)), len(tail)):
        if candidate.startswith(tail[start:]):
            return tail[start:]
    return ""


def _fields(analysis: Analysis) -> list[tuple[str, FieldSpec]]:
    vocabulary = analysis.vocabulary
    return [(path, vocabulary.get(path) or vocabulary.item_field(path)) for path in vocabulary.policy_paths()]


def _field_detail(spec: FieldSpec | None) -> str:
    if spec is None:
        return "字段"
    return f"{spec.type}（{spec.unit}）" if spec.unit else spec.type


def _field_documentation(spec: FieldSpec) -> types.MarkupContent:
    lines = [spec.description or spec.path]
    if spec.words:
        lines.append(f"可选：{'、'.join(spec.words)}")
    return types.MarkupContent(types.MarkupKind.Markdown, "\n\n".join(lines))
