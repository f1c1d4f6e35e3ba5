"""One policy document as the editor holds it: parsed, checked and linted with the project's own
stages (engine.policy, engine.lint), exactly as `check` and `lint` do for the saved file.

While the text does not parse, the last syntax tree that did is kept for hover and navigation:
names move little between keystrokes, and an editor that forgets everything at the first typo
is no help while typing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from engine import ir, syntax
from engine.parser import parse_policy_text
from engine.errors import PolicyError, PolicyErrors, Span, ToolError, relative_name
from engine.inherit import header_references, resolve_inside
from engine.lint import LintWarning, lint_policy
from engine.policy import check_source, parse_file_text, policy_vocabulary, with_previous_version
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
        vocabulary = _vocabulary(path, text)
    except ToolError as error:  # a fork naming a missing base or a bad vocabulary extension
        vocabulary = previous.vocabulary if previous else load_vocabulary()
        return _keep_tree(Analysis(path, text, vocabulary, problems=_problems(error)), previous)
    try:
        source = parse_file_text(path, text, vocabulary)
    except ToolError as error:
        return _keep_tree(Analysis(path, text, vocabulary, problems=_problems(error)), previous)
    analysis = Analysis(path, text, vocabulary, source, index=SymbolIndex.of(source, _own_tree(path, text, vocabulary)))
    try:
        analysis.policy = with_previous_version(path, text, check_source(source, vocabulary))
    except ToolError as error:
        analysis.problems = _problems(error)
        return analysis
    analysis.problems = list(lint_policy(analysis.policy, path))
    return analysis


def _vocabulary(path: Path, text: str) -> Vocabulary:
    """A fork's vocabulary (base plus 词汇 extensions) is read again only when a policy or vocabulary
    file beside it changes, or the fork names other files: not at every keystroke."""
    references = header_references(text)
    if not references:
        return policy_vocabulary(path, text)
    folder = path.parent
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.iterdir()) if p.suffix in (".rules", ".yaml", ".yml"))
    named = tuple((key, name) for key, (name, _) in sorted(references.items()))
    try:
        return _fork_vocabulary(path, named, stamp)
    except ToolError:
        return policy_vocabulary(path, text)  # again with the real text, so the error points at its line


@lru_cache(maxsize=8)
def _fork_vocabulary(path: Path, named: tuple[tuple[str, str], ...], stamp: tuple) -> Vocabulary:
    # The vocabulary depends on the text only through its 继承 and 词汇 lines.
    return policy_vocabulary(path, "\n".join(f"{key} “{name}”" for key, name in named))


def _own_tree(path: Path, text: str, vocabulary: Vocabulary) -> syntax.PolicySource | None:
    """A fork's own syntax tree: merging applies its 废止 and 条号对照 lines, so only this tree still has them."""
    if "继承" not in header_references(text):
        return None
    return parse_policy_text(text, relative_name(path), tuple(vocabulary.policy_paths()))


def _keep_tree(analysis: Analysis, previous: Analysis | None) -> Analysis:
    if previous is not None and previous.source is not None:
        analysis.source, analysis.index, analysis.policy, analysis.stale = previous.source, previous.index, previous.policy, True
    return analysis


def _problems(error: ToolError) -> list[Problem]:
    return list(error.errors) if isinstance(error, PolicyErrors) else [error]


def span_path(span: Span) -> Path:
    """The file a span is in. Spans name files relative to the working directory (relative_name)."""
    return Path(span.file).resolve()
