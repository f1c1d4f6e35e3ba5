"""The design the product used before batching, kept here only as the benchmark's baseline.

One durable session per project, driven through durable's Python Host: Python closures as
actions, a scope action that re-asserts the project's group copies and records, one assert per
chained finding from inside the actions, a phase fact per phase. It is rebuilt from the product's
compiled ruleset (same rules, same groups, same fact keys), so the comparison is of how the engine
is driven, not of what it is asked.
"""
from __future__ import annotations

import copy
import itertools

import durable_rules_engine
from durable import engine as durable_engine

from engine import ir
from engine.durable_backend import DurableBackend, _finding_pattern

_SESSIONS = itertools.count(1)
_JOIN = {"pid": {"p": "pid"}}


class _QuietHost(durable_engine.Host):
    """A Host whose background dispatcher and timers are never started."""

    def _run(self) -> None:
        pass


def _without_join(expr):
    if isinstance(expr, dict) and "$and" in expr:
        return {"$and": [t for t in expr["$and"] if t != _JOIN]}
    return expr


class _Run:
    def __init__(self, fact: dict, items: list) -> None:
        self.fact, self.items = fact, items
        self.firings: list = []
        self.seen: set = set()
        self.asserted: set = set()
        self.errors: list = []
        self.started = False


class OneSessionPerProject:
    """Evaluate(values) → firings, as DurableBackend.evaluate did before batching."""

    def __init__(self, backend: DurableBackend) -> None:
        self.backend = backend
        self.name = f"baseline{next(_SESSIONS)}"
        self._run: _Run | None = None
        definition = {}
        for name, rule in copy.deepcopy(backend.definition).items():
            if name.startswith("$"):
                continue
            patterns = [{label: _without_join(expr)} for pattern in rule["all"] for label, expr in pattern.items()]
            definition[name] = {"all": patterns, "run": self._action(backend.actions[name])}
        gates = tuple(r.rule_id for r in backend.policy.rules if r.is_gate)
        scope = [{"ph": {"$and": [{"kind": "phase"}, {"n": 1}]}}, {"p": {"kind": "project"}}]
        if gates:
            scope.append({"x$not": _without_join(_finding_pattern(ir.FindingExists("本办法", "不适用", gates)))})
        definition["$guard"] = {"all": [{"m": {"kind": "project"}}], "pri": 1000, "run": self._guard}
        definition["$scope"] = {"all": scope, "run": self._scope}
        for kind in ("project", "scoped", "item", "finding", "phase"):
            definition[f"$sink_{kind}"] = {"all": [{"m": {"kind": kind}}, {"x": {"kind": "$never"}}], "run": lambda c: None}
        self._gated = {(rid, "不适用") for rid in gates}
        self._host = _QuietHost()
        self._host.register_rulesets({self.name: definition})

    def _guard(self, c) -> None:
        self._run.started = True

    def _scope(self, c) -> None:
        run, backend = self._run, self.backend
        try:
            for group, keys in enumerate(backend.group_keys):
                c.assert_fact({**{k: run.fact[k] for k in keys}, "sid": run.fact["sid"], "kind": "scoped", "g": group})
            for item in run.items:
                c.assert_fact(item)
        except Exception as exc:  # noqa: BLE001 - durable swallows action errors; evaluate() re-raises
            run.errors.append(exc)

    def _action(self, action):
        finding = {"kind": "finding", "k": action.kind, "r": action.rule_id}
        chained = action.chained or action.gates  # the scope rule reads the gate's findings

        def run_action(c) -> None:
            run = self._run
            try:
                firing = (action.rule_id, action.variant, c.p.idx if action.per_item else None)
                if firing in run.seen:
                    return
                run.seen.add(firing)
                run.firings.append(firing)
                if chained and (action.rule_id, action.kind) not in run.asserted:
                    run.asserted.add((action.rule_id, action.kind))
                    try:
                        c.assert_fact(dict(finding))
                    except durable_engine.MessageObservedException:
                        pass
            except Exception as exc:  # noqa: BLE001
                run.errors.append(exc)
        return run_action

    def evaluate(self, values) -> list:
        backend = self.backend
        fact = backend.encoding.fact(values.project)
        items = [backend.encoding.item_fact(fact, record_list, index, item, backend.item_keys)
                 for record_list, records in values.items.items() for index, item in enumerate(records)]
        sid = str(next(_SESSIONS))
        fact["sid"] = sid
        for item in items:
            item["sid"] = sid
        run = self._run = _Run(fact, items)
        try:
            self._host.assert_fact(self.name, {**{k: fact[k] for k in backend.gate_keys}, "sid": sid, "kind": "project"})
            for level in range(1, backend.strata + 1):
                needs = backend.phase_needs.get(level)
                if level >= 2 and needs is not None and not needs & run.asserted:
                    continue
                self._host.assert_fact(self.name, {"sid": sid, "kind": "phase", "n": level})
        finally:
            if run.started:
                self._host.delete_state(self.name, sid)
            self._run = None
        if run.errors:
            raise RuntimeError(run.errors[0])
        return run.firings

    def close(self) -> None:
        ruleset = self._host._ruleset_directory.pop(self.name, None)
        if ruleset is not None:
            self._host._ruleset_list.remove(ruleset)
            durable_rules_engine.delete_ruleset(ruleset._handle)
