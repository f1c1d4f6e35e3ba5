"""The step library for the Chinese feature files: generic steps, so a new scenario needs no Python.

A project is the compliant base project (基准项目.yaml), a sample under facts/, or a 字段/值 table,
changed step by step; it is evaluated, optionally on a given date; outcomes are checked by article
or by rule. Full-width digits and colons and both quote styles are accepted. Every outcome step
records, for the rules it checked, what the evaluation recorded: a rule with a finding fired, one
without stayed silent (so 「不应违反第N条」 counts only the rules of that article that really stayed
silent). The records stay on the scenario's test item (`rule_outcomes`, `evaluated_rules`,
`scenario_failure`), where engine/scenario_run.py reads them, and add up to the coverage below.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from pytest_bdd import given, parsers, then, when

from engine import language
from engine.text import parse_article_label
from engine.facts import flatten, nest, validate_facts
from engine.errors import ToolError
from engine.in_force import PRE_EFFECTIVE
from engine.scenario_results import ExpectationFailed, StepFailure, ValueUpdate
from engine.scenario_run import shown_path
from engine.policy import DEFAULT_POLICY, load_policy
from engine.text import fold_fullwidth
from engine.values import parse_date
from engine.backend import Engine

HERE = Path(__file__).resolve().parent
ROOT = DEFAULT_POLICY.parent.parent  # the project, wherever this step library is copied
BASE_PROJECT = HERE / "基准项目.yaml"
DEFAULT_AS_OF = dt.date(2026, 11, 27)

# Pieces of step patterns. `\d` in Python matches full-width digits too; text is folded before use.
Q_OPEN, Q_CLOSE = "[\"“「]", "[\"”」]"
COLON = "[:：]?"
ARTICLE = f"第[{language.NUMERALS}0-9０-９]+条(?:之[{language.NUMERALS}0-9]+)?"
RULE = r"[0-9０-９]+(?:之[0-9０-９]+)?[.．][0-9０-９]+"
KIND = "违规|警示|待办|无法判定|后果|提示|不适用"

# The phrasings that exist, shown when a step matches none of them.
PHRASINGS = """可用的步骤写法（引号可用 "" “” 「」，冒号全角半角均可）：
  假如 一个合规的项目
  假如 基于示例“智慧城管综合平台”  /  假如 基于示例“智慧城管综合平台”并修改：（下接 | 字段 | 值 | 表格）
  假如 项目的事实如下：（下接 | 字段 | 值 | 表格）
  而且 合同.签订日期 为 “2025-02-14”    /    而且 合同.签订日期 未填
  而且 事实修改如下：（下接 | 字段 | 值 | 表格，值写「未填」表示删去）
  当 评估该项目    /    当 在 2026-12-05 评估该项目
  那么 应违反第二十八条    /    那么 不应违反第二十八条
  那么 规则28.2 应为 违规    /    那么 规则28.2 不应触发
  那么 应有待办 第二十八条，截止日期为 2026-12-04
  那么 应有后果 第二十五条    /    那么 应有提示 第九条
  那么 第三十七条无法判定，缺少 项目.网络安全预算
  那么 第二十条已废止
  那么 结论应为 不合规"""


# ---------------------------------------------------------------- options, tags, coverage
def pytest_addoption(parser):
    parser.addoption("--policy", default=None, help="run the features against another policy file (a county's fork)")


def pytest_configure(config):
    """Register every tag used in the feature files as a marker, so `-m 第二十八条` works under
    --strict-markers; and stop early, with a clear message, on a full-width 「功能：」 that the Gherkin
    parser would reject."""
    from engine.features import check_feature_files, feature_tags
    problems = check_feature_files(HERE)
    if problems:
        raise pytest.UsageError("\n".join(problems))
    for tag in sorted(feature_tags(HERE)):
        config.addinivalue_line("markers", f"{tag}: 规格标签")
    # Rules seen firing / not firing, per policy file (a fork's features run against the fork).
    config._policy_coverage = {"by_policy": {}, "all_selected": not (config.option.markexpr or config.option.keyword)}


@pytest.fixture(scope="session")
def policy(request):
    """Compiled from the file on disk for this run, and closed when it ends (runs share a process
    with the workbench: engine/scenario_run.py)."""
    path = request.config.getoption("--policy")
    compiled = load_policy(Path(path) if path else DEFAULT_POLICY, backend=Engine.DURABLE)
    yield compiled
    compiled.close()


def _record(request, policy, report, fired: set[str] = frozenset(), silent: set[str] = frozenset()) -> None:
    """What an outcome step saw, as the evaluation recorded it: of the rules it found (`fired`),
    those with a finding; of the rules it expected quiet (`silent`), those without any finding — a
    rule that gave another kind, or 无法判定, was not seen silent."""
    recorded = {f.rule.rule_id for f in report.findings}
    seen = request.node.__dict__.setdefault("rule_outcomes", {}).setdefault(policy.ir.file, {"fired": set(), "silent": set()})
    seen["fired"].update(set(fired) & recorded)
    seen["silent"].update(set(silent) - recorded)


def pytest_deselected(items):
    """Scenarios left out (by the workbench's selection): the coverage gate is for full runs only."""
    if items and hasattr(items[0].config, "_policy_coverage"):
        items[0].config._policy_coverage["all_selected"] = False


def _main_policy_path(config) -> Path:
    option = config.getoption("--policy", default=None)
    return Path(option) if option else DEFAULT_POLICY


def pytest_sessionfinish(session, exitstatus):
    """After a full run, a rule of the main policy that no
    scenario saw both firing and not firing fails the run: every rule is specified on both sides
    of its boundary. (A fork's own scenarios are reported, not gated.) The policy is loaded only
    then: a run whose scenarios all failed because it does not load ends with their failures."""
    coverage = getattr(session.config, "_policy_coverage", None)
    if coverage is None or not coverage["all_selected"] or session.exitstatus != 0:
        return
    main = load_policy(_main_policy_path(session.config), backend=Engine.REFERENCE)
    seen = coverage["by_policy"].get(main.ir.file)
    if seen:
        from engine.features import coverage_table
        if not all(fired and silent for _, _, fired, silent in coverage_table(main.ir, seen["fired"], seen["silent"])):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print the rule coverage of the features (like `opa test --coverage`) after a full run."""
    coverage = getattr(config, "_policy_coverage", None)
    if not coverage or not coverage["all_selected"]:
        return
    from engine.features import coverage_summary
    main_file = load_policy(_main_policy_path(config), backend=Engine.REFERENCE).ir.file
    for file, seen in sorted(coverage["by_policy"].items(), key=lambda item: item[0] != main_file):
        policy_path = ROOT / file if not Path(file).is_absolute() else Path(file)
        summary = coverage_summary(load_policy(policy_path, backend=Engine.REFERENCE).ir, seen["fired"], seen["silent"],
                                   own_only=file != main_file)
        # A fork's gaps are listed by `cli.py coverage --policy …`; here only its figure.
        terminalreporter.write_line(f"{file}：{summary if file == main_file else summary.splitlines()[0]}")
        if file == main_file and "未见" in summary:
            terminalreporter.write_line("规格没有覆盖上面列出的规则：请为每条规则各写一个触发和一个不触发的场景。")


def unknown_step(keyword: str, name: str) -> str:
    """What the author of a step that no definition matches is told, by pytest and by the language server."""
    return f"步骤「{keyword.strip()} {name}」没有对应的写法。\n{PHRASINGS}"


def pytest_bdd_step_error(request, feature, scenario, step, step_func, step_func_args, exception):
    """A failed step is told as the scenario's author reads it: the feature file and line, the scenario,
    the step as written, and what was expected against what was found — never a Python traceback.
    When the step expected one value and the evaluation gave one other, the failure carries the edit
    that would update the step (the workbench offers it)."""
    if isinstance(exception, (AssertionError, pytest.fail.Exception)):
        reason = str(exception).split("\nassert ")[0].strip()  # pytest's own introspection of the assert is for Python readers
    elif isinstance(exception, ToolError):  # the policy or the scenario's facts: told as `check` and `eval` tell it
        reason = f"步骤执行出错：{exception.render()}"
    else:
        reason = f"步骤执行出错（{type(exception).__name__}）：{exception}"
    file = shown_path(Path(feature.filename))
    update = None
    if isinstance(exception, ExpectationFailed) and exception.written and exception.found:
        update = _example_cell_update(request, feature, scenario, step, file, exception) \
            or ValueUpdate(file, step.line_number, exception.written, exception.found)
    request.node.scenario_failure = StepFailure(file, step.line_number, scenario.name, f"{step.keyword.strip()} {step.name}", reason,
                                                getattr(exception, "expected", ""), getattr(exception, "actual", ""), update)


def _example_cell_update(request, feature, scenario, step, file: str, exception: ExpectationFailed) -> ValueUpdate | None:
    """In a scenario outline the failed step's line reads 「应为 <结果>」: the value to update is the
    example row's cell, so the update names that row's line and the column. None when the step's
    value was written in the step itself."""
    template = next((t for t in feature.scenarios.values() if t.line_number == scenario.line_number and t.templated), None)
    if template is None:
        return None
    try:
        example = request.getfixturevalue("_pytest_bdd_example")
    except pytest.FixtureLookupError:
        return None
    written_step = next((s for s in template.steps if s.line_number == step.line_number), None)
    names = re.findall(r"<([^<>]+)>", written_step.name) if written_step else []
    name = next((n for n in names if example.get(n) == exception.written), None)
    if name is None:
        return None
    lines = Path(feature.filename).read_text(encoding="utf-8").split("\n")
    for examples in template.examples:
        if name not in examples.example_params or examples.line_number is None:
            continue
        rows = [number for number in range(examples.line_number + 1, len(lines) + 1)
                if lines[number - 1].strip().startswith("|")]
        rows = rows[1:len(examples.examples) + 1]  # the first table line names the columns
        for number, values in zip(rows, examples.examples):
            if dict(zip(examples.example_params, values)) == example:
                return ValueUpdate(file, number, exception.written, exception.found, examples.example_params.index(name))
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """The failure as written above instead of a traceback; the rules seen added to the run's coverage."""
    outcome = yield
    report = outcome.get_result()
    failure = getattr(item, "scenario_failure", None)
    if report.when == "call" and report.failed and failure:
        report.longrepr = failure.render()
    if report.when == "call":
        by_policy = item.config._policy_coverage["by_policy"]
        for file, seen in getattr(item, "rule_outcomes", {}).items():
            total = by_policy.setdefault(file, {"fired": set(), "silent": set()})
            total["fired"] |= seen["fired"]
            total["silent"] |= seen["silent"]


def pytest_bdd_step_func_lookup_error(request, feature, scenario, step, exception):
    raise pytest.fail(f"{feature.filename}:{step.line_number}: {unknown_step(step.keyword, step.name)}", pytrace=False)


# ---------------------------------------------------------------- helpers
def _text(value: str) -> str:
    return fold_fullwidth(value).strip()


_QUANTITY = re.compile(r"^[0-9０-９.．\-－年月日万亿元个工作%％]+$")


def _value(cell: str):
    """A table or step value as a facts file would hold it: [a, b] and a、b are word lists, a
    YAML list of mappings is a record list, 未填 removes the fact; full-width digits are folded."""
    cell = cell.strip()
    if cell == "未填":
        return None
    if cell.startswith(("[{", "［{")):
        return yaml.safe_load(fold_fullwidth(cell))
    if cell[:1] in "[［" and cell[-1:] in "]］":
        return [w.strip() for w in re.split("[,，、]", cell[1:-1]) if w.strip()]
    if "、" in cell:
        return [w.strip() for w in cell.split("、") if w.strip()]
    return _text(cell) if _QUANTITY.match(cell) else cell


def _table_changes(datatable) -> dict:
    rows = [[c.strip() for c in row] for row in datatable]
    if rows and rows[0][:2] == ["字段", "值"]:
        rows = rows[1:]
    return {field: _value(value) for field, value, *_ in rows}


class Project:
    """The facts of the scenario's project as key paths, changed step by step."""

    def __init__(self, facts: dict, name: str) -> None:
        self.facts = dict(facts)
        self.name = name

    def change(self, changes: dict) -> None:
        for path, value in changes.items():
            path = _text(path)
            if value is None:
                self.facts.pop(path, None)
                for key in [k for k in self.facts if k.startswith(path + ".")]:
                    self.facts.pop(key)
            else:
                self.facts[path] = value


def _load(path: Path) -> dict:
    return flatten(yaml.safe_load(path.read_text(encoding="utf-8")))


def _sample(name: str) -> Path:
    for folder in (ROOT / "facts" / "示例", ROOT / "facts"):
        for suffix in (".yaml", ".yml", ".json", ""):
            candidate = folder / f"{name}{suffix}"
            if candidate.is_file():
                return candidate
    raise pytest.fail(f"找不到示例「{name}」：应为 facts/示例/ 下的文件名（不含 .yaml）", pytrace=False)


# ---------------------------------------------------------------- 假如
@pytest.fixture
def base_project_file() -> Path:
    """The compliant project 「一个合规的项目」 starts from; a policy's own folder of scenarios may
    give its own (dated after that policy's 施行日期)."""
    return BASE_PROJECT


@given("一个合规的项目", target_fixture="project")
def compliant_project(base_project_file):
    return Project(_load(base_project_file), "基准项目")


@given(parsers.re(f"基于示例{Q_OPEN}(?P<name>[^\"”」]+){Q_CLOSE}(?:并修改{COLON})?$"), target_fixture="project")
def sample_project(name, datatable=None):
    project = Project(_load(_sample(name)), name)
    if datatable:
        project.change(_table_changes(datatable))
    return project


@given(parsers.re(f"项目的事实如下{COLON}$"), target_fixture="project")
def project_from_table(datatable):
    project = Project({}, "表格中的项目")
    project.change(_table_changes(datatable))
    return project


@given(parsers.re(f"事实修改如下{COLON}$"))
def change_by_table(project, datatable):
    project.change(_table_changes(datatable))


@given(parsers.re(f"(?P<field>[^\\s\"“「]+?) ?为 ?{Q_OPEN}(?P<value>[^\"”」]*){Q_CLOSE}$"))
@given(parsers.re("(?P<field>[^\\s\"“「]+?) 为 (?P<value>[^\"“「\\s][^\"“「]*)$"))
def change_one(project, field, value):
    project.change({field: _value(value)})


@given(parsers.re("(?P<field>[^\\s\"“「]+?) ?未填$"))
def remove_one(project, field):
    project.change({field: None})


# ---------------------------------------------------------------- 当
@when(parsers.re("(?:在 ?(?P<date>[0-9０-９]{4}[-－年][0-9０-９]{1,2}[-－月][0-9０-９]{1,2}日?) ?)?评估该项目$"),
      target_fixture="report")
def evaluate(request, policy, project, date=None):
    as_of = parse_date(_text(date).replace("－", "-")) if date else None
    facts = dict(project.facts)
    for path, value in facts.items():  # one word written alone in a list field is a list of one
        spec = policy.vocabulary.get(path)
        if spec is not None and spec.type in ("词列表", "日期列表", "年份列表") and isinstance(value, str):
            facts[path] = [value]
    facts = validate_facts(nest(facts), policy.vocabulary, f"{project.name}（规格）")
    report = policy.evaluate(facts, as_of or facts.as_of or DEFAULT_AS_OF)
    fired: dict[str, set[str]] = {}
    for finding in report.findings:  # what the evaluator recorded, for the workbench's view of the scenario
        fired.setdefault(finding.rule.rule_id, set()).add(finding.kind)
    request.node.evaluated_rules = {rule_id: sorted(kinds) for rule_id, kinds in fired.items()}
    return report


# ---------------------------------------------------------------- 那么
def _article_number(policy, label: str) -> tuple[int, int]:
    number = parse_article_label(_text(label))
    if number is None or not any((a.number, a.sub) == number for a in policy.ir.articles):
        raise pytest.fail(f"本办法中没有{label}", pytrace=False)
    return number


def _rules_of(policy, number, kind: str | None = None) -> set[str]:
    return {r.rule_id for r in policy.ir.rules if (r.article.number, r.article.sub) == number
            and (kind is None or any(o.kind == kind for o in r.outcomes))}


def _findings(report, number=None, kind=None, rule_id=None):
    return [f for f in report.findings
            if (number is None or (f.article.number, f.article.sub) == number)
            and (kind is None or f.kind == kind) and (rule_id is None or f.rule.rule_id == rule_id)]


# 应有违规 / 不应有警示 …: a step names any kind a rule may write (不适用 is written without 有).
_HAS_KIND = "|".join(f"有{kind}" for kind in language.WRITTEN_KINDS if kind != language.NOT_APPLICABLE)


def _describe(report) -> str:
    return "；".join(f"{f.rule.rule_id} {f.kind}" for f in report.findings) or "（没有发现）"


@then(parsers.re(f"应(?P<kind>违反|{_HAS_KIND}|{language.NOT_APPLICABLE}) ?(?P<article>{ARTICLE})$"))
def should_have(request, policy, report, kind, article):
    kind = {"违反": language.VIOLATION}.get(kind, kind.removeprefix("有"))
    number = _article_number(policy, article)
    found = _findings(report, number, kind)
    assert found, f"应有{article}的「{kind}」，实际发现：{_describe(report)}"
    _record(request, policy, report, fired={f.rule.rule_id for f in found})


@then(parsers.re(f"不应(?P<kind>违反|{_HAS_KIND}) ?(?P<article>{ARTICLE})$"))
def should_not_have(request, policy, report, kind, article):
    kind = {"违反": language.VIOLATION}.get(kind, kind.removeprefix("有"))
    number = _article_number(policy, article)
    found = _findings(report, number, kind)
    assert not found, f"不应有{article}的「{kind}」，实际发现：{_describe(report)}"
    _record(request, policy, report, silent=_rules_of(policy, number, kind))


@then(parsers.re(f"规则 ?(?P<rule>{RULE}) ?应为 ?(?P<kind>{KIND}|无)$"))
def rule_should_be(request, policy, report, rule, kind, written_as=None):
    rule = _text(rule)
    if rule not in {r.rule_id for r in policy.ir.rules}:
        raise pytest.fail(f"政策中没有规则 {rule}", pytrace=False)
    kinds = {f.kind for f in _findings(report, rule_id=rule)}
    found = "、".join(sorted(kinds)) or "无"
    if kinds == ({kind} if kind != "无" else set()):
        _record(request, policy, report, **({"silent": {rule}} if kind == "无" else {"fired": {rule}}))
        return
    # The edit that makes the step expect what the evaluation gives, offered when that is one kind or none.
    written, replacement = None, None
    if len(kinds) <= 1:
        written, replacement = (written_as, f"应为 {found}") if written_as else (kind, found)
    expected = "不触发" if kind == "无" else kind
    raise ExpectationFailed(f"规则 {rule} " + ("不应触发" if kind == "无" else f"应为「{kind}」") + f"，实际：{_describe(report)}",
                            expected=expected, actual=found, written=written, found=replacement)


@then(parsers.re(f"规则 ?(?P<rule>{RULE}) ?应按 ?(?P<version>[^\\s]+?) ?判定为 ?(?P<kind>{KIND})$"))
def rule_judged_under_version(request, policy, report, rule, version, kind):
    """A revision (修订): the rule was judged under the version named (by its 文号), with this kind."""
    rule = _text(rule)
    found = [f for f in report.findings if f.rule.rule_id.split("（")[0] == rule and f.kind == kind]
    assert found and all(f.rule.version.startswith(version) for f in found), \
        f"规则 {rule} 应按{version}判定为「{kind}」，实际：" + "；".join(
            f"{f.rule.rule_id} {f.kind}（{f.rule.version}）" for f in report.findings) or "（没有发现）"
    _record(request, policy, report, fired={f.rule.rule_id for f in found})


@then(parsers.re(f"规则 ?(?P<rule>{RULE}) ?不应触发$"))
def rule_should_not_fire(request, policy, report, rule):
    rule_should_be(request, policy, report, rule, "无", written_as="不应触发")


@then(parsers.re(f"规则 ?(?P<rule>{RULE}) ?因施行前不予追究$"))
def rule_not_judged_before_effective(request, policy, report, rule):
    """第四十六条: the rule would have reported, but its conduct predates the 施行日期."""
    rule = _text(rule)
    found = _findings(report, rule_id=rule)
    assert [f.variant.split("·")[0] for f in found] == [PRE_EFFECTIVE] and "不予追究" in found[0].summary, \
        f"规则 {rule} 应因行为发生于施行前而不予追究（提示），实际：{_describe(report)}"
    _record(request, policy, report, silent={rule})


@then(parsers.re(f"应有待办 ?(?P<article>{ARTICLE})[,，]?截止日期为 ?(?P<date>[0-9０-９-－年月日]+)$"))
def todo_with_deadline(request, policy, report, article, date):
    number = _article_number(policy, article)
    deadline = parse_date(_text(date).replace("－", "-"))
    todos = _findings(report, number, language.TODO)
    found = [f for f in todos if f.deadline == deadline]
    if not found:
        deadlines = sorted({f.deadline.isoformat() for f in todos if f.deadline})
        raise ExpectationFailed(f"应有{article}的待办，截止日期 {deadline}；实际：" + ("；".join(
            f"{f.rule.rule_id} {f.kind} {f.deadline or ''}" for f in report.findings) or "（没有发现）"),
            expected=f"待办 截止日期 {deadline}", actual="、".join(deadlines) or "没有待办",
            written=date if len(deadlines) == 1 else None, found=deadlines[0] if len(deadlines) == 1 else None)
    _record(request, policy, report, fired={f.rule.rule_id for f in found})


@then(parsers.re(f"(?P<article>{ARTICLE}) ?无法判定[,，]? ?缺少 ?(?P<fields>.+)$"))
def undecided(request, policy, report, article, fields):
    number = _article_number(policy, article)
    wanted = {_text(f) for f in re.split("[、,， ]+", fields) if f.strip()}
    found = _findings(report, number, language.UNDECIDED)
    missing = {m for f in found for m in f.missing}
    assert found and wanted <= missing, f"{article}应无法判定并缺少 {'、'.join(sorted(wanted))}；实际：{_describe(report)}"
    _record(request, policy, report, fired={f.rule.rule_id for f in found})


@then(parsers.re(f"(?P<article>{ARTICLE}) ?已废止$"))
def article_repealed(policy, report, article):
    number = parse_article_label(_text(article))
    assert not any((a.number, a.sub) == number for a in policy.ir.articles), f"{article}仍在本办法中"
    assert any(parse_article_label(label) == number for label, _ in policy.ir.repealed), f"本办法没有废止{article}"
    assert not _findings(report, number), f"已废止的{article}不应有发现：{_describe(report)}"


@then(parsers.re("结论应为 ?(?P<conclusion>不合规|信息不全|合规|不适用)$"))
def conclusion_is(report, conclusion):
    if report.conclusion != conclusion:
        raise ExpectationFailed(f"结论应为「{conclusion}」，实际为「{report.conclusion}」：{_describe(report)}",
                                expected=conclusion, actual=report.conclusion, written=conclusion, found=report.conclusion)
