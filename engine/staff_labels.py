"""Staff labels: how the things a report names read for the bureau staff who sign it.

A report (report.Report) names an article by its label, a fact by its key path and a date in ISO
form, because scripts read its JSON. Staff read a regulation's citation — 「《金乡县政务信息化项目
建设管理办法》第二十八条第二款」 —, a fact as 「实施 › 变更 第1项 › 事先申请」 with the vocabulary's
own description of the field, and dates as 2025年4月24日. This module derives those readings from
the policy (its articles' paragraphs and items) and the facts vocabulary; it changes nothing in
the report itself, so the JSON contract (docs/report.md) stays as it is.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from . import ir
from .text import parse_chinese_number, to_chinese_number
from .vocabulary import Vocabulary

SEPARATOR = " › "
_ISO_DATE = re.compile(r"(?<![0-9])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])")
# An enumerated item (项) of a paragraph opens with （一）, （二） … (the gazette's way of numbering them).
_ITEM_MARK = re.compile(r"[（(]([一二三四五六七八九十]+)[）)]")
_INDEX = re.compile(r"\[([0-9]+)\]")


def date_in_words(day: dt.date) -> str:
    """2025-04-24 → 2025年4月24日, as a bureau document writes a date."""
    return f"{day.year}年{day.month}月{day.day}日"


def dates_in_words(text: str) -> str:
    """Every ISO date inside a shown value (「2025-04-24」, 「2026-06-01、2026-12-01」) in words."""
    return _ISO_DATE.sub(lambda m: f"{int(m[1])}年{int(m[2])}月{int(m[3])}日", text)


@dataclass(frozen=True, slots=True)
class FactLabel:
    """A fact as staff read it: 「实施 › 变更 第2项 › 日期」 and, where the vocabulary has one that says
    more than the name, its description (「发生较大变化（作出变更）的日期」)."""

    text: str
    description: str = ""


def clause_of(article: ir.ArticleInfo, quote: str) -> str:
    """Where in its article a rule's quoted sentence stands: 「第二款」, 「第一款第三项」 or 「第三项」;
    empty when the article is one paragraph without items or the quote spans more than one of them.
    Each line of 原文 is one 款, as the gazette prints them; items open with （一）."""
    paragraphs = [p for p in article.text if p.strip()]
    found = [(index, p) for index, p in enumerate(paragraphs) if quote and quote in p]
    if len(found) != 1:
        return ""
    index, paragraph = found[0]
    clause = f"第{to_chinese_number(index + 1)}款" if len(paragraphs) > 1 else ""
    return clause + _item_of(paragraph, paragraph.index(quote), len(quote))


def _item_of(paragraph: str, start: int, length: int) -> str:
    marks = list(_ITEM_MARK.finditer(paragraph))
    for mark, following in zip(marks, [*marks[1:], None]):
        end = following.start() if following else len(paragraph)
        if mark.start() <= start and start + length <= end:
            try:
                return f"第{to_chinese_number(parse_chinese_number(mark[1]))}项"
            except ValueError:
                return ""
    return ""


class StaffLabels:
    """The readings of one policy and its vocabulary; built once per compiled policy and shared."""

    def __init__(self, policy: ir.Policy, vocabulary: Vocabulary) -> None:
        self.policy = policy
        self.vocabulary = vocabulary
        self._articles = {article.label: article for article in policy.articles}
        self._paths = _path_pattern(vocabulary)

    @property
    def policy_title(self) -> str:
        """「《金乡县政务信息化项目建设管理办法》」"""
        return f"《{self.policy.meta.name}》"

    def policy_in_words(self, name: str, number: str) -> str:
        """The measures a report was judged under (its 办法 and 文号), as a document cites them:
        「《金乡县政务信息化项目建设管理办法》（金政字〔2024〕80号，2024年12月12日起施行）」. The dates
        are this policy's, told only when the 文号 is this policy's (a register report may be older)."""
        meta = self.policy.meta
        dates = []
        if number == meta.number:
            if meta.issued and meta.issued != meta.effective:
                dates.append(f"{date_in_words(meta.issued)}发布")
            if meta.effective:
                dates.append(f"{date_in_words(meta.effective)}起施行")
        return f"《{name}》（{'，'.join([number, *dates])}）"

    def clause(self, article_label: str, quote: str) -> str:
        """「第二十八条」 or 「第三十条第二款」: the article and, where the quote has one, its 款 and 项."""
        article = self._articles.get(article_label)
        return article_label + (clause_of(article, quote) if article is not None else "")

    def citation(self, article_label: str, quote: str) -> str:
        """「《金乡县政务信息化项目建设管理办法》第三十条第二款」"""
        return self.policy_title + self.clause(article_label, quote)

    def fact(self, key: str) -> FactLabel:
        """A 依据 or 缺少 key as staff read it. A key path (实施.变更[1].日期) becomes 「实施 › 变更 第2项 ›
        日期」 with its description; a computed value's label (项目.总预算×5%, 预算.实际支出超出项目.总预算)
        has each path inside it read so, in 「」; a report's own terms (截止日期, 评估日期, 施行日期) and a
        finding referred to (第二十八条（规则28.2）) are kept as they are."""
        whole = self._paths.fullmatch(key) if self._paths else None
        if whole:
            spec = self.vocabulary.get(key) or self.vocabulary.item_field(_INDEX.sub("", key))
            description = spec.description if spec is not None else ""
            return FactLabel(_path_in_words(key), "" if _says_no_more(description, key) else description)
        # Inside a longer label each path is set off in 「」, so 「预算 › 实际支出」超出「项目 › 总预算」 reads as two facts.
        text = self._paths.sub(lambda m: f"「{_path_in_words(m[0])}」", key) if self._paths else key
        return FactLabel(text)

    def value(self, shown: str) -> str:
        """A shown value in words: its dates (2025年4月24日) and any path inside it
        (「40万元，为「项目 › 总预算」的7.69%」)."""
        shown = dates_in_words(shown)
        return self._paths.sub(lambda m: f"「{_path_in_words(m[0])}」", shown) if self._paths else shown


def staff_labels(compiled) -> StaffLabels:
    """The labels of a compiled policy (policy.CompiledPolicy)."""
    return StaffLabels(compiled.ir, compiled.vocabulary)


def _path_in_words(path: str) -> str:
    parts = []
    for segment in path.split("."):
        name, _, index = segment.partition("[")
        parts.append(f"{name} 第{int(index.rstrip(']')) + 1}项" if index else name)
    return SEPARATOR.join(parts)


def _says_no_more(description: str, key: str) -> bool:
    """A description that only repeats the path's words (项目.名称: 「项目名称」) is not shown."""
    words = [w for w in re.split(r"[.\[\]0-9]+", key) if w]
    plain = re.sub(r"[\s，。、；：（）]", "", description)
    return not plain or plain in ("".join(words), "".join(words[1:]), words[-1] if words else "")


@lru_cache(maxsize=8)
def _path_pattern(vocabulary: Vocabulary) -> re.Pattern | None:
    """Every key path of the vocabulary with two or more parts (a record's index allowed after any
    part but the last), longest first, so 「验收.投入使用日期下一周年日」 finds 验收.投入使用日期."""
    paths = sorted((p for p in vocabulary.policy_paths() if "." in p), key=len, reverse=True)
    if not paths:
        return None
    alternatives = (r"(?:\[[0-9]+\])?\.".join(re.escape(part) for part in path.split(".")) for path in paths)
    return re.compile("|".join(alternatives))
