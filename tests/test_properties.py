"""Property tests: whatever staff type into a policy or a facts file, the tool ends in a located
message or a result — never another exception. Sizes are kept small for CI; run with
HYPOTHESIS_PROFILE=long for thousands of examples."""
from __future__ import annotations

import datetime as dt
import json
import os

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from helpers import ROOT
from engine.errors import ToolError
from engine.facts import parse_facts_data, validate_facts
from engine.policy import compile_policy
from engine.durable_backend import DurableBackend
from engine.vocabulary import load_vocabulary

settings.register_profile("ci", max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=5_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

VOCABULARY = load_vocabulary()
POLICY_TEXT = (ROOT / "policies" / "jinxiang_2024.rules").read_text(encoding="utf-8")
# A few articles of the real policy, so that each example compiles fast.
SNIPPET = POLICY_TEXT[: POLICY_TEXT.index("第三章 立项管理")]
ALPHABET = ("若则且或非为不低于高于早晚于已填未填属包含缺少违规警示待办提示后果适用规则依据第条章参数认定对每项自起内应否则到期"
            "项目合同采购评审立项预算实施验收安全数据.。，、：；（）【】“”「」\"'()=+*×%0123456789０１２３４５６７８９"
            "元万亿年月日个工作 \n\t>#")


@st.composite
def edited_policy(draw):
    text = SNIPPET
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["delete", "insert", "swap", "fullwidth", "duplicate"]))
        if action == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 6)):]
        elif action == "insert":
            text = text[:position] + draw(st.text(alphabet=ALPHABET, min_size=1, max_size=4)) + text[position:]
        elif action == "swap" and position + 1 < len(text):
            text = text[:position] + text[position + 1] + text[position] + text[position + 2:]
        elif action == "fullwidth" and position < len(text) and "!" <= text[position] <= "~":
            text = text[:position] + chr(ord(text[position]) + 0xFEE0) + text[position + 1:]
        elif action == "duplicate":
            end = min(len(text), position + draw(st.integers(1, 40)))
            text = text[:end] + text[position:end] + text[end:]
    return text


@given(edited_policy())
def test_edited_policy_compiles_or_gives_a_located_message(text):
    try:
        policy = compile_policy(text, "编辑后.rules", VOCABULARY)
    except ToolError as error:
        rendered = error.render()
        assert "错误[E" in rendered
        return
    DurableBackend(policy).close()  # a policy that checks must also register with the engine


FIELD_PATHS = [p for p in VOCABULARY.fields]
ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
    st.text(max_size=30), st.sampled_from(["是", "否", "680万元", "五百万", "2025-02-30", "2025年13月1日", "18个月", "3年",
                                           "10个工作日", "县大数据局", "其他", "通过", "x" * 10_000]),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)).map(str),
    st.lists(st.text(max_size=8), max_size=4), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


@st.composite
def odd_facts(draw):
    flat = {draw(st.sampled_from(FIELD_PATHS + ["项目.涉秘", "合约.签订日期", "项目"])): draw(ODD_VALUES)
            for _ in range(draw(st.integers(0, 12)))}
    data: dict = {"项目": {"编号": "X", "名称": "n", "建设单位": "u"}} if draw(st.booleans()) else {}
    for path, value in flat.items():
        node = data
        parts = path.split(".")
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[parts[-1]] = value
    return data


@given(odd_facts(), st.sampled_from(["yaml", "json"]))
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_odd_facts_end_in_a_message_or_a_report(policy, data, form):
    text = json.dumps(data, ensure_ascii=False, default=str) if form == "json" else yaml.safe_dump(data, allow_unicode=True)
    try:
        facts = validate_facts(parse_facts_data(text, "随机.yaml", form == "json"), VOCABULARY, "随机.yaml", text)
        policy.evaluate(facts, dt.date(2026, 11, 27))
    except ToolError as error:
        assert "错误[E" in error.render()


@given(st.one_of(st.binary(max_size=200).map(lambda b: b.decode("latin-1")), st.text(max_size=300)))
def test_arbitrary_text_as_a_facts_file(text):
    try:
        data = parse_facts_data(text, "随机.yaml", False)
        validate_facts(data, VOCABULARY, "随机.yaml", text)
    except ToolError as error:
        assert "错误[E" in error.render()


def test_deeply_nested_policy_condition_is_a_message():
    deep = SNIPPET + "\n第九十九条（深）\n> 深\n规则 99.1 依据“深” 若 " + "(" * 3000 + "项目.涉密 为 是" + ")" * 3000 + " 则 违规 “x”\n"
    try:
        compile_policy(deep, "深.rules", VOCABULARY)
    except ToolError as error:
        assert "错误[E" in error.render()


def test_deeply_nested_negation_is_a_message():
    deep = SNIPPET + "\n第九十九条（深）\n> 深\n规则 99.1 依据“深” 若 " + "非" * 5000 + "项目.涉密 为 是 则 违规 “x”\n"
    try:
        compile_policy(deep, "深.rules", VOCABULARY)
    except ToolError as error:
        assert "错误[E10" in error.render()


def test_condition_too_long_for_the_backend_is_located_at_its_rule():
    from engine.policy import register_backend
    long_rule = SNIPPET + "\n第九十九条（长）\n> 应当\n规则 99.1 依据“应当” 若 " + "项目.涉密 为 是 且 " * 1500 + "项目.涉密 为 是 则 违规 “x”\n"
    policy = compile_policy(long_rule, "长.rules", VOCABULARY)
    try:
        register_backend(policy, long_rule).close()
    except ToolError as error:
        line = long_rule.count("\n", 0, long_rule.index("规则 99.1")) + 1
        assert error.render().startswith(f"长.rules:{line}:1: 错误[E104]: 条件嵌套过深，无法处理")
