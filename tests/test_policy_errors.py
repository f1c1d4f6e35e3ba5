"""Policy source errors: whole rendered messages, as Jinja's test_error_messages does.

Each case is a small policy snippet and the exact text `check` prints for it. A snippet is
wrapped into a one-article policy so that positions are real.
"""
from __future__ import annotations

import pytest

from engine.errors import PolicyErrors
from engine.policy import compile_policy
from engine.vocabulary import load_vocabulary

HEAD = "参数\n  【下限】 = 2年\n  【比例】 = 5%\n第三十条（合同）\n> 实施周期不应超过 3 年，质保期一般不低于 2 年。\n"


def errors_of(body: str) -> str:
    with pytest.raises(PolicyErrors) as caught:
        compile_policy(HEAD + body, "测试.rules", load_vocabulary())
    return caught.value.render()


def compiles(body: str):
    return compile_policy(HEAD + body, "测试.rules", load_vocabulary())


CASES = [
    ('unknown field with a suggestion',
     '规则 30.1 依据“质保期一般不低于 2 年” 若 合同.质保其 低于 【下限】 则 警示 “短”\n',
     '测试.rules:6:28: 错误[E140]: 事实词汇表中没有字段「合同.质保其」\n'
     '   6 | 规则 30.1 依据“质保期一般不低于 2 年” 若 合同.质保其 低于 【下限】 则 警示 “短”\n'
     '     |                                          ^^^^^^^^^^^\n'
     '  = 所在条文: 第三十条\n'
     '  = 提示: 您是不是要写「合同.质保期」？'),
    ('mistyped keyword',
     '规则 30.1 依据“质保期一般不低于 2 年” 若 合同.质保期 低与 【下限】 则 警示 “短”\n',
     '测试.rules:6:35: 错误[E101]: 此处不应出现「低与」，这里应写：比较词（不低于、早于、为……）、不属于、属于、包含任一、包含、缺少、不含、+、已填、未填、×\n'
     '   6 | 规则 30.1 依据“质保期一般不低于 2 年” 若 合同.质保期 低与 【下限】 则 警示 “短”\n'
     '     |                                                      ^^^^\n'
     '  = 所在条文: 第三十条\n'
     '  = 提示: 您是不是要写「低于」？'),
    ('a keyword spelt right in the wrong place gets no did-you-mean of itself',
     '规则 30.1 依据“质保期一般不低于 2 年” 若 合同.质保期 低于 不低于 【下限】 则 警示 “短”\n',
     '测试.rules:6:38: 错误[E101]: 此处不应出现「不低于」，这里应写：日期（如 2024-12-12）、字段名（如 合同.签订日期）、数字、'
     '参数（如 【重大项目金额】）、带引号的文字、是、否\n'
     '   6 | 规则 30.1 依据“质保期一般不低于 2 年” 若 合同.质保期 低于 不低于 【下限】 则 警示 “短”\n'
     '     |                                                           ^^^^^^\n'
     '  = 所在条文: 第三十条'),
    ('unknown parameter',
     '规则 30.1 依据“质保期一般不低于 2 年” 若 合同.质保期 低于 【下线】 则 警示 “短”\n',
     '测试.rules:6:38: 错误[E141]: 没有定义参数【下线】\n'
     '   6 | 规则 30.1 依据“质保期一般不低于 2 年” 若 合同.质保期 低于 【下线】 则 警示 “短”\n'
     '     |                                                           ^^^^^^^^\n'
     '  = 所在条文: 第三十条\n'
     '  = 提示: 您是不是要写【下限】？'),
    ('soft norm compiled as a violation',
     '规则 30.1 依据“质保期一般不低于 2 年” 若 合同.质保期 低于 【下限】 则 违规 “短”\n',
     '测试.rules:6:26: 错误[E123]: 规则 30.1 的类别「违规」与所引原文的用语「一般」不符\n'
     '   6 | 规则 30.1 依据“质保期一般不低于 2 年” 若 合同.质保期 低于 【下限】 则 违规 “短”\n'
     '     |                                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n'
     '  = 所在条文: 第三十条\n'
     '  = 提示: 应、不得、一律 → 违规；一般、原则上 → 警示；鼓励、优先 → 提示'),
    ('quote not in the article',
     '规则 30.1 依据“质保期不低于 2 年” 若 合同.质保期 低于 【下限】 则 警示 “短”\n',
     '测试.rules:6:11: 错误[E122]: 规则引用的原文「质保期不低于 2 年」不在第三十条的原文中\n'
     '   6 | 规则 30.1 依据“质保期不低于 2 年” 若 合同.质保期 低于 【下限】 则 警示 “短”\n'
     '     |               ^^^^^^^^^^^^^^^^^^^\n'
     '  = 所在条文: 第三十条\n'
     '  = 提示: 依据的文字应从本条原文中原样复制，一字不差'),
    ('comparing a duration with money',
     '规则 30.1 依据“质保期一般不低于 2 年” 若 合同.质保期 低于 2万元 则 警示 “短”\n',
     '测试.rules:6:28: 错误[E150]: 「合同.质保期」是「期限」，不能与「金额」「2万元」比较\n'
     '   6 | 规则 30.1 依据“质保期一般不低于 2 年” 若 合同.质保期 低于 2万元 则 警示 “短”\n'
     '     |                                          ^^^^^^^^^^^^^^^^^^^^^^\n'
     '  = 所在条文: 第三十条'),
    ('working days against a duration in months',
     '规则 30.1 依据“质保期一般不低于 2 年” 若 合同.质保期 低于 10个工作日 则 警示 “短”\n',
     '测试.rules:6:28: 错误[E153]: 字段「合同.质保期」以年、月计，不能与「10个工作日」比较\n'
     '   6 | 规则 30.1 依据“质保期一般不低于 2 年” 若 合同.质保期 低于 10个工作日 则 警示 “短”\n'
     '     |                                          ^^^^^^^^^^^^^^^^^^^^^^^^^^^\n'
     '  = 所在条文: 第三十条'),
    ('reference to an article that is not there',
     '规则 30.1 依据“实施周期不应超过 3 年” 若 违反第九十九条 则 违规 “x”\n',
     '测试.rules:6:28: 错误[E130]: 引用的第九十九条在本办法中不存在\n'
     '   6 | 规则 30.1 依据“实施周期不应超过 3 年” 若 违反第九十九条 则 违规 “x”\n'
     '     |                                          ^^^^^^^^^^^^^^\n'
     '  = 所在条文: 第三十条'),
    ('rule id outside its article',
     '规则 31.1 依据“实施周期不应超过 3 年” 若 合同.实施周期 超过 3年 则 违规 “x”\n',
     '测试.rules:6:1: 错误[E120]: 规则编号 31.1 应以所在条的序号 30 开头，如 30.1\n'
     '   6 | 规则 31.1 依据“实施周期不应超过 3 年” 若 合同.实施周期 超过 3年 则 违规 “x”\n'
     '     | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n'
     '  = 所在条文: 第三十条'),
    ('chained rules that refer to each other',
     '规则 30.1 依据“实施周期不应超过 3 年” 若 存在第三十条的后果 则 违规 “x”\n规则 30.2 依据“实施周期不应超过 3 年” 若 违反第三十条 则 后果 “y”\n',
     '测试.rules:6:1: 错误[E131]: 规则之间的引用构成循环：30.1 → 30.2 → 30.1\n'
     '   6 | 规则 30.1 依据“实施周期不应超过 3 年” 若 存在第三十条的后果 则 违规 “x”\n'
     '     | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n'
     '  = 所在条文: 第三十条'),
]


