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

from . import ir
from .checker import check_policy
from .durable_backend import DurableBackend
from .errors import PolicyError, Span, UsageError, relative_name
from .facts import ProjectFacts
from .inherit import header_references, load_vocabulary_chain, parse_with_bases
from .findings import Report, build_findings
from .reference import evaluate_reference
from .versions import combine_versions
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


def compile_file_text(path: Path, text: str, vocabulary_path: Path = DEFAULT_VOCABULARY) -> tuple[ir.Policy, Vocabulary]:
    """Check a policy's text as if it were the file at `path` (the workbench checks edits this
    way before saving): a fork's base and vocabulary extensions are found beside it."""
    references = header_references(text)  # a fork names its base and vocabulary extensions
    vocabulary = load_vocabulary_chain(path, text)[0] if references else load_vocabulary(vocabulary_path)
    try:
        policy = check_policy(parse_with_bases(path, text, tuple(vocabulary.policy_paths())), vocabulary)
    except RecursionError:
        raise PolicyError.of("E104", None) from None
    if "修订" in references:  # a revision: the previous version still judges conduct before its 施行日期
        name, where = references["修订"]
        previous_path = (path.parent / name).resolve()  # parse_with_bases has checked it exists, inside the folder
        previous, _ = compile_file_text(previous_path, read_policy_text(previous_path), vocabulary_path)
        span = Span(relative_name(path), where.line, where.column, where.end_line, where.end_column)
        if policy.meta.effective is None or (previous.meta.effective and policy.meta.effective <= previous.meta.effective):
            raise PolicyError.of("E196", span, source=text, previous=str(previous.meta.effective or "未写"),
                                 current=str(policy.meta.effective or "未写"))
        policy = combine_versions(previous, policy)
    return policy, vocabulary


def load_policy(path: Path = DEFAULT_POLICY, *, vocabulary_path: Path = DEFAULT_VOCABULARY,
                holidays_path: Path = DEFAULT_HOLIDAY_DATA, backend: bool = True) -> CompiledPolicy:
    policy, vocabulary = compile_file_text(path, read_policy_text(path), vocabulary_path)
    return CompiledPolicy(policy, vocabulary, load_calendar(holidays_path), DurableBackend(policy) if backend else None)
