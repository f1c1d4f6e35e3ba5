"""The feature files as the policy's specification: their tags, their well-formedness, and the
rule coverage they achieve (which rules some scenario saw firing, and saw not firing)."""
from __future__ import annotations

import re
from pathlib import Path

from . import ir

_TAG = re.compile(r"(?<!\S)@(\S+)")
# Gherkin keywords that Chinese input methods type with a full-width colon.
_FULLWIDTH_KEYWORD = re.compile(r"^(\s*)(功能|背景|场景大纲|场景|剧本大纲|剧本|例子|规则)：", re.MULTILINE)


def feature_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.feature"))


def policy_feature_files(features: Path, policy_path: Path) -> list[Path]:
    """The scenarios that specify one policy, by folder convention: a policy named X.rules has its
    own folder features/X/ (every fork and revision does); the policy without one — the measures the
    others inherit — is specified by the chapter files directly in features/. Another county's
    scenarios never count for this policy, so adding a county changes nobody else's runs."""
    own = features / policy_path.stem
    if own.is_dir():
        return sorted(own.rglob("*.feature"))
    return sorted(features.glob("*.feature"))


def policy_feature_target(features: Path, policy_path: Path) -> Path:
    """What pytest runs for those scenarios: the policy's own folder, or the base's test module."""
    own = features / policy_path.stem
    return own if own.is_dir() else features / "test_features.py"


def feature_tags(folder: Path) -> set[str]:
    tags: set[str] = set()
    for path in feature_files(folder):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("@"):
                tags.update(_TAG.findall(line))
    return tags


def check_feature_files(folder: Path) -> list[str]:
    """Problems the Gherkin parser would report obscurely, reported plainly with the fix."""
    problems = []
    for path in feature_files(folder):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("# language: zh-CN"):
            problems.append(f"{path}:1: 规格文件第一行应为「# language: zh-CN」")
        for match in _FULLWIDTH_KEYWORD.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"{path}:{line}: 「{match.group(2)}：」用了全角冒号，Gherkin 只认半角冒号，请改为「{match.group(2)}:」"
                            f"（python cli.py fix-features 可以一次改好）")
    return problems


def fix_feature_text(text: str) -> str:
    """Replace the full-width colon after Gherkin keywords; nothing else changes."""
    return _FULLWIDTH_KEYWORD.sub(lambda m: f"{m.group(1)}{m.group(2)}:", text)


def coverage_table(policy: ir.Policy, fired: set[str], silent: set[str], own_only: bool = False) -> list[tuple[str, str, bool, bool]]:
    """Per rule: seen firing, seen not firing. `own_only`: only the rules written in the policy's own
    file (for a fork: what it changed or added, not what it inherited)."""
    return [(rule.rule_id, rule.article.label, rule.rule_id in fired, rule.rule_id in silent) for rule in policy.rules
            if not own_only or rule.span.file == policy.file]


def coverage_summary(policy: ir.Policy, fired: set[str], silent: set[str], own_only: bool = False) -> str:
    table = coverage_table(policy, fired, silent, own_only)
    total = len(table) or 1
    seen_firing = sum(1 for row in table if row[2])
    seen_silent = sum(1 for row in table if row[3])
    scope = "本文件中的" if own_only else ""
    lines = [f"{scope}规则覆盖率：触发 {seen_firing}/{len(table)}（{100 * seen_firing / total:.1f}%），"
             f"不触发 {seen_silent}/{len(table)}（{100 * seen_silent / total:.1f}%）"]
    gaps = [f"  规则 {rid}（{label}）：" + "、".join(w for w, ok in (("未见触发", f), ("未见不触发", s)) if not ok)
            for rid, label, f, s in table if not (f and s)]
    return "\n".join(lines + gaps)


class FeatureRun:
    def __init__(self, passed: int, failed: int, fired: set[str], silent: set[str]) -> None:
        self.passed, self.failed, self.fired, self.silent = passed, failed, fired, silent


def run_features(policy: Path | None, folder: Path | None = None) -> FeatureRun:
    """Run the feature files in a separate pytest process and read back what the outcome steps saw
    for `policy` (the default policy when None): its own scenarios and nobody else's."""
    import json
    import os
    import subprocess
    import sys
    import tempfile

    root = Path(__file__).resolve().parent.parent
    folder = folder or root / "features"
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "coverage.json"
        # A fork's scenarios sit in their own subfolder, whose conftest loads the fork: the whole
        # folder runs, and the rules seen for the requested policy are read back.
        args = [sys.executable, "-m", "pytest", str(folder), "-q", "-p", "no:cacheprovider", "--rootdir", str(root),
                f"--junitxml={Path(scratch) / 'junit.xml'}"]
        env = dict(os.environ, POLICY_COVERAGE_FILE=str(out))
        subprocess.run(args, cwd=root, env=env, capture_output=True, text=True, encoding="utf-8")
        data = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
        passed, failed = _junit_counts(Path(scratch) / "junit.xml")
    from .errors import relative_name
    from .policy import DEFAULT_POLICY
    key = relative_name(policy or DEFAULT_POLICY)
    seen = data.get(key, {"fired": [], "silent": []})
    return FeatureRun(passed, failed, set(seen["fired"]), set(seen["silent"]))


def _junit_counts(path: Path) -> tuple[int, int]:
    import xml.etree.ElementTree as ElementTree
    if not path.exists():
        return 0, 0
    suite = ElementTree.parse(path).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    tests, failures, errors = (int(suite.get(k, 0)) for k in ("tests", "failures", "errors"))
    skipped = int(suite.get("skipped", 0))
    return tests - failures - errors - skipped, failures + errors
