"""Facts files: every mistake a spreadsheet export or a hand edit can make ends in a located
Chinese message (whole messages asserted), and the values that pass are held exactly."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from engine.errors import FactsError, FactsErrors
from engine.facts import load_facts, parse_facts_data
from engine.values import Duration
from engine.vocabulary import load_vocabulary

VOCABULARY = load_vocabulary()
HEAD = "项目:\n  编号: X-1\n  名称: 测试\n  建设单位: 县测试局\n"


def write(tmp_path: Path, text: str | bytes, name: str = "项目.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def message(tmp_path: Path, text: str | bytes, name: str = "项目.yaml") -> str:
    with pytest.raises((FactsError, FactsErrors)) as caught:
        load_facts(write(tmp_path, text, name), VOCABULARY)
    return caught.value.render().replace(str(tmp_path) + "/", "")


CASES = [
    ("unknown key with suggestion", HEAD + "  涉秘: 否\n",
     "项目.yaml:5: 错误[E320]: 「项目.涉秘」无法识别的键\n  = 提示: 您是不是要写「涉密」？键名写错会让相关检查悄悄失效，所以这里按错误处理"),
    ("unknown group", HEAD + "合约:\n  签订日期: 2025-01-01\n",
     "项目.yaml:5: 错误[E320]: 「合约」无法识别的键\n  = 提示: 您是不是要写「合同」？键名写错会让相关检查悄悄失效，所以这里按错误处理"),
    ("word outside its list", HEAD + "  资金性质: 政府投资\n",
     "项目.yaml:5: 错误[E321]: 「项目.资金性质」「政府投资」不在可选的词中，可选：政府投资建设、政府与企业联合建设、政府专项债券建设、"
     "政府向社会购买服务、政府资金运行维护、其他；您是不是要写「政府投资建设」？"),
    ("money written wrong", HEAD + "  总预算: 五百万\n",
     "项目.yaml:5: 错误[E321]: 「项目.总预算」金额写法无法识别，应写成如 680万元、6800000元、0.068亿元，或以元为单位的数字（最多精确到分）"),
    ("money finer than a fen", HEAD + "  总预算: 1.234元\n",
     "项目.yaml:5: 错误[E321]: 「项目.总预算」金额写法无法识别，应写成如 680万元、6800000元、0.068亿元，或以元为单位的数字（最多精确到分）"),
    ("money with stray separators", HEAD + "  总预算: 5,,,2元\n",
     "项目.yaml:5: 错误[E321]: 「项目.总预算」金额写法无法识别，应写成如 680万元、6800000元、0.068亿元，或以元为单位的数字（最多精确到分）"),
    ("money in another script's digits", HEAD + "  总预算: ٥٢元\n",
     "项目.yaml:5: 错误[E321]: 「项目.总预算」金额写法无法识别，应写成如 680万元、6800000元、0.068亿元，或以元为单位的数字（最多精确到分）"),
    ("money beyond any county's budget", HEAD + "  总预算: " + "9" * 5000 + "\n",
     "项目.yaml:5: 错误[E321]: 「项目.总预算」金额超过了 1万亿元 的上限，请检查是否多写了几位数或写错了单位"),
    ("date in Arabic-Indic digits", HEAD + "合同:\n  签订日期: ٢٠٢٥-٠١-٠٢\n",
     "项目.yaml:6: 错误[E321]: 「合同.签订日期」日期写法无法识别或日期不存在，应写成如 2025-01-24 或 2025年1月24日"),
    ("date that is the engine's 'never happened'", HEAD + "合同:\n  签订日期: 9999-12-31\n",
     "项目.yaml:6: 错误[E321]: 「合同.签订日期」日期 9999-12-31 不在 1949-10-01 至 2199-12-31 之间，请检查年份"),
    ("start date that would overflow a deadline", HEAD + "采购:\n  中标通知书日期: 9999-12-31\n",
     "项目.yaml:6: 错误[E321]: 「采购.中标通知书日期」日期 9999-12-31 不在 1949-10-01 至 2199-12-31 之间，请检查年份"),
    ("duration beyond a century", HEAD + "合同:\n  实施周期: 99999999999999年\n",
     "项目.yaml:6: 错误[E321]: 「合同.实施周期」期限「99999999999999年」超过了 100年 的上限"),
    ("date that does not exist", HEAD + "合同:\n  签订日期: 2025-02-30\n",
     "项目.yaml:6: 错误[E321]: 「合同.签订日期」日期写法无法识别或日期不存在，应写成如 2025-01-24 或 2025年1月24日"),
    ("duration in the wrong unit", HEAD + "合同:\n  实施周期: 10个工作日\n",
     "项目.yaml:6: 错误[E321]: 「合同.实施周期」期限写法无法识别，应写成如 18个月 或 3年"),
    ("yes/no written wrong", HEAD + "  涉密: 不是\n", "项目.yaml:5: 错误[E321]: 「项目.涉密」应写「是」或「否」"),
    ("list item outside its list", HEAD + "合同:\n  条款: [知识产权归属, 数据权属]\n",
     "项目.yaml:6: 错误[E321]: 「合同.条款[1]」「数据权属」不在可选的词中，可选：项目名称、标的内容范围和要求、履行计划地点和方式、"
     "技术信息和资料保密、技术成果归属和收益分配、验收标准和方法、名词和术语解释、知识产权归属、数据归属、源代码归属、知识产权违约责任、"
     "保密责任、实施周期、质保范围、质保期限、质保责任；您是不是要写「数据归属」？"),
    ("required key missing", "项目:\n  编号: X-1\n  名称: 测试\n", "项目.yaml:1: 错误[E322]: 「项目.建设单位」缺少必填项"),
    ("group given as a value", HEAD + "合同: 已签订\n", "项目.yaml:5: 错误[E322]: 「合同」应为一组「键: 值」"),
    ("list given as a word", HEAD + "合同:\n  条款: 知识产权归属\n", "项目.yaml:6: 错误[E322]: 「合同.条款」应为列表，如 [建设依据, 建设内容]"),
    ("no project identity at all", "{}\n",
     "项目.yaml: 错误[E322]: 「项目」没有写出这一组；每个事实文件至少应写出其中的编号、名称、建设单位，否则说不清评估的是哪个项目"),
    ("only the evaluation date", "评估日期: 2026-11-27\n",
     "项目.yaml: 错误[E322]: 「项目」没有写出这一组；每个事实文件至少应写出其中的编号、名称、建设单位，否则说不清评估的是哪个项目"),
    ("project group left empty", "项目:\n合同:\n  签订日期: 2025-01-01\n",
     "项目.yaml:1: 错误[E322]: 「项目」没有写出这一组；每个事实文件至少应写出其中的编号、名称、建设单位，否则说不清评估的是哪个项目"),
    ("blank project number", HEAD.replace("X-1", "'  '"), "项目.yaml:2: 错误[E321]: 「项目.编号」不能为空"),
    ("key written twice", HEAD + "  涉密: 否\n  涉密: 是\n",
     "项目.yaml:6: 错误[E309]: 「项目.涉密」这个键写了两次（第 5 行和第 6 行），只能保留一个；否则后一个会悄悄覆盖前一个"),
    ("group written twice", HEAD + "合同:\n  签订日期: 2025-01-01\n合同:\n  备案日期: 2025-01-02\n",
     "项目.yaml:7: 错误[E309]: 「合同」这个键写了两次（第 5 行和第 7 行），只能保留一个；否则后一个会悄悄覆盖前一个"),
    ("billion laughs", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" + HEAD,
     "项目.yaml:1: 错误[E308]: 「a」不能使用 YAML 的锚点和别名（& 和 *），请把内容直接写出来"),
    ("alias without an anchor", HEAD + "合同:\n  条款: *x\n",
     "项目.yaml:6: 错误[E308]: 「合同.条款」不能使用 YAML 的锚点和别名（& 和 *），请把内容直接写出来"),
    ("anchor alone", HEAD + "合同: &x\n  签订日期: 2025-01-01\n",
     "项目.yaml:5: 错误[E308]: 「合同」不能使用 YAML 的锚点和别名（& 和 *），请把内容直接写出来"),
    ("a list as a key", HEAD + "? [合同]\n: 1\n", "项目.yaml:5: 错误[E304]: 键应是一个词，如「项目」「签订日期」，不能是列表或映射"),
    ("control character", HEAD + "  名称: a\x11b\n",
     "项目.yaml:5: 错误[E304]: 含有不能写在文本文件里的控制字符 U+0011，请删去（可能是从别的软件复制来的）"),
    ("two documents", HEAD + "---\n" + HEAD, "项目.yaml:5: 错误[E304]: 一个文件只写一个项目，不能用「---」写第二份"),
    ("empty file", "", "项目.yaml: 错误[E306]: 文件为空，至少应写出「项目」下的编号、名称和建设单位"),
    ("not a mapping", "- 1\n- 2\n", "项目.yaml: 错误[E307]: 文件的最外层应是「键: 值」的映射，如「项目:」「合同:」等分组"),
    ("broken YAML", "项目: [1\n",
     "项目.yaml:2: 错误[E304]: YAML 格式错误：did not find expected ',' or ']'。请检查冒号、缩进和引号是否成对"),
    # 12,000 records in 840 kB took 92 s to evaluate and print; a project has a few dozen
    ("too many records", HEAD + "实施:\n  变更:\n" + "  - 事项: 项目预算\n    日期: 2025-01-02\n" * 201,
     "项目.yaml:6: 错误[E321]: 「实施.变更」有 201 条记录，超过一个项目 200 条的上限；请检查是否把几个项目写进了一个文件"),
    ("binary bytes", b"\xff\xfe\x00\x81garbage", "项目.yaml: 错误[E303]: 文件不是 UTF-8 编码的文本，请用 UTF-8 另存后再试"),
]


@pytest.mark.parametrize("name, text, expected", CASES, ids=[c[0] for c in CASES])
def test_whole_message(tmp_path, name, text, expected):
    assert message(tmp_path, text) == expected


def test_broken_json_names_its_line(tmp_path):
    assert message(tmp_path, '{"项目": {"编号": "X",\n}', "项目.json") == \
        "项目.json:2: 错误[E304]: JSON 格式错误：Expecting property name enclosed in double quotes。请检查冒号、缩进和引号是否成对"


JSON_CASES = [
    ("key written twice", '{"项目": {"编号": "X", "名称": "n", "建设单位": "u",\n "涉密": "否",\n "涉密": "是"}}',
     "项目.json:3: 错误[E309]: 「涉密」这个键写了两次（第 2 行和第 3 行），只能保留一个；否则后一个会悄悄覆盖前一个"),
    ("lone surrogate", '{"项目": {"编号": "\\ud800", "名称": "n", "建设单位": "u"}}',
     "项目.json: 错误[E303]: 「项目.编号」含有无法显示的字符（不成对的 UTF-16 代理项，如 \\ud800），请删去或改正"),
    ("5,000-digit number", '{"项目": {"编号": "X", "名称": "n", "建设单位": "u", "总预算": ' + "9" * 5000 + "}}",
     '项目.json:1: 错误[E304]: JSON 中有一个数字的位数过多；金额、日期等请写成带引号的文字，如 "680万元"'),
    ("NaN", '{"项目": {"编号": "X", "名称": "n", "建设单位": "u", "总预算": NaN}}',
     '项目.json:1: 错误[E304]: JSON 中不能写 NaN；金额、日期等请写成带引号的文字，如 "680万元"'),
    ("runaway nesting", '{"项目": ' + "[" * 5000 + "]" * 5000 + "}", "项目.json:1: 错误[E305]: 嵌套层级过深，事实文件只需按词汇表的分组写两三层"),
]


@pytest.mark.parametrize("name, text, expected", JSON_CASES, ids=[c[0] for c in JSON_CASES])
def test_whole_message_json(tmp_path, name, text, expected):
    assert message(tmp_path, text, "项目.json") == expected


def test_missing_file(tmp_path):
    with pytest.raises(FactsError) as caught:
        load_facts(tmp_path / "没有.yaml", VOCABULARY)
    assert caught.value.render().endswith("没有.yaml: 错误[E302]: 文件不存在，请检查路径")


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = write(tmp_path, HEAD + "#" * 1_100_000 + "\n")
    with pytest.raises(FactsError) as caught:
        load_facts(path, VOCABULARY)
    assert caught.value.code == "E301"


def test_records_up_to_the_limit_are_read(tmp_path):
    path = write(tmp_path, HEAD + "实施:\n  变更:\n" + "  - 事项: 项目预算\n    日期: 2025-01-02\n" * 200)
    assert len(load_facts(path, VOCABULARY).records["实施.变更"]) == 200


def test_deep_nesting_is_a_message_not_a_crash(tmp_path):
    assert "E3" in message(tmp_path, HEAD + "合同: " + "[" * 5000 + "]" * 5000 + "\n")


def test_all_errors_of_a_file_are_listed(tmp_path):
    rendered = message(tmp_path, HEAD + "  涉秘: 否\n  总预算: 多\n合同:\n  签订日期: 昨天\n")
    assert [line.split(":")[1] for line in rendered.splitlines() if line.startswith("项目.yaml")] == ["5", "6", "8"]


def test_values_are_typed_and_exact(tmp_path):
    facts = load_facts(write(tmp_path, HEAD + "  总预算: 0.068亿元\n  涉密: 否\n合同:\n  签订日期: 2025年1月24日\n"
                                             "  质保期: 3年\n  条款: [数据归属]\n"), VOCABULARY)
    assert facts.values["项目.总预算"] == Decimal("6800000")
    assert facts.values["项目.涉密"] is False
    assert facts.values["合同.签订日期"] == dt.date(2025, 1, 24)
    assert facts.values["合同.质保期"] == Duration("月", 36)
    assert facts.values["合同.条款"] == frozenset({"数据归属"})
    assert "项目.网络安全预算" not in facts.values  # absent stays absent: unknown, not "no"


def test_json_facts_are_accepted(tmp_path):
    facts = load_facts(write(tmp_path, '{"项目": {"编号": "X", "名称": "n", "建设单位": "u", "总预算": "680万元"}}', "p.json"), VOCABULARY)
    assert facts.values["项目.总预算"] == Decimal("6800000")


def test_yaml_is_loaded_safely(tmp_path):
    # Tags construct nothing: the value is read as plain data, and then refused as not being text.
    marker = tmp_path / "hacked"
    rendered = message(tmp_path, HEAD.replace("  名称: 测试\n", "") + f"  名称: !!python/object/apply:os.system ['touch {marker}']\n")
    assert rendered == "项目.yaml:4: 错误[E321]: 「项目.名称」应为一段文字" and not marker.exists()


def test_record_lists_are_validated_item_by_item(tmp_path):
    rendered = message(tmp_path, HEAD + "实施:\n  变更:\n    - 事项: 项目预算\n      事先申请: 是\n    - 事项: 建设地址\n")
    assert rendered.startswith("项目.yaml:9: 错误[E321]: 「实施.变更[1].事项」「建设地址」不在可选的词中")


def test_money_and_dates_as_staff_write_them(tmp_path):
    facts = load_facts(write(tmp_path, HEAD + "  总预算: 1,234.5万元\n  网络安全预算: １，２３４．５６元\n合同:\n"
                                             "  签订日期: ２０２５年１月２４日\n  备案日期: ２０２５－０２－０１\n  实施周期: １８个月\n"), VOCABULARY)
    assert facts.values["项目.总预算"] == Decimal("12345000")
    assert facts.values["项目.网络安全预算"] == Decimal("1234.56")
    assert facts.values["合同.签订日期"] == dt.date(2025, 1, 24)
    assert facts.values["合同.备案日期"] == dt.date(2025, 2, 1)
    assert facts.values["合同.实施周期"] == Duration("月", 18)


def test_pasted_text_with_a_lone_surrogate_is_refused_with_its_line():
    # The workbench passes pasted text from a JSON request body, which can carry one.
    with pytest.raises(FactsError) as caught:
        parse_facts_data(HEAD + "  涉密: \ud800\n", "粘贴的事实", False)
    assert caught.value.render() == "粘贴的事实:5: 错误[E303]: 含有无法显示的字符（不成对的 UTF-16 代理项，如 \\ud800），请删去或改正"
