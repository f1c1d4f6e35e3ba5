"""The rules engine's limits are met before the engine is reached: a policy that passes check builds
quickly and never fails at evaluation; a project whose values the engine could not compare exactly
is refused with its key path; and evaluations that do fail inside the engine never take later,
clean ones down with them."""
from __future__ import annotations

import time

import pytest

from helpers import AS_OF, ROOT, make_project
from engine import durable_session
from engine.durable_backend import BackendError, DurableBackend
from engine.errors import FactsErrors, PolicyError, PolicyErrors
from engine.facts import ProjectFacts
from engine.policy import CompiledPolicy, compile_policy, load_policy
from engine.backend import Engine

POLICY_TEXT = (ROOT / "policies" / "jinxiang_2024.rules").read_text(encoding="utf-8")
SNIPPET = POLICY_TEXT[: POLICY_TEXT.index("第三章 立项管理")]
YES_NO_FIELDS = ["项目.跨部门共建", "项目.县镇协同", "项目.镇街参与", "项目.追加项目", "项目.上级组织建设", "项目.建设工程附属",
                 "项目.新建土建工程", "项目.高耗能", "项目.政府采购范畴", "单位.信息化建设规划", "评审.整体方案", "立项.纳入项目库"]


@pytest.fixture(scope="module")
def jinxiang():
    policy = load_policy(backend=Engine.DURABLE)
    yield policy
    policy.close()


def nested_or_policy(clauses: int) -> str:
    """(A 或 B) 且 (C 或 D) 且 …: in three-valued disjunctive form, 5^clauses alternatives."""
    fields = iter(YES_NO_FIELDS)
    condition = " 且 ".join(f"({next(fields)} 为 是 或 {next(fields)} 为 是)" for _ in range(clauses))
    return SNIPPET + f"\n第九十九条（试验）\n> 试验\n规则 99.1 依据“试验” 若 {condition} 则 违规 “x”\n"


def test_five_nested_or_clauses_are_refused_at_check_naming_the_rule_and_the_limit(jinxiang):
    started = time.monotonic()
    with pytest.raises(PolicyErrors) as raised:
        compile_policy(nested_or_policy(5), "试验.rules", jinxiang.vocabulary)
    assert time.monotonic() - started < 5  # today: minutes inside durable-rules' ruleset build
    error, = raised.value.errors
    assert error.code == "E163" and error.span.line == nested_or_policy(5).count("\n")
    assert "规则 99.1 的条件展开后有 3,125 种情形，超过规则引擎能在合理时间内建立的 2,000 种" in error.render()


def test_four_nested_or_clauses_still_compile_and_register_quickly(jinxiang):
    started = time.monotonic()
    policy = compile_policy(nested_or_policy(4), "试验.rules", jinxiang.vocabulary)
    DurableBackend(policy).close()
    assert time.monotonic() - started < 10  # 625 alternatives: about a second on the 2-core box


def test_tests_of_one_field_do_not_count_as_nested_alternatives(jinxiang):
    many = "、".join(f"“单位{i}”" for i in range(60))
    text = SNIPPET + f"\n第九十九条（试验）\n> 试验\n规则 99.1 依据“试验” 若 立项.批复单位 属于 {many} 且 项目.涉密 为 否 则 违规 “x”\n"
    DurableBackend(compile_policy(text, "试验.rules", jinxiang.vocabulary)).close()


def test_many_large_rules_together_are_refused_at_the_rule_that_crosses_the_policy_limit(jinxiang):
    fields = YES_NO_FIELDS[:8]
    condition = " 且 ".join(f"({a} 为 是 或 {b} 为 是)" for a, b in zip(fields[::2], fields[1::2]))  # 625 each
    rules = "".join(f"规则 99.{n} 依据“试验” 若 {condition} 则 违规 “x”\n" for n in range(1, 18))
    with pytest.raises(PolicyErrors) as raised:
        compile_policy(SNIPPET + f"\n第九十九条（试验）\n> 试验\n{rules}", "试验.rules", jinxiang.vocabulary)
    error, = raised.value.errors
    assert error.code == "E163" and "到规则 99.16 为止，全部规则的条件展开后超过 10,000 种情形" in error.render()


def wide_gate_policy(width: int) -> str:
    """A 不适用 rule with many tests of one field: all of them match one project at once."""
    condition = " 或 ".join(f"立项.批复单位 不为 “单位{i}”" for i in range(width))
    return POLICY_TEXT.replace("若 项目.涉密 为 是 则 不适用", f"若 项目.涉密 为 是 且 ({condition}) 则 不适用", 1)


