"""What `cli.py eval --format json` writes for each file, made in the worker that evaluated it.

The worker turns a file's result (batch.FileResult) into the text the command prints for it: its
JSON exactly as render.to_json writes it, indented as an element of the array when the command
prints an array, plus the little the parent still needs (the error for stderr, whether it found
violations). The parent then only writes text, in input order, as the chunks arrive: it no longer
unpickles every typed report, builds its JSON again and renders the whole portfolio's JSON (19 MB
for 2,000 files) at the end, alone on one core while the workers wait.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, TextIO

import orjson

from .batch import FileResult

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
