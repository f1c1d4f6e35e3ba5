"""The checker's first two steps on their own: names resolved into an immutable Environment, and
each rule lowered by a pure function of (rule, environment)."""
from __future__ import annotations

import pytest

from engine import ir
from engine.environment import resolve
from engine.lowering import lower_rule
from engine.vocabulary import load_vocabulary
from engine.parser import parse_policy_text

POLICY = """施行日期 2024-12-12
参数
  【实施周期上限】 = 3年
  【未用的参数】 = 5%
第三十条（合同）
> 实施周期不应超过 3 年，质保期一般不低于 2 年。
规则 30.1 依据“实施周期不应超过 3 年”
  若 合同.实施周期 超过 【实施周期上限】 则 违规 “实施周期超过3年”
规则 30.2 依据“实施周期不应超过 3 年”
  若 违反第三十一条 且 合同.实施周期 超过 【实施周期上限】 则 违规 “又超过了”
规则 30.3 依据“实施周期不应超过 3 年”
  若 合同.实施周期 超过 【实施周期下限】 则 违规 “写错的参数”
第三十一条（验收）
> 项目应按期验收。
规则 31.1 依据“项目应按期验收”
  若 验收.竣工验收日期 未填 则 违规 “未验收”
"""


@pytest.fixture(scope="module")
def environment():
    vocabulary = load_vocabulary()
    source = parse_policy_text(POLICY, "试验.rules", tuple(vocabulary.policy_paths()))
    environment, errors = resolve(source, vocabulary)
    assert errors == []
    return environment


def _rule_node(environment, rule_id):
    return next((article, rule) for article, node in environment.article_nodes for rule in node.rules if rule.rule_id == rule_id)


def test_the_environment_is_resolved_once_and_cannot_be_changed(environment):
    assert list(environment.params) == ["实施周期上限", "未用的参数", "施行日期"]
    assert [a.label for a in environment.articles.values()] == ["第三十条", "第三十一条"]
    assert environment.finding_rules((31, 0), "违规") == ("31.1",)  # read from the syntax, not from lowered rules
    with pytest.raises(TypeError):
        environment.params["实施周期上限"] = ()
    with pytest.raises(AttributeError):
        environment.effective_date = None


def test_lowering_a_rule_is_a_pure_function_of_the_rule_and_the_environment(environment):
    article, node = _rule_node(environment, "30.2")
    first, second = lower_rule(node, article, environment), lower_rule(node, article, environment)
    assert first == second and first.errors == ()
    assert first.uses == {"实施周期上限": 1}
    assert first.rule.finding_refs() == [ir.FindingExists("第三十一条", "违规", ("31.1",))]
    assert first.rule.stratum == 0  # strata are the passes' job, once every rule is lowered


def test_a_rule_with_a_mistake_lowers_to_its_errors_in_its_article(environment):
    article, node = _rule_node(environment, "30.3")
    lowered = lower_rule(node, article, environment)
    assert lowered.rule is None
    assert [(e.code, e.article) for e in lowered.errors] == [("E141", "第三十条")]
    assert "实施周期上限" in lowered.errors[0].hint  # did-you-mean from the environment's parameters
