"""The endpoints behind the 政策工作台, free of HTTP: one policy file, compiled.

Each endpoint takes a validated body (bodies.py) and returns plain data. The compiled policy comes
from policy_state.py, which answers from the file as it is on disk now and lends the policy to each
request for as long as it runs. Saves go through saving.PolicyWriter.
"""
from __future__ import annotations

import datetime as dt
import re
import threading
from contextlib import AbstractContextManager
from pathlib import Path

from .. import language, messages, render
from ..errors import FactsError, FactsErrors, PolicyErrors, ToolError, relative_name
from ..facts import facts_files, load_facts, parse_facts_data, read_facts_text, validate_facts
from ..features import policy_feature_files
from ..lint import LintWarning, lint_policy
from ..package_data import SAMPLES
from ..policy import CompiledPolicy, compile_file_text, read_policy_text
from ..report import Report
from ..report_html import printable_report
from ..report_view import ReportView
from ..staff_labels import staff_labels
from .bodies import BodyError, CheckBody, EvaluateBody, FormFileBody, FormSaveBody, MergeBody, SaveBody, ScenarioBody
from .carry import stale_mentions
from .features_folder import features_folder
from .facts_form import AS_OF, error_entries, facts_file_text, form_layout, form_tree, form_values
from .merging import merge_groups
from .page_hints import meaning, page_hint
from .meta import language_meta
from .policy_state import PolicyState, Reload
from .saving import PolicyWriter, version_of
from .rule_parameters import parameter_values, parameters_of_rules
from .scenario_desk import Busy, ScenarioDesk, with_parameters

_TAG = re.compile(r"@(第[^\s@]+条(?:之[^\s@]+)?)")
_SCENARIO = re.compile(r"^\s*(?:场景大纲|场景|剧本)\s*[:：]\s*(.+)$")


class UnsavedPolicy(ToolError):
    """A save of text that does not compile, without `force`: nothing was written."""

    def __init__(self, error: ToolError) -> None:
        super().__init__(messages.POLICY_DOES_NOT_COMPILE)
        self.cause = error


def diagnostics(error: ToolError) -> list[dict]:
    """Errors as the page shows them: position, code, message, hint, article, and the rendering of `check`."""
    errors = error.errors if isinstance(error, PolicyErrors) else [error]
    result = []
    for item in errors:
        span = getattr(item, "span", None)
        result.append({"code": item.code, "message": item.message, "hint": item.hint, "article": getattr(item, "article", None),
                       "line": span.line if span else None, "column": span.column if span else None,
                       "end_line": span.end_line if span else None, "end_column": span.end_column if span else None,
                       "page_hint": page_hint(item.code, item.hint), "rendered": item.render()})
    return result


def lint_item(warning: LintWarning) -> dict:
    """A lint warning as the page shows it beside the errors."""
    span = warning.span
    return {"code": warning.code, "message": warning.message, "hint": warning.hint, "article": warning.article,
            "line": span.line if span else None, "column": span.column if span else None,
            "end_line": span.end_line if span else None, "end_column": span.end_column if span else None,
            "meaning": meaning(warning.code), "page_hint": page_hint(warning.code, warning.hint), "rendered": warning.render()}


def scenarios_by_article(paths: list[Path]) -> dict[str, list[str]]:
    """Scenario names of the feature files, by the article tags above them."""
    found: dict[str, list[str]] = {}
    for path in paths:
        pending: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("@"):
                pending.extend(_TAG.findall(line))
                continue
            match = _SCENARIO.match(line)
            if match:
                for label in pending:
                    found.setdefault(label, []).append(match.group(1).strip())
                pending = []
    return found


