"""Validating a facts tree quickly: the common case of facts.validate_facts, without pydantic.

Almost every facts file is right. For such a file this walks the tree once against the vocabulary,
calls field_checks' function on each value (the functions the pydantic model runs) and gives the
ProjectFacts maps validate_facts would give, in the same order. At the first thing that is not
plainly right (an unknown key, a missing required field, a value its check refuses, a list or group
of the wrong shape) it gives up and returns None, and validate_facts asks pydantic, which says
where and why. So this path decides what a correct file means and never what an error says.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, NamedTuple

from .field_checks import LIST_TYPES, value_checker
from .vocabulary import FieldSpec, Vocabulary

# Records of one record list (变更, 整改通知, …). A project has a few dozen at most; each is a fact the
# engine joins and a line of the report: 2,000 records in a 140 kB file took 12 s to evaluate and
# print, 12,000 (840 kB, still under the size limit) 92 s. More is refused (facts.py says so).
MAX_RECORDS = 200

_GROUP, _VALUE, _LIST, _RECORDS = range(4)


class _Node(NamedTuple):
    name: str
    path: str
    kind: int
    required: bool
    check: Callable[[Any], Any] | None = None
    children: tuple = ()  # a group's nodes, or one record's
    names: frozenset = frozenset()  # the keys the group or record may hold


class _NotPlain(Exception):
    """Something pydantic must look at."""


@lru_cache(maxsize=8)
def _plan(vocabulary: Vocabulary) -> _Node | None:
    """The vocabulary as one group of nodes in file order (the pydantic model's field order), or
    None when it holds what this path does not read (a record list inside a record)."""
    try:
        nodes = _nodes(vocabulary.tree, "")
    except _NotPlain:
        return None
    return _Node("", "", _GROUP, True, children=nodes, names=frozenset(node.name for node in nodes))


def _nodes(tree: tuple, prefix: str) -> tuple[_Node, ...]:
    nodes = []
    for name, node in tree:
        if not isinstance(node, FieldSpec):
            children = _nodes(node, f"{prefix}{name}.")
            nodes.append(_Node(name, f"{prefix}{name}", _GROUP, _holds_required(children), children=children,
                               names=frozenset(child.name for child in children)))
        elif node.type == "记录列表":
            fields = tuple(_field(spec.name, spec) for spec in node.record_fields)
            if any(field.kind == _RECORDS for field in fields):
                raise _NotPlain
            nodes.append(_Node(name, node.path, _RECORDS, node.required, children=fields,
                               names=frozenset(field.name for field in fields)))
        else:
            nodes.append(_field(name, node))
    return tuple(nodes)


def _field(name: str, spec: FieldSpec) -> _Node:
    if spec.type == "记录列表":
        return _Node(name, spec.path, _RECORDS, spec.required)
    check = value_checker(spec) if spec.type == "文本" else _remembered(value_checker(spec))
    return _Node(name, spec.path, _LIST if spec.type in LIST_TYPES else _VALUE, spec.required, check)


REMEMBERED_TEXTS = 4096  # per field: enough for its words, dates and amounts across a portfolio


def _remembered(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The check, answering a text it has read before from memory: the same 是, 通过 and
    2025-03-01 recur in file after file, and their values (bool, str, date, Decimal, Duration)
    are immutable. Only texts are remembered (True == 1 as a key), only up to a bound, and a
    refusal never (it raises, and pydantic reads the file)."""
    seen: dict[str, Any] = {}

    def remembered(value: Any) -> Any:
        if type(value) is not str:
            return check(value)
        known = seen.get(value, _UNSEEN)
        if known is _UNSEEN:
            known = check(value)
            if len(seen) < REMEMBERED_TEXTS:
                seen[value] = known
        return known
    return remembered


_UNSEEN = object()


def _holds_required(nodes: tuple[_Node, ...]) -> bool:
    """A group holding a required field is required itself (as facts._model makes it)."""
    return any(node.required if node.kind != _GROUP else _holds_required(node.children) for node in nodes)


def validate_plain(data: dict, vocabulary: Vocabulary) -> tuple[dict, dict] | None:
    """(values, records) as facts.validate_facts builds them, or None when pydantic must decide."""
    plan = _plan(vocabulary)
    if plan is None:
        return None
    values: dict[str, Any] = {}
    records: dict[str, tuple] = {}
    try:
        _group(data, plan.children, plan.names, values, records)
    except Exception:  # noqa: BLE001 - whatever went wrong, pydantic reads the file again and says it
        return None
    return values, records


def _group(data: Any, nodes: tuple[_Node, ...], names: frozenset, values: dict, records: dict) -> None:
    if type(data) is not dict or not data.keys() <= names:
        raise _NotPlain
    get = data.get
    for name, path, kind, required, check, children, child_names in nodes:
        value = get(name)
        if value is None:
            if required:
                raise _NotPlain
        elif kind == _VALUE:
            values[path] = check(value)
        elif kind == _LIST:
            if type(value) is not list:
                raise _NotPlain
            values[path] = frozenset([check(item) for item in value])
        elif kind == _GROUP:
            _group(value, children, child_names, values, records)
        else:
            if type(value) is not list or len(value) > MAX_RECORDS:  # pydantic names the mistake
                raise _NotPlain
            records[path] = tuple(_record(item, children, child_names) for item in value)


def _record(item: Any, fields: tuple[_Node, ...], names: frozenset) -> dict:
    """One record's fields that were given, in the vocabulary's order; its lists stay lists (as the
    pydantic model leaves them)."""
    if type(item) is not dict or not item.keys() <= names:
        raise _NotPlain
    given = {}
    for name, _, kind, required, check, _, _ in fields:
        value = item.get(name)
        if value is None:
            if required:
                raise _NotPlain
        elif kind == _VALUE:
            given[name] = check(value)
        else:
            if type(value) is not list:
                raise _NotPlain
            given[name] = [check(one) for one in value]
    return given
