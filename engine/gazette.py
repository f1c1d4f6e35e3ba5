"""Reading a gazette text as staff get it: the official measures, copied from a PDF or a web page.

The input of `draft` (engine/draft.py). A gazette text has a header (the notice, its 文号 and date),
the measures' title, chapters (第一章 总则) and articles (第一条 …) numbered in Chinese numerals,
and artefacts of its layout: page numbers (— 3 —), form feeds, a paragraph broken across a page,
full-width digits. This module turns it into a `GazetteText`: the header and the articles, each
with its paragraphs as the gazette wrote them (only the layout artefacts removed), so that the
paragraphs can become the 原文 of a policy word for word.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import language
from .text import fold_fullwidth, parse_chinese_number

_NUMERAL = language.NUMERALS
_ARTICLE_START = re.compile(rf"^第([{_NUMERAL}0-9０-９]+)条(?:之([{_NUMERAL}]+))?(?:[ \t\u3000]+|(?=\S))")
_CHAPTER = re.compile(rf"^第([{_NUMERAL}0-9]+)章[ \t\u3000]*(.*)$")
# Page furniture: "— 3 —", "-3-", "第 3 页 共 9 页", a lone number, a form feed.
_PAGE_LINE = re.compile(r"^[\s\u3000]*(?:[-—–－]\s*[0-9０-９]+\s*[-—–－]|第\s*[0-9０-９]+\s*页(?:\s*[，,]?\s*共\s*[0-9０-９]+\s*页)?|[0-9０-９]{1,3})[\s\u3000]*$")
_DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}(?:字|发|办)?〔\d{4}〕\d+号")
_CN_DATE = re.compile(rf"([0-9{_NUMERAL}]{{4}})\s*年\s*([0-9{_NUMERAL}]{{1,3}})\s*月\s*([0-9{_NUMERAL}]{{1,3}})\s*日")
_IN_FORCE = re.compile(rf"自\s*({_CN_DATE.pattern})\s*起施行")
_MEASURES_TITLE = re.compile(r"^[\u4e00-\u9fff（）()]{4,40}(?:办法|规定|细则|规则)$")
_SPACES = re.compile(r"[ \t\u3000]+")
_SENTENCE_END = "。；：！？”」）"


@dataclass(frozen=True, slots=True)
class GazetteArticle:
    number: int
    sub: int
    chapter: str  # 第二章 项目评审, as the gazette wrote it (spaces inside the title collapsed)
    paragraphs: tuple[str, ...]  # the article's paragraphs, the first one starting with 第N条
    line: int  # where the article starts in the input, for the alignment report

    @property
    def body(self) -> str:
        """The article's text without its number, paragraphs joined: what alignment compares."""
        first = _ARTICLE_START.sub("", self.paragraphs[0], count=1)
        return "".join((first, *self.paragraphs[1:]))


@dataclass(frozen=True, slots=True)
class GazetteText:
    title: str
    document_number: str
    issued: dt.date | None
    in_force: dt.date | None
    articles: tuple[GazetteArticle, ...]
    text: str  # the cleaned text: layout artefacts removed, one paragraph per line


def read_gazette(raw: str) -> GazetteText:
    lines = _paragraphs(raw)
    articles: list[GazetteArticle] = []
    chapter = ""
    title = ""
    current: dict | None = None
    for number, line in lines:
        if chapter_match := _CHAPTER.match(fold_fullwidth(line)):
            chapter_title = _SPACES.sub(" ", chapter_match.group(2)).strip()
            chapter = f"第{chapter_match.group(1)}章 {chapter_title}".strip()
            current = None
            continue
        if article_match := _ARTICLE_START.match(line):
            try:
                article_number = parse_chinese_number(fold_fullwidth(article_match.group(1)))
                sub = parse_chinese_number(article_match.group(2)) if article_match.group(2) else 0
            except ValueError:
                article_number = None
            if article_number is not None:
                current = {"number": article_number, "sub": sub, "chapter": chapter, "paragraphs": [line], "line": number}
                articles.append(current)  # type: ignore[arg-type]
                continue
        if current is not None:
            current["paragraphs"].append(line)
        elif not articles and _MEASURES_TITLE.match(line.replace(" ", "")):
            title = line.replace(" ", "")
    built = tuple(GazetteArticle(a["number"], a["sub"], a["chapter"], tuple(a["paragraphs"]), a["line"]) for a in articles)
    first_article_line = built[0].line if built else len(lines) + 1
    header = "\n".join(line for number, line in lines if number < first_article_line)
    return GazetteText(
        title=title or _title_from_notice(raw),
        document_number=_first(_DOCUMENT_NUMBER, fold_fullwidth(header)),
        issued=_issue_date(lines, built),
        in_force=_in_force(built),
        articles=built,
        text="\n".join(line for _, line in lines) + "\n",
    )


def _paragraphs(raw: str) -> list[tuple[int, str]]:
    """(input line number, paragraph), with page furniture dropped and a paragraph that a page break cut
    in two joined again: a line that does not end a sentence continues on the next non-empty line when
    a page break (form feed or page-number line) stood between them."""
    result: list[tuple[int, str]] = []
    pending_break = False
    for number, original in enumerate(raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        pieces = original.split("\f")
        for index, piece in enumerate(pieces):
            if index:
                pending_break = True
            line = piece.strip(" \t\u3000")
            if not line:
                continue
            if _PAGE_LINE.match(line):
                pending_break = True
                continue
            starts_new = bool(_ARTICLE_START.match(line) or _CHAPTER.match(fold_fullwidth(line)))
            if pending_break and result and not starts_new and result[-1][1][-1] not in _SENTENCE_END:
                result[-1] = (result[-1][0], result[-1][1] + line)
            else:
                result.append((number, line))
            pending_break = False
    return result


def _first(pattern: re.Pattern, text: str) -> str:
    match = pattern.search(text)
    return match.group(0) if match else ""


def _title_from_notice(raw: str) -> str:
    match = re.search(r"《([^》]{4,40}(?:办法|规定|细则))》", raw)
    return match.group(1) if match else ""


def parse_gazette_date(text: str) -> dt.date | None:
    """2025年6月1日 or 二〇二五年六月一日 → a date; None when it is not a real date."""
    match = _CN_DATE.search(fold_fullwidth(text))
    if not match:
        return None
    year_text = match.group(1)
    try:
        year = int(year_text) if year_text.isdigit() else int("".join(str(parse_chinese_number(ch)) for ch in year_text))
        month, day = (int(g) if g.isdigit() else parse_chinese_number(g) for g in (match.group(2), match.group(3)))
        return dt.date(year, month, day)
    except ValueError:
        return None


def _issue_date(lines: list[tuple[int, str]], articles: tuple[GazetteArticle, ...]) -> dt.date | None:
    """The notice's date: the first date standing alone on a line before the first article."""
    first_article_line = articles[0].line if articles else 10**9
    for number, line in lines:
        if number >= first_article_line:
            break
        if _CN_DATE.fullmatch(fold_fullwidth(line)):
            return parse_gazette_date(line)
    return None


def _in_force(articles: tuple[GazetteArticle, ...]) -> dt.date | None:
    for article in reversed(articles):
        match = _IN_FORCE.search(fold_fullwidth(article.body))
        if match:
            return parse_gazette_date(match.group(1))
    return None
