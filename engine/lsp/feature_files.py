"""Gherkin feature files (features/*.feature): steps that no step definition matches, and
completion of step phrasings and field names.

The step definitions are the project's own: the conftest.py files from the feature's folder up
to features/ are imported and their pytest-bdd steps matched exactly as pytest-bdd matches them
(by step type, after filling in a scenario outline's examples). The phrasings offered and listed
are the step library's own PHRASINGS, and the message is its own `unknown_step`.
"""
from __future__ import annotations

import importlib.util
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lsprotocol import types

from engine.package_data import FEATURES, POLICIES
from engine.policy import policy_vocabulary
from engine.policy_files import read_text_file
from engine.vocabulary import Vocabulary, load_vocabulary

from .completion import typed_part
from .diagnostics import SOURCE


@dataclass
class StepLibrary:
    steps: list  # pytest-bdd StepFunctionContext: .type ("given", "when", "then" or None) and .parser
    phrasings: str  # the step library's PHRASINGS: a heading line, then the phrasings that exist
    unknown_step: object  # (keyword, name) → the message pytest gives for an unmatched step

    def matches(self, step_type: str, text: str) -> bool:
        return any(s.type in (None, step_type) and s.parser.is_matching(text) for s in self.steps)

    def phrasing_list(self) -> list[str]:
        """Each phrasing, keyword included, without the notes in （） that follow some of them."""
        found = []
        for line in self.phrasings.split("\n")[1:]:
            for part in re.split(r"\s+/\s+", line.strip()):
                part = re.sub(r"（[^）]*）$", "", part).strip()
                if part:
                    found.append(part)
        return found


def step_library(feature: Path) -> StepLibrary | None:
    """The steps usable in `feature`: those of every conftest.py from its folder up to features/."""
    conftests = [folder / "conftest.py" for folder in (feature.parent, *feature.parent.parents)
                 if (folder / "conftest.py").is_file() and (folder == FEATURES or FEATURES in folder.parents)]
    if not conftests:
        return None
    steps, phrasings, unknown = [], "", None
    for conftest in conftests:
        try:
            module, contexts = _load_steps(conftest, conftest.stat().st_mtime_ns)
        except Exception:  # noqa: BLE001 - pytest-bdd not installed, or a conftest being edited: no step checks
            return None
        steps.extend(contexts)
        phrasings = phrasings or getattr(module, "PHRASINGS", "")
        unknown = unknown or getattr(module, "unknown_step", None)
    return StepLibrary(steps, phrasings, unknown or (lambda keyword, name: f"步骤「{keyword.strip()} {name}」没有对应的写法。"))


@lru_cache(maxsize=16)
def _load_steps(conftest: Path, mtime_ns: int):
    """Import a conftest.py under a name of its own and collect the steps its decorators registered."""
    from pytest_bdd.steps import step_function_context_registry
    name = f"_policy_lsp_steps_{abs(hash((str(conftest), mtime_ns)))}"
    before = set(step_function_context_registry.keys())
    spec = importlib.util.spec_from_file_location(name, conftest)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # keeps the step fixtures (the registry's weak keys) alive
    spec.loader.exec_module(module)
    contexts = [context for marker, context in list(step_function_context_registry.items()) if marker not in before]
    return module, contexts


def feature_vocabulary(feature: Path) -> Vocabulary:
    """A fork's scenarios live in features/<policy name>/ (see its conftest.py): its fields are the fork's."""
    policy = POLICIES / f"{feature.parent.name}.rules"
    if feature.parent != FEATURES and policy.is_file():
        try:
            return policy_vocabulary(policy, read_text_file(policy))
        except Exception:  # noqa: BLE001 - a broken fork still leaves the base vocabulary usable here
            pass
    return load_vocabulary()