class Workbench:
    """One policy file, compiled from its text as it is now (policy_state.py); saved through saving.py."""

    def __init__(self, policy_path: Path, features: Path | None = None) -> None:
        """`features`: the folder of feature files `serve --features` names; by default the one beside
        the policy, or the tool's own (read-only for a policy copy elsewhere: features_folder.py)."""
        self.policy_path = policy_path
        self.writer = PolicyWriter(policy_path)
        self.state = PolicyState(policy_path)
        self.scenarios = ScenarioDesk(features_folder(policy_path, features), policy_path)
        self._merging = threading.Lock()
        # The parameters as this launch found them: a scenario failing on a parameter changed since is
        # told that its boundary moved (scenario_desk.with_parameters).
        self.started_values: dict[str, str] = {}
        if self.state.has_policy():
            with self.policy() as compiled:
                self.started_values = parameter_values(compiled.ir)

    @property
    def features(self) -> Path:
        """The feature files; their scenarios for this policy: scenario_desk.py (it may switch to a copy)."""
        return self.scenarios.features

    @property
    def load_error(self) -> ToolError | None:
        return self.state.load_error

    def reload(self) -> None:
        self.state.reload()

    def ensure_current(self) -> Reload | None:
        return self.state.ensure_current()

    def policy(self) -> AbstractContextManager[CompiledPolicy]:
        """The compiled policy of the file as it is now, lent for the duration of one request."""
        return self.state.policy()

    def status(self) -> dict:
        return self.state.status()

    def close(self) -> None:
        self.state.close()

    # ------------------------------------------------------------------ endpoints
    def get_policy(self) -> dict:
        text = read_policy_text(self.policy_path)
        # The page keeps a draft per policy file: the file's own path names it (a relative name can repeat
        # across folders, and two launches on two files may share a port after a restart).
        identity = version_of(str(self.policy_path.resolve()))
        return {"file": relative_name(self.policy_path), "identity": identity, "text": text, "version": version_of(text)}

    def check(self, body: CheckBody) -> dict:
        """The editor's text checked as `check` does, linted as `lint` does, and, for a parameter
        changed against the policy in use, what still says its old value (carry.py)."""
        try:
            checked, _ = compile_file_text(self.policy_path, body.text)
        except ToolError as error:
            return {"ok": False, "errors": diagnostics(error), "warnings": []}
        answer = {"ok": True, "errors": [], "articles": len(checked.articles), "rules": len(checked.rules),
                  "warnings": [lint_item(w) for w in lint_policy(checked, self.policy_path)]}
        if self.state.has_policy():  # none when no version of the file ever compiled
            with self.policy() as in_use:
                carried = stale_mentions(in_use.ir, checked, body.text,
                                         policy_feature_files(self.features, self.policy_path))
            if carried is not None:
                answer["连带"] = carried
        return answer

    def merge(self, body: MergeBody) -> dict:
        """The draft (mine) merged with the file as it is now since the draft's base (merging.py);
        the page saves the merged text against the version returned here. One merge at a time: a
        second is told to wait (a merge may take seconds of CPU)."""
        theirs = read_policy_text(self.policy_path)
        if not self._merging.acquire(blocking=False):
            raise Busy(messages.MERGE_BUSY)
        try:
            groups = merge_groups(body.base, theirs, body.mine)
        finally:
            self._merging.release()
        return {"version": version_of(theirs), "text": theirs, "groups": groups,
                "conflicts": sum(1 for g in groups if g["类别"] == "冲突")}

    def save(self, body: SaveBody) -> dict:
        """Write the text if the file still has the page's version; StaleVersion or ToolError otherwise.
        A text that does not compile is written only with `force` (the staffer's explicit choice)."""
        self.writer.check_version(body.version)
        try:
            compile_file_text(self.policy_path, body.text)
        except ToolError as error:
            if not body.force:
                raise UnsavedPolicy(error) from None
        self.writer.write(body.text, body.version)
        self.reload()
        return {"version": version_of(body.text), "compiled": self.load_error is None}

    def articles(self) -> dict:
        with self.policy() as compiled:
            scenarios = scenarios_by_article(policy_feature_files(self.features, self.policy_path))
            articles = render.articles_json(compiled.ir)
            uses, values = parameters_of_rules(compiled.ir), parameter_values(compiled.ir)
            for article in articles:
                rules = [r for r in compiled.ir.rules if r.article.label == article["条号"]]
                used = dict.fromkeys(name for r in rules for name in uses[r.rule_id])  # in order, once each
                article["参数"] = [{"参数": name, "值": values[name]} for name in used]
                article["规则"] = [{"规则": r.rule_id, "类别": sorted({o.kind for o in r.outcomes}), "依据": r.quote,
                                  "写法": compiled.ir.rule_text(r), "出处": f"{r.span.file}:{r.span.line}"} for r in rules]
                article["场景"] = scenarios.get(article["条号"], [])
            meta = compiled.ir.meta
            return {"办法": meta.name, "文号": meta.number, "施行日期": str(meta.effective or ""), "条文": articles}

    def vocabulary(self) -> dict:
        with self.policy() as compiled:
            fields = [{"字段": spec.path, "类型": spec.type, "取值": list(spec.words), "单位": spec.unit, "说明": spec.description,
                       "必填": spec.required} for spec in compiled.vocabulary.fields.values() if spec.type != "记录列表"]
            words = sorted(w for w in language.all_keywords() if re.fullmatch("[\u4e00-\u9fff]+", w))
            return {"字段": fields, "关键词": words, "参数": sorted(compiled.ir.params)}

    def meta(self) -> dict:
        """What the page needs to know about the language and this policy (shape: meta.py's docstring)."""
        with self.policy() as compiled:
            return language_meta(compiled)

    @staticmethod
    def sample_files() -> dict[str, Path]:
        return {path.stem: path for path in facts_files([SAMPLES])}

    def samples(self) -> dict:
        return {"示例": list(self.sample_files())}

    def evaluate(self, body: EvaluateBody) -> dict:
        """The report's JSON (docs/report.md) and, under 「显示」, how staff read it (report_view.py)."""
        with self.policy() as compiled:
            report, unit = self._evaluate(compiled, body)
            return {**report.to_json(), "显示": ReportView.of(report, staff_labels(compiled), unit).to_json()}

    def _evaluate(self, compiled: CompiledPolicy, body: EvaluateBody) -> tuple[Report, str | None]:
        """The project's report and its 建设单位 (the report's heading names it; the report does not hold it)."""
        if body.sample:
            path = self.sample_files().get(body.sample)
            if path is None:
                raise BodyError(messages.NO_SUCH_SAMPLE.format(name=body.sample))
            facts = load_facts(path, compiled.vocabulary)
        elif body.facts_text:
            facts = validate_facts(parse_facts_data(body.facts_text, "粘贴的事实", False), compiled.vocabulary, "粘贴的事实",
                                   body.facts_text)
        else:
            facts = validate_facts(form_tree(body.fields or {}, None), compiled.vocabulary, "表单")
        report = compiled.evaluate(facts, body.as_of_date() or facts.as_of or dt.date.today()).report()
        return report, facts.values.get("项目.建设单位")

    # ------------------------------------------------------------------ the 试算 form (facts_form.py)
    def facts_form(self) -> dict:
        with self.policy() as compiled:
            return form_layout(compiled.vocabulary)

    def load_form(self, body: FormFileBody) -> dict:
        """A sample or an uploaded file as the form's values. A file the facts model refuses still
        fills the form as far as it can; its mistakes come back by key path (200: the answer to
        "what does this file say", not a failed request)."""
        with self.policy() as compiled:
            if body.sample:
                path = self.sample_files().get(body.sample)
                if path is None:
                    raise BodyError(messages.NO_SUCH_SAMPLE.format(name=body.sample))
                display, text = relative_name(path), read_facts_text(path)
            else:
                display, text = body.name, body.facts_text or ""
            try:
                data = parse_facts_data(text, display, display.lower().endswith(".json"))
            except FactsError as error:
                return {"文件": display, AS_OF: None, "字段": {}, "错误": error_entries(error)}
            values = form_values(data, compiled.vocabulary)
            try:
                validate_facts(data, compiled.vocabulary, display, text)
                problems = []
            except (FactsError, FactsErrors) as error:
                problems = error_entries(error)
            as_of = values.pop(AS_OF, None)
            return {"文件": display, AS_OF: as_of if isinstance(as_of, str) else None, "字段": values, "错误": problems}

    def check_form(self, body: FormSaveBody) -> dict:
        """The form's mistakes by key path, none when the facts model accepts it: asked before an
        evaluation or a print, so a staffer's typo is told at its field, not answered as a failed request."""
        with self.policy() as compiled:
            try:
                validate_facts(form_tree(body.fields, body.as_of), compiled.vocabulary, "表单")
            except (FactsError, FactsErrors) as error:
                return {"错误": error_entries(error)}
            return {"错误": []}

    def save_form(self, body: FormSaveBody) -> dict:
        """The form as a facts file's text, or the mistakes that keep the facts model from accepting it."""
        with self.policy() as compiled:
            try:
                return {"yaml": facts_file_text(body.fields, body.as_of, compiled.vocabulary), "错误": []}
            except (FactsError, FactsErrors) as error:
                return {"yaml": None, "错误": error_entries(error)}

    def report_page(self, body: EvaluateBody) -> dict:
        """The printable report of any project the page can evaluate (sample, file or form)."""
        return {"html": self.report_html(body)}

    def run_scenarios(self, body: ScenarioBody) -> dict:
        """Run this policy's scenarios (all, one article's, one) in-process; see scenario_desk.py."""
        if self.load_error is not None:  # the run compiles the file on disk, which would fail in every scenario alike
            raise ToolError(messages.SCENARIO_POLICY_DOES_NOT_COMPILE.format(problem=self.load_error.render()))
        with self.policy() as compiled:
            labels = {article.label for article in compiled.ir.articles}
        data = self.scenarios.run(body, labels)
        with self.policy() as compiled:
            return with_parameters(data, compiled.ir, self.started_values)

    def report_html(self, body: EvaluateBody) -> str:
        with self.policy() as compiled:
            report, unit = self._evaluate(compiled, body)
            return printable_report(report, staff_labels(compiled), unit)
