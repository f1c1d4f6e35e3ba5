"""Reading a hand-written data file (YAML or JSON) as a plain tree of text, refusing what such a
file never needs.

Stage 0 of facts files, the vocabulary and the holiday data: file text → dicts, lists and strings.
Scalars stay the text staff typed (YAML's base schema); the reader of each file decides what a
value means. Refused, with the line, before anything is built:
- YAML anchors and aliases (&a, *a): 2 kB of them expand into gigabytes ("billion laughs"), and a
  project's facts never need to repeat a subtree;
- a key written twice (涉密: 否 … 涉密: 是): YAML and JSON both keep the last silently;
- nesting deeper than any vocabulary, strings that are not Unicode text (a lone surrogate escaped in
  JSON), JSON numbers too long for Python, NaN and Infinity.
The YAML tree is built from the C parser's events with an explicit stack, so depth is a counted
limit rather than a RecursionError.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from . import messages
from .errors import FactsError, relative_name

MAX_DEPTH = 32  # the vocabulary has three levels; records add two
_Parser = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
NULLS = {"", "~", "null", "Null", "NULL"}
_SURROGATE = re.compile("[\ud800-\udfff]")


def read_data_text(path: Path, limit: int, what: str = "事实文件", display: str | None = None) -> str:
    """A data file's text: at most `limit` bytes, UTF-8 (a BOM is allowed), read once. `display`:
    the name messages show for the file, if the caller has it (relative_name's)."""
    display = display or relative_name(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise FactsError("E301", messages.facts_too_large(size, limit, what), file=display)
        raw = path.read_bytes()
    except OSError as exc:
        raise FactsError("E302", messages.cannot_read(exc), file=display) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FactsError("E303", messages.NOT_UTF8, file=display) from None


def read_yaml(text: str, display: str) -> Any:
    """The document's tree; `键:` with nothing after it (or ~, null) is None."""
    stray = _SURROGATE.search(text)  # only text that came from JSON (a page's request) can hold one
    if stray:
        raise FactsError("E303", messages.NOT_TEXT, file=display, line=_line_at(text, stray.start()))
    parser = _Parser(text)
    try:
        return _build(parser, display)
    except yaml.reader.ReaderError as exc:  # a control character: the reader knows only its position
        # libyaml counts the position in UTF-8 bytes; PyYAML's pure reader in characters.
        before = text.encode("utf-8")[: exc.position].decode("utf-8", "ignore") if _Parser is not yaml.BaseLoader \
            else text[: exc.position]
        raise FactsError("E304", messages.control_character(exc.character), file=display,
                         line=before.count("\n") + 1) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise FactsError("E304", messages.syntax_error(exc, False), file=display,
                         line=mark.line + 1 if mark is not None else None) from None
    finally:
        parser.dispose()


class _Mapping:
    """A mapping being built: its data, the line of each key, and the key waiting for its value."""

    __slots__ = ("data", "lines", "key", "path")

    def __init__(self, path: str) -> None:
        self.data: dict[str, Any] = {}
        self.lines: dict[str, int] = {}
        self.key: str | None = None
        self.path = path


def _build(parser, display: str) -> Any:
    stack: list[_Mapping | list] = []
    paths: list[str] = []  # key path of each open list, for messages
    root: Any = None
    documents = 0

    def where() -> str:
        top = stack[-1] if stack else None
        if isinstance(top, _Mapping):
            return f"{top.path}.{top.key}".lstrip(".") if top.key is not None else top.path
        return f"{paths[-1]}[{len(top)}]" if isinstance(top, list) else ""

    def place(value: Any) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        top = stack[-1]
        if isinstance(top, list):
            top.append(value)
            return
        key, top.key = top.key, None
        top.data[key] = value

    while parser.check_event():
        event = parser.get_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise FactsError("E308", messages.YAML_ALIAS, file=display, key_path=where(), line=line)
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise FactsError("E304", messages.SEVERAL_DOCUMENTS, file=display, line=line)
            continue
        if not isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent,
                                  yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            continue  # stream and document boundaries
        top = stack[-1] if stack else None
        if isinstance(top, _Mapping) and top.key is None and not isinstance(event, yaml.MappingEndEvent):
            if not isinstance(event, yaml.ScalarEvent):
                raise FactsError("E304", messages.KEY_NOT_TEXT, file=display, key_path=top.path, line=line)
            key = event.value
            if key in top.lines:
                path = f"{top.path}.{key}".lstrip(".")
                raise FactsError("E309", messages.duplicate_key(top.lines[key], line), file=display,
                                 key_path=path, line=line)
            top.lines[key] = line
            top.key = key
            continue
        if isinstance(event, yaml.ScalarEvent):
            plain = event.style in (None, "")
            place(None if event.value == "" or (plain and event.value in NULLS) else event.value)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(stack) >= MAX_DEPTH:
                raise FactsError("E305", messages.TOO_DEEP, file=display, line=line)
            path = where()
            container: _Mapping | list = _Mapping(path) if isinstance(event, yaml.MappingStartEvent) else []
            if isinstance(container, list):
                paths.append(path)
            stack.append(container)
        else:  # the end of a mapping or a list
            done = stack.pop()
            if isinstance(done, list):
                paths.pop()
            place(done.data if isinstance(done, _Mapping) else done)
    return root


def read_json(text: str, display: str) -> Any:
    """The JSON document's tree, with the same refusals as read_yaml."""
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise FactsError("E304", messages.syntax_error(exc, True), file=display, line=exc.lineno) from None
    except _DuplicateKey as exc:
        first, second = _json_key_lines(text, exc.key)
        raise FactsError("E309", messages.duplicate_key(first, second), file=display, key_path=exc.key,
                         line=second) from None
    except RecursionError:
        raise FactsError("E305", messages.TOO_DEEP, file=display, line=_json_too_deep_line(text)) from None
    except ValueError as exc:  # a number longer than int() converts, NaN, Infinity
        constant = str(exc) if str(exc) in ("NaN", "Infinity", "-Infinity") else None
        found = re.search(_JSON_CONSTANT if constant else _JSON_LONG_NUMBER, text)
        raise FactsError("E304", messages.json_number(constant), file=display,
                         line=_line_at(text, found.start()) if found else None) from None
    # Walking the tree costs about as much as decoding it, so it is walked only when the text could
    # hold what the walk refuses: a surrogate (written, or escaped as \\udXXX), or more brackets
    # than MAX_DEPTH and then a container nested that deep.
    if _MAYBE_SURROGATE.search(text) or (
            text.count("{") + text.count("[") > MAX_DEPTH and _nested_to(data, MAX_DEPTH)):
        _check_json_tree(data, display)
    return data


_MAYBE_SURROGATE = re.compile(r"[\ud800-\udfff]|\\u[dD][89a-fA-F]")


def _nested_to(data: Any, depth: int) -> bool:
    """Whether some list or object lies `depth` levels inside the tree."""
    pending: list[tuple[Any, int]] = [(data, 0)] if type(data) is dict or type(data) is list else []
    while pending:
        node, level = pending.pop()
        if level >= depth:
            return True
        for child in (node.values() if type(node) is dict else node):
            if type(child) is dict or type(child) is list:
                pending.append((child, level + 1))
    return False


# Where the decoder's own errors are, found again in the text (it reports no position for them).
_JSON_CONSTANT = re.compile(r'(?<![\w"])-?(?:NaN|Infinity)(?![\w"])')
_JSON_LONG_NUMBER = re.compile(r"[0-9]{4000,}")


def _line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _json_too_deep_line(text: str) -> int | None:
    """The line where brackets outside strings first nest deeper than MAX_DEPTH."""
    depth, in_string, escaped = 0, False, False
    for position, char in enumerate(text):
        if in_string:
            escaped, in_string = (not escaped and char == "\\"), in_string and not (char == '"' and not escaped)
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _line_at(text, position)
        elif char in "]}":
            depth -= 1
    return None


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict:
    data = dict(pairs)
    if len(data) != len(pairs):  # the first key written twice, for the message
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def _json_key_lines(text: str, key: str) -> tuple[int | None, int | None]:
    """The lines of the first two places a key is written (JSON's decoder keeps no positions)."""
    written = re.compile(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:")
    lines = [text.count("\n", 0, m.start()) + 1 for m in written.finditer(text)][:2]
    return (lines + [None, None])[0], (lines + [None, None])[1]


def _check_json_tree(data: Any, display: str) -> None:
    """Depth and text of a decoded JSON tree, walked without recursion."""
    pending: list[tuple[Any, str, int]] = [(data, "", 0)]
    while pending:
        node, path, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise FactsError("E305", messages.TOO_DEEP, file=display, key_path=path.split("[")[0])
        if isinstance(node, dict):
            for key, value in node.items():
                child = f"{path}.{key}".lstrip(".")
                if _SURROGATE.search(key):
                    raise FactsError("E303", messages.NOT_TEXT, file=display, key_path=path)
                pending.append((value, child, depth + 1))
        elif isinstance(node, list):
            pending.extend((value, f"{path}[{index}]", depth + 1) for index, value in enumerate(node))
        elif isinstance(node, str) and _SURROGATE.search(node):
            raise FactsError("E303", messages.NOT_TEXT, file=display, key_path=path)
