"""Running a policy's feature scenarios in this process: pytest with pytest-bdd, driven by
pytest.main and a recording plugin, never a subprocess whose output is read back by regex.

The plugin selects the scenarios asked for (all, one article's, or the one at a file and line),
and records for each: passed or failed, the failed step as features/conftest.py describes it (file,
line, step, expected against found — never a traceback), and the rules the evaluator recorded.

Isolation. A run compiles its own policy from the file on disk (the step library's `policy`
fixture, closed when the run ends), so it neither sees nor touches a caller's compiled policy.
pytest and pytest-bdd keep process-wide state (sys.modules, pytest-bdd's configuration stack), so
runs take turns on one lock; the feature modules are imported afresh for each run (a feature file
edited since the last run is read again) and the caller's own imports of them are put back after.
Output capture, logging, warnings, faulthandler and the unraisable/thread exception hooks are
switched off: they replace process-wide streams and hooks that a server's other threads use.

Bounds. A run stops starting scenarios after `time_limit` seconds (the scenario under way
finishes: one evaluation is bounded by engine_limits) and refuses to start more than
MAX_SCENARIOS; the scenarios not run are reported as 未运行.
"""
from __future__ import annotations

import sys
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from . import messages
from .package_data import DATA_ROOT
from .text import parse_article_label
from .scenario_results import FAILED, NOT_RUN, PASSED, ScenarioOutcome, ScenarioRun, StepFailure

ROOT = DATA_ROOT  # the checkout, or the installed package's data folder: where features/ is
MAX_SCENARIOS = 5_000  # the measures' own specification has about 300; a run beyond this is refused
DEFAULT_TIME_LIMIT_SECONDS = 600.0
_ONE_RUN = threading.Lock()

# No terminal, capture, logging, warnings or faulthandler: they act on the whole process (see above).
# Plugins are not auto-loaded (pytest-asyncio, benchmark, lsp): only pytest-bdd is needed.
_PYTEST_OPTIONS = ("--disable-plugin-autoload", "-p", "pytest_bdd.plugin", "-p", "no:cacheprovider", "-p", "no:terminal",
                   "-p", "no:logging", "-p", "no:warnings", "-p", "no:faulthandler", "-p", "no:python_path",
                   "-p", "no:unraisableexception", "-p", "no:threadexception", "-p", "no:stepwise",
                   "--capture=no", "--assert=plain", "--import-mode=importlib")


@dataclass(frozen=True)
class Selection:
    """Which scenarios to run: all (the default), those tagged with an article label, or the one
    written at `line` of `file` (every example row of an outline)."""

    article: str | None = None
    file: Path | None = None
    line: int | None = None

    def wants(self, outcome: ScenarioOutcome, path: Path) -> bool:
        """Whether the scenario `outcome` describes, written in the feature file at `path`, is selected."""
        if self.article is not None and self.article not in outcome.articles:
            return False
        if self.file is not None and path.resolve() != self.file.resolve():
            return False
        return self.line is None or outcome.line == self.line


def shown_path(path: Path) -> str:
    """A feature file as messages name it: relative to the project when it is inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


class RecordingPlugin:
    """Selects the scenarios and records what became of each (pytest hooks; see the module's docstring)."""

    def __init__(self, selection: Selection, deadline: float) -> None:
        self.selection, self.deadline = selection, deadline
        self.outcomes: dict[str, ScenarioOutcome] = {}  # by pytest node id, in collection order
        self.problems: list[str] = []
        self.stopped: str | None = None
        self.policy_file: str | None = None

    def pytest_collectreport(self, report) -> None:
        if report.failed:  # a feature file that does not parse, or a step library that does not import
            self.problems.append(_collection_problem(report))

    def pytest_collection_modifyitems(self, session, config, items) -> None:
        kept, dropped = [], []
        for item in items:
            found = _scenario_of(item)
            outcome, path = found if found is not None else (None, None)
            if outcome is not None and self.selection.wants(outcome, path):
                kept.append(item)
                self.outcomes[item.nodeid] = outcome
            else:
                dropped.append(item)
        if len(kept) > MAX_SCENARIOS:
            self.stopped = messages.SCENARIO_TOO_MANY.format(count=len(kept), limit=MAX_SCENARIOS)
            dropped, kept = dropped + kept, []
            self.outcomes.clear()
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        items[:] = kept

    def pytest_runtest_logstart(self, nodeid, location) -> None:
        if time.monotonic() > self.deadline and self.stopped is None:
            self.stopped = messages.SCENARIO_TIMEOUT_STOPPED

    def pytest_runtest_setup(self, item) -> None:
        if self.stopped is not None:
            item.session.shouldstop = self.stopped  # pytest stops after this item
            import pytest
            pytest.skip(self.stopped)

    def pytest_runtest_makereport(self, item, call) -> None:
        outcome = self.outcomes.get(item.nodeid)
        if outcome is None or (call.when != "call" and (call.excinfo is None or call.excinfo.errisinstance(_skipped()))):
            return
        if call.when != "call":  # a fixture failed: the policy did not load, say, for every scenario alike
            outcome.result = FAILED
            outcome.failure = outcome.failure or StepFailure(outcome.file, outcome.line, outcome.name, "", _told(call.excinfo))
            return
        outcome.result = FAILED if call.excinfo is not None else PASSED
        failure = getattr(item, "scenario_failure", None)
        if outcome.result == FAILED:
            outcome.failure = failure if isinstance(failure, StepFailure) else StepFailure(
                outcome.file, outcome.line, outcome.name, "", _told(call.excinfo))
        for file, seen in getattr(item, "rule_outcomes", {}).items():
            self.policy_file = self.policy_file or file
            outcome.checked_fired |= seen["fired"]
            outcome.checked_silent |= seen["silent"]
        outcome.fired = getattr(item, "evaluated_rules", {})


def _skipped() -> type:
    import pytest
    return pytest.skip.Exception


def _told(excinfo) -> str:
    """An error outside the steps' own reporting, in the tool's words when it is one of ours."""
    from .errors import ToolError
    if isinstance(excinfo.value, ToolError):
        return messages.SCENARIO_STEP_CRASHED.format(problem=excinfo.value.render())
    return messages.SCENARIO_STEP_CRASHED.format(problem=excinfo.exconly())


def _scenario_of(item) -> tuple[ScenarioOutcome, Path] | None:
    """The scenario behind a pytest-bdd test item and its feature file, or None for any other test."""
    from pytest_bdd.scenario import scenario_wrapper_template_registry
    template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))
    if template is None:
        return None
    tags = template.tags | template.feature.tags | (template.rule.tags if template.rule else set())
    example = getattr(getattr(item, "callspec", None), "params", {}).get("_pytest_bdd_example") or None
    path = Path(template.feature.filename)
    return ScenarioOutcome(shown_path(path), template.line_number, template.name,
                           tuple(sorted(t for t in tags if parse_article_label(t))), dict(example) if example else None), path


