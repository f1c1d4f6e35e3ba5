"""The feature files as the policy's specification: their tags, their well-formedness, and the
rule coverage they achieve (which rules some scenario saw firing, and saw not firing)."""
from __future__ import annotations

import re
from pathlib import Path

from typing import TYPE_CHECKING

from . import ir, messages
from .package_data import FEATURES

if TYPE_CHECKING:
    from .scenario_results import ScenarioRun

_TAG = re.compile(r"(?<!\S)@(\S+)")


def _gherkin_keywords() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """zh-CN's block keywords (功能, 场景, 例子, …) and step keywords (假如, 当, …), read from the
    Gherkin parser's own language table so the two never disagree."""
    import json
    import gherkin
    table = next(Path(gherkin.__file__).parent.rglob("gherkin-languages.json"))
    language = json.loads(table.read_text(encoding="utf-8"))["zh-CN"]
    blocks = [w for key in ("feature", "background", "scenarioOutline", "scenario", "examples", "rule") for w in language[key]]
    steps = [w.strip() for key in ("given", "when", "then", "and", "but") for w in language[key]]
    by_length = lambda words: tuple(sorted(set(words), key=len, reverse=True))  # noqa: E731 - 场景大纲 before 场景
    return by_length(blocks), by_length(steps)


_BLOCK_KEYWORDS, _STEP_KEYWORDS = _gherkin_keywords()
_BLOCK = "|".join(map(re.escape, _BLOCK_KEYWORDS))
# A block keyword that a Chinese input method typed with a full-width colon, and one written right.
_FULLWIDTH_KEYWORD = re.compile(rf"^(\s*)({_BLOCK})：")
_HALFWIDTH_KEYWORD = re.compile(rf"^\s*({_BLOCK}):")
_STEP = re.compile("^\\s*(?:" + "|".join(map(re.escape, _STEP_KEYWORDS)) + ")")


def _line_kinds(lines: list[str]) -> list[str]:
    """What each line of a feature file is: blank, comment, tag, step, table, fence (of a
    docstring), doc (inside one), header, fullwidth (a block keyword with a full-width colon) or
    text (a description: the 原文 a feature quotes)."""
    kinds, fence = [], None
    for line in lines:
        stripped = line.strip()
        if fence is not None:
            kinds.append("fence" if stripped.startswith(fence) else "doc")
            fence = None if stripped.startswith(fence) else fence
        elif stripped.startswith(('"""', "```")):
            kinds.append("fence")
            fence = stripped[:3]
        elif not stripped:
            kinds.append("blank")
        elif stripped.startswith("#"):
            kinds.append("comment")
        elif stripped.startswith("@"):
            kinds.append("tag")
        elif stripped.startswith("|"):
            kinds.append("table")
        elif _HALFWIDTH_KEYWORD.match(line):
            kinds.append("header")
        elif _FULLWIDTH_KEYWORD.match(line):
            kinds.append("fullwidth")
        elif _STEP.match(line):
            kinds.append("step")
        else:
            kinds.append("text")
    return kinds


def _misplaced_colons(text: str) -> list[tuple[int, str]]:
    """(line index, keyword) of each block keyword typed with a full-width colon where Gherkin
    expects a keyword. The same words at the start of a description line (quoted 原文) or inside a
    docstring are text and are left alone: a keyword line opens the file, follows a tag or the end
    of a step block, or is followed by steps or a table."""
    lines = text.split("\n")
    kinds = _line_kinds(lines)
    found = []
    for index, kind in enumerate(kinds):
        if kind != "fullwidth":
            continue
        before = next((k for k in reversed(kinds[:index]) if k not in ("blank", "comment")), None)
        after = next((k for k in kinds[index + 1:] if k not in ("blank", "comment")), None)
        if before in (None, "tag", "step", "table", "fence") or after in ("step", "table"):
            found.append((index, _FULLWIDTH_KEYWORD.match(lines[index]).group(2)))
    return found


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
        for index, keyword in _misplaced_colons(text):
            problems.append(f"{path}:{index + 1}: 「{keyword}：」用了全角冒号，Gherkin 只认半角冒号，请改为「{keyword}:」"
                            f"（python cli.py fix-features 可以一次改好）")
    return problems


def parse_problems(paths: list[Path]) -> list[str]:
    """Feature files the Gherkin parser rejects, each as file:line and the line itself in Chinese
    (pytest would show a collection error with a traceback)."""
    from pytest_bdd.exceptions import GherkinParseError
    from pytest_bdd.gherkin_parser import get_gherkin_document
    problems = []
    for path in paths:
        try:
            get_gherkin_document(str(path))
        except GherkinParseError as error:
            problems.append(messages.FEATURE_UNPARSABLE.format(file=_shown(path), line=error.line, text=error.line_content.strip()))
        except (OSError, UnicodeDecodeError) as error:
            problems.append(messages.FEATURE_UNREADABLE.format(file=_shown(path), problem=getattr(error, "strerror", None) or error))
    return problems


def _shown(path: Path) -> str:
    from .scenario_run import shown_path
    return shown_path(path)


def fix_feature_text(text: str) -> str:
    """Replace the full-width colon after each Gherkin block keyword where Gherkin expects one;
    no other character of the file changes (not a quoted 原文, not a docstring)."""
    lines = text.split("\n")
    for index, _ in _misplaced_colons(text):
        lines[index] = _FULLWIDTH_KEYWORD.sub(lambda m: f"{m.group(1)}{m.group(2)}:", lines[index], count=1)
    return "\n".join(lines)


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


def run_features(policy: Path | None, folder: Path | None = None) -> "ScenarioRun":
    """Run `policy`'s own scenarios (the default policy when None) in this process, and nobody
    else's: a fork's folder against the fork, the chapter files against the measures. The run's
    `fired`/`silent` are the rules the outcome steps saw as the evaluations recorded them."""
    from .policy import DEFAULT_POLICY
    from .scenario_run import run_scenarios
    folder = folder or FEATURES
    policy_path = policy or DEFAULT_POLICY
    return run_scenarios(policy_feature_target(folder, policy_path), policy_path, features=folder)
