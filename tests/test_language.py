"""engine/language.py is the one definition of the language: the grammar, the tools and the page
take their words from it. These tests hold each of them to it."""
from __future__ import annotations

import json
import re

from engine import language
from helpers import ROOT
from engine.parser import build_parser, grammar_keyword_groups


def _alternatives(pattern: str) -> set[str]:
    """The words of a Lark terminal built from string literals: (?:个工作日|工作日|万元|…)."""
    body = pattern.removeprefix("(?:").removesuffix(")")
    return {re.sub(r"\\(.)", r"\1", word) for word in body.split("|")}


def test_the_grammar_s_word_terminals_are_the_definition_s():
    terminals = {t.name: t.pattern for t in build_parser(("合同.签订日期",)).terminals}
    for name, words in language.TERMINAL_WORDS.items():
        pattern = terminals[name]
        assert (_alternatives(pattern.value) if pattern.type == "re" else {pattern.value}) == set(words), name


def test_the_grammar_s_pattern_terminals_are_the_definition_s():
    terminals = {t.name: t.pattern.value for t in build_parser(("合同.签订日期",)).terminals}
    for name, pattern in language.TERMINAL_PATTERNS.items():
        assert terminals[name] == pattern, name


def test_every_word_the_grammar_accepts_is_defined_with_its_role():
    assert {name: set(words) for name, words in grammar_keyword_groups().items()} == \
           {name: set(words) for name, words in language.keyword_groups().items()}
    roles = language.keyword_roles()
    assert all(roles[word] for words in grammar_keyword_groups().values() for word in words)


def test_kinds_are_ordered_and_the_breaches_are_violation_and_consequence():
    assert language.KIND_ORDER == ("不适用", "违规", "后果", "警示", "待办", "无法判定", "提示")
    assert language.BREACH_KINDS == {"违规", "后果"}
    assert language.UNDECIDED not in language.WRITTEN_KINDS
    assert len({k.css for k in language.FINDING_KINDS}) == len(language.FINDING_KINDS)


NEGATION = {"<": ">=", ">=": "<", ">": "<=", "<=": ">", "==": "!=", "!=": "==", "in": "not-in", "not-in": "in",
            "all": "lacks", "lacks": "all", "any": "none", "none": "any", "filled": "empty", "empty": "filled"}


def test_every_keyword_s_opposite_is_a_keyword_of_its_group_meaning_the_negation():
    """Did-you-mean's promise (never the opposite sense) rests on these opposites being right."""
    for group in (language.COMPARISONS, language.LIST_TESTS, language.PRESENCE):
        meanings = {k.word: k.meaning for k in group}
        for keyword in group:
            assert meanings[keyword.opposite] == NEGATION[keyword.meaning], keyword.word


def test_the_report_schema_lists_the_kinds_and_conclusions_of_the_definition():
    schema = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["发现"]["properties"]["类别"]["enum"] == list(language.KIND_ORDER)
    conclusions = [name for name, _ in language.CONCLUSIONS] + [language.COMPLIANT]
    assert schema["$defs"]["报告"]["properties"]["结论"]["enum"] == conclusions


def test_the_page_has_a_style_for_every_kind():
    css = (ROOT / "engine" / "workbench" / "static" / "app.css").read_text(encoding="utf-8")
    assert all(f".{kind.css} " in css for kind in language.FINDING_KINDS)


def test_staff_words_are_no_keyword_and_name_one_meaning():
    keywords = set(language.all_keywords())
    seen: dict[str, str] = {}
    for keyword in language.MEANINGFUL_KEYWORDS:
        for word in keyword.staff_words:
            assert word not in keywords, word
            assert seen.setdefault(word, keyword.word) == keyword.word, word


def test_units_derive_the_money_and_duration_tables():
    assert language.MONEY_UNITS["万元"] == 10_000
    assert language.DURATION_UNITS["年"] == ("月", 12)
    assert language.DURATION_UNITS["个工作日"] == ("工作日", 1)
    assert set(language.DURATION_BASES) == {"月", "日", "工作日"}
