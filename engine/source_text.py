"""The source copy of the regulation's text (e.g. policies/jinxiang_2024.source.txt), split into
articles, so a policy's 原文 can be compared with it character for character."""
from __future__ import annotations

import re
from pathlib import Path

from . import language
from .policy_files import read_text_file

PAGE_BREAK = "〔分页〕"  # how an erratum writes a page break of the source copy
_ARTICLE = re.compile(f"^(第[{language.NUMERALS}]+条(?:之[{language.NUMERALS}]+)?)\\s?(.*)$")
_CHAPTER = re.compile(f"^第[{language.NUMERALS}]+章\\s")


def source_articles(text: str) -> dict[str, list[str]]:
    """Article label → its paragraphs (non-blank lines; a page break also shows as a blank line)."""
    articles: dict[str, list[str]] = {}
    current = None
    for line in text.split("\n"):
        heading = _ARTICLE.match(line)
        if _CHAPTER.match(line):
            current = None
        elif heading:
            current = heading.group(1)
            articles[current] = [heading.group(2)]
        elif current and line.strip():
            articles[current].append(line)
    return articles


def corrected_text(paragraphs: list[str], errata: tuple[tuple[str, str], ...]) -> tuple[str, list[str]]:
    """The source text of one article with its errata applied, and the errata that did not match."""
    text = "\n".join(paragraphs)
    unmatched = []
    for damaged, corrected in errata:
        damaged_text = damaged.replace(PAGE_BREAK, "\n")
        if damaged_text in text:
            text = text.replace(damaged_text, corrected)
        else:
            unmatched.append(damaged)
    return text, unmatched


def read_source(policy_file: Path, name: str) -> str | None:
    """The source copy named by a policy's 原文出处, which must lie inside the policy's folder."""
    folder = policy_file.resolve().parent
    path = (folder / name).resolve()
    if folder not in path.parents or not path.is_file():
        return None
    return read_text_file(path)  # the same reader as the policy's; raises UnreadableFile
