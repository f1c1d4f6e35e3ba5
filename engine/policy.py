"""The façade: load a policy once, evaluate many projects.

    policy = load_policy(Path("policies/jinxiang_2024.rules"))
    report = policy.evaluate(load_facts(path, policy.vocabulary), as_of=date(2026, 11, 27))

Stages, in order: read → parse (grammar/parser.py) → merge what a fork inherits (inherit.py) →
check and lower to IR (checker.py, lowering.py) → register the durable-rules ruleset
(durable_backend.py). Used alike by the CLI, the workbench, the tests and the feature steps.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from grammar.parser import parse_policy_text

from . import ir, syntax
from .checker import check_policy
from .durable_backend import DurableBackend
from .errors import PolicyError, UsageError, relative_name
from .facts import ProjectFacts
from .inherit import header_references, load_vocabulary_chain, parse_with_bases
from .findings import Report, build_findings
from .reference import evaluate_reference
from .valuation import ProjectValues, ValuationPlan, value_project
from .vocabulary import DEFAULT_VOCABULARY, Vocabulary, load_vocabulary
from .workdays import DEFAULT_HOLIDAY_DATA, WorkdayCalendar, load_calendar

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POLICY = ROOT / "policies" / "jinxiang_2024.rules"
MAX_POLICY_BYTES = 2_000_000


def read_policy_text(path: Path) -> str:
    display = relative_name(path)
    try:
        size = path.stat().st_size
        if size > MAX_POLICY_BYTES:
            raise UsageError(f"{display}: 政策文件有 {size} 字节，超过 {MAX_POLICY_BYTES} 字节的上限")
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"找不到政策文件 {display}", hint="默认的政策文件是 policies/jinxiang_2024.rules") from None
    except UnicodeDecodeError:
        raise UsageError(f"{display}: 政策文件不是 UTF-8 编码的文本，请用 UTF-8 另存") from None
    except OSError as exc:
        raise UsageError(f"{display}: 无法读取政策文件（{exc.strerror or exc}）") from None


def compile_policy(text: str, file: str, vocabulary: Vocabulary) -> ir.Policy:
    try:
        source = parse_policy_text(text, file, tuple(vocabulary.policy_paths()))
        return check_policy(source, vocabulary)
    except RecursionError:
        # Parentheses are limited before parsing; this catches other pathological nesting (非非非…).
        raise PolicyError.of("E104", None) from None


@dataclass
class CompiledPolicy:
    """A checked policy registered with its backend, ready to evaluate projects one at a time."""

    ir: ir.Policy
    vocabulary: Vocabulary
    workdays: WorkdayCalendar
    backend: DurableBackend | None

    def __post_init__(self) -> None:
        self.plan = ValuationPlan.of(self.ir)

    def values(self, facts: ProjectFacts, as_of: dt.date | None = None) -> ProjectValues:
        return value_project(self.plan, facts, as_of or facts.as_of or dt.date.today(), self.workdays)

    def evaluate(self, facts: ProjectFacts, as_of: dt.date | None = None, backend: str = "durable") -> Report:
        """Findings for one project. `as_of` overrides the facts' 评估日期; the default is today."""
        values = self.values(facts, as_of)
        if backend == "durable" and self.backend is not None:
            firings = self.backend.evaluate(values)
        else:
            firings = evaluate_reference(self.ir, values)
        return Report(self.ir, facts.file, facts.project_id, str(facts.values.get("项目.名称", "")),
                      values.project.fields["评估日期"], build_findings(self.ir, values, firings))

    def close(self) -> None:
        if self.backend is not None:
            self.backend.close()
            self.backend = None


def policy_vocabulary(path: Path, text: str, vocabulary_path: Path = DEFAULT_VOCABULARY) -> Vocabulary:
    """The vocabulary a policy's text is read with: a fork names its base and vocabulary extensions."""
    return load_vocabulary_chain(path, text)[0] if header_references(text) else load_vocabulary(vocabulary_path)


def parse_file_text(path: Path, text: str, vocabulary: Vocabulary) -> syntax.PolicySource:
    """The syntax tree of a policy's text as if it were the file at `path`, merged with what it inherits."""
    try:
        return parse_with_bases(path, text, tuple(vocabulary.policy_paths()))
    except RecursionError:
        raise PolicyError.of("E104", None) from None


def check_source(source: syntax.PolicySource, vocabulary: Vocabulary) -> ir.Policy:
    try:
        return check_policy(source, vocabulary)
    except RecursionError:
        raise PolicyError.of("E104", None) from None


def compile_file_text(path: Path, text: str, vocabulary_path: Path = DEFAULT_VOCABULARY) -> tuple[ir.Policy, Vocabulary]:
    """Check a policy's text as if it were the file at `path` (the workbench and the language
    server check edits this way): a fork's base and vocabulary extensions are found beside it."""
    vocabulary = policy_vocabulary(path, text, vocabulary_path)
    return check_source(parse_file_text(path, text, vocabulary), vocabulary), vocabulary


def load_policy(path: Path = DEFAULT_POLICY, *, vocabulary_path: Path = DEFAULT_VOCABULARY,
                holidays_path: Path = DEFAULT_HOLIDAY_DATA, backend: bool = True) -> CompiledPolicy:
    policy, vocabulary = compile_file_text(path, read_policy_text(path), vocabulary_path)
    return CompiledPolicy(policy, vocabulary, load_calendar(holidays_path), DurableBackend(policy) if backend else None)
