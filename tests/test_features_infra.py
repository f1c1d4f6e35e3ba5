"""The feature files as a specification staff can trust and extend: they quote the policy's 原文
exactly, one per chapter; a mistyped step or a full-width colon gets a clear message; a new
scenario needs no Python; the coverage gate and the coverage command work."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys

from helpers import ROOT
from engine.features import check_feature_files, fix_feature_text
from engine.policy import load_policy
from engine.backend import Engine

FEATURES = ROOT / "features"


def quoted_articles(path) -> dict[str, str]:
    """Article label → its text as quoted in a feature's description (paragraphs joined by newlines)."""
    text = path.read_text(encoding="utf-8")
    description = text.split("本章原文：", 1)[1]
    description = re.split(r"\n\s*(?:@|场景|场景大纲)", description, maxsplit=1)[0]
    articles: dict[str, list[str]] = {}
    current = None
    for line in description.strip().splitlines():
        line = line.strip()
        match = re.match(r"^(第[一二三四五六七八九十百]+条) (.*)$", line)
        if match:
            current = match.group(1)
            articles[current] = [match.group(2)]
        elif line and current:
            articles[current].append(line)
    return {label: "\n".join(paragraphs) for label, paragraphs in articles.items()}


def test_one_feature_per_chapter_quoting_the_policy_text(policy):
    files = sorted(FEATURES.glob("*.feature"))  # the Jinxiang chapters; forks have their own subfolders
    assert len(files) == 10
    quoted = {}
    for path in files:
        assert path.read_text(encoding="utf-8").startswith("# language: zh-CN\n")
        quoted.update(quoted_articles(path))
    assert quoted == {a.label: "\n".join(a.text) for a in policy.ir.articles}


def test_full_width_colon_is_reported_and_fixed(tmp_path):
    bad = tmp_path / "x.feature"
    bad.write_text("# language: zh-CN\n功能：测试\n  场景：一个场景\n    假如 一个合规的项目\n", encoding="utf-8")
    assert check_feature_files(tmp_path) == [
        f"{bad}:2: 「功能：」用了全角冒号，Gherkin 只认半角冒号，请改为「功能:」（python cli.py fix-features 可以一次改好）",
        f"{bad}:3: 「场景：」用了全角冒号，Gherkin 只认半角冒号，请改为「场景:」（python cli.py fix-features 可以一次改好）",
    ]
    assert fix_feature_text(bad.read_text(encoding="utf-8")) == "# language: zh-CN\n功能:测试\n  场景:一个场景\n    假如 一个合规的项目\n"
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "fix-features", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0 and check_feature_files(tmp_path) == []


def _spec_folder(tmp_path, feature_text: str, *options: str):
    """A copy of the step library with one feature file of our own."""
    folder = tmp_path / "features"
    folder.mkdir()
    for name in ("conftest.py", "test_features.py", "基准项目.yaml"):
        shutil.copy(FEATURES / name, folder / name)
    (folder / "新场景.feature").write_text(feature_text, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "pytest", str(folder), "-q", "-p", "no:cacheprovider", "--rootdir", str(ROOT),
                           "-c", str(ROOT / "pyproject.toml"), *options], capture_output=True, text=True, cwd=ROOT, encoding="utf-8")


def test_a_new_scenario_from_the_guide_needs_no_python(tmp_path):
    result = _spec_folder(tmp_path, """# language: zh-CN
功能: 新写的场景
  @第三十条
  场景: 质保期只有一年半，一般不低于两年，应警示
    假如 一个合规的项目
    而且 合同.质保期 为 "18个月"
    当 评估该项目
    那么 规则30.3 应为 警示
    而且 不应违反第三十条
""", "-m", "第三十条")  # one article selected: the whole-policy coverage gate does not apply
    assert result.returncode == 0, result.stdout
    assert "1 passed" in result.stdout


def test_a_step_that_matches_nothing_lists_the_phrasings(tmp_path):
    result = _spec_folder(tmp_path, """# language: zh-CN
功能: 写错的步骤
  场景: 一个写错的步骤
    假如 一个合规的项目
    当 评价这个项目
""")
    assert result.returncode == 1
    assert "步骤「当 评价这个项目」没有对应的写法。" in result.stdout
    assert "可用的步骤写法" in result.stdout and "当 在 2026-12-05 评估该项目" in result.stdout


def test_a_wrong_expectation_fails_with_the_findings(tmp_path):
    result = _spec_folder(tmp_path, """# language: zh-CN
功能: 错误的期望
  场景: 期望落空
    假如 一个合规的项目
    而且 合同.质保期 为 "18个月"
    当 评估该项目
    那么 应违反第三十条
""")
    assert result.returncode == 1
    assert "应有第三十条的「违规」，实际发现：" in result.stdout and "30.3 警示" in result.stdout


def test_coverage_command_reports_every_rule_both_ways():
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "coverage"], capture_output=True, text=True, cwd=ROOT, encoding="utf-8")
    assert result.returncode == 0, result.stdout + result.stderr
    rules = len(load_policy(backend=Engine.REFERENCE).ir.rules)
    assert f"规则覆盖率：触发 {rules}/{rules}（100.0%），不触发 {rules}/{rules}（100.0%）" in result.stdout


def test_a_failing_scenario_is_told_in_chinese_without_a_traceback(tmp_path):
    """The scenario guide promises: feature file:line, the step, expected against found."""
    for name in ("conftest.py", "基准项目.yaml", "test_features.py"):
        shutil.copy(ROOT / "features" / name, tmp_path / name)
    (tmp_path / "失败.feature").write_text(
        "# language: zh-CN\n功能: 故意失败\n\n  @第二十八条\n  场景: 期望写错了\n    假如 一个合规的项目\n"
        "    而且 采购.中标通知书日期 为 \"2025-01-24\"\n    而且 合同.签订日期 为 \"2025-02-13\"\n"
        "    而且 合同.备案日期 为 \"2025-02-13\"\n    当 评估该项目\n    那么 规则28.2 应为 违规\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pytest", str(tmp_path), "-q", "-p", "no:cacheprovider",
                             "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(tmp_path)],
                            capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    assert result.returncode == 1
    assert f"{tmp_path}/失败.feature:11: 场景「期望写错了」\n  步骤：那么 规则28.2 应为 违规\n  规则 28.2 应为「违规」，实际：" in result.stdout
    assert "Traceback" not in result.stdout and "def rule_should_be" not in result.stdout
