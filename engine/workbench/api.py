"""The state and the endpoints behind the 政策工作台, free of HTTP: one policy file, compiled.

Each endpoint takes a validated body (bodies.py) and returns plain data. The compiled policy is
lent to each request for as long as it runs: a save reloads the policy, and the policy it replaces
is closed only when the last evaluation that started on it has finished, so an evaluation running
during a reload finishes on the policy it started with. Saves go through saving.PolicyWriter.
"""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .. import language, messages, render
from ..errors import PolicyErrors, ToolError, relative_name
from ..facts import facts_files, load_facts, nest, parse_facts_data, validate_facts
from ..features import policy_feature_files, policy_feature_target
from ..policy import ROOT, CompiledPolicy, compile_file_text, load_policy, read_policy_text
from ..report import Report
from ..report_html import printable_report
from .bodies import BodyError, CheckBody, EvaluateBody, SaveBody, ScenarioBody
from .meta import language_meta
from .saving import PolicyWriter, version_of
from ..backend import Engine

SAMPLES = ROOT / "facts" / "示例"
SCENARIO_TIMEOUT_SECONDS = 600
_TAG = re.compile(r"@(第[^\s@]+条)")
_SCENARIO = re.compile(r"^\s*(?:场景大纲|场景|剧本)\s*[:：]\s*(.+)$")
_ARTICLE = re.compile(language.ARTICLE_NUMBER)


class Busy(Exception):
    """Another run of the same expensive kind is in progress; try again when it ends."""


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
                       "rendered": item.render()})
    return result


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


@dataclass(eq=False)
class _Loan:
    """A compiled policy and how many requests are using it; closed once retired and unused."""

    compiled: CompiledPolicy
    users: int = 0
    retired: bool = False


class Workbench:
    """One policy file, compiled; reloaded after each save."""

    def __init__(self, policy_path: Path) -> None:
        self.policy_path = policy_path
        self.writer = PolicyWriter(policy_path)
        self._loans = threading.Lock()  # guards _current and the users/retired counts
        self._reloading = threading.Lock()  # one reload at a time, so the newest file wins
        self._scenario_run = threading.Lock()
        self._current: _Loan | None = None
        self.load_error: ToolError | None = None
        self.reload()

    def reload(self) -> None:
        """Compile the file again. Never raises: a policy that does not load leaves the last good one
        in use and its error in `load_error` (a save that already wrote must not answer 500)."""
        with self._reloading:
            try:
                compiled = load_policy(self.policy_path, backend=Engine.DURABLE)
            except ToolError as error:
                self.load_error = error
                return
            except Exception:  # noqa: BLE001 - shown on the server's terminal; the page gets a message
                traceback.print_exc()
                self.load_error = ToolError(messages.RELOAD_INTERNAL_ERROR)
                return
            with self._loans:
                old, self._current, self.load_error = self._current, _Loan(compiled), None
                if old is not None:
                    old.retired = True
                close_old = old is not None and old.users == 0
            if close_old:
                old.compiled.close()

    @contextmanager
    def policy(self) -> Iterator[CompiledPolicy]:
        """The compiled policy, lent for the duration of one request."""
        with self._loans:
            loan = self._current
            if loan is None:
                raise self.load_error or ToolError(messages.POLICY_NOT_LOADED)
            loan.users += 1
        try:
            yield loan.compiled
        finally:
            with self._loans:
                loan.users -= 1
                close = loan.retired and loan.users == 0
            if close:
                loan.compiled.close()

    def close(self) -> None:
        """Stop lending the policy; it is closed now, or when the last request using it ends."""
        with self._loans:
            loan, self._current = self._current, None
            if loan is not None:
                loan.retired = True
            close = loan is not None and loan.users == 0
        if close:
            loan.compiled.close()

    # ------------------------------------------------------------------ endpoints
    def get_policy(self) -> dict:
        text = read_policy_text(self.policy_path)
        return {"file": relative_name(self.policy_path), "text": text, "version": version_of(text)}

    def check(self, body: CheckBody) -> dict:
        try:
            compiled, _ = compile_file_text(self.policy_path, body.text)
        except ToolError as error:
            return {"ok": False, "errors": diagnostics(error)}
        return {"ok": True, "errors": [], "articles": len(compiled.articles), "rules": len(compiled.rules)}

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
            scenarios = scenarios_by_article(policy_feature_files(ROOT / "features", self.policy_path))
            articles = render.articles_json(compiled.ir)
            for article in articles:
                rules = [r for r in compiled.ir.rules if r.article.label == article["条号"]]
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
            groups = {name: list(group) for name, group in language.keyword_groups().items()}  # the editor's highlighting
            return {"字段": fields, "关键词": words, "关键词组": groups, "参数": sorted(compiled.ir.params)}

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
        with self.policy() as compiled:
            return self._evaluate(compiled, body).to_json()

    def _evaluate(self, compiled: CompiledPolicy, body: EvaluateBody) -> Report:
        if body.sample:
            path = self.sample_files().get(body.sample)
            if path is None:
                raise BodyError(messages.NO_SUCH_SAMPLE.format(name=body.sample))
            facts = load_facts(path, compiled.vocabulary)
        elif body.facts_text:
            facts = validate_facts(parse_facts_data(body.facts_text, "粘贴的事实", False), compiled.vocabulary, "粘贴的事实",
                                   body.facts_text)
        else:
            fields = {k: v for k, v in (body.fields or {}).items() if v not in ("", None, [])}
            facts = validate_facts(nest(fields), compiled.vocabulary, "表单")
        return compiled.evaluate(facts, body.as_of_date() or facts.as_of or dt.date.today()).report()

    def run_scenarios(self, body: ScenarioBody) -> dict:
        """Run the feature files against this policy; one run at a time (each is a pytest process)."""
        target = policy_feature_target(ROOT / "features", self.policy_path)
        args = [sys.executable, "-m", "pytest", str(target), "-q", "-p", "no:cacheprovider", "--rootdir", str(ROOT),
                "-c", str(ROOT / "pyproject.toml"), f"--policy={self.policy_path.resolve()}"]
        if body.article:
            if not _ARTICLE.fullmatch(body.article):
                raise ToolError(messages.SCENARIO_BAD_ARTICLE.format(article=body.article), hint=messages.SCENARIO_BAD_ARTICLE_HINT)
            args += ["-m", body.article]
        if not self._scenario_run.acquire(blocking=False):
            raise Busy(messages.SCENARIO_BUSY)
        try:
            result = subprocess.run(args, capture_output=True, text=True, encoding="utf-8", errors="replace", cwd=ROOT,
                                    timeout=SCENARIO_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise ToolError(messages.SCENARIO_TIMEOUT.format(seconds=SCENARIO_TIMEOUT_SECONDS)) from None
        finally:
            self._scenario_run.release()
        lines = result.stdout.strip().splitlines()
        summary = lines[-1] if lines else ""
        passed = int(m.group(1)) if (m := re.search(r"(\d+) passed", summary)) else 0
        failed = int(m.group(1)) if (m := re.search(r"(\d+) failed", summary)) else 0
        failures = [line for line in lines if line.startswith("FAILED")]
        return {"passed": passed, "failed": failed, "summary": summary, "failures": failures}

    def report_html(self, body: EvaluateBody) -> str:
        with self.policy() as compiled:
            return printable_report(self._evaluate(compiled, body))
