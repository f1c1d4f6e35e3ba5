"""check and lint results as LSP diagnostics: the same codes, messages, hints and spans.

An error located in another file (a fork's base) is shown on this file's 继承 line, with the
place in the base as related information; lint warnings about the base are left to the base's
own document. A warning with no span of its own (an unused parameter) is placed on the name's
declaration when this file declares it.
"""
from __future__ import annotations

from lsprotocol import types

from engine.errors import PolicyError, Span
from engine.inherit import header_references
from engine.lint import LintWarning
from engine.messages import suggested_words

from .analysis import Analysis, Problem, span_path
from .index import DEFINITION, PARAMETER

SOURCE = "jinxiang-policy"


def lsp_range(span: Span) -> types.Range:
    """Spans count lines and columns from 1, LSP from 0; an empty span is widened to one character."""
    end_line, end_column = span.end_line, span.end_column
    if (end_line, end_column) <= (span.line, span.column):
        end_line, end_column = span.line, span.column + 1
    return types.Range(types.Position(span.line - 1, span.column - 1), types.Position(end_line - 1, end_column - 1))


def location(span: Span) -> types.Location:
    return types.Location(span_path(span).as_uri(), lsp_range(span))


def policy_diagnostics(analysis: Analysis) -> list[types.Diagnostic]:
    result = []
    for problem in analysis.problems:
        diagnostic = _diagnostic(problem, analysis)
        if diagnostic is not None:
            result.append(diagnostic)
    return result


def _diagnostic(problem: Problem, analysis: Analysis) -> types.Diagnostic | None:
    is_warning = isinstance(problem, LintWarning)
    span = getattr(problem, "span", None)
    message = problem.message
    if getattr(problem, "article", None):
        message += f"\n所在条文: {problem.article}"
    if problem.hint:
        message += f"\n提示: {problem.hint}"
    related = None
    if span is not None and span_path(span) != analysis.path.resolve():
        if is_warning:
            return None
        related = [types.DiagnosticRelatedInformation(location(span), f"{span}: {problem.message}")]
        message = f"{span}: {message}"
        span = _inherit_line(analysis)
    if span is None:
        span = _declaration(problem, analysis) or Span(str(analysis.path), 1, 1, 1, 1)
    words = suggested_words(problem.hint) if isinstance(problem, PolicyError) else []
    return types.Diagnostic(
        range=lsp_range(span), message=message, code=problem.code, source=SOURCE, related_information=related,
        severity=types.DiagnosticSeverity.Warning if is_warning else types.DiagnosticSeverity.Error,
        data={"suggestions": words} if words else None)


def _inherit_line(analysis: Analysis) -> Span:
    refs = header_references(analysis.text)
    if "继承" in refs:
        return refs["继承"][1]
    return Span(str(analysis.path), 1, 1, 1, 1)


def _declaration(problem: Problem, analysis: Analysis) -> Span | None:
    """W205 (unused 【name】) has no span: point at the declaration in this file, if it is here."""
    name = getattr(problem, "message", "")
    for kind in (PARAMETER, DEFINITION):
        for occurrence in analysis.index.occurrences:
            if (occurrence.declaration and occurrence.kind == kind and f"【{occurrence.name}】" in name
                    and span_path(occurrence.span) == analysis.path.resolve()):
                return occurrence.span
    return None


def suggestion_edits(document_text: str, diagnostic: types.Diagnostic) -> list[tuple[str, types.TextEdit]]:
    """(title, edit) for each did-you-mean word of a diagnostic. The range keeps its 【】 or quotes;
    a mistyped keyword (E101) replaces as many characters as the keyword has."""
    data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
    edits = []
    lines = document_text.split("\n")
    start, end = diagnostic.range.start, diagnostic.range.end
    if start.line != end.line or start.line >= len(lines):
        return []
    written = lines[start.line][start.character:end.character]
    for word in data.get("suggestions", []):
        replacement, stop = word, end.character
        if written.startswith("【") and not word.startswith("【"):
            replacement = f"【{word}】"
        elif written[:1] in "\"“「" and len(written) >= 2:
            replacement = f"{written[0]}{word}{written[-1]}"
        elif diagnostic.code == "E101":
            stop = min(end.character, start.character + len(word))
        if lines[start.line][start.character:stop] == replacement:
            continue  # the text already says it: nothing to fix
        edit_range = types.Range(start, types.Position(start.line, stop))
        edits.append((f"改为「{word}」", types.TextEdit(edit_range, replacement)))
    return edits
