"""Go to definition and find references.

Definitions: a 【parameter】 or 【认定】 → its declaration; 违反第十三条 → that article; a rule id
after 例外 or 违反规则 → that rule; a field → its entry in the facts vocabulary. In a fork, what it
inherits leads into the base file: 修改 第六条 and 废止 第二十条 → the base's article, 修改 规则 6.5
and 废止 规则 6.5 → the base's rule, and a parameter the fork changes (参数) → the base's declaration.
References: every use of the name, in this file and in the files it inherits.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from lsprotocol import types

from engine.policy_files import read_text_file

from .analysis import Analysis, analyse, span_path
from .diagnostics import location
from .index import ARTICLE, DEFINITION, FIELD, PARAMETER, RULE, Occurrence, SymbolIndex


def definition(analysis: Analysis, path: Path, line: int, column: int) -> list[types.Location]:
    occurrence = analysis.index.at(path, line, column)
    if occurrence is None:
        return []
    if occurrence.kind == FIELD:
        return _vocabulary_entry(analysis, occurrence.name)
    in_this_file = span_path(occurrence.span) == path
    declarations = analysis.index.declarations(occurrence.kind, occurrence.name)
    own = [d for d in declarations if span_path(d.span) == path]
    # What this file changes (修改 第六条, 修改 规则 6.5, 参数) or removes (废止) was declared in the base.
    changes_base = in_this_file and occurrence.kind in (ARTICLE, RULE, PARAMETER) and (occurrence.declaration or not occurrence.owner)
    if changes_base and (occurrence.declaration or not own):
        base = base_index(analysis)
        if base is not None:
            inherited = base.declarations(occurrence.kind, occurrence.name)
            if inherited:
                return [location(d.span) for d in inherited]
    return [location(d.span) for d in declarations]


def references(analysis: Analysis, path: Path, line: int, column: int, include_declaration: bool) -> list[types.Location]:
    occurrence = analysis.index.at(path, line, column)
    if occurrence is None:
        return []
    found = [o for o in analysis.index.occurrences if o.name == occurrence.name and _same(o, occurrence)
             and (include_declaration or not o.declaration)]
    return [location(o.span) for o in found]


def _same(a: Occurrence, b: Occurrence) -> bool:
    return a.kind == b.kind or {a.kind, b.kind} <= {PARAMETER, DEFINITION}


def base_index(analysis: Analysis) -> SymbolIndex | None:
    """The index of the policy this one inherits, read from disk and kept while the file is unchanged."""
    base = analysis.base_path()
    if base is None:
        return None
    stat = base.stat()
    return _base_index(base, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _base_index(path: Path, mtime_ns: int, size: int) -> SymbolIndex:
    return analyse(path, read_text_file(path)).index  # the policy loader's reader: BOM, size limit


def _vocabulary_entry(analysis: Analysis, field_path: str) -> list[types.Location]:
    """The line of facts/vocabulary.yaml (or of a fork's vocabulary extension) that defines a field."""
    candidates = [Path(analysis.vocabulary.source)]
    candidates += sorted(analysis.path.parent.glob("*.yaml"))  # a fork's 词汇 extension sits beside it
    for candidate in candidates:
        if not candidate.is_file():
            continue
        line = _yaml_key_line(candidate.read_text(encoding="utf-8"), field_path.split("."))
        if line is not None:
            start = types.Position(line - 1, 0)
            return [types.Location(candidate.resolve().as_uri(), types.Range(start, start))]
    return []


def _yaml_key_line(text: str, keys: list[str]) -> int | None:
    """The line (from 1) of a nested mapping key path, read by indentation: enough for the vocabulary's
    plain block layout, without a YAML library that would forget line numbers."""
    depth_indent = -1
    wanted = 0
    for number, line in enumerate(text.split("\n"), 1):
        match = re.match(r"^( *)([^\s#:][^:]*):", line)
        if not match:
            continue
        indent, key = len(match.group(1)), match.group(2).strip().strip("\"'")
        if wanted > 0 and indent <= depth_indent:
            return None  # left the mapping that should hold the next key
        if key == keys[wanted] and indent > depth_indent:
            if wanted == len(keys) - 1:
                return number
            wanted, depth_indent = wanted + 1, indent
    return None
