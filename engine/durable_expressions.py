"""Simplifying durable-rules condition expressions (the JSON form) to fit the engine's limits.

durable-rules 2.0.28 allows at most 32 entries in one pattern's expression sequence
(MAX_SEQUENCE_EXPRESSIONS in rete.h; error 113 when exceeded): every $and/$or costs two entries
and every test one. Three-valued compilation produces deep trees, so this module flattens them,
drops alternatives that contradict themselves, and, when a pattern is still too large, splits it
into several smaller alternatives by distributing its largest $or.
"""
from __future__ import annotations

import json

FALSE = {"$or": []}  # an alternative that can never hold; never emitted
EXPRESSION_BUDGET = 28  # below durable's 32, leaving room for the kind discriminator


def _key_of(test: dict) -> tuple[str, object] | None:
    """For a single test: (the key it reads, its operator), or None for a compound."""
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
    seen: set[str] = set()
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
            text = json.dumps(part, sort_keys=True, ensure_ascii=False)
            if text not in seen:
                seen.add(text)
                items.append(part)
    if op == "$and" and _contradicts(items, implies):
        return FALSE
    if not items:
        return None if op == "$and" else FALSE
    return items[0] if len(items) == 1 else {op: items}


def _contradicts(tests: list[dict], implies: dict[str, str]) -> bool:
    absent, present, equal = set(), set(), {}
    for test in tests:
        read = _key_of(test)
        if read is None:
            continue
        key, op = read
        if op == "$nex":
            absent.add(key)
            continue
        present.add(key)
        if key in implies:
            present.add(implies[key])
        if op == "$eq":
            value = test[key]
            if key in equal and equal[key] != value:
                return True
            equal[key] = value
    return bool(absent & present)


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
