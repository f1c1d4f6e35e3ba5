"""The façade: load a policy once, evaluate many projects.

    policy = load_policy(Path("policies/jinxiang_2024.rules"), backend=Engine.DURABLE)
    evaluation = policy.evaluate(load_facts(path, policy.vocabulary), as_of=date(2026, 11, 27))
    report = evaluation.report()  # what is shown and written out (engine/report.py)

Stages, in order: read, each file once (policy_files.py) → parse (parser.py) → merge what
a fork inherits (inherit.py) → check (checker.py: resolve names into an Environment,
environment.py; lower each rule, lowering.py; the checker passes, passes.py) → combine a revision
with the version it revises (versions.py) → the final passes (passes.finish: constant folding) →
the backend the caller chose (engine/backend.py: the durable-rules ruleset, durable_backend.py,
for the product; the reference evaluator, reference.py, to test it or when only the IR is wanted).
Used alike by the CLI, the workbench, the tests and the feature steps. `explain` reads what an
evaluation recorded (CompiledPolicy.evaluate_recorded).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import assert_never

from . import ir, syntax
from .checker import check_policy
from .package_data import DEFAULT_POLICY
from .parser import parse_policy_text
from .engine_limits import check_policy_limits
from .backend import Backend, BackendsDisagree, Engine, Firing, RuleRecord
from .durable_backend import DurableBackend
from .errors import PolicyError, Span, ToolError, relative_name
from .policy_files import PolicyFiles, read_policy_text  # noqa: F401 - read_policy_text is part of the façade
from .facts import ProjectFacts
from .inherit import header_references, load_vocabulary_chain, parse_with_bases
from .findings import Evaluation, FindingsPlan
from .passes import finish
from .reference import ReferenceBackend, record_reference
from .versions import combine_versions
from .valuation import ProjectValues, ValuationPlan, value_project
from .vocabulary import DEFAULT_VOCABULARY, Vocabulary, load_vocabulary
from .workdays import DEFAULT_HOLIDAY_DATA, WorkdayCalendar, load_calendar


def compile_policy(text: str, file: str, vocabulary: Vocabulary) -> ir.Policy:
    try:
        source = parse_policy_text(text, file, tuple(vocabulary.policy_paths()))
        return finish(_within_engine_limits(check_policy(source, vocabulary)))
    except RecursionError:
        # Parentheses are limited before parsing; this catches other pathological nesting (非非非…).
        raise PolicyError.of("E104", _most_nested_line(text, file), source=text) from None


def _within_engine_limits(policy: ir.Policy) -> ir.Policy:
    """A checked policy is also one the rules engine can build quickly and evaluate exactly."""
    check_policy_limits(policy)
    return policy


@dataclass
class CompiledPolicy:
    """A checked policy with the backend that evaluates it, ready to evaluate projects one at a time."""

    ir: ir.Policy
    vocabulary: Vocabulary
    workdays: WorkdayCalendar
    backend: Backend
    plan: ValuationPlan | None = None

    def __post_init__(self) -> None:
        self.plan = self.plan or ValuationPlan.of(self.ir)
        self.findings_plan = FindingsPlan.of(self.ir)
        self.closed = False

    @property
    def engine(self) -> Engine:
        return self.backend.engine

    def using(self, engine: Engine) -> "CompiledPolicy":
        """The same checked policy evaluated by another backend (the caller closes it): how the
        tests hold the two backends side by side."""
        return CompiledPolicy(self.ir, self.vocabulary, self.workdays, start_backend(self.ir, engine), self.plan)

    def values(self, facts: ProjectFacts, as_of: dt.date | None = None) -> ProjectValues:
        """The project's values; texts, amounts and computed values the engine could not compare
        exactly are refused there, for both backends (valuation.value_project)."""
        return value_project(self.plan, facts, as_of or facts.as_of or dt.date.today(), self.workdays)

    def evaluate(self, facts: ProjectFacts, as_of: dt.date | None = None) -> Evaluation:
        """Findings for one project. `as_of` overrides the facts' 评估日期; the default is today.
        With the durable backend, one project is a batch of one, through the same path as many."""
        values = self.values(facts, as_of)
        firings, = self.firings([values])
        if isinstance(firings, ToolError):
            raise firings
        return self.evaluation(facts, values, firings)

    def evaluate_many(self, projects: list[ProjectFacts], as_of: dt.date | None = None, *,
                      dates: list[dt.date | None] | None = None) -> list[Evaluation | ToolError]:
        """Evaluations in order, the projects evaluated in batches that share an engine session; a
        project the engine failed on gets its error in its place. `dates`, if given, is an
        evaluation date per project (as `as_of` for one)."""
        dates = dates if dates is not None else [as_of] * len(projects)
        values = [self.values(facts, when) for facts, when in zip(projects, dates)]
        return [result if isinstance(result, ToolError) else self.evaluation(facts, project_values, result)
                for facts, project_values, result in zip(projects, values, self.firings(values))]

    def firings(self, values: list[ProjectValues]) -> list[list[Firing] | ToolError]:
        """Which rules fired for each project, by the policy's backend (in engine batches for
        durable-rules). A closed policy raises BackendClosed."""
        return self.backend.evaluate_many(values)

    def evaluate_recorded(self, facts: ProjectFacts, as_of: dt.date | None = None
                          ) -> tuple[Evaluation, ProjectValues, list[RuleRecord]]:
        """One project's evaluation with the record of how every rule was decided, for explain. The
        evaluation is this policy's backend's; the record is the reference evaluator's walk over the
        same values, and must name the same firings (else BackendsDisagree: a bug, said as one)."""
        values = self.values(facts, as_of)
        firings, = self.firings([values])
        if isinstance(firings, ToolError):
            raise firings
        recorded, records = record_reference(self.ir, values)
        if sorted(recorded, key=repr) != sorted(firings, key=repr):
            raise BackendsDisagree(self.engine)
        return self.evaluation(facts, values, firings), values, records

    def evaluation(self, facts: ProjectFacts, values: ProjectValues, firings: list[Firing]) -> Evaluation:
        return Evaluation(self.ir, facts.file, facts.project_id, str(facts.values.get("项目.名称", "")),
                      values.project.fields["评估日期"], self.findings_plan.build(values, firings))

    def close(self) -> None:
        """Release the backend (durable-rules' ruleset); evaluating afterwards raises BackendClosed.
        Closing twice is harmless."""
        if not self.closed:
            self.closed = True
            self.backend.close()


def prepare_policy(checked: ir.Policy, vocabulary: Vocabulary, workdays: WorkdayCalendar, *, backend: Engine,
                   text: str | None = None) -> CompiledPolicy:
    """A checked policy (compile_policy) ready to evaluate with the backend the caller names."""
    return CompiledPolicy(checked, vocabulary, workdays, start_backend(checked, backend, text))


def policy_vocabulary(path: Path, text: str, vocabulary_path: Path = DEFAULT_VOCABULARY,
                      files: PolicyFiles | None = None) -> Vocabulary:
    """The vocabulary a policy's text is read with: a fork names its base and vocabulary extensions."""
    if not header_references(text):
        return load_vocabulary(vocabulary_path)
    return load_vocabulary_chain(path, text, files or PolicyFiles())[0]


def parse_file_text(path: Path, text: str, vocabulary: Vocabulary, files: PolicyFiles | None = None) -> syntax.PolicySource:
    """The syntax tree of a policy's text as if it were the file at `path`, merged with what it inherits."""
    try:
        return parse_with_bases(path, text, tuple(vocabulary.policy_paths()), files or PolicyFiles())
    except RecursionError:
        raise PolicyError.of("E104", _most_nested_line(text, relative_name(path)), source=text) from None


def check_source(source: syntax.PolicySource, vocabulary: Vocabulary) -> ir.Policy:
    try:
        return _within_engine_limits(check_policy(source, vocabulary))
    except RecursionError:
        raise PolicyError.of("E104", _most_nested_line(source.text, source.file), source=source.text) from None


def compile_file_text(path: Path, text: str, vocabulary_path: Path = DEFAULT_VOCABULARY) -> tuple[ir.Policy, Vocabulary]:
    """Check a policy's text as if it were the file at `path` (the workbench and the language
    server check edits this way): a fork's base and vocabulary extensions are found beside it.
    The result has been through the final passes (engine/passes.py): ready for any backend."""
    policy, vocabulary = _checked_file_text(path, text, vocabulary_path)
    return finish(policy), vocabulary


def _checked_file_text(path: Path, text: str, vocabulary_path: Path,
                       files: PolicyFiles | None = None) -> tuple[ir.Policy, Vocabulary]:
    # Each base and extension is read once, by the same reader as the policy: a revision's previous
    # version and the bases it inherits share the files of the revision's compile.
    files = files or PolicyFiles()
    vocabulary = policy_vocabulary(path, text, vocabulary_path, files)
    policy = check_source(parse_file_text(path, text, vocabulary, files), vocabulary)
    return with_previous_version(path, text, policy, vocabulary_path, files), vocabulary


def with_previous_version(path: Path, text: str, policy: ir.Policy, vocabulary_path: Path = DEFAULT_VOCABULARY,
                          files: PolicyFiles | None = None) -> ir.Policy:
    """A revision (修订): the checked policy combined with the version it revises, which still judges
    conduct before the revision's 施行日期. Any other policy is returned as it is."""
    references = header_references(text)
    if "修订" not in references:
        return policy
    files = files or PolicyFiles()
    name, where = references["修订"]
    previous_path = (path.parent / name).resolve()  # parse_with_bases has checked it exists, inside the folder
    span = Span(relative_name(path), where.line, where.column, where.end_line, where.end_column)
    previous, _ = _checked_file_text(previous_path, files.policy_text(previous_path, span, text), vocabulary_path, files)
    if policy.meta.effective is None or (previous.meta.effective and policy.meta.effective <= previous.meta.effective):
        raise PolicyError.of("E196", span, source=text, previous=str(previous.meta.effective or "未写"),
                             current=str(policy.meta.effective or "未写"))
    return combine_versions(previous, policy)


def _most_nested_line(text: str, file: str) -> Span | None:
    """Where a RecursionError most likely came from: the line with the most 非 and parentheses
    (the recursion itself does not say which rule it was in)."""
    lines = text.splitlines()
    scores = [sum(line.count(mark) for mark in ("非", "(", "（")) for line in lines]
    if not scores or max(scores) == 0:
        return None
    number = scores.index(max(scores)) + 1
    return Span(file, number, 1, number, len(lines[number - 1]) + 1)


def start_backend(policy: ir.Policy, engine: Engine, text: str | None = None) -> Backend:
    """The backend `engine` names, built for the policy."""
    match engine:
        case Engine.DURABLE:
            return register_backend(policy, text)
        case Engine.REFERENCE:
            return ReferenceBackend(policy)
        case _:
            assert_never(engine)


def register_backend(policy: ir.Policy, text: str | None = None) -> DurableBackend:
    """The policy registered with durable-rules. A condition that checks but is too long for the
    backend's recursive passes (a thousand 且) is the author's to split: a located E104, not E999."""
    try:
        return DurableBackend(policy)
    except RecursionError:
        rule = max(policy.rules, key=_condition_size)
        raise PolicyError.of("E104", rule.span, article=rule.article.label,
                             source=text if rule.span.file == policy.file else None) from None


def _condition_size(rule: ir.Rule) -> int:
    """How many nodes a rule's conditions have, counted without recursion (ir.Node.walk)."""
    conditions = (rule.applies, rule.undecided, *(outcome.condition for outcome in rule.outcomes))
    return sum(1 for cond in conditions if cond is not None for _ in cond.walk())


def load_policy(path: Path = DEFAULT_POLICY, *, backend: Engine, vocabulary_path: Path = DEFAULT_VOCABULARY,
                holidays_path: Path = DEFAULT_HOLIDAY_DATA) -> CompiledPolicy:
    """The policy at `path`, checked, with the backend the caller names (Engine.DURABLE for the
    product; Engine.REFERENCE when only the IR is wanted, or to test the other against)."""
    return load_policy_text(path, read_policy_text(path), backend=backend, vocabulary_path=vocabulary_path,
                            holidays_path=holidays_path)


def load_policy_text(path: Path, text: str, *, backend: Engine, vocabulary_path: Path = DEFAULT_VOCABULARY,
                     holidays_path: Path = DEFAULT_HOLIDAY_DATA) -> CompiledPolicy:
    """A policy compiled from a text already read from `path` (the workbench hashes exactly the
    text it compiles, so it knows which version of the file it answers from)."""
    policy, vocabulary = compile_file_text(path, text, vocabulary_path)
    return prepare_policy(policy, vocabulary, load_calendar(holidays_path), backend=backend, text=text)
