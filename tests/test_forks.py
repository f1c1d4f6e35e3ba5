"""Forks: a county inherits the Jinxiang policy and says only what differs."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from engine.errors import ToolError
from engine.facts import facts_files, load_facts
from engine.policy import load_policy
from helpers import ROOT, SAMPLES
from engine.backend import Engine

BASE = ROOT / "policies" / "jinxiang_2024.rules"
FORK = ROOT / "policies" / "南阳湖县_2025.rules"
FORK_FACTS = ROOT / "facts" / "南阳湖县"


@pytest.fixture(scope="module")
def fork():
    return load_policy(FORK, backend=Engine.DURABLE)


def _errors(tmp_path, text: str, files: dict[str, str] | None = None, name: str = "fork.rules") -> str:
    (tmp_path / "jinxiang_2024.rules").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    for file, content in (files or {}).items():
        (tmp_path / file).write_text(content, encoding="utf-8")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ToolError) as caught:
        load_policy(path, backend=Engine.REFERENCE)
    return caught.value.render().replace(str(tmp_path) + "/", "")


HEAD = '继承 “jinxiang_2024.rules”\n'


def test_amending_an_article_the_base_lacks(tmp_path):
    assert _errors(tmp_path, HEAD + "修改 第五十条（新）\n> 文字\n声明性条款\n").startswith(
        "fork.rules:2:1: 错误[E176]: 被继承的办法中没有第五十条，无法修改")


def test_repealing_an_article_the_base_lacks(tmp_path):
    assert _errors(tmp_path, HEAD + "废止 第五十条\n") == (
        "fork.rules:2:1: 错误[E175]: 被继承的办法中没有第五十条，无法废止\n"
        "   2 | 废止 第五十条\n     | ^^^^^^^^^^^^^\n  = 提示: 先用 articles 命令查看被继承办法的条文")


def test_adding_an_article_the_base_has(tmp_path):
    assert "错误[E177]: 被继承的办法中已有第二十条\n" in _errors(tmp_path, HEAD + "第二十条（重复）\n> 文字\n声明性条款\n")


def test_changing_a_parameter_the_base_lacks(tmp_path):
    message = _errors(tmp_path, HEAD + "参数\n  【没有的参数】 = 5%\n")
    assert message.startswith("fork.rules:3:3: 错误[E179]: 被继承的办法中没有参数【没有的参数】")
    assert message.endswith("= 提示: 新参数写在「新增参数」下")


def test_adding_a_parameter_the_base_has(tmp_path):
    assert "错误[E178]: 参数【重大项目金额】在被继承的办法中已有定义" in _errors(tmp_path, HEAD + "新增参数\n  【重大项目金额】 = 300万元\n")


def test_missing_base_file(tmp_path):
    message = _errors(tmp_path, '继承 “别的县.rules”\n')
    assert message.startswith("fork.rules:1:1: 错误[E171]: 找不到继承的政策文件「别的县.rules」\n"
                              "   1 | 继承 “别的县.rules”\n     | ^^^^^^^^^^^^^^^^^^^\n  = 提示: 应放在 ")


def test_reference_leaving_the_policy_folder(tmp_path):
    assert "错误[E170]: 继承的政策文件「../jinxiang_2024.rules」不在政策文件所在的文件夹内" in _errors(
        tmp_path, '继承 “../jinxiang_2024.rules”\n')


def test_vocabulary_outside_the_policy_folder(tmp_path):
    assert "错误[E170]: 词汇文件「../../facts/vocabulary.yaml」不在政策文件所在的文件夹内" in _errors(
        tmp_path, HEAD + '词汇 “../../facts/vocabulary.yaml”\n')


def test_inheritance_cycle(tmp_path):
    message = _errors(tmp_path, '继承 “b.rules”\n', {"b.rules": '继承 “fork.rules”\n'})
    assert "错误[E173]: 继承构成循环：" in message and "fork.rules → b.rules → fork.rules" in message


def test_vocabulary_extension_cannot_change_a_field(tmp_path):
    message = _errors(tmp_path, HEAD + '词汇 “扩展.yaml”\n', {"扩展.yaml": "合同:\n  签订日期: {类型: 文本}\n"})
    assert "错误[E172]: 词汇扩展不能改动已有的字段「合同.签订日期」" in message


def test_amend_and_repeal_need_a_base(tmp_path):
    assert "错误[E180]: 「修改」「废止」只能用在继承其他办法的政策文件中" in _errors(tmp_path, "废止 第二十条\n")


def test_exception_naming_a_missing_rule(tmp_path):
    text = HEAD + "第四十七条（例外）\n> 小额项目不评审\n规则 47.1 依据“小额项目不评审” 若 项目.总预算 低于 50万元 则 例外 6.9 “x”\n"
    assert "错误[E181]: 例外所指的规则 6.9 不存在" in _errors(tmp_path, text)


def test_fork_findings_cite_the_forks_own_articles(fork):
    report = fork.evaluate(load_facts(FORK_FACTS / "中型平台项目.yaml", fork.vocabulary))
    by_rule = {f.rule.rule_id: f for f in report.findings}
    assert by_rule["37.1"].rule.quote == "新建政务信息化项目网络安全预算不低于项目总预算的8%"
    assert by_rule["37.1"].location.startswith("policies/南阳湖县_2025.rules:")
    assert by_rule["37.1"].basis["项目.总预算×8%"] == "32万元"
    assert "28.2" not in by_rule  # the 12th working day is in time under the fork's 15
    assert report.policy.meta.name == "南阳湖县政务信息化项目建设管理办法"


def test_samples_come_out_differently_under_the_two_policies(policy, fork):
    def outcome(compiled, name):
        report = compiled.evaluate(load_facts(FORK_FACTS / name, compiled.vocabulary))
        return {f.rule.rule_id: f.kind for f in report.findings if f.kind in ("违规", "后果", "警示")}
    # a contract signed late, or review material missing, is not a failure of the 立项/审核/备案 procedures (no 45.1)
    assert outcome(policy, "中型平台项目.yaml") == {"28.2": "违规"}
    assert outcome(fork, "中型平台项目.yaml") == {"6.5": "违规", "25.1": "后果", "30.3": "警示", "37.1": "违规"}
    assert outcome(policy, "村务公开小程序.yaml") == {"16.1": "违规", "45.1": "后果"}
    assert outcome(fork, "村务公开小程序.yaml") == {"47.1": "违规", "45.1": "后果"}  # the fork chains its own 备案 on 45.1
    exception = next(f for f in fork.evaluate(load_facts(FORK_FACTS / "村务公开小程序_已备案.yaml", fork.vocabulary)).findings
                     if f.rule.rule_id == "47.2")
    assert (exception.kind, exception.article.label) == ("提示", "第四十七条")


def test_jinxiang_facts_still_validate_under_the_fork(fork):
    for path in facts_files([SAMPLES]):
        load_facts(path, fork.vocabulary)


def test_fork_facts_use_the_extended_vocabulary(policy, fork):
    path = FORK_FACTS / "村务公开小程序_已备案.yaml"
    assert load_facts(path, fork.vocabulary).values["评审.简易备案日期"].isoformat() == "2026-04-10"
    with pytest.raises(ToolError) as caught:
        load_facts(path, policy.vocabulary)
    assert "「评审.简易备案日期」无法识别的键" in caught.value.render()


def test_diff_lists_exactly_the_changes():
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "diff", str(BASE), str(FORK), "--format", "json"],
                            capture_output=True, text=True, cwd=ROOT, encoding="utf-8")
    diff = json.loads(result.stdout)
    assert [m["项"] for m in diff["元数据"]] == ["名称", "文号", "发布日期", "施行日期", "依据"]
    assert {p["参数"]: (p["原"], p["新"]) for p in diff["参数"]} == {
        "合同签订时限": ("10个工作日", "15个工作日"), "简易程序金额": (None, "50万元"), "网络安全预算比例": ("5%", "8%"),
        "质保期下限": ("2年", "3年"), "重大项目金额": ("500万元", "300万元")}
    assert diff["字段"] == [{"字段": "评审.简易备案日期", "变化": "新增"}]
    assert [(a["条号"], a["变化"]) for a in diff["条文"]] == [
        ("第一条", "修改"), ("第六条", "修改"), ("第二十条", "废止"), ("第二十八条", "修改"), ("第三十条", "修改"),
        ("第三十七条", "修改"), ("第四十五条", "修改"), ("第四十六条", "修改"), ("第四十七条", "新增")]
    amended = {a["条号"]: a for a in diff["条文"]}
    assert [(c["删除"], c["增加"]) for c in amended["第二十八条"]["原文差异"]] == [("10", "15")]
    assert [r["规则"] for r in amended["第二十八条"]["规则差异"]] == ["28.2"]
    assert [r["规则"] for r in amended["第四十五条"]["规则差异"]] == ["45.1"]  # 修改 规则 45.1 adds the county's 47.1
    assert [r["规则"] for r in amended["第六条"]["规则差异"]] == ["6.5"]


def test_diff_of_a_policy_with_itself_is_empty():
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "diff", str(BASE), str(BASE)], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.endswith("两份办法没有差别。\n")


def test_diff_of_two_unrelated_policies(tmp_path):
    other = tmp_path / "其他办法.rules"
    other.write_text("名称 “其他办法”\n第一条（目的）\n> 为了测试。\n声明性条款\n第五十条（新）\n> 另一条。\n声明性条款\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "diff", str(other), str(BASE), "--format", "json"],
                            capture_output=True, text=True, cwd=ROOT, encoding="utf-8")
    diff = json.loads(result.stdout)
    changes = {a["条号"]: a["变化"] for a in diff["条文"]}
    assert changes["第一条"] == "修改" and changes["第五十条"] == "废止" and changes["第二十八条"] == "新增"
    assert len(changes) == 47


def _vocabulary_error(tmp_path, extension: str | bytes) -> str:
    (tmp_path / "扩展.yaml").write_bytes(extension if isinstance(extension, bytes) else extension.encode("utf-8"))
    return _errors(tmp_path, HEAD + '词汇 “扩展.yaml”\n')


VOCABULARY_CASES = [
    ("not UTF-8", "县区:\n  名称: {类型: 文本}\n".encode("gbk"), "词汇文件「扩展.yaml」格式错误：文件不是 UTF-8 编码的文本，请用 UTF-8 另存后再试"),
    ("top level a list", "- 县区\n", "词汇文件「扩展.yaml」格式错误：词汇文件的最外层应是「字段名: {类型: …}」或「分组名:」下列出字段的映射"),
    ("articles as text", "县区:\n  名称: {类型: 文本, 条: 第五条}\n",
     "格式错误：「县区.名称」「条」应列出读取这个字段的条号，如 [28, 30]（1 至 9999 的整数）"),
    ("words as one string", "县区:\n  结论: {类型: 词, 取值: 通过}\n", "格式错误：「县区.结论」「取值」应列出可选的词，如 [通过, 不通过]"),
    ("words as a mapping", "县区:\n  结论: {类型: 词, 取值: {通过: 1}}\n", "格式错误：「县区.结论」「取值」应列出可选的词，如 [通过, 不通过]"),
    ("a private name", "县区:\n  _x: {类型: 文本}\n", "格式错误：「县区._x」字段名「_x」不能使用：不能以「_」开头"),
    ("a name pydantic reserves", "县区:\n  model_config: {类型: 文本}\n",
     "格式错误：「县区.model_config」字段名「model_config」不能使用：这是校验程序保留的名字"),
    ("a record field pydantic reserves", "县区:\n  记录: {类型: 记录列表, 字段: {copy: {类型: 文本}}}\n",
     "格式错误：「县区.记录.copy」字段名「copy」不能使用：这是校验程序保留的名字"),
    ("aliases", "县区: &x\n  名称: {类型: 文本}\n别名: *x\n", "格式错误：第 1 行「县区」不能使用 YAML 的锚点和别名（& 和 *），请把内容直接写出来"),
    ("a key written twice", "县区:\n  名称: {类型: 文本}\n  名称: {类型: 日期}\n",
     "格式错误：第 3 行「县区.名称」这个键写了两次（第 2 行和第 3 行），只能保留一个；否则后一个会悄悄覆盖前一个"),
    ("required written oddly", "县区:\n  名称: {类型: 文本, 必填: 也许}\n", "格式错误：「县区.名称」「必填」应写「是」或「否」"),
]


@pytest.mark.parametrize("name, extension, expected", VOCABULARY_CASES, ids=[c[0] for c in VOCABULARY_CASES])
def test_vocabulary_extension_mistakes_are_located(tmp_path, name, extension, expected):
    message = _vocabulary_error(tmp_path, extension)
    assert message.startswith(f"fork.rules:{HEAD.count(chr(10)) + 1}:1: 错误[E17") and expected in message, message


def test_base_that_is_not_utf8_is_located(tmp_path):
    (tmp_path / "b.rules").write_bytes("名称 “乙县”\n".encode("gbk"))
    message = _errors(tmp_path, '继承 “b.rules”\n')
    assert message.startswith("fork.rules:1:1: 错误[E171]: 继承的政策文件「b.rules」不是 UTF-8 编码的文本，请用 UTF-8 另存\n")


def test_base_with_a_bom_is_read(tmp_path):
    (tmp_path / "jinxiang_2024.rules").write_bytes(b"\xef\xbb\xbf" + BASE.read_bytes())
    fork_path = tmp_path / "fork.rules"
    fork_path.write_text(HEAD, encoding="utf-8")
    assert len(load_policy(fork_path, backend=Engine.REFERENCE).ir.articles) == 46


def test_each_file_of_a_fork_is_read_once(tmp_path, monkeypatch):
    import engine.policy_files as policy_files
    read: list[str] = []
    original = policy_files._read
    monkeypatch.setattr(policy_files, "_read", lambda path, limit: read.append(path.name) or original(path, limit))
    load_policy(FORK, backend=Engine.REFERENCE)
    assert sorted(read) == sorted(["南阳湖县_2025.rules", "jinxiang_2024.rules"])


@pytest.mark.parametrize("label", ["第10000条", "第零条"])
def test_fork_article_number_no_article_can_have(tmp_path, label):
    message = _errors(tmp_path, HEAD + f"{label}（新）\n> 文字\n声明性条款\n")
    assert message.startswith(f"fork.rules:2:1: 错误[E113]: 无法识别的条号「{label}」"), message


def test_fork_too_deeply_negated_is_located(tmp_path):
    deep = "第四十七条（深）\n> 应当\n规则 47.1 依据“应当” 若 " + "非" * 3000 + "项目.涉密 为 是 则 违规 “x”\n"
    message = _errors(tmp_path, HEAD + deep)
    assert message.startswith("fork.rules:4:1: 错误[E10"), message


def test_each_file_of_a_two_level_fork_is_read_once(tmp_path, monkeypatch):
    import engine.policy_files as policy_files
    (tmp_path / "jinxiang_2024.rules").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "乙县.rules").write_text(HEAD + "名称 “乙县办法”\n", encoding="utf-8")
    (tmp_path / "丙镇.rules").write_text('继承 “乙县.rules”\n名称 “丙镇办法”\n', encoding="utf-8")
    read: list[str] = []
    original = policy_files._read
    monkeypatch.setattr(policy_files, "_read", lambda path, limit: read.append(path.name) or original(path, limit))
    assert load_policy(tmp_path / "丙镇.rules", backend=Engine.REFERENCE).ir.meta.name == "丙镇办法"
    assert sorted(read) == sorted(["丙镇.rules", "乙县.rules", "jinxiang_2024.rules"])