def test_a_gate_wider_than_the_engines_stack_is_refused_when_the_policy_is_checked(jinxiang):
    policy = compile_policy(wide_gate_policy(70), "试验.rules", jinxiang.vocabulary)
    with pytest.raises(PolicyError) as raised:
        DurableBackend(policy)  # today: registers, then every project with 涉密 fails (ERR 303)
    assert raised.value.code == "E166" and "规则 2.1" in raised.value.render()
    line = POLICY_TEXT[: POLICY_TEXT.index("规则 2.1 ")].count("\n") + 1
    assert f"试验.rules:{line}:1: 错误[E166]" in raised.value.render()


# 1,100 sessions durable-rules cannot delete keep ~2 GB of its C memory until the process ends:
# the test runs in a child process so the rest of the suite does not carry it.
@pytest.mark.forked
def test_failed_evaluations_never_leak_sessions(jinxiang, monkeypatch):
    """1,100 projects the engine fails on (ERR 303, a stack overflow while matching): each gets the
    engine's own error, never the MemoryError of a full session table (durable's 1,024 sessions)."""
    # Let a too-wide gate through (its check is what prevents this): the engine then overflows its
    # stack while matching every project.
    monkeypatch.setattr(DurableBackend, "_within_stack", lambda *args: None)
    policy = compile_policy(wide_gate_policy(70), "试验.rules", jinxiang.vocabulary)
    compiled = CompiledPolicy(policy, jinxiang.vocabulary, jinxiang.workdays, DurableBackend(policy))
    try:
        project, messages = make_project(jinxiang.vocabulary), set()
        for _ in range(1_100):
            with pytest.raises(BackendError) as raised:
                compiled.evaluate(project, AS_OF)
            messages.add(raised.value.message)
        assert len(messages) == 1 and "error code: 303" in messages.pop()  # never MemoryError
    finally:
        compiled.close()


# 1,100 sessions durable-rules cannot delete keep ~2 GB of its C memory until the process ends:
# the test runs in a child process so the rest of the suite does not carry it.
@pytest.mark.forked
def test_after_failed_evaluations_a_clean_project_is_evaluated(jinxiang, monkeypatch):
    """Sessions the engine fails in before any action ran cannot be deleted (pitfall 1): 1,100 of
    them, then a clean project still gets its findings."""
    policy = compile_policy(POLICY_TEXT, "试验.rules", jinxiang.vocabulary)
    compiled = CompiledPolicy(policy, jinxiang.vocabulary, jinxiang.workdays, DurableBackend(policy))
    real_assert, failures = durable_session._engine.assert_facts, iter(range(1_100))

    def failing_first_steps(handle, text):
        if '"kind":"start"' in text and next(failures, None) is not None:
            real_assert(handle, text.replace('"kind":"start"', '"kind":"$unmatched"'))  # a session, no action run
            raise durable_session._engine.error("Could not assert facts, error code: 303")
        return real_assert(handle, text)

    monkeypatch.setattr(durable_session._engine, "assert_facts", failing_first_steps)
    try:
        project = make_project(jinxiang.vocabulary)
        for _ in range(1_100):
            with pytest.raises(BackendError):
                compiled.evaluate(project, AS_OF)
        assert compiled.evaluate(project, AS_OF).findings == compiled.using(Engine.REFERENCE).evaluate(project, AS_OF).findings
    finally:
        compiled.close()


def with_value(policy: CompiledPolicy, path: str, value) -> ProjectFacts:
    base = make_project(policy.vocabulary)
    return ProjectFacts(base.file, {**base.values, path: value}, base.records)


@pytest.mark.parametrize("value, says", [
    ("县大数据局" + "x" * 65_536, "有 65,551 字节，超过规则引擎能比较的 65,535 字节"),  # today: compared as 县大数据局
    ("县\ud800局", "含有无法编码的字符"),  # today: E999 from the engine
], ids=["longer than 65,535 bytes", "a lone surrogate"])
def test_text_the_engine_cannot_compare_is_refused_with_its_key(jinxiang, value, says):
    with pytest.raises(FactsErrors) as raised:
        jinxiang.evaluate(with_value(jinxiang, "立项.批复单位", value), AS_OF)
    assert "测试项目.yaml: 错误[E340]: 「立项.批复单位」" + says in raised.value.render()


