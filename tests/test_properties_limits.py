"""Property tests for the rules engine's limits: whatever nesting of 且/或/非 a rule has, check
either refuses it with a located message or the engine builds it quickly and agrees with the
reference evaluator; whatever texts and amounts a project holds, the two backends agree or the
value is refused with its key. Sizes follow the profile in test_properties (HYPOTHESIS_PROFILE)."""
from __future__ import annotations

import time
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from engine.durable_backend import DurableBackend
from engine.engine_limits import MAX_RULE_ALTERNATIVES, rule_alternatives
from engine.errors import FactsErrors, PolicyError, ToolError
from engine.facts import ProjectFacts
from engine.policy import CompiledPolicy, compile_policy, load_policy
from helpers import AS_OF, make_project
from test_properties import SNIPPET, VOCABULARY
from engine.backend import Engine

YES_NO_FIELDS = ["项目.跨部门共建", "项目.县镇协同", "项目.镇街参与", "项目.追加项目", "项目.上级组织建设", "项目.建设工程附属",
                 "项目.新建土建工程", "项目.高耗能", "项目.政府采购范畴", "单位.信息化建设规划", "评审.整体方案", "立项.纳入项目库"]
FEW = settings(max_examples=max(25, settings.default.max_examples // 5), deadline=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def condition(depth: int):
    """A random condition over yes/no fields, nested up to `depth` levels of 且/或/非."""
    leaf = st.tuples(st.sampled_from(YES_NO_FIELDS), st.sampled_from(["是", "否"]), st.sampled_from(["为", "不为"])) \
        .map(lambda t: f"{t[0]} {t[2]} {t[1]}")
    if depth == 0:
        return leaf
    inner = condition(depth - 1)
    group = st.tuples(st.sampled_from([" 且 ", " 或 "]), st.lists(inner, min_size=2, max_size=3)) \
        .map(lambda t: "(" + t[0].join(t[1]) + ")")
    return st.one_of(leaf, group, inner.map(lambda c: f"非 ({c})"))


def rule_text(cond: str) -> str:
    return SNIPPET + f"\n第九十九条（试验）\n> 试验\n规则 99.1 依据“试验” 若 {cond} 则 违规 “x”\n"


@pytest.fixture(scope="module")
def baseline_rules():
    backend = DurableBackend(compile_policy(SNIPPET, "基准.rules", VOCABULARY))
    yield backend.definition_size
    backend.close()


@FEW
@given(st.lists(condition(2), min_size=1, max_size=4), st.dictionaries(st.sampled_from(YES_NO_FIELDS), st.booleans()))
def test_nested_conditions_are_refused_at_check_or_built_quickly_and_right(baseline_rules, clauses, values):
    text = rule_text(" 且 ".join(f"({c})" for c in clauses))
    try:
        policy = compile_policy(text, "试验.rules", VOCABULARY)
    except ToolError as error:
        assert "错误[E163]: 规则 99.1 的条件展开后有" in error.render() and "试验.rules:" in error.render()
        return
    rule = next(r for r in policy.rules if r.rule_id == "99.1")
    assert rule_alternatives(rule) <= MAX_RULE_ALTERNATIVES
    started = time.monotonic()
    try:
        backend = DurableBackend(policy)  # what `check` also does
    except PolicyError as error:  # the engine's shape limits: one pattern's length (E162), the alpha stack (E166)
        assert error.code in ("E162", "E166") and error.render().startswith("试验.rules:")
        return
    try:
        assert time.monotonic() - started < 30  # a rule at the limit builds in about 2 s on the 2-core box
        assert backend.definition_size - baseline_rules <= rule_alternatives(rule)  # the estimate bounds the engine's rules
        compiled = CompiledPolicy(policy, VOCABULARY, load_policy(backend=Engine.REFERENCE).workdays, backend)
        project = make_project(VOCABULARY, values)
        assert compiled.evaluate(project, AS_OF).findings == compiled.using(Engine.REFERENCE).evaluate(project, AS_OF).findings
    finally:
        backend.close()


@pytest.fixture(scope="module")
def jinxiang():
    policy = load_policy(backend=Engine.DURABLE)
    yield policy
    policy.close()


TEXT_LENGTHS = st.one_of(st.integers(0, 100), st.integers(65_500, 65_560), st.integers(131_050, 131_100))
AMOUNTS = st.one_of(st.decimals(0, 10**6, places=2), st.integers(10**12, 10**21).map(Decimal), st.just(Decimal(10) ** 13))


@FEW
@given(TEXT_LENGTHS, AMOUNTS, AMOUNTS)
def test_texts_and_amounts_agree_across_backends_or_are_refused_with_their_key(jinxiang, padding, budget, security):
    base = make_project(jinxiang.vocabulary)
    values = {**base.values, "立项.批复单位": "县大数据局" + "x" * padding, "项目.总预算": budget, "项目.网络安全预算": security}
    facts = ProjectFacts(base.file, values, base.records)
    try:
        durable = jinxiang.evaluate(facts, AS_OF).findings
    except FactsErrors as error:
        assert all(e.code in ("E340", "E341") and e.key_path for e in error.errors)
        return
    assert durable == jinxiang.using(Engine.REFERENCE).evaluate(facts, AS_OF).findings
