"""read_json walks a decoded tree only when its text could hold what the walk refuses; it must
refuse exactly what walking every tree refused, with the same message, and keep everything else."""
from __future__ import annotations

import json

import pytest

from engine.errors import FactsError
from engine.plain_data import MAX_DEPTH, _check_json_tree, read_json


def nested(levels: int, leaf: str = '"x"') -> str:
    return '{"a": ' * levels + leaf + "}" * levels


def mixed(levels: int) -> str:
    return '{"项目": ' + "[" * levels + '"x"' + "]" * levels + "}"


CASES = [
    '{"项目": {"编号": "X", "名称": "n"}, "材料": ["a", "b"]}',
    '{"项目": {"编号": "\\ud800"}}', '{"项目": {"\\udc00": "x"}}', '{"a": ["ok", ["\\uDBFF"]]}',
    '{"a": "\ud800"}', '{"\udfff": 1}',  # surrogates written as characters (text from a request)
    '{"a": "\\ud83d\\ude00"}',  # a pair: a real character
    '{"a": "\\\\ud800"}',  # an escaped backslash, then text
    '{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}',  # brackets inside a string
    nested(MAX_DEPTH - 1), nested(MAX_DEPTH), nested(MAX_DEPTH + 1), nested(MAX_DEPTH, "[]"), nested(MAX_DEPTH, "{}"),
    nested(MAX_DEPTH - 1, "[1]"), mixed(MAX_DEPTH - 1), mixed(MAX_DEPTH), mixed(MAX_DEPTH + 1),
    "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), '"' + "[" * 40 + '"', "5", "null",
    '{"a": 1, "b": {"c": 1, "c": 2}}', '{"a": 1, "a": 2, "b": 1, "b": 2}', '{"a": {"b": 1, "b": 2}, "a": 3}',
]


def first_key_written_twice(text: str) -> str | None:
    """As the reader refused a key written twice before: at the first one met twice."""
    found = []

    def unique(pairs):
        keys = [key for key, _ in pairs]
        found.extend(key for at, key in enumerate(keys) if key in keys[:at])
        return dict(pairs)
    json.loads(text, object_pairs_hook=unique)
    return found[0] if found else None


@pytest.mark.parametrize("text", CASES, ids=ascii)
def test_same_refusals_as_walking_every_tree(text):
    repeated = first_key_written_twice(text)
    try:
        _check_json_tree(json.loads(text), "测试.json")
        walk_refuses = None
    except FactsError as error:
        walk_refuses = error.render()
    try:
        data = read_json(text, "测试.json")
    except FactsError as error:
        if repeated is not None:
            assert (error.code, error.key_path) == ("E309", repeated)
        else:
            assert error.render() == walk_refuses
    else:
        assert repeated is None and walk_refuses is None
        assert data == json.loads(text)


def test_the_first_key_written_twice_is_named():
    with pytest.raises(FactsError) as error:
        read_json('{"x": {"b": 1, "c": 2, "c": 3, "b": 4}}', "测试.json")
    assert (error.value.key_path, error.value.line) == ("c", 1)
