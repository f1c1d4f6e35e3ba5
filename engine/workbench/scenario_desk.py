"""The 规格场景 tab's side of the workbench: the policy's own feature files, listed by article,
read, saved, run, and a failed step's expected value updated. Free of HTTP, like api.py.

API (JSON; feature files are named relative to features/, e.g. "05_第五章_采购和合同管理.feature"):
- GET  /api/scenarios                     → {"文件": [{"文件", "版本"}], "条文": {条号: [{"文件", "行", "场景"}]}, "未标条号": [...],
                                              "问题": [a file that does not parse, at file:line]}
- GET  /api/scenarios/file?file=NAME       → {"文件", "文本", "版本"}
- POST /api/scenarios/save   {file, text, version, force?}   → {"文件", "版本"}; 409 when the file changed since `version`
- POST /api/scenarios/update {file, version, line, written, found} → {"文件", "版本", "行", "步骤"}: the step on `line`,
  which ends with `written`, now ends with `found` (a failed run's 失败.更新 gives file, line, 原值, 新值); 409 as above
- POST /api/scenarios        {article?, file?, line?}        → the run (engine/scenario_results.ScenarioRun.to_json)
- POST /api/scenarios/copy   {}                              → the listing, now of the copy beside the policy

The listing also says "文件夹" (the folder a save rewrites), "可写" and, when read-only, "只读说明"
and "复制到": a policy copy with no features/ beside it is shown the tool's bundled scenarios,
which the page never writes (features_folder.py); save and update then refuse with a sentence.

Another county's files never appear under this policy (engine.features.policy_feature_files), and
only those files can be read or written. A run compiles the policy from the file on disk in its
own session (engine/scenario_run.py), so the workbench's compiled policy is neither used nor
disturbed; one run at a time, bounded in time and size.
"""
from __future__ import annotations

import re
import threading
from pathlib import Path

from .. import ir, language, messages
from ..errors import ToolError
from ..features import check_feature_files, parse_problems, policy_feature_files, policy_feature_target
from ..package_data import FEATURES
from ..scenario_run import Selection, run_scenarios, shown_path
from ..text import article_label, fold_fullwidth, parse_article_label
from .bodies import BodyError, FeatureSaveBody, ScenarioBody, StepUpdateBody
from .features_folder import FeaturesFolder, copy_bundled_features
from .rule_parameters import named_otherwise, parameter_values, parameters_of_rules
from .saving import PolicyWriter, version_of

SCENARIO_TIMEOUT_SECONDS = 600
_RULE_IN_STEP = re.compile(f"规则\\s*({language.RULE_ID})")  # a step that names its rule: 那么 规则28.2 应为 违规


class Busy(Exception):
    """Another run of the same expensive kind is in progress; try again when it ends."""


