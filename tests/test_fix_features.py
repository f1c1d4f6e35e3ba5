"""fix-features changes only the colon after a Gherkin block keyword where Gherkin expects a
keyword: a description that quotes 原文, a docstring or a table keeps every character."""
from __future__ import annotations

import os
import stat
import subprocess
import sys

from engine.features import check_feature_files, fix_feature_text
from helpers import ROOT

# The description quotes 原文 lines that start with block keywords; the docstring holds one too.
FEATURE = """# language: zh-CN
@第五章
功能：第五章 采购和合同管理
  本章原文：
  规则：项目建设单位应严格按照审核批准的采购内容组织采购。
  例子：合同签订后 10 个工作日内备案。

  背景：
    假如 一个合规的项目

  @第二十八条
  场景大纲：规则28.1 按批准内容采购
    假如 一个合规的项目
    而且 说明为
      \"\"\"
      场景：这是文档里的文字，不是关键词
      \"\"\"
    那么 规则28.1 应为 <结果>

    例子：
      | 结果 |
      | 违规 |
"""

FIXED = FEATURE.replace("功能：第五章", "功能:第五章").replace("  背景：", "  背景:").replace("场景大纲：", "场景大纲:") \
    .replace("    例子：\n", "    例子:\n")


def test_only_keyword_colons_change_never_quoted_yuanwen_or_docstrings():
    """Today every line starting with 规则：/例子：/场景： changed, the quoted 原文 and the docstring too."""
    assert fix_feature_text(FEATURE) == FIXED
    assert "  规则：项目建设单位" in FIXED and "      场景：这是文档里的文字" in FIXED and "  例子：合同签订后" in FIXED
    assert fix_feature_text(FIXED) == FIXED


def test_check_reports_the_lines_fix_would_change(tmp_path):
    path = tmp_path / "x.feature"
    path.write_text(FEATURE, encoding="utf-8")
    assert [p.split(":")[1] for p in check_feature_files(tmp_path)] == ["3", "8", "12", "20"]


def test_fix_features_writes_atomically_through_a_symlink_keeping_the_mode(tmp_path):
    real = tmp_path / "真实.feature"
    real.write_text(FEATURE, encoding="utf-8")
    os.chmod(real, 0o640)
    folder = tmp_path / "features"
    folder.mkdir()
    (folder / "x.feature").symlink_to(real)
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "fix-features", str(folder)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (folder / "x.feature").is_symlink() and real.read_text(encoding="utf-8") == FIXED
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["features", "真实.feature"]


def test_a_feature_file_that_is_not_utf8_is_reported_and_the_others_fixed(tmp_path):
    """Today: 内部错误[E999] (UnicodeDecodeError), and the files after it were not fixed."""
    (tmp_path / "a.feature").write_bytes("# language: zh-CN\n功能：甲\n".encode("gb18030"))
    (tmp_path / "b.feature").write_text(FEATURE, encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "fix-features", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "E999" not in result.stderr
    assert f"错误[E500]: {tmp_path / 'a.feature'}: 不是 UTF-8 编码的文本，请用 UTF-8 另存，文件没有改动" in result.stderr
    assert (tmp_path / "b.feature").read_text(encoding="utf-8") == FIXED