@pytest.mark.parametrize("name, body, expected", CASES, ids=[c[0] for c in CASES])
def test_whole_message(name, body, expected):
    assert errors_of(body) == expected


def test_several_errors_are_reported_in_order():
    body = ("规则 30.1 依据“质保期一般不低于 2 年” 若 合同.质保期 低于 【下线】 则 警示 “短”\n"
            "规则 30.2 依据“实施周期不应超过 3 年” 若 合同.实施周期 超过 3万元 则 违规 “长”\n")
    rendered = errors_of(body)
    assert rendered.index("测试.rules:6:") < rendered.index("测试.rules:7:")
    assert "E141" in rendered and "E150" in rendered


def test_errors_are_capped():
    body = "".join(f"规则 30.{i} 依据“实施周期不应超过 3 年” 若 合同.实施周期 超过 【无{i}】 则 违规 “x”\n" for i in range(1, 26))
    assert errors_of(body).endswith("……另有 5 处错误")


def test_fullwidth_input_keeps_positions_and_text():
    policy = compiles("规则　３０．１　依据“实施周期不应超过 3 年”　若　合同．实施周期　超过　３年　则　违规　“长（全角）”\n")
    rule = policy.rules[0]
    assert (rule.rule_id, rule.outcomes[0].summary, rule.span.line, rule.span.column) == ("30.1", "长（全角）", 6, 1)


