"""Reading a facts file's YAML quickly: the common case of plain_data.read_yaml, specialised.

Three readers in turn, each handing on what it is not sure of. yaml_lines reads the block-style
subset that facts files are almost always written in, line by line. What it leaves (a flow
mapping, a list over several lines, a block scalar, …) this module builds from libyaml's events,
exactly the tree plain_data.read_yaml builds but without the bookkeeping that only its error
messages need (key lines, key paths, a mark per event). Anything else (anchors and aliases, tags,
a key that is not text, a key written twice, several documents, nesting past plain_data.MAX_DEPTH,
a syntax error, a control character or a lone surrogate) goes to plain_data.read_yaml, which
refuses or reads it and says where and why.
"""
from __future__ import annotations

from typing import Any

import yaml

from .plain_data import MAX_DEPTH, NULLS, read_yaml
from .yaml_lines import NOT_PLAIN, read_block_yaml

try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML without libyaml: every file is read the careful way
    CParser = None

_SCALAR, _MAPPING_START, _MAPPING_END = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQUENCE_START, _SEQUENCE_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_DOCUMENT_START, _STREAM_END, _ALIAS = yaml.DocumentStartEvent, yaml.StreamEndEvent, yaml.AliasEvent
_PLAIN_STYLES = (None, "")
_NO_KEY = object()


def read_facts_yaml(text: str, display: str) -> Any:
    """The document's tree as plain_data.read_yaml gives it (FactsError for what it refuses)."""
    data = read_block_yaml(text)
    if data is NOT_PLAIN:
        data = read_plain_yaml(text)
    return read_yaml(text, display) if data is NOT_PLAIN else data


def read_plain_yaml(text: str) -> Any:
    """The tree of a plain document (None for an empty one), or NOT_PLAIN."""
    if CParser is None:
        return NOT_PLAIN
    try:
        parser = CParser(text)
    except UnicodeEncodeError:  # a lone surrogate (text that came from JSON)
        return NOT_PLAIN
    try:
        return _build(parser.get_event)
    except yaml.YAMLError:  # syntax errors, control characters
        return NOT_PLAIN
    finally:
        parser.dispose()


def _build(next_event) -> Any:
    stack: list = []  # the open containers, innermost last
    keys: list = []  # for each open container, the key its parent mapping is waiting to give it
    key: Any = _NO_KEY  # the innermost mapping's key awaiting its value
    root: Any = None
    documents = 0
    while True:
        event = next_event()
        kind = event.__class__
        if kind is _SCALAR:
            if event.anchor is not None or event.tag is not None:
                return NOT_PLAIN
            text = event.value
            if stack and key is _NO_KEY and stack[-1].__class__ is dict:
                if text in stack[-1]:
                    return NOT_PLAIN  # a key written twice
                key = text
                continue
            value = None if text == "" or (event.style in _PLAIN_STYLES and text in NULLS) else text
        elif kind is _MAPPING_START or kind is _SEQUENCE_START:
            if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH:
                return NOT_PLAIN
            if stack and key is _NO_KEY and stack[-1].__class__ is dict:
                return NOT_PLAIN  # a mapping or list used as a key
            stack.append({} if kind is _MAPPING_START else [])
            keys.append(key)
            key = _NO_KEY
            continue
        elif kind is _MAPPING_END or kind is _SEQUENCE_END:
            value = stack.pop()
            key = keys.pop()
        elif kind is _DOCUMENT_START:
            documents += 1
            if documents > 1:
                return NOT_PLAIN
            continue
        elif kind is _STREAM_END:
            return root
        elif kind is _ALIAS:
            return NOT_PLAIN
        else:  # stream start, document end
            continue
        if not stack:
            root = value
        elif key is _NO_KEY:
            stack[-1].append(value)
        else:
            stack[-1][key] = value
            key = _NO_KEY
