"""Reading the block-style YAML that facts files are written in, line by line, without libyaml.

The common facts file is lines of `键: 值`, `键:` opening a group or a list, and `- 值` or `- 键: 值`
items, indented with spaces, with plain or quoted one-line scalars, one-line lists (`[是, 否]`, `[]`),
`{}` and comments. For such a text this builds the tree plain_data.read_yaml gives (every scalar
its text; `~`, `null` and an empty value None) with a regular expression per line and a stack of
open containers. libyaml through PyYAML costs a Python object and two marks per event (~260 events
in a bench file); this costs a dictionary look-up per line already seen.

It accepts only a subset it is sure of and returns NOT_PLAIN for anything else: a line that is not
one of the forms above, a flow mapping with content or a list over several lines, a block scalar
(`|`, `>`), a scalar that starts with an indicator or holds `#` or `:` (where YAML's rules about
them are subtle), a scalar continued on the next line, an anchor, alias or tag, a document marker
or directive, a tab, a character libyaml does not read as printable, a key written twice, an
indentation that does not close or open a container exactly, nesting past MAX_DEPTH. facts_yaml
then asks libyaml. tests/test_yaml_lines.py compares the two on the bench's files, the
repository's, odd cases and mutations of real files.
"""
from __future__ import annotations

import re
from typing import Any

from .plain_data import MAX_DEPTH

# What libyaml reads as printable, less tab, the line breaks (\r, \x85, \u2028, \u2029), the byte
# order mark and surrogates: a text with any other character is left to libyaml. Written as what is
# left out, a negated class: the same set as listing the printable ranges, compiled in a fifth of the
# time (every start-up compiles these; the listed form cost ~60 ms).
_NOT_PRINTABLE = "\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff"


def _chars(ascii_left_out: str) -> str:
    """A character class: the printable characters above less the ASCII ones named."""
    return "[^" + _NOT_PRINTABLE + "".join(re.escape(char) for char in sorted(set(ascii_left_out))) + "]"


_FIRST = _chars(" -?:,[]{}#&*!|>'\"%@`")  # a plain scalar's first character: no space, no indicator
_REST = _chars("#:")  # where YAML's rules about '#' and ':' inside a plain scalar would matter
_REST_NOT_SPACE = _chars(" #:")
_SINGLE = "'(?:" + _chars("'") + "|'')*'"
_DOUBLE = '"' + _chars('"\\') + '*"'  # no escapes
# A plain key has no space and stays short of libyaml's 1,024-character limit on a simple key.
_KEY = f"(?:{_FIRST}{_REST_NOT_SPACE}{{0,200}}|{_SINGLE}|{_DOUBLE})"
# In a one-line list (`[是, 否]`) a plain item holds none of `,[]{}` either.
_ITEM = f"(?:{_FIRST}(?:{_chars('#:,[]{}')}*{_chars(' #:,[]{}')})?|{_SINGLE}|{_DOUBLE})"
_FLOW = f"\\[ *(?:{_ITEM}(?: *, *{_ITEM})* *)?\\]"
_VALUE = f"(?:{_FIRST}(?:{_REST}*{_REST_NOT_SPACE})?|{_SINGLE}|{_DOUBLE}|{_FLOW}|\\{{ *\\}})"
_COMMENT = f"#{_chars('')}*"
# One line: its indentation, then a comment (or nothing), or `- `, `键:` and a value, each optional,
# and a comment after a space. The four groups: indentation, dash, key, value.
_LINE = re.compile(
    f"( *)(?:{_COMMENT}|(- +)?(?:({_KEY}):(?= |\r?$) *)?({_VALUE})?(?: +{_COMMENT}| *))\r?")
_ITEMS = re.compile(f"({_ITEM})")

NOT_PLAIN = object()
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_NO_VALUE, _LIST, _GROUP = object(), object(), object()
_SKIP = (0, 0, None, _NO_VALUE, ())  # a blank line or a comment

# What each line read means, remembered: a portfolio's files repeat their lines (`  涉密: 否`, `  - 建设依据`),
# about 98% of them in the bench's 2,000 files. Bounded in number and length.
REMEMBERED_LINES = 8192
_LONGEST_REMEMBERED = 200
_lines: dict[str, tuple] = {}


class _NotPlain(Exception):
    pass