def test_caret_is_placed_by_display_width():
    rendered = errors_of("规则 30.1 依据“质保期一般不低于 2 年” 若 合同.质保期 低于 【下线】 则 警示 “短”\n")
    source_line, caret_line = rendered.splitlines()[1:3]
    prefix = source_line[: source_line.index("【下线】")]
    from engine.errors import display_width
    assert caret_line.index("^") == display_width(prefix)


def test_unspaced_chinese_parses_like_spaced():
    spaced = compiles("规则 30.2 依据“实施周期不应超过 3 年” 若 合同.实施周期 超过 3年 且 合同.质保期 不低于 【下限】 则 违规 “长”\n")
    unspaced = compiles("规则30.2依据“实施周期不应超过 3 年”若合同.实施周期超过3年且合同.质保期不低于【下限】则违规“长”\n")
    assert spaced.rules[0].outcomes == unspaced.rules[0].outcomes


def test_arabic_article_numbers_are_accepted():
    policy = compile_policy("第30条（合同）\n> 实施周期不应超过 3 年\n规则 30.1 依据“实施周期不应超过 3 年” 若 合同.实施周期 超过 3年 则 违规 “长”\n",
                            "测试.rules", load_vocabulary())
    assert policy.articles[0].label == "第三十条"


def test_derived_fact_is_used_like_a_yes_no_fact():
    policy = compile_policy("认定\n  【长期】 = 合同.实施周期 超过 3年\n" + HEAD +
                            "规则 30.1 依据“实施周期不应超过 3 年” 若 【长期】 则 违规 “长”\n", "测试.rules", load_vocabulary())
    assert [t.path for t in policy.rules[0].reads] == ["合同.实施周期"]


def test_unknown_derived_fact():
    assert errors_of("规则 30.1 依据“实施周期不应超过 3 年” 若 【长期】 则 违规 “长”\n").splitlines()[0] == \
        "测试.rules:6:28: 错误[E145]: 没有定义认定【长期】"


def test_list_tests_contain_lack_and_exclude():
    from engine import ir
    policy = compiles("规则 30.1 依据“实施周期不应超过 3 年” 若 合同.条款 不含 “数据归属”、“保密责任” 则 违规 “x”\n"
                      "规则 30.2 依据“实施周期不应超过 3 年” 若 合同.条款 缺少 “数据归属”、“保密责任” 则 违规 “x”\n")
    contains_none, lacks_one = (r.outcomes[0].condition for r in policy.rules)
    assert isinstance(contains_none, ir.And) and isinstance(lacks_one, ir.Or)
