"""fmt never changes what a policy means: it formats from the parser's tokens, so strings, 原文 and
comments are what the compiler reads them to be; it refuses files that are not policies; and it
saves like an editor should (atomically, through a symlink, keeping the file's mode)."""
from __future__ import annotations

import dataclasses
import os
import stat
import subprocess
import sys

import pytest
from hypothesis import given, settings

from engine.errors import Span, ToolError, UsageError
from engine.formatter import format_policy, format_policy_file
from engine.policy import compile_file_text, compile_policy
from engine.vocabulary import load_vocabulary
from engine.parser import policy_tokens
from helpers import ROOT
from test_properties import SNIPPET, edited_policy

VOCABULARY = load_vocabulary()
POLICIES = sorted((ROOT / "policies").glob("*.rules"))


def meaning(value):
    """A compiled policy with every source position removed: what it says, not where it says it."""
    if isinstance(value, Span):
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__,) + tuple((f.name, meaning(getattr(value, f.name))) for f in dataclasses.fields(value)
                                                if f.name not in ("sources", "fingerprint", "file", "span", "quote_span"))
    if isinstance(value, dict):
        return tuple(sorted((repr(k), meaning(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(meaning(v) for v in value)
    return value


def with_rule(rule: str) -> str:
    return SNIPPET + f"\n第九十九条（试验）\n> 试验\n{rule}\n"


def test_spaces_and_hashes_inside_fullwidth_quotes_are_kept():
    """Today fmt collapsed the spaces inside ＂…＂ and cut the line at its #: the rule changed."""
    text = with_rule("规则 99.1 依据“试验”   若 立项.批复单位 为 ＂县  大数据局 # 二＂   则 违规 “x”")
    formatted = format_policy(text)
    assert "若 立项.批复单位 为 ＂县  大数据局 # 二＂ 则 违规 “x”" in formatted
    assert meaning(compile_policy(formatted, "p.rules", VOCABULARY)) == meaning(compile_policy(text, "p.rules", VOCABULARY))


@pytest.mark.parametrize("path", POLICIES, ids=[p.name for p in POLICIES])
def test_every_shipped_policy_is_in_canonical_layout(path):
    """Today the fork failed fmt --check: the formatter did not know 新增参数, 修改 and 废止."""
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "fmt", "--check", str(path)], capture_output=True, text=True)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def messy(text: str, field_names: tuple[str, ...]) -> str:
    """The same policy typed carelessly: between the parser's tokens, runs of spaces, trailing
    spaces, indentation and blank lines; the tokens themselves untouched."""
    tokens = [t for t in policy_tokens(text, field_names) if not t.type.startswith("__IGNORE")]
    out, end = [], 0
    for number, token in enumerate(tokens):
        gap = text[end:token.start_pos]
        if "\n" in gap:
            indent = "" if token.type == "COMMENT" else " " * (number % 3)
            gap = gap.replace("\n", "  \n" + ("\n" if number % 4 == 0 else ""), 1) + indent
        elif gap:
            gap = gap + "\u3000 " if number % 2 else gap * 3
        out.append(gap + text[token.start_pos:token.end_pos])
        end = token.end_pos
    return "".join(out) + text[end:] + "\n\n"


@pytest.mark.parametrize("path", POLICIES, ids=[p.name for p in POLICIES])
def test_fmt_changes_no_rule_and_no_yuanwen_of_any_shipped_policy(path):
    text = path.read_text(encoding="utf-8")
    from engine.inherit import load_vocabulary_chain
    from engine.policy_files import PolicyFiles
    untidy = messy(text, tuple(load_vocabulary_chain(path, text, PolicyFiles())[0].policy_paths()))
    assert untidy != text
    formatted = format_policy_file(path, untidy)
    assert format_policy_file(path, formatted) == formatted
    before, _ = compile_file_text(path, untidy)
    after, _ = compile_file_text(path, formatted)
    assert meaning(after) == meaning(before)
    assert [a.text for a in after.articles] == [a.text for a in before.articles]  # every 原文, character for character


@given(edited_policy())
@settings(max_examples=max(40, settings.default.max_examples // 3))  # each example compiles twice
def test_fmt_changes_no_compiled_rule_on_the_property_corpus(text):
    try:
        formatted = format_policy(text)
    except UsageError:
        with pytest.raises(ToolError):  # fmt refuses only what does not compile either
            compile_policy(text, "编辑后.rules", VOCABULARY)
        return
    assert format_policy(formatted) == formatted
    try:
        before = meaning(compile_policy(text, "编辑后.rules", VOCABULARY))
    except ToolError as error:
        with pytest.raises(ToolError) as again:
            compile_policy(formatted, "编辑后.rules", VOCABULARY)
        assert {e.code for e in getattr(again.value, "errors", [again.value])} == {e.code for e in getattr(error, "errors", [error])}
        return
    assert meaning(compile_policy(formatted, "编辑后.rules", VOCABULARY)) == before


@pytest.mark.parametrize("name", ["facts/vocabulary.yaml", "policies/jinxiang_2024.source.txt", "policies/南阳湖县_词汇.yaml"])
def test_files_that_are_not_policies_are_refused_and_left_alone(tmp_path, name):
    """Today fmt rewrote the vocabulary and the source copy as if they were policies."""
    copy = tmp_path / (ROOT / name).name
    original = (ROOT / name).read_bytes()
    copy.write_bytes(original)
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "fmt", str(copy)], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert f"错误[E500]: {copy.name} 不是可以整理的政策文件" in result.stderr and "没有改动它" in result.stderr
    assert "Traceback" not in result.stderr
    assert copy.read_bytes() == original


def test_a_file_of_comments_only_is_not_a_policy():
    with pytest.raises(UsageError, match="没有任何条文、参数或规则"):
        format_policy("# 只有注释\n")


def test_saving_through_a_symlink_keeps_the_link_and_the_mode(tmp_path):
    real = tmp_path / "真实" / "p.rules"
    real.parent.mkdir()
    real.write_text(with_rule("规则   99.1 依据“试验” 若 项目.涉密 为 是 则 违规 “x”"), encoding="utf-8")
    os.chmod(real, 0o640)
    link = tmp_path / "p.rules"
    link.symlink_to(real)
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "fmt", str(link)], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert "规则 99.1 依据“试验”" in real.read_text(encoding="utf-8")
    assert sorted(p.name for p in real.parent.iterdir()) == ["p.rules"]  # no temporary file left behind


def test_a_numbering_table_and_inline_comments_keep_their_layout(tmp_path):
    for name in ("jinxiang_2024.rules", "jinxiang_2024.source.txt"):
        (tmp_path / name).write_bytes((ROOT / "policies" / name).read_bytes())
    path = tmp_path / "fork.rules"
    text = ("继承 “jinxiang_2024.rules”\n施行日期 2025-01-01\n\n参数\n  【重大项目金额】 = 300万元  # 原为 500万元\n\n"
            "废止 第二十条\n\n条号对照\n")
    entries = "".join(f"  第{n}条 改为 第{n - 1}条\n" for n in range(21, 47))
    assert format_policy_file(path, text + entries) == text + entries
    untidy = text + "".join(f"第{n}条   改为 第{n - 1}条   \n" for n in range(21, 47))
    assert format_policy_file(path, untidy) == text + entries


def test_a_drafted_fork_is_in_canonical_layout(tmp_path):
    from engine.draft import draft_files
    for name in ("jinxiang_2024.rules", "jinxiang_2024.source.txt"):
        (tmp_path / name).write_bytes((ROOT / "policies" / name).read_bytes())
    output = tmp_path / "湖西县_2025.rules"
    draft_files(ROOT / "tests" / "data" / "gazettes" / "湖西县_2025.txt", tmp_path / "jinxiang_2024.rules", output)
    text = output.read_text(encoding="utf-8")
    assert format_policy_file(output, text) == text


def test_a_comment_right_above_a_heading_stays_with_it():
    text = with_rule("规则 99.1 依据“试验” 若 项目.涉密 为 是 则 违规 “x”\n# 下一条的说明\n规则 99.2 依据“试验” 若 项目.涉密 为 否 则 违规 “y”")
    formatted = format_policy(text)
    assert "“x”\n\n# 下一条的说明\n规则 99.2" in formatted and format_policy(formatted) == formatted
