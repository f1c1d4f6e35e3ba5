"""The policy file quotes the regulation verbatim: every article's 原文 equals the project's copy of
the source text, character for character, except for exactly five recorded errata (page breaks that
split a word, and one stray English "and"), which the policy file shows to its readers."""
from __future__ import annotations

import pytest

from engine.source_text import corrected_text, source_articles as split_articles
from helpers import ROOT
from engine.backend import Engine

SOURCE = ROOT / "policies" / "jinxiang_2024.source.txt"
# What the seed copy reads → what the gazette reads. Nothing else may differ.
EXPECTED_ERRATA = {
    "第二十条": [("环〔分页〕境影响评价", "环境影响评价")],
    "第二十六条": [("项目建设进度，〔分页〕按照年度预算安排", "项目建设进度，按照年度预算安排")],
    "第三十九条": [("定期开展〔分页〕网络与信息安全风险评估", "定期开展网络与信息安全风险评估")],
    "第四十条": [("有关资料 and 情况", "有关资料和情况")],
    "第四十二条": [("审〔分页〕计", "审计")],
}


def source_articles() -> dict[str, list[str]]:
    return split_articles(SOURCE.read_text(encoding="utf-8"))


def test_policy_has_all_46_articles_in_order(policy):
    assert [a.label for a in policy.ir.articles] == list(source_articles())
    assert len(policy.ir.articles) == 46


def test_errata_are_exactly_the_known_ones(policy):
    recorded = {a.label: [tuple(e) for e in a.errata] for a in policy.ir.articles if a.errata}
    assert recorded == EXPECTED_ERRATA


@pytest.mark.parametrize("label", list(source_articles()))
def test_article_text_is_verbatim(policy, label):
    article = next(a for a in policy.ir.articles if a.label == label)
    source, unmatched = corrected_text(source_articles()[label], tuple(EXPECTED_ERRATA.get(label, ())))
    assert not unmatched, f"errata {unmatched} do not match the source copy"
    assert "\n".join(article.text) == source


def test_a_changed_character_is_caught(policy, tmp_path):
    from engine.policy import load_policy
    text = (ROOT / "policies" / "jinxiang_2024.rules").read_text(encoding="utf-8")
    changed = tmp_path / "jinxiang_2024.rules"
    changed.write_text(text.replace("为进一步加强和规范", "为进一步强化和规范", 1), encoding="utf-8")
    article = next(a for a in load_policy(changed, backend=Engine.REFERENCE).ir.articles if a.label == "第一条")
    assert "\n".join(article.text) != "\n".join(source_articles()["第一条"])


def test_chapters_are_recorded(policy):
    chapters = list(dict.fromkeys(a.chapter for a in policy.ir.articles))
    assert chapters == ["第一章 总 则", "第二章 项目评审", "第三章 立项管理", "第四章 财政预算管理", "第五章 采购和合同管理",
                        "第六章 项目实施和变更管理", "第七章 验收和绩效评价管理", "第八章 网络与信息安全管理",
                        "第九章 监督管理", "第十章 附 则"]


def test_declarative_articles_are_marked(policy):
    declarative = [a.label for a in policy.ir.articles if a.declarative]
    assert declarative == ["第一条", "第三条", "第二十六条", "第四十二条", "第四十三条", "第四十六条"]
    checkable = {r.article.label for r in policy.ir.rules}
    assert len(checkable) == 40 and not checkable & set(declarative)


def test_article_numbers_with_zero_and_inserted_articles_are_read_from_a_source_copy():
    """第一百零五条 and 第四十七条之一 are headings (the numerals are the language's, engine/language.py)."""
    text = "第一百零五条 本办法自公布之日起施行。\n第四十七条之一 新增的条文。\n"
    assert list(split_articles(text)) == ["第一百零五条", "第四十七条之一"]