# ---------------------------------------------------------------- diagnostics
def feature_diagnostics(path: Path, text: str) -> list[types.Diagnostic]:
    library = step_library(path)
    if library is None:
        return []
    try:
        feature = _parse(path, text)
    except Exception as error:  # noqa: BLE001 - any parse failure is shown where Gherkin located it
        return [_parse_error(error)]
    result = []
    seen_lines = set()
    for template in feature.scenarios.values():
        contexts = [context for examples in template.examples for context in examples.as_contexts()] or [{}]
        for context in contexts:
            for step in template.render(context).steps:
                if step.line_number in seen_lines or library.matches(step.type, step.name):
                    continue
                seen_lines.add(step.line_number)
                result.append(_unknown_step(text, step, library))
    return sorted(result, key=lambda d: d.range.start.line)


def _parse(path: Path, text: str):
    from gherkin.parser import Parser
    from pytest_bdd.gherkin_parser import GherkinDocument
    from pytest_bdd.parser import FeatureParser

    class _TextFeatureParser(FeatureParser):
        """pytest-bdd's own parser, fed the editor's text instead of the saved file."""

        def _parse_feature_file(self):
            return GherkinDocument.from_dict(Parser().parse(text))

    return _TextFeatureParser(str(path.parent), path.name).parse()


def _unknown_step(text: str, step, library: StepLibrary) -> types.Diagnostic:
    line = step.line_number - 1
    written = text.split("\n")[line] if line < len(text.split("\n")) else ""
    start = len(written) - len(written.lstrip())
    return types.Diagnostic(
        range=types.Range(types.Position(line, start), types.Position(line, len(written.rstrip()))),
        message=library.unknown_step(step.keyword, step.name), severity=types.DiagnosticSeverity.Error,
        source=SOURCE, code="未知步骤")


def _parse_error(error: Exception) -> types.Diagnostic:
    errors = getattr(error, "errors", None) or [error]
    where = getattr(errors[0], "location", None) or {}
    line = max((where.get("line") or 1) - 1, 0)
    column = max((where.get("column") or 1) - 1, 0)
    return types.Diagnostic(range=types.Range(types.Position(line, column), types.Position(line, column + 1)),
                            message=f"Gherkin 无法解析：{errors[0]}", severity=types.DiagnosticSeverity.Error, source=SOURCE)


# ---------------------------------------------------------------- completion
def feature_completion(path: Path, line: str, column: int) -> list[types.CompletionItem]:
    library = step_library(path)
    before = line[:column]
    items = []
    step = re.match(r"^(\s*)(\S+?)([ \t]+)(.*)$", before)
    if library is not None and step and step.group(2) in _step_keywords(library):
        typed = step.group(4)
        start = column - len(typed)
        for phrasing in library.phrasing_list():
            _, _, phrase = phrasing.partition(" ")
            if phrase.startswith(typed):
                items.append(types.CompletionItem(
                    label=phrase, kind=types.CompletionItemKind.Snippet, detail=phrasing, filter_text=phrase, sort_text="1" + phrase,
                    text_edit=types.TextEdit(types.Range(types.Position(0, start), types.Position(0, column)), phrase)))
    vocabulary = feature_vocabulary(path)
    tail = before[-24:]
    for field_path in vocabulary.policy_paths():
        typed = typed_part(tail, field_path)
        if not typed and before.strip() and not re.search(r"[\s|]$", before):
            continue
        spec = vocabulary.get(field_path) or vocabulary.item_field(field_path)
        items.append(types.CompletionItem(
            label=field_path, kind=types.CompletionItemKind.Field, detail=spec.type if spec else "字段",
            documentation=spec.description if spec else None, filter_text=field_path, sort_text="0" + field_path,
            text_edit=types.TextEdit(types.Range(types.Position(0, column - len(typed)), types.Position(0, column)), field_path)))
    return items


def _step_keywords(library: StepLibrary) -> set[str]:
    """The keywords the phrasings start with (假如, 而且, 当, 那么 …) and Gherkin's other zh-CN step words."""
    words = {phrasing.split(" ", 1)[0] for phrasing in library.phrasing_list()}
    try:
        from gherkin.dialect import Dialect
        dialect = Dialect.for_name("zh-CN")
        for group in (dialect.given_keywords, dialect.when_keywords, dialect.then_keywords, dialect.and_keywords,
                      dialect.but_keywords):
            words.update(w.strip() for w in group if w.strip() != "*")
    except Exception:  # noqa: BLE001 - the phrasings' own keywords are enough
        pass
    return words
