"""Property tests: whatever staff type into a policy or a facts file, the tool ends in a located
message or a result — never another exception. Sizes are kept small for CI; run with
HYPOTHESIS_PROFILE=long for thousands of examples."""
from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from helpers import ROOT
from engine.errors import ToolError
from engine.facts import parse_facts_data, validate_facts
from engine.policy import compile_policy
from engine.durable_backend import DurableBackend
from engine.values import format_money, parse_date, parse_money
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


# ---------------------------------------------------------------- facts files as staff and tools write them
SAMPLE_LINES = (ROOT / "facts" / "示例" / "应急指挥调度系统.yaml").read_text(encoding="utf-8").splitlines()


def _load(text: str, form: str = "yaml"):
    return validate_facts(parse_facts_data(text, f"随机.{form}", form == "json"), VOCABULARY, f"随机.{form}", text)


@st.composite
def sample_with_a_repeated_key(draw):
    """The sample with one of its key lines written again just below itself (same mapping, same indent)."""
    keyed = [i for i, line in enumerate(SAMPLE_LINES) if ":" in line and not line.lstrip().startswith(("#", "-"))]
    index = draw(st.sampled_from(keyed))
    lines = list(SAMPLE_LINES)
    line = lines[index]
    key = line.split(":", 1)[0]
    # The copy goes after the whole entry (its nested lines too), so it stays in the same mapping.
    indent = len(line) - len(line.lstrip())
    end = index + 1
    while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent):
        end += 1
    lines.insert(end, f"{key}: {draw(st.sampled_from(['是', '否', '2025-01-01', '680万元', '其他']))}")
    return "\n".join(lines) + "\n", key.strip()


@given(sample_with_a_repeated_key())
def test_a_repeated_key_is_always_refused_naming_it(case):
    text, key = case
    try:
        _load(text)
    except ToolError as error:
        assert error.code == "E309" and key in error.key_path, error.render()
    else:
        raise AssertionError(f"accepted a file with 「{key}」 written twice")


@st.composite
def sample_with_an_alias(draw):
    lines = list(SAMPLE_LINES)
    keyed = [i for i, line in enumerate(lines) if ": " in line and not line.lstrip().startswith("#")]
    first, second = sorted(draw(st.lists(st.sampled_from(keyed), min_size=2, max_size=2, unique=True)))
    name = draw(st.text(alphabet="abcxyz01", min_size=1, max_size=4))
    key, value = lines[first].split(": ", 1)
    lines[first] = f"{key}: &{name} {value}"
    if draw(st.booleans()):
        key, _ = lines[second].split(": ", 1)
        lines[second] = f"{key}: *{name}"
    return "\n".join(lines) + "\n"


@given(sample_with_an_alias())
def test_anchors_and_aliases_are_always_refused(text):
    try:
        _load(text)
    except ToolError as error:
        assert error.code in ("E308", "E304"), error.render()  # E304: an anchor the YAML syntax does not allow there
    else:
        raise AssertionError("accepted a file with an anchor or alias")


@given(st.lists(st.sampled_from(["delete", "duplicate", "swap", "indent", "garble"]), min_size=1, max_size=5),
       st.randoms(use_true_random=False))
@settings(max_examples=60)
def test_mangled_sample_ends_in_a_message_or_a_report(policy, actions, rng):
    lines = list(SAMPLE_LINES)
    for action in actions:
        i = rng.randrange(len(lines))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif action == "indent":
            lines[i] = "  " + lines[i]
        elif action == "garble" and lines[i]:
            j = rng.randrange(len(lines[i]))
            lines[i] = lines[i][:j] + rng.choice(["&a ", "*a", "{", "[", ":", "'", "\\", "٣", "９", ",,", "\t", "!!str "]) + lines[i][j:]
    text = "\n".join(lines) + "\n"
    try:
        facts = _load(text)
        policy.evaluate(facts, dt.date(2026, 11, 27))
    except ToolError as error:
        assert "错误[E" in error.render() and "E999" not in error.render()


MONEY_ALPHABET = "0123456789０１２３４５６７８９,，.．万亿元 -٣"


def _money_oracle(text: str):
    """What a person reads in a money string, written independently of the parser: digits in
    groups of three when separated, at most one point, an optional unit at the end."""
    folded = text.translate({ord(f): ord(a) for f, a in zip("０１２３４５６７８９，．", "0123456789,.")}).strip()
    unit = next((u for u in ("万元", "亿元", "元") if folded.endswith(u)), "")
    number = folded[: len(folded) - len(unit)].strip()
    whole, point, fraction = number.partition(".")
    if not whole or (point and not fraction) or any(c not in "0123456789" for c in whole.replace(",", "") + fraction):
        return None
    if "," in whole:
        groups = whole.split(",")
        if not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:]):
            return None
    amount = Decimal(whole.replace(",", "") + (f".{fraction}" if fraction else "")) * {"": 1, "元": 1, "万元": 10_000, "亿元": 10**8}[unit]
    return amount if amount == amount.quantize(Decimal("0.01")) and amount <= 10**12 else None


@given(st.text(alphabet=MONEY_ALPHABET, max_size=16))
def test_money_is_read_as_a_person_reads_it_or_refused(text):
    try:
        amount = parse_money(text)
    except ValueError:
        amount = None
    assert amount == _money_oracle(text), text


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False))
def test_every_amount_the_tool_writes_it_reads_back(amount):
    assert parse_money(format_money(amount)) == amount


@given(st.dates(), st.sampled_from(["{:%Y-%m-%d}", "{0.year}年{0.month}月{0.day}日"]))
def test_dates_inside_the_range_are_read_and_outside_refused(day, form):
    text = form.format(day)
    inside = dt.date(1949, 10, 1) <= day <= dt.date(2199, 12, 31)
    try:
        assert parse_date(text) == day and inside
    except ValueError:
        assert not inside or len(str(day.year)) != 4


DIGIT_SCRIPTS = {"ASCII": "0123456789", "全角": "０１２３４５６７８９", "阿拉伯-印度": "٠١٢٣٤٥٦٧٨٩", "天城文": "०१२३४५६७८९"}


@given(st.dates(min_value=dt.date(1949, 10, 1), max_value=dt.date(2199, 12, 31)), st.sampled_from(sorted(DIGIT_SCRIPTS)),
       st.sampled_from(["{:%Y-%m-%d}", "{0.year}年{0.month}月{0.day}日"]))
def test_dates_in_other_scripts_digits_are_refused(day, script, form):
    text = form.format(day).translate(str.maketrans("0123456789", DIGIT_SCRIPTS[script]))
    try:
        assert parse_date(text) == day and script in ("ASCII", "全角"), text
    except ValueError:
        assert script not in ("ASCII", "全角"), text