def read_block_yaml(text: str) -> Any:
    """The tree of a block-style document in the subset above, or NOT_PLAIN."""
    try:
        return _build(text.split("\n"))
    except _NotPlain:
        return NOT_PLAIN


def _line(line: str) -> tuple:
    """(indentation, width of `- `, key or None, value or _NO_VALUE, a one-line list's items)."""
    read = _lines.get(line)
    if read is not None:
        return read
    match = _LINE.fullmatch(line)
    if match is None:
        raise _NotPlain
    spaces, dash, key, value = match.groups()
    if not (dash or key or value):
        read = _SKIP
    elif not (dash or key):
        raise _NotPlain  # a scalar alone on a line: a root scalar, or one continued from the line before
    elif dash and not (key or value):
        raise _NotPlain  # `-` alone: its item on the next lines
    else:
        if key is not None:
            if len(key) > 200:  # libyaml refuses a key over 1,024 characters; the plain ones are bounded above
                raise _NotPlain
            key = key[1:-1].replace("''", "'") if key[0] == "'" else key[1:-1] if key[0] == '"' else key
        items = ()
        if value is None:
            value = _NO_VALUE
        elif value[0] == "[":
            items = tuple(_scalar(item) for item in _ITEMS.findall(value[1:-1]))
            value = _LIST
        elif value[0] == "{":
            value = _GROUP
        else:
            value = _scalar(value)
        read = (len(spaces), len(dash or ""), key, value, items)
    if len(_lines) < REMEMBERED_LINES and len(line) <= _LONGEST_REMEMBERED:
        _lines[line] = read
    return read


def _scalar(written: str) -> Any:
    first = written[0]
    if first == "'":
        return written[1:-1].replace("''", "'") or None
    if first == '"':
        return written[1:-1] or None
    return None if written in _NULLS else written


def _build(lines: list[str]) -> Any:
    # The innermost open container is `top`, at `top_indent` (a mapping's key column, a list's
    # dash column); a list at its parent key's column is "indentless" and ends at the first line
    # there that is not an item. The containers around it wait in `outer`.
    outer: list[tuple[Any, int, bool]] = []
    top: Any = None
    top_indent = -1
    top_indentless = False
    waiting: str | None = None  # a key of `top` written without its value yet
    for line in lines:
        indent, dash, key, value, items = _lines.get(line) or _line(line)
        if value is _NO_VALUE and key is None:
            continue  # a blank line or a comment
        if waiting is not None:
            if indent > top_indent or (dash and indent == top_indent):
                child: Any = [] if dash else {}
                top[waiting] = child
                if len(outer) + 1 >= MAX_DEPTH:
                    raise _NotPlain
                outer.append((top, top_indent, top_indentless))
                top, top_indentless, top_indent = child, indent == top_indent, indent
            else:
                top[waiting] = None
            waiting = None
        elif top is None:
            top = root = [] if dash else {}
            top_indent = indent
        while top_indent > indent or (top_indentless and not dash and top_indent == indent):
            if not outer:
                raise _NotPlain
            top, top_indent, top_indentless = outer.pop()
        if top_indent != indent:
            raise _NotPlain  # between two levels
        if dash:
            if top.__class__ is not list:
                raise _NotPlain
            if key is None:
                top.append(_fresh(value, items, len(outer) + 1))
                continue
            if len(outer) + 1 >= MAX_DEPTH:
                raise _NotPlain
            item: dict = {}
            top.append(item)
            outer.append((top, top_indent, top_indentless))
            top, top_indent, top_indentless = item, indent + dash, False
        elif top.__class__ is not dict:
            raise _NotPlain
        if key in top:
            raise _NotPlain  # a key written twice
        if value is _NO_VALUE:
            waiting = key
        else:
            top[key] = _fresh(value, items, len(outer) + 1)
    if top is None:
        raise _NotPlain  # no content: libyaml says what an empty document is
    if waiting is not None:
        top[waiting] = None
    return root


def _fresh(value: Any, items: tuple, open_containers: int) -> Any:
    """The value a line gives, a list or group made anew (the remembered line is shared)."""
    if value is _LIST or value is _GROUP:
        if open_containers >= MAX_DEPTH:
            raise _NotPlain
        return list(items) if value is _LIST else {}
    return value
