"""fmt and lint: tools for the staff who edit policy files."""
from __future__ import annotations

import subprocess
import sys

from engine.formatter import format_policy
from engine.lint import lint_policy
from engine.policy import compile_policy, load_policy
from engine.vocabulary import load_vocabulary
from helpers import ROOT
from engine.backend import Engine

POLICY = ROOT / "policies" / "jinxiang_2024.rules"
TEXT = POLICY.read_text(encoding="utf-8")


def _rules(text: str):
    policy = compile_policy(text, "p.rules", load_vocabulary())
    return [(r.rule_id, r.quote, r.applies, r.outcomes) for r in policy.rules], [(a.label, a.text) for a in policy.articles]


def test_the_policy_is_in_canonical_layout():
    assert format_policy(TEXT) == TEXT


def test_fmt_is_idempotent_and_changes_only_layout():
    messy = "\n\n".join(line.replace(" 则 ", "   则   ") if line.startswith("  若") else "   " + line if line.startswith("规则") else line
                        for line in TEXT.splitlines()) + "\n\n\n"
    formatted = format_policy(messy)
    assert format_policy(formatted) == formatted
    assert _rules(formatted) == _rules(TEXT)
    original_text_lines = [l for l in TEXT.splitlines() if l.lstrip().startswith((">", "#"))]
    assert [l for l in formatted.splitlines() if l.lstrip().startswith((">", "#"))] == original_text_lines


def test_fmt_keeps_quoted_spaces():
    text = "第二条\n> 本办法  适用\n规则 2.1 依据“本办法  适用”   若 项目.涉密 为 是 则 不适用 “x”\n"
    assert format_policy(text) == "第二条\n> 本办法  适用\n\n规则 2.1 依据“本办法  适用” 若 项目.涉密 为 是 则 不适用 “x”\n"


def test_fmt_check_reports_unformatted_files(tmp_path):
    path = tmp_path / "p.rules"
    path.write_text(TEXT.replace("规则 2.1", "规则   2.1"), encoding="utf-8")
    check = subprocess.run([sys.executable, str(ROOT / "cli.py"), "fmt", "--check", str(path)], capture_output=True, text=True, cwd=tmp_path)
    assert check.returncode == 1 and check.stdout == "需要整理：p.rules\n"
    subprocess.run([sys.executable, str(ROOT / "cli.py"), "fmt", str(path)], check=True, capture_output=True, cwd=tmp_path)
    assert path.read_text(encoding="utf-8") == TEXT


def test_lint_is_clean_on_the_jinxiang_policy():
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "lint"], capture_output=True, text=True, cwd=ROOT)
    assert (result.returncode, result.stdout) == (0, "policies/jinxiang_2024.rules：0 处警告。\n")


def _lint(tmp_path, text: str, source: str | None = None) -> list[str]:
    path = tmp_path / "p.rules"
    path.write_text(text, encoding="utf-8")
    if source is not None:
        (tmp_path / "原文.txt").write_text(source, encoding="utf-8")
    return [w.render().replace(str(tmp_path) + "/", "") for w in lint_policy(load_policy(path, backend=Engine.REFERENCE).ir, path)]


def test_lint_finds_text_that_differs_from_the_source(tmp_path):
    text = '原文出处 “原文.txt”\n第一条（目的）\n> 为了规范管理。\n声明性条款\n'
    assert _lint(tmp_path, text, "第一章 总 则\n\n第一条 为了加强管理。\n") == [
        "p.rules:2:1: 警告[W204]: 第一条的原文与原文出处不一致（第 3 个字起）\n  = 所在条文: 第一条\n  = 提示: 原文出处此处为「加强管理。」"]


def test_lint_finds_a_source_outside_the_policy_folder(tmp_path):
    text = '原文出处 “../别处.txt”\n第一条（目的）\n> 为了规范管理。\n声明性条款\n'
    assert _lint(tmp_path, text) == ["警告[W201]: 找不到原文出处「../别处.txt」（应放在政策文件所在的文件夹内）"]


def test_lint_finds_unused_parameters_and_bare_articles(tmp_path):
    text = '参数\n  【没用】 = 5%\n第一条（目的）\n> 为了规范管理。\n'
    assert _lint(tmp_path, text) == [
        "警告[W205]: 【没用】定义了但没有规则使用\n  = 提示: 删去它，或在规则里用上它",
        "p.rules:3:1: 警告[W206]: 第一条待编写规则：既没有规则，也没有标明「声明性条款」\n  = 所在条文: 第一条\n"
        "  = 提示: 可检查的义务写成规则；纯宣示性的条文写「声明性条款」"]


def test_lint_finds_conditions_that_can_never_hold(tmp_path):
    text = ('第三十条（合同）\n> 实施周期不应超过 3 年\n'
            '规则 30.1 依据“实施周期不应超过 3 年” 若 合同.实施周期 超过 3年 且 合同.实施周期 低于 2年 则 违规 “x”\n'
            '规则 30.2 依据“实施周期不应超过 3 年” 若 合同.法律顾问 为 是 且 合同.法律顾问 为 否 则 违规 “y”\n'
            '规则 30.3 依据“实施周期不应超过 3 年” 若 合同.签订日期 已填 且 合同.签订日期 未填 则 违规 “z”\n'
            '规则 30.4 依据“实施周期不应超过 3 年” 若 合同.实施周期 超过 3年 且 合同.实施周期 低于 4年 则 违规 “可能”\n')
    warnings = _lint(tmp_path, text)
    assert [w.split("]: ")[1].split("\n")[0] for w in warnings] == [
        "规则 30.1 的条件互相矛盾，永远不会成立", "规则 30.2 的条件互相矛盾，永远不会成立", "规则 30.3 的条件互相矛盾，永远不会成立"]


def test_lint_finds_a_quote_whose_number_the_rule_does_not_use(tmp_path):
    (tmp_path / "jinxiang_2024.rules").write_text(TEXT, encoding="utf-8")
    warnings = _lint(tmp_path, '继承 “jinxiang_2024.rules”\n参数\n  【合同签订时限】 = 15个工作日\n')
    line = next(i for i, l in enumerate(TEXT.splitlines(), 1) if l.startswith("规则 28.2"))
    assert warnings == [f"jinxiang_2024.rules:{line}:1: 警告[W208]: 规则 28.2 引用的原文写的是「10个工作日」，规则用的却是「15个工作日」\n"
                        "  = 所在条文: 第二十八条\n  = 提示: 参数改了，原文也要用「修改」改成新的数额，规则的依据、摘要一并改"]


def test_a_fork_does_not_inherit_the_bases_source_copy(tmp_path):
    (tmp_path / "jinxiang_2024.rules").write_text(TEXT, encoding="utf-8")
    assert _lint(tmp_path, '继承 “jinxiang_2024.rules”\n第四十七条（新）\n> 新增的条文\n声明性条款\n') == []


def test_lint_names_a_source_copy_that_is_not_utf8(tmp_path):
    (tmp_path / "原文.txt").write_bytes("第一章 总 则\n\n第一条 为了加强管理。\n".encode("gbk"))
    text = '原文出处 “原文.txt”\n第一条（目的）\n> 为了规范管理。\n声明性条款\n'
    assert _lint(tmp_path, text) == ["警告[W201]: 原文出处「原文.txt」不是 UTF-8 编码的文本，请用 UTF-8 另存"]