def _collection_problem(report) -> str:
    """A feature file that pytest-bdd could not read, in one Chinese line (the parser's position kept)."""
    text = report.longreprtext.strip()
    detail = next((line for line in reversed(text.splitlines()) if line.strip() and not line.startswith(" ")), text)
    return messages.SCENARIO_FILE_UNREADABLE.format(file=shown_path(Path(str(report.fspath))) if report.fspath else "",
                                                    problem=detail.removeprefix("E ").strip())


def run_scenarios(target: Path, policy: Path | None = None, selection: Selection = Selection(),
                  time_limit: float = DEFAULT_TIME_LIMIT_SECONDS, features: Path | None = None) -> ScenarioRun:
    """Run the scenarios under `target` (a folder or a test module of feature scenarios) against
    `policy` (the step library's default when None; a county's folder names its own). `features`
    is the features folder `target` belongs to: pytest imports the conftest.py files from there
    down (the step library), never one in a folder above it (pytest's default goes up to the root
    of the file system outside the checkout: a /tmp/conftest.py another user left would run)."""
    import pytest

    from .features import check_feature_files, parse_problems
    folder = target if target.is_dir() else target.parent
    problems = check_feature_files(folder) or parse_problems(sorted(folder.rglob("*.feature")))
    if problems:  # pytest would stop with a usage error or a collection traceback; say which file and line instead
        return ScenarioRun(str(policy or ""), problems=problems)
    args = [str(target), *_PYTEST_OPTIONS, "--rootdir", str(ROOT)]
    if (ROOT / "pyproject.toml").is_file():  # a checkout; an installed package has no pytest settings of its own
        args += ["-c", str(ROOT / "pyproject.toml")]
    if policy is not None:
        args.append(f"--policy={policy.resolve()}")
    if features is not None:
        args.append(f"--confcutdir={features.resolve()}")
    with _ONE_RUN:
        plugin = RecordingPlugin(selection, time.monotonic() + time_limit)
        with _fresh_modules(folder):
            try:
                pytest.main(args, plugins=[plugin])
            except Exception as error:  # noqa: BLE001 - a hook of the step library failed; the caller gets a sentence
                traceback.print_exc()  # for the developer, on the terminal of the process
                plugin.problems.append(messages.SCENARIO_RUN_CRASHED.format(problem=f"{type(error).__name__}: {error}"))
    return ScenarioRun(plugin.policy_file or str(policy or ""), list(plugin.outcomes.values()), plugin.problems, plugin.stopped)


class _fresh_modules:
    """Import the feature folder's modules afresh for a run, and put the caller's back afterwards."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.saved: dict[str, object] = {}

    def _ours(self) -> list[str]:
        names = []
        for name, module in list(sys.modules.items()):
            file = getattr(module, "__file__", None)
            if file and (self.folder in Path(file).resolve().parents or _is_features_package(name)):
                names.append(name)
        return names

    def __enter__(self) -> None:
        self.saved = {name: sys.modules.pop(name) for name in self._ours()}
        self._forget_parsed_features()

    def __exit__(self, *exc) -> None:
        for name in self._ours():
            sys.modules.pop(name, None)
        sys.modules.update(self.saved)
        self._forget_parsed_features()

    def _forget_parsed_features(self) -> None:
        """pytest-bdd keeps every feature file it parsed, by name, for the life of the process."""
        from pytest_bdd import feature
        for name in [n for n in feature.features if self.folder in Path(n).resolve().parents]:
            del feature.features[name]


def _is_features_package(name: str) -> bool:
    return name == "features" or name.startswith("features.")


__all__ = ["MAX_SCENARIOS", "NOT_RUN", "Selection", "run_scenarios", "shown_path"]
