"""One error hierarchy for everything a user can get wrong.

Every error carries a stable code, a position (a span in a policy file, or a key path and line in a
facts file), the article it concerns where there is one, and a Chinese sentence saying what to write
instead. Rendering places the caret by display width, because CJK characters take two columns.
"""
from __future__ import annotations

import os

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

MAX_REPORTED_ERRORS = 20


@dataclass(frozen=True, slots=True)
class Span:
    """A range in a source file; lines and columns count from 1, columns in characters."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class ToolError(Exception):
    """Base of every error the tool reports to a person (exit status 2)."""

    code = "E000"

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def render(self) -> str:
        text = f"错误[{self.code}]: {self.message}"
        return f"{text}\n  = 提示: {self.hint}" if self.hint else text

    def entries(self) -> list[dict]:
        """The error as JSON objects (one per mistake), for --format json."""
        return [{"代码": self.code, "信息": self.message, "提示": self.hint}]


class PolicyError(ToolError):
    """A mistake in a policy file, located by a span; `article` is e.g. 第二十八条."""

    code = "E100"

    def __init__(self, code: str, message: str, span: Span | None, *, hint: str = "",
                 article: str | None = None, source: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.code = code
        self.span = span
        self.article = article
        self.source = source

    @classmethod
    def of(cls, message_key: str, span: Span | None, *, article: str | None = None, source: str | None = None,
           hint: str | None = None, **args) -> "PolicyError":
        """The error for a message key of engine.messages.POLICY (E148.list, E170, …)."""
        from .messages import policy_message
        code, message, hint = policy_message(message_key, hint, **args)
        return cls(code, message, span, hint=hint, article=article, source=source)

    def sort_key(self) -> tuple:
        return (self.span.file, self.span.line, self.span.column) if self.span else ("", 0, 0)

    def entries(self) -> list[dict]:
        where = {"文件": self.span.file, "行": self.span.line, "列": self.span.column} if self.span else {}
        return [{"代码": self.code, **where, "信息": self.message, "提示": self.hint, "所在条文": self.article}]

    def render(self) -> str:
        where = f"{self.span}: " if self.span else ""
        lines = [f"{where}错误[{self.code}]: {self.message}"]
        if self.span and self.source is not None:
            lines.extend(_snippet(self.source, self.span))
        if self.article:
            lines.append(f"  = 所在条文: {self.article}")
        if self.hint:
            lines.append(f"  = 提示: {self.hint}")
        return "\n".join(lines)


class PolicyErrors(ToolError):
    """Several policy errors found in one pass, sorted by position and capped."""

    code = "E100"

    def __init__(self, errors: list[PolicyError]) -> None:
        self.errors = sorted(errors, key=PolicyError.sort_key)
        super().__init__(self.errors[0].message if self.errors else "")

    def render(self) -> str:
        shown = [e.render() for e in self.errors[:MAX_REPORTED_ERRORS]]
        rest = len(self.errors) - MAX_REPORTED_ERRORS
        if rest > 0:
            shown.append(f"……另有 {rest} 处错误")
        return "\n\n".join(shown)

    def entries(self) -> list[dict]:
        return [entry for error in self.errors for entry in error.entries()]


class FactsError(ToolError):
    """A mistake in a facts file, located by key path and, where known, line."""

    code = "E300"

    def __init__(self, code: str, message: str, *, file: str, key_path: str = "",
                 line: int | None = None, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.code = code
        self.file = file
        self.key_path = key_path
        self.line = line

    def render(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        key = f"「{self.key_path}」" if self.key_path else ""
        text = f"{where}: 错误[{self.code}]: {key}{self.message}"
        return f"{text}\n  = 提示: {self.hint}" if self.hint else text

    def entries(self) -> list[dict]:
        return [{"代码": self.code, "文件": self.file, "行": self.line, "键": self.key_path, "信息": self.message,
                 "提示": self.hint}]


class FactsErrors(ToolError):
    """All the mistakes found in one facts file."""

    code = "E300"

    def __init__(self, errors: list[FactsError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.line or 0, e.key_path))
        super().__init__(self.errors[0].message)

    def render(self) -> str:
        shown = [e.render() for e in self.errors[:MAX_REPORTED_ERRORS]]
        rest = len(self.errors) - MAX_REPORTED_ERRORS
        if rest > 0:
            shown.append(f"……另有 {rest} 处错误")
        return "\n".join(shown)

    def entries(self) -> list[dict]:
        return [entry for error in self.errors for entry in error.entries()]


class CalendarError(ToolError):
    """A working-day count reached a year for which no holiday schedule is known."""

    code = "E400"


class UsageError(ToolError):
    """A bad command-line option or a file that cannot be read."""

    code = "E500"


@dataclass
class ErrorCollector:
    """Gathers policy errors so a pass can report all of them, not only the first. `sources` maps
    each file name to its text, so an error in an inherited base file shows that file's line."""

    sources: dict[str, str]
    errors: list[PolicyError] = field(default_factory=list)

    def add(self, error: PolicyError) -> None:
        if error.span is not None and error.span.file in self.sources:
            error.source = self.sources[error.span.file]
        self.errors.append(error)

    def raise_if_any(self) -> None:
        if self.errors:
            raise PolicyErrors(self.errors)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _snippet(source: str, span: Span) -> list[str]:
    source_lines = source.splitlines()
    if not 1 <= span.line <= len(source_lines):
        return []
    text = source_lines[span.line - 1]
    before = text[: span.column - 1]
    end = span.end_column if span.end_line == span.line and span.end_column > span.column else span.column + 1
    marked = text[span.column - 1 : end - 1] or " "
    gutter = f"{span.line:>4} | "
    return [gutter + text, " " * (len(gutter) - 2) + "| " + " " * display_width(before) + "^" * max(1, display_width(marked))]


def relative_name(path: Path) -> str:
    """Paths in messages are shown relative to the working directory when they can be."""
    try:
        return printable_name(str(path.resolve().relative_to(Path.cwd().resolve())))
    except ValueError:
        return printable_name(str(path))


def printable_name(name: str) -> str:
    """A file name as it can be printed: bytes of the name that are not UTF-8 (Python keeps them as
    lone surrogates) are shown as \\xff, the way ls -b does, instead of failing every write of it."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