class UnsavedFeature(ToolError):
    """A feature text the Gherkin parser rejects, without `force`: nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(messages.FEATURE_DOES_NOT_PARSE + "\n" + "\n".join(problems))
        self.problems = problems


def article_of(query: str) -> tuple[int, int] | None:
    """(number, sub) of what a staffer types for an article: 28, 第28条, 第二十八条, 二十八, 47之一,
    第四十七条之一 (full-width digits too); None when it is none of these."""
    text = fold_fullwidth(query).strip().replace(" ", "")
    if not text:
        return None
    if not text.startswith("第"):
        head, _, sub = text.partition("之")
        text = f"第{head}条" + (f"之{sub}" if sub else "")
    return parse_article_label(text)


class ScenarioDesk:
    def __init__(self, folder: FeaturesFolder, policy_path: Path, time_limit: float = SCENARIO_TIMEOUT_SECONDS) -> None:
        self.folder, self.policy_path, self.time_limit = folder, policy_path, time_limit
        self._run = threading.Lock()
        self._writers: dict[Path, PolicyWriter] = {}
        self._writers_lock = threading.Lock()

    @property
    def features(self) -> Path:
        return self.folder.path

    def copy_bundled(self, _body: object = None) -> dict:
        """Copy the bundled scenarios beside the policy and edit the copy from now on."""
        if not self.folder.writable:
            with self._writers_lock:
                self.folder = copy_bundled_features(self.folder, self.policy_path)
        return self.listing()

    def _refuse_read_only(self) -> None:
        if not self.folder.writable:
            raise ToolError(messages.SCENARIO_READ_ONLY.format(folder=self.features.resolve()),
                            hint=messages.SCENARIO_READ_ONLY_HINT)

    # ------------------------------------------------------------------ files
    def files(self) -> dict[str, Path]:
        """This policy's feature files by the name the page uses. A file that is a link to somewhere
        outside the features folder (a fork's repository can carry one: `x.feature -> ~/.bashrc`)
        is not one of them: the page would show that file and its save would rewrite it."""
        inside = self.features.resolve()
        return {path.relative_to(self.features).as_posix(): path for path in policy_feature_files(self.features, self.policy_path)
                if inside in path.resolve().parents and path.resolve().is_file()}

    def _file(self, name: str) -> Path:
        path = self.files().get(name)
        if path is None:
            raise BodyError(messages.SCENARIO_NO_SUCH_FILE.format(file=name))
        return path

    def _writer(self, path: Path) -> PolicyWriter:
        with self._writers_lock:
            return self._writers.setdefault(path, PolicyWriter(path, messages.SCENARIO_FILE_CHANGED_ELSEWHERE))

    def listing(self) -> dict:
        from pytest_bdd.exceptions import GherkinParseError
        from pytest_bdd.gherkin_parser import get_gherkin_document
        files, by_article, untagged, problems = [], {}, [], []
        for name, path in self.files().items():
            text = path.read_text(encoding="utf-8")
            files.append({"文件": name, "版本": version_of(text)})
            try:
                feature = get_gherkin_document(str(path)).feature
            except GherkinParseError:
                # listed as a file, with what keeps it from being read (named as the page names it)
                problems += [problem.replace(shown_path(path), name, 1) for problem in parse_problems([path])]
                continue
            scenarios = [(child.scenario, feature.tags) for child in feature.children if child.scenario]
            scenarios += [(c.scenario, feature.tags + child.rule.tags) for child in feature.children if child.rule
                          for c in child.rule.children if c.scenario]
            for scenario, outer_tags in scenarios:
                entry = {"文件": name, "行": scenario.location.line, "场景": scenario.name}
                labels = [tag.name.lstrip("@") for tag in [*outer_tags, *scenario.tags] if parse_article_label(tag.name.lstrip("@"))]
                for label in labels:
                    by_article.setdefault(label, []).append(entry)
                if not labels:
                    untagged.append(entry)
        answer = {"文件": files, "条文": by_article, "未标条号": untagged, "问题": problems,
                  "文件夹": str(self.features.resolve()), "可写": self.folder.writable}  # which files a save rewrites
        if not self.folder.writable:
            target = self.folder.copy_target(self.policy_path)
            answer |= {"复制到": str(target), "只读说明": messages.SCENARIO_READ_ONLY_NOTE.format(target=target)}
        return answer

    def read(self, name: str) -> dict:
        text = self._file(name).read_text(encoding="utf-8")
        return {"文件": name, "文本": text, "版本": version_of(text)}

    def save(self, body: FeatureSaveBody) -> dict:
        self._refuse_read_only()
        path = self._file(body.file)
        writer = self._writer(path)
        writer.check_version(body.version)
        if not body.force:
            problems = self._problems_of(path, body.text)
            if problems:
                raise UnsavedFeature(problems)
        writer.write(body.text, body.version)
        return {"文件": body.file, "版本": version_of(body.text)}

    def _problems_of(self, path: Path, text: str) -> list[str]:
        """What the parser and the colon check would say about `text` as the file at `path`."""
        import tempfile
        with tempfile.TemporaryDirectory() as scratch:
            trial = Path(scratch) / path.name
            trial.write_text(text, encoding="utf-8")
            problems = check_feature_files(Path(scratch)) or parse_problems([trial])
        return [p.replace(str(trial), body_name(self.features, path)) for p in problems]

    def update_step(self, body: StepUpdateBody) -> dict:
        """Rewrite the failed step's expected value, and nothing else of the file."""
        self._refuse_read_only()
        path = self._file(body.file)
        writer = self._writer(path)
        writer.check_version(body.version)
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        if body.line > len(lines):
            raise ToolError(messages.SCENARIO_STEP_CHANGED.format(file=body.file, line=body.line))
        line = lines[body.line - 1]
        lines[body.line - 1] = _with_value(line, body)
        if lines[body.line - 1] is None:
            raise ToolError(messages.SCENARIO_STEP_VALUE_MISSING.format(file=body.file, line=body.line, written=body.written))
        new_text = "\n".join(lines)
        writer.write(new_text, body.version)
        return {"文件": body.file, "版本": version_of(new_text), "行": body.line, "步骤": lines[body.line - 1].strip()}

    # ------------------------------------------------------------------ runs
    def run(self, body: ScenarioBody, article_labels: set[str]) -> dict:
        """Run all of this policy's scenarios, one article's, or one (by file and line)."""
        selection = Selection()
        if body.article.strip():
            number = article_of(body.article)
            label = article_label(*number) if number else None
            if label is None or label not in article_labels:
                raise ToolError(messages.SCENARIO_BAD_ARTICLE.format(article=body.article), hint=messages.SCENARIO_BAD_ARTICLE_HINT)
            selection = Selection(article=label)
        elif body.file:
            selection = Selection(file=self._file(body.file), line=body.line)
        refuse_foreign_python(self.features)
        if not self._run.acquire(blocking=False):
            raise Busy(messages.SCENARIO_BUSY)
        try:
            run = run_scenarios(policy_feature_target(self.features, self.policy_path), self.policy_path.resolve(),
                                selection, self.time_limit, features=self.features)
        finally:
            self._run.release()
        data = run.to_json()
        for scenario in data["场景"]:  # the page names feature files as the listing does
            scenario["文件名"] = _page_name(self.features, scenario["文件"])
            if scenario["失败"] and scenario["失败"]["更新"]:
                scenario["失败"]["更新"]["文件"] = scenario["文件名"]
        return data


def refuse_foreign_python(features: Path) -> None:
    """A run imports the Python files of the features folder (its conftest.py files and test
    modules): a folder received from elsewhere (another county's fork, `serve --features`) would run
    its code at a click on 运行. The page runs a folder only when each of its Python files is, byte for
    byte, one of the tool's own (the bundled step library, which 复制到政策文件旁 copies)."""
    own = {path.read_bytes() for path in FEATURES.rglob("*.py") if "__pycache__" not in path.parts}
    longest = max(map(len, own), default=0)

    def is_own(path: Path) -> bool:  # a FIFO or a huge file is not read: neither is one of ours
        return path.is_file() and path.stat().st_size <= longest and path.read_bytes() in own
    foreign = [path.relative_to(features).as_posix() for path in sorted(features.rglob("*.py"))
               if "__pycache__" not in path.relative_to(features).parts and not is_own(path)]
    if foreign:
        raise ToolError(messages.SCENARIO_FOREIGN_PYTHON.format(folder=features, files="、".join(foreign[:5])
                                                               + ("等" if len(foreign) > 5 else "")),
                        hint=messages.SCENARIO_FOREIGN_PYTHON_HINT.format(folder=features))


def body_name(features: Path, path: Path) -> str:
    return path.relative_to(features).as_posix() if features in path.parents else path.name


def _page_name(features: Path, shown: str) -> str:
    from ..scenario_run import ROOT
    path = Path(shown) if Path(shown).is_absolute() else ROOT / shown
    try:
        return path.resolve().relative_to(features.resolve()).as_posix()
    except ValueError:
        return shown


def _with_value(line: str, body: StepUpdateBody) -> str | None:
    """The line with the step's value replaced: at the end of a step, or in one cell of an example
    row (`| 2025-01-24 | 违规 | … |`, the cell's padding kept). None when the value is not there."""
    if body.column is None:
        stripped = line.rstrip()
        if not stripped.endswith(body.written):
            return None
        return stripped[:-len(body.written)] + body.found + line[len(stripped):]
    cells = line.split("|")  # ['  ', ' a ', ' b ', ''] for '  | a | b |'
    index = body.column + 1
    if not line.strip().startswith("|") or index >= len(cells) - 1 or cells[index].strip() != body.written:
        return None
    cell = cells[index]
    cells[index] = cell[:len(cell) - len(cell.lstrip())] + body.found + " "
    return "|".join(cells)


def with_parameters(data: dict, policy: ir.Policy, started: dict[str, str]) -> dict:
    """A run's failed scenarios, each failure with 参数: the parameters its rules use (the rules its
    failed step names, 规则28.2, else its articles' rules), each with 值 (now), 启动时 (the value when
    the workbench started, only when it has moved since) and 场景写的 (how the scenario's title names
    that quantity otherwise, 「10 个工作日」, or null). The page tells a moved boundary from a changed
    result with them before a staffer updates an expected value."""
    uses, now = parameters_of_rules(policy), parameter_values(policy)
    for scenario in data["场景"]:
        failure = scenario["失败"]
        if not failure:
            continue
        rules = _RULE_IN_STEP.findall(fold_fullwidth(failure["步骤"]))
        if not rules:
            rules = [rule.rule_id for rule in policy.rules if rule.article.label in scenario["条号"]]
        names = dict.fromkeys(name for rule in rules for name in uses.get(rule, []))
        failure["参数"] = [{"参数": name, "值": now[name],
                          "启动时": started[name] if started.get(name, now[name]) != now[name] else None,
                          "场景写的": named_otherwise(policy, name, scenario["场景"])} for name in names]
    return data
