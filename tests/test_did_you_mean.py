"""Did-you-mean knows what words mean: the words staff write are answered with the keyword of the
same meaning (engine/language.py), never one of the opposite sense; and every error of an article
is reported, not only the first."""
from __future__ import annotations

import pytest

from engine import language
from engine.errors import PolicyErrors
from engine.messages import suggested_words
from engine.policy import compile_policy
from engine.vocabulary import load_vocabulary

HEAD = "参数\n  【下限】 = 2年\n第三十条（合同）\n> 实施周期不应超过 3 年，质保期一般不低于 2 年。\n"
RULE = "规则 30.{n} 依据“质保期一般不低于 2 年” 若 合同.质保期 {condition} 则 警示 “短”\n"


def errors(body: str) -> list:
    with pytest.raises(PolicyErrors) as caught:
        compile_policy(HEAD + body, "测试.rules", load_vocabulary())
    return caught.value.errors


def hint_for(condition: str) -> str:
    found = errors(RULE.format(n=1, condition=condition))
    assert len(found) == 1 and found[0].code == "E101", [e.render() for e in found]
    return found[0].hint


def operator_of(condition: str) -> str:
    policy = compile_policy(HEAD + RULE.format(n=1, condition=condition), "测试.rules", load_vocabulary())
    return policy.rules[0].outcomes[0].condition.op


# What staff write in place of a comparison keyword → the keyword this language means by it.
STAFF_WORDS = [("小于", "低于"), ("少于", "低于"), ("不足", "低于"), ("大于", "高于"), ("多于", "超过"), ("超出", "超过"),
               ("至少", "不低于"), ("不少于", "不低于"), ("不小于", "不低于"), ("最多", "不超过"), ("不多于", "不超过"),
               ("不大于", "不高于"), ("不是", "不为"), ("不同于", "不等于")]


@pytest.mark.parametrize("written, meant", STAFF_WORDS, ids=[w for w, _ in STAFF_WORDS])
def test_a_word_staff_write_is_answered_with_the_keyword_of_its_meaning(written, meant):
    words = suggested_words(hint_for(f"{written} 【下限】"))
    assert words[0] == meant
    meaning = language.COMPARISON_OPS[meant]
    assert all(language.COMPARISON_OPS[w] == meaning for w in words)  # never the opposite sense
    assert operator_of(f"{meant} 【下限】") == meaning  # and following the hint means what was written


def test_a_comparison_staff_write_for_numbers_also_names_the_one_for_dates():
    assert suggested_words(hint_for("小于 【下限】")) == ["低于", "早于"]


@pytest.mark.parametrize("written, meant", [("以上", "不低于"), ("以下", "不高于"), ("以内", "不超过")])
def test_a_value_followed_by_yishang_is_written_with_the_keyword_before_it(written, meant):
    """以上、以下、以内 include the number itself (民法典 第一千二百五十九条)."""
    hint = hint_for(f"2年{written}")
    assert f"「{meant} 2年」" in hint and "包含本数" in hint
    assert f"「{meant} 2年」" in hint_for(f"不低于 2年{written}") or "「" in hint


def test_keywords_staff_already_write_mean_what_they_say():
    assert operator_of("等于 2年") == "=="
    assert operator_of("不超过 2年") == "<="
    assert operator_of("超过 2年") == ">"


def test_every_staff_word_of_the_definition_gets_its_own_keyword_and_no_opposite():
    for keyword in language.COMPARISONS:
        for written in keyword.staff_words:
            if not written.isascii() and "≥" not in written and "≤" not in written and "≠" not in written:
                words = suggested_words(hint_for(f"{written} 【下限】"))
                assert words and words[0] == keyword.word, written
                assert keyword.opposite not in words, written


def test_a_missing_ze_is_named_not_the_kind_already_written():
    found = errors("规则 30.1 依据“质保期一般不低于 2 年” 若 合同.质保期 低于 【下限】 警示 “短”\n")
    assert found[0].hint == "「警示」前缺少「则」：若 条件 则 警示 “摘要”"
    assert suggested_words(found[0].hint) == []


def test_a_quantity_in_chinese_numerals_is_answered_with_digits_and_its_unit():
    hint = hint_for("低于 十五个工作日")
    assert suggested_words(hint) == ["15个工作日"]


def test_a_misspelt_keyword_is_corrected_only_when_its_meaning_is_clear():
    assert suggested_words(hint_for("低与 【下限】")) == ["低于"]
    assert suggested_words(hint_for("底于 【下限】")) == []  # as close to 高于, 早于, 晚于: no guess


def test_every_rule_of_an_article_reports_its_error():
    body = (RULE.format(n=1, condition="小于 【下限】") + RULE.format(n=2, condition="低于 【下限】")
            + RULE.format(n=3, condition="少于 【下限】") + "规则 30.4 依据“质保期一般不低于 2 年” 若 合同.质保期 低于 2年 则 警示\n"
            + "第三十一条\n> 质保期一般不低于 2 年。\n" + RULE.format(n=1, condition="多于 2年").replace("30.1", "31.1"))
    found = errors(body)
    assert [(e.span.line, e.article) for e in found] == [(5, "第三十条"), (7, "第三十条"), (8, "第三十条"), (11, "第三十一条")]
    assert [suggested_words(e.hint)[:1] for e in found] == [["低于"], ["低于"], [], ["超过"]]


def test_a_rule_cut_short_is_reported_where_the_next_rule_starts_and_the_next_rule_still_checked():
    body = ("规则 30.1 依据“质保期一般不低于 2 年” 若 合同.质保期 低于 2年 则 警示\n"
            + RULE.format(n=2, condition="小于 2年"))
    found = errors(body)
    assert [(e.span.line, e.span.column) for e in found] == [(6, 1), (6, 35)]
