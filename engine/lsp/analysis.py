"""One policy document as the editor holds it: parsed, checked and linted with the project's own
stages (engine.policy, engine.lint), exactly as `check` and `lint` do for the saved file.

While the text does not parse, the last syntax tree that did is kept for hover and navigation:
names move little between keystrokes, and an editor that forgets everything at the first typo
is no help while typing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine import ir, syntax
from grammar.parser import parse_policy_text
from engine.errors import PolicyError, PolicyErrors, Span, ToolError, relative_name
from engine.inherit import header_references, resolve_inside
from engine.lint import LintWarning, lint_policy
from engine.policy import check_source, parse_file_text, policy_vocabulary
from engine.vocabulary import Vocabulary, load_vocabulary

from .index import SymbolIndex

Problem = PolicyError | LintWarning | ToolError


@dataclass
class Analysis:
    path: Path
    text: str
    vocabulary: Vocabulary
    source: syntax.PolicySource | None = None  # this text merged with what it inherits
    policy: ir.Policy | None = None  # only when the whole policy checks
    problems: list[Problem] = field(default_factory=list)
    index: SymbolIndex = field(default_factory=SymbolIndex)
    stale: bool = False  # source and index are from an earlier text that parsed

    def base_path(self) -> Path | None:
        """The file this policy inherits (继承), if it names one that exists."""
        refs = header_references(self.text)
        if "继承" not in refs:
            return None
        name, span = refs["继承"]
        try:
            return resolve_inside(self.path.parent, name, span, "继承的政策文件", self.text)
        except PolicyError:
            return None


def analyse(path: Path, text: str, previous: Analysis | None = None) -> Analysis:
    """Check `text` as the file at `path`; keep the previous tree for navigation if it does not parse."""
    try:
        vocabulary = policy_vocabulary(path, text)
    except ToolError as error:  # a fork naming a missing base or a bad vocabulary extension
        vocabulary = previous.vocabulary if previous else load_vocabulary()
        return _keep_tree(Analysis(path, text, vocabulary, problems=_problems(error)), previous)
    try:
        source = parse_file_text(path, text, vocabulary)
    except ToolError as error:
        return _keep_tree(Analysis(path, text, vocabulary, problems=_problems(error)), previous)
    analysis = Analysis(path, text, vocabulary, source, index=SymbolIndex.of(source, _repeals(path, text, vocabulary)))
    try:
        analysis.policy = check_source(source, vocabulary)
    except ToolError as error:
        analysis.problems = _problems(error)
        return analysis
    analysis.problems = list(lint_policy(analysis.policy, path))
    return analysis


def _repeals(path: Path, text: str, vocabulary: Vocabulary) -> tuple[syntax.Repeal, ...]:
    """A fork's 废止 lines: merging applies them, so only the fork's own tree still has them."""
    if "继承" not in header_references(text):
        return ()
    return parse_policy_text(text, relative_name(path), tuple(vocabulary.policy_paths())).repeals


def _keep_tree(analysis: Analysis, previous: Analysis | None) -> Analysis:
    if previous is not None and previous.source is not None:
        analysis.source, analysis.index, analysis.policy, analysis.stale = previous.source, previous.index, previous.policy, True
    return analysis


def _problems(error: ToolError) -> list[Problem]:
    return list(error.errors) if isinstance(error, PolicyErrors) else [error]


def span_path(span: Span) -> Path:
    """The file a span is in. Spans name files relative to the working directory (relative_name)."""
    return Path(span.file).resolve()
