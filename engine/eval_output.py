"""What `cli.py eval` writes for each file, made in the worker that evaluated it.

For --format json, the worker turns a file's result (batch.FileResult) into the text the command
prints for it: its JSON exactly as render.to_json writes it, indented as an element of the array
when the command prints an array, plus the little the parent still needs (the error for stderr,
whether it found violations). The parent then only writes text, in input order, as the chunks
arrive: it no longer unpickles every typed report, builds its JSON again and renders the whole
portfolio's JSON (19 MB for 2,000 files) at the end, alone on one core while the workers wait.

For --format text, the worker draws the file's report with a console set up exactly as the
parent's (width, colours, terminal or not), captured as text; drawing a report's table with rich
costs ~14 ms, which the parent used to spend on every file alone (28 s for 2,000 files).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, TextIO

import orjson

from .batch import FileResult
from .errors import relative_name

if TYPE_CHECKING:
    from rich.console import Console

    from .staff_labels import StaffLabels

# render.to_json indents by two spaces; an element of an array is indented by two more.
_ELEMENT_INDENT = b"\n  "


@dataclass(frozen=True, slots=True)
class PrintedFile:
    """One file's output: its JSON text (UTF-8), its error for stderr, whether it has violations."""

    path: Path
    printed: bytes
    error: str | None
    has_violations: bool


def json_bytes(data: object) -> bytes:
    """render.to_json(data) encoded as UTF-8, which is what echoing it writes. A text json.dumps can
    write but UTF-8 cannot hold (a lone surrogate) raises UnicodeEncodeError."""
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2)
    except TypeError:  # an integer beyond 64 bits, or a lone surrogate (then the encoding fails)
        return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


@dataclass(frozen=True, slots=True)
class JsonPrinter:
    """batch.evaluate_files' `send` for JSON output: runs in the worker."""

    in_array: bool  # several files, or a folder: each file is an element of one array

    def __call__(self, result: FileResult) -> PrintedFile:
        printed = json_bytes(result.to_json())
        if self.in_array:  # JSON strings hold no raw newline, so every newline is the layout's
            printed = printed.replace(b"\n", _ELEMENT_INDENT)
        return PrintedFile(result.path, printed, result.error, result.has_violations)


def write_json(out: TextIO, printed: Iterable[PrintedFile], in_array: bool,
               tell_error: Callable[[str], None]) -> tuple[bool, bool]:
    """Write each file's JSON as it comes (in input order), telling its error first: on `out`, the
    same text as render.to_json of all the reports at once, then a newline. Returns (any file
    unusable, any violations)."""
    unusable = violations = False
    separator = "[\n  " if in_array else ""
    for one in printed:
        if one.error:
            tell_error(one.error)
            unusable = True
        violations = violations or one.has_violations
        out.write(separator)
        out.write(one.printed.decode("utf-8"))
        separator = ",\n  "
    out.write("\n]\n" if in_array else "\n")
    out.flush()
    return unusable, violations


@dataclass(frozen=True, slots=True)
class ConsoleSettings:
    """What decides how rich draws a report, read from the parent's console so that a worker's
    drawing is the same text (colour codes included) as the parent's would be."""

    width: int
    color_system: str | None
    is_terminal: bool
    no_color: bool

    @classmethod
    def of(cls, console: Console) -> ConsoleSettings:
        return cls(console.width, console.color_system, console.is_terminal, console.no_color)

    def console(self) -> Console:
        from rich.console import Console
        return Console(width=self.width, color_system=self.color_system, force_terminal=self.is_terminal,
                       no_color=self.no_color, legacy_windows=False, highlight=False, markup=False, emoji=False,
                       soft_wrap=False)


@dataclass(frozen=True, slots=True)
class DrawnFile:
    """One file's result for --format text: the result itself (for the summary and the exit
    status) and its report or error as the console draws it."""

    result: FileResult
    drawn: str | None  # None: to be drawn by the parent (a legacy Windows console, see TextPrinter)


_worker_console: tuple[ConsoleSettings, Console] | None = None  # one console per worker process


@dataclass(frozen=True, slots=True)
class TextPrinter:
    """batch.evaluate_files' `send` for text output: runs in the worker."""

    settings: ConsoleSettings
    labels: StaffLabels | None = None  # the policy's words for staff (render.print_report)
    # False for a legacy Windows console: it is drawn through its API, not as text, so the parent draws.
    draws: bool = True

    def __call__(self, result: FileResult) -> DrawnFile:
        if not self.draws:
            return DrawnFile(result, None)
        from . import render
        global _worker_console
        if _worker_console is None or _worker_console[0] != self.settings:
            _worker_console = (self.settings, self.settings.console())
        console = _worker_console[1]
        with console.capture() as captured:
            if result.report is not None:
                render.print_report(console, result.report, self.labels)
            else:
                render.print_unusable(console, relative_name(result.path), result.error or "")
            console.print()
        return DrawnFile(result, captured.get())


def write_drawn(console: Console, text: str) -> None:
    """Write text a worker's console drew, as console.print would have written it: in pieces of
    at most 8,192 characters, whole lines (rich's guard against a Windows console bug)."""
    write, piece, size = console.file.write, [], 0
    for line in text.splitlines(True):
        if size + len(line) > 8192 and piece:
            write("".join(piece))
            piece, size = [], 0
        piece.append(line)
        size += len(line)
    if piece:
        write("".join(piece))
    console.file.flush()
