"""What a run of the feature scenarios found, as plain data the CLI, the workbench and the step
library share: each scenario's outcome, a failed step told as its author reads it (file:line, the
step, expected against found), the rules the evaluator recorded in the scenario, and, when a failed
step expected one value and the evaluation gave exactly one other, the edit that would update it.

No pytest here: the step library raises ExpectationFailed, the runner (scenario_run.py) fills these
records, and the workbench turns them into JSON.
"""
from __future__ import annotations

from dataclasses import dataclass, field


class ExpectationFailed(AssertionError):
    """A step's expectation did not hold. `expected` and `actual` are shown beside the message;
    `written` → `found` is the edit of the step's own text that would make it expect what the
    evaluation now gives (only when that is one unambiguous value)."""

    def __init__(self, message: str, *, expected: str = "", actual: str = "", written: str | None = None,
                 found: str | None = None) -> None:
        super().__init__(message)
        self.expected, self.actual, self.written, self.found = expected, actual, written, found


@dataclass(frozen=True)
class ValueUpdate:
    """Replace `written` by `found` on one line of a feature file: at the end of the failed step's
    line, or, when the value came from a scenario outline's example, in that row's `column` (0-based)."""

    file: str
    line: int
    written: str
    found: str
    column: int | None = None

    def to_json(self) -> dict:
        return {"文件": self.file, "行": self.line, "原值": self.written, "新值": self.found, "列": self.column}


@dataclass(frozen=True)
class StepFailure:
    file: str  # the feature file, relative to the project
    line: int  # the failed step's line
    scenario: str
    step: str  # as written: keyword and text
    reason: str  # one Chinese sentence: what was expected, what was found
    expected: str = ""
    actual: str = ""
    update: ValueUpdate | None = None

    def render(self) -> str:
        return f"{self.file}:{self.line}: 场景「{self.scenario}」\n  步骤：{self.step}\n  {self.reason}"

    def to_json(self) -> dict:
        return {"文件": self.file, "行": self.line, "场景": self.scenario, "步骤": self.step, "说明": self.reason,
                "期望": self.expected, "实际": self.actual, "更新": self.update.to_json() if self.update else None,
                "全文": self.render()}


PASSED, FAILED, NOT_RUN = "通过", "失败", "未运行"


@dataclass
class ScenarioOutcome:
    """One scenario (one row of an outline's examples) and what became of it."""

    file: str
    line: int
    name: str
    articles: tuple[str, ...]  # its article tags: 第二十八条 …
    example: dict[str, str] | None = None
    result: str = NOT_RUN
    failure: StepFailure | None = None
    fired: dict[str, list[str]] = field(default_factory=dict)  # rule id → kinds, as the last evaluation recorded them
    checked_fired: set[str] = field(default_factory=set)  # rules an outcome step checked and the evaluation saw firing
    checked_silent: set[str] = field(default_factory=set)  # … and saw not firing

    def to_json(self) -> dict:
        return {"文件": self.file, "行": self.line, "场景": self.name, "条号": list(self.articles), "例子": self.example,
                "结果": self.result, "失败": self.failure.to_json() if self.failure else None,
                "触发": self.fired, "见到触发": sorted(self.checked_fired), "见到不触发": sorted(self.checked_silent)}


@dataclass
class ScenarioRun:
    """A run: its scenarios in file order, problems that kept scenarios from running (a feature
    file that does not parse), and why it stopped early, if it did."""

    policy_file: str
    scenarios: list[ScenarioOutcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    stopped: str | None = None

    @property
    def passed(self) -> int:
        return sum(1 for s in self.scenarios if s.result == PASSED)

    @property
    def failed(self) -> int:
        return sum(1 for s in self.scenarios if s.result == FAILED) + len(self.problems)

    @property
    def not_run(self) -> int:
        return sum(1 for s in self.scenarios if s.result == NOT_RUN)

    @property
    def fired(self) -> set[str]:
        """Rules some scenario's outcome step saw firing (for coverage)."""
        return set().union(*(s.checked_fired for s in self.scenarios))

    @property
    def silent(self) -> set[str]:
        return set().union(*(s.checked_silent for s in self.scenarios))

    def summary(self) -> str:
        text = f"通过 {self.passed}，失败 {self.failed}"
        if self.not_run:
            text += f"，未运行 {self.not_run}"
        return text + (f"（{self.stopped}）" if self.stopped else "")

    def to_json(self) -> dict:
        return {"所测政策": self.policy_file, "通过": self.passed, "失败": self.failed, "未运行": self.not_run,
                "摘要": self.summary(), "问题": list(self.problems), "停止原因": self.stopped,
                "场景": [s.to_json() for s in self.scenarios]}
