"""explain reads what the evaluation recorded (engine.backend.RuleRecord): whether each rule
applied, which outcome held, which were unknown, why a rule said nothing. It decides nothing itself."""
from __future__ import annotations

import pytest

from engine import render
from engine.backend import BackendsDisagree, RuleRecord
from engine.facts import load_facts
from helpers import AS_OF, SAMPLES, make_project


def test_the_record_says_what_the_evaluation_found(policy):
    facts = load_facts(SAMPLES / "政务服务一网通办升级.yaml", policy.vocabulary)
    report, values, records = policy.evaluate_recorded(facts, AS_OF)
    by_rule = {(r.rule_id, r.item): r for r in records}
    assert by_rule["33.3", 1] == RuleRecord("33.3", 1, True, (("成立", True), ("施行前", False)), False, None, False)
    assert by_rule["33.3", 0].fired == () and not by_rule["33.3", 0].unknown
    # the record's firings are the report's findings, rule by rule
    recorded = sorted((f for r in records for f in r.firings()), key=repr)
    assert recorded == sorted(((f.rule.rule_id, f.variant, f.item) for f in report.findings), key=repr)
    per_record = {r.rule_id for r in policy.ir.rules if r.each == "实施.变更"}
    assert {key for key in by_rule if key[0] in per_record} == {(rid, i) for rid in per_record
                                                                 for i in range(len(values.items["实施.变更"]))}
    assert len(by_rule) == len(records)  # one record per rule and record checked


def test_a_rule_out_of_scope_is_recorded_as_not_applying(policy):
    facts = make_project(policy.vocabulary, {"项目.涉密": "是"})
    _, _, records = policy.evaluate_recorded(facts, AS_OF)
    by_rule = {r.rule_id: r for r in records if r.item is None}
    assert by_rule["2.1"].fired == ("成立",)
    assert by_rule["28.2"].applies is False and by_rule["28.2"].outcomes == ()


def test_explain_reads_the_record_not_the_conditions(policy):
    facts = make_project(policy.vocabulary)
    report, values, records = policy.evaluate_recorded(facts, AS_OF)
    article = next(a for a in policy.ir.articles if a.label == "第三十条")
    said = [r if r.rule_id != "30.1" else RuleRecord("30.1", None, True, (("成立", None),)) for r in records]
    lines = render.explain(report, values, said, article)
    assert "  结果：未触发：缺少事实，无法确定本条规则所列情形是否存在（提示类规则此时不报告）" in lines
    said = [r if r.rule_id != "30.1" else RuleRecord("30.1", None, False) for r in records]
    assert "  结果：不适用于本项目（前提条件不成立，或本办法不适用）" in render.explain(report, values, said, article)


def test_a_backend_that_disagrees_with_the_record_is_a_bug_said_as_one(policy, monkeypatch):
    facts = make_project(policy.vocabulary, {"合同.实施周期": "4年"})
    monkeypatch.setattr(policy, "firings", lambda values: [[]])
    with pytest.raises(BackendsDisagree) as disagreement:
        policy.evaluate_recorded(facts, AS_OF)
    assert disagreement.value.render() == ("错误[E902]: durable-rules 与参照求值器对这个项目的判定不一致，无法说明判定过程。"
                                           "这是本工具的缺陷，请将命令和这个文件报告给开发人员")
