"""Simplifying durable-rules condition expressions (the JSON form) to fit the engine's limits.

durable-rules 2.0.28 allows at most 32 entries in one pattern's expression sequence
(MAX_SEQUENCE_EXPRESSIONS in rete.h; error 113 when exceeded): every $and/$or costs two entries
and every test one. Three-valued compilation produces deep trees, so this module flattens them,
drops alternatives that contradict themselves, and, when a pattern is still too large, splits it
into several smaller alternatives by distributing its largest $or.
"""
from __future__ import annotations

import itertools
import json
from typing import Iterator

import orjson

FALSE = {"$or": []}  # an alternative that can never hold; never emitted
EXPRESSION_BUDGET = 28  # below durable's 32, leaving room for the kind discriminator


def _text(expr: dict) -> bytes:
    """A test's identity: equal texts for equal tests. orjson rather than json.dumps: building the
    ruleset compares thousands of tests, and json.dumps with options builds an encoder per call."""
    try:
        return orjson.dumps(expr, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # an integer beyond 64 bits
        return json.dumps(expr, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _key_of(test: dict) -> tuple[str, object] | None:
    """For a single test: (the key it reads, its operator, $eq for equality), or None for a compound."""
    (op, body), = test.items()
    if op in ("$and", "$or"):
        return None
    if op.startswith("$"):
        (key, _), = body.items()
        return key, op
    return op, "$eq"


def simplify(expr: dict | None, implies: dict[str, str]) -> dict | None:
    """Flatten nested $and/$or, remove duplicates, and turn self-contradicting $and into FALSE.
    `implies` maps a key to another key whose presence it implies (a word flag → its list)."""
    if expr is None:
        return None
    (op, body), = expr.items()
    if op not in ("$and", "$or"):
        return expr
    items: list[dict] = []
    seen: set[bytes] = set()
    for child in body:
        child = simplify(child, implies)
        if child is None:
            if op == "$or":
                return None  # true absorbs a disjunction
            continue
        if child == FALSE:
            if op == "$and":
                return FALSE
            continue
        nested = child.get(op)
        for part in nested if nested is not None and len(child) == 1 else [child]:
            text = _text(part)
            if text not in seen:
                seen.add(text)
                items.append(part)
    if op == "$and":
        if _contradicts(items, implies):
            return FALSE
        items = _within_context(items, implies)
        if items is None:
            return FALSE
    if not items:
        return None if op == "$and" else FALSE
    return items[0] if len(items) == 1 else {op: items}


def _contradicts(tests: list[dict], implies: dict[str, str]) -> bool:
    """True when the tests of one $and cannot all hold: a key required to be null and also tested
    against a value, or required to equal two different values."""
    null, not_null, equal = set(), set(), {}
    for test in tests:
        read = _key_of(test)
        if read is None:
            continue
        key, op = read
        value = test[key] if op == "$eq" else None
        if op == "$eq" and value is None:
            null.add(key)
            continue
        not_null.add(key)
        if key in implies:
            not_null.add(implies[key])
        if op == "$eq":
            if key in equal and equal[key] != value:
                return True
            equal[key] = value
    return bool(null & not_null)


def _within_context(items: list[dict], implies: dict[str, str]) -> list[dict] | None:
    """Simplify each $or of an $and against its sibling tests: a branch that contradicts them is
    dropped, and an $or with a branch the siblings already assert is true. None if an $or empties."""
    atoms = [item for item in items if _key_of(item) is not None]
    atom_texts = {_text(a) for a in atoms}
    result = []
    for item in items:
        options = item.get("$or") if len(item) == 1 else None
        if options is None:
            result.append(item)
            continue
        if any(_text(o) in atom_texts for o in options):
            continue  # already true in this context
        kept = [o for o in options if not _contradicts(atoms + [o] if _key_of(o) is not None else atoms + list(o.get("$and", [o])), implies)]
        if not kept:
            return None
        result.append(kept[0] if len(kept) == 1 else {"$or": kept})
    return result


def cost(expr: dict | None) -> int:
    if expr is None:
        return 0
    (op, body), = expr.items()
    if op in ("$and", "$or"):
        return 2 + sum(cost(child) for child in body)
    return 1


def split(expr: dict | None, implies: dict[str, str]) -> list[dict | None]:
    """Alternatives whose disjunction is `expr`, each within the engine's budget."""
    expr = simplify(expr, implies)
    if expr == FALSE:
        return []
    if cost(expr) <= EXPRESSION_BUDGET:
        return [expr]
    (op, body), = expr.items()
    if op == "$or":
        return [piece for child in body for piece in split(child, implies)]
    if op == "$and":
        choices = [child for child in body if "$or" in child]
        if choices:
            widest = max(choices, key=cost)
            rest = [child for child in body if child is not widest]
            return [piece for option in widest["$or"] for piece in split({"$and": [*rest, option]}, implies)]
    raise ValueError("condition too large for the rules engine")


def paths(expr: dict | None, forwards: Iterator[int] | None = None) -> list[tuple[str, ...]]:
    """The alpha-network paths durable-rules builds for an expression: each a sequence of tests
    (as JSON text), one path per $or branch, in the order the $and lists them. With `forwards`,
    each $or also leaves the node durable-rules links all its branches to (rete.c
    createForwardAlpha): a new node for every $or of every rule, never shared, and always pushed
    on the alpha stack when its branch matches (it is a $nex test of a property no fact has)."""
    if expr is None:
        return [()]
    (op, body), = expr.items()
    if op == "$or":
        forward = () if forwards is None else (f"$forward{next(forwards)}",)
        return [path + forward for child in body for path in paths(child, forwards)]
    if op == "$and":
        result: list[tuple[str, ...]] = [()]
        for child in body:
            result = [head + tail for head in result for tail in paths(child, forwards)]
        return result
    text = _text(expr).decode()
    if forwards is not None and _never_shared(expr):
        text += f"#{next(forwards)}"
    return [(text,)]


def _never_shared(test: dict) -> bool:
    """durable-rules reuses an existing alpha node only when its value compares equal (rete.c
    findAlpha/compareValue), which it never does for null or for another field's value: every
    such test of every rule is a node of its own."""
    (op, body), = test.items()
    value = next(iter(body.values())) if op.startswith("$") and isinstance(body, dict) else body
    return value is None or isinstance(value, dict)


_FORWARD_NODES = itertools.count()  # nodes that are never shared each get a name of their own


class AlphaTree:
    """The shape of one rule group's alpha network (a trie of test sequences), to bound the
    stack durable-rules needs to walk it. Each node remembers its worst stack until a path
    through it changes: the bound is asked after every rule added, of a tree of a few hundred nodes."""

    def __init__(self) -> None:
        self.children: dict[str, AlphaTree] = {}
        self.paths = 0
        self._worst: int | None = None

    def add(self, expr: dict | None) -> list[tuple["AlphaTree", str]]:
        """Add an expression's paths; returns the nodes created, so that `remove` can undo it."""
        created = []
        for path in paths(expr, _FORWARD_NODES):
            node = self
            node._worst = None
            for test in path:
                if test not in node.children:
                    node.children[test] = AlphaTree()
                    created.append((node, test))
                node = node.children[test]
                node._worst = None
            self.paths += 1
        return created

    def remove(self, created: list[tuple["AlphaTree", str]], count: int) -> None:
        for parent, test in reversed(created):
            del parent.children[test]
        self.paths -= count
        self._forget()  # the removed nodes' ancestors are not recorded; this is rare (a group is full)

    def _forget(self) -> None:
        self._worst = None
        for child in self.children.values():
            child._forget()

    def worst_stack(self) -> int:
        """Every child of a node may match and be pushed before the first is explored."""
        if self._worst is None:
            self._worst = len(self.children) + max(child.worst_stack() for child in self.children.values()) if self.children else 0
        return self._worst