def test_money_beyond_exact_engine_comparison_is_refused(jinxiang):
    """Today 2×10^20元 overflows 64 bits in 分 and 37.1 silently does not fire. (A facts file cannot
    say so much since amounts are bounded where they are read; the engine's own bound still holds
    for whatever reaches it.)"""
    from decimal import Decimal
    facts = with_value(jinxiang, "项目.总预算", Decimal("200000000000000000000"))
    with pytest.raises(FactsErrors) as raised:
        jinxiang.evaluate(facts, AS_OF)
    assert "「项目.总预算」金额过大，规则引擎无法精确比较" in raised.value.render()
    within = with_value(jinxiang, "项目.总预算", Decimal("10000000000000"))
    assert jinxiang.evaluate(within, AS_OF).findings == jinxiang.using(Engine.REFERENCE).evaluate(within, AS_OF).findings


def test_text_in_a_rule_beyond_what_the_engine_compares_is_refused_at_check(jinxiang):
    text = SNIPPET + "\n第九十九条（试验）\n> 试验\n规则 99.1 依据“试验” 若 立项.批复单位 为 “" + "县" * 21_846 + "” 则 违规 “x”\n"
    with pytest.raises(PolicyErrors) as raised:
        compile_policy(text, "试验.rules", jinxiang.vocabulary)
    error, = raised.value.errors
    assert error.code == "E164" and "规则中的文字超过规则引擎能比较的 65,535 字节" in error.render()
    assert error.render().startswith(f"试验.rules:{text.count(chr(10))}:1: ")


def test_the_shipped_policies_are_well_within_the_limits():
    from engine.engine_limits import MAX_RULE_ALTERNATIVES, rule_alternatives
    for name in ("jinxiang_2024.rules", "南阳湖县_2025.rules"):
        policy = load_policy(ROOT / "policies" / name, backend=Engine.REFERENCE)
        assert max(rule_alternatives(rule) for rule in policy.ir.rules) <= MAX_RULE_ALTERNATIVES // 1.5


@pytest.mark.parametrize("name", ["jinxiang_2024.rules", "南阳湖县_2025.rules", "jinxiang_2026.rules"])
def test_the_registered_rulesets_stay_inside_the_engines_pattern_limits(name):
    """What durable-rules is handed: no $nex test (at most 128 under one node, ERR 107) and no
    pattern longer than its 32-entry expression sequence (ERR 113)."""
    from engine.durable_expressions import cost
    policy = load_policy(ROOT / "policies" / name, backend=Engine.DURABLE)
    try:
        definition = policy.backend.definition
        assert "$nex" not in str(definition)
        costs = [cost(expression) for rule in definition.values() for pattern in rule["all"] for expression in pattern.values()]
        assert max(costs) <= 32
    finally:
        policy.close()


def test_the_alpha_stack_model_counts_what_durable_rules_never_shares(jinxiang):
    """Found by the property tests: this rule checked, and then every project like this one failed
    inside the engine (ERR 303), because durable-rules never reuses a node testing for null nor the
    node it joins an 或's branches with, and the groups were sized as if it did."""
    clauses = ["((项目.建设工程附属 不为 是 或 项目.跨部门共建 为 是) 且 项目.高耗能 为 是 且 项目.政府采购范畴 不为 否)",
               "单位.信息化建设规划 不为 否", "非 ((评审.整体方案 为 是 且 项目.上级组织建设 为 否))", "非 (项目.跨部门共建 为 否)",
               "非 (非 (项目.镇街参与 不为 否))"]
    condition = " 且 ".join(f"({c})" for c in clauses)
    policy = compile_policy(SNIPPET + f"\n第九十九条（试验）\n> 试验\n规则 99.1 依据“试验” 若 {condition} 则 违规 “x”\n",
                            "试验.rules", jinxiang.vocabulary)
    compiled = CompiledPolicy(policy, jinxiang.vocabulary, jinxiang.workdays, DurableBackend(policy))
    try:
        values = {"项目.跨部门共建": True, "项目.追加项目": True, "项目.上级组织建设": True, "项目.镇街参与": False, "评审.整体方案": True,
                  "项目.新建土建工程": True, "单位.信息化建设规划": False, "项目.建设工程附属": True, "项目.政府采购范畴": True,
                  "项目.县镇协同": False, "项目.高耗能": False, "立项.纳入项目库": True}
        project = make_project(jinxiang.vocabulary, values)
        assert compiled.evaluate(project, AS_OF).findings == compiled.using(Engine.REFERENCE).evaluate(project, AS_OF).findings
    finally:
        compiled.close()
