"""Stage 4 — the durable-rules backend: IR → a durable-rules ruleset, built as data.

The only module that imports durable. Each IR rule becomes one or more durable rules (one per
alternative of its condition in disjunctive form over findings), with named Python actions bound
by closures — never generated source. Conditions are compiled in three-valued logic: for every
condition C the compiler emits "C is true" and, for if-rules, "C is unknown" (→ 无法判定).

The known faults of durable-rules 2.0.28 (../shared/notes/durable_rules.md §3) are neutralised:
 1 delete_state after no action → a no-op guard action on every project;
 2 >1,024 live sessions → one live session at a time, deleted in `finally`;
 3 integer division → no division is ever emitted (percentages are computed in Python);
 4 the default Host's threads → a Host whose dispatcher never starts, and one lock;
 5 bare negation on the state object → every pattern has a `kind` discriminator, and absence is
   never tested with $nex: every key is always sent, JSON null when the fact is absent (this also
   keeps clear of rete.c's limit of 128 $nex tests under one alpha node, ERR 107);
 6 missing right-hand field reads as true → every compared key is guarded with `!= null`;
 7 none() not cancelled in a cascade → negations of findings run in later phases (strata);
 8 unconsumed derived facts → sink joins for findings and phase markers;
 9 duplicate facts rejected → one finding fact per (rule, kind), rule id inside, asserts guarded;
10 action exceptions swallowed → actions catch and record; the caller re-raises;
11 FNV-1a key collisions → short ASCII keys, checked for collisions at compile time;
12 post() consumed by one rule → only assert_fact is used;
13 two-argument actions treated as async → one-argument closures;
14 loose equality → values are typed (bool stays bool), absent stays absent;
15 arithmetic only on the right → none emitted; computed terms arrive precomputed;
16 dates as JSON scalars → yyyymmdd integers, money as integer 分;
17 252 properties → counted at compile time;
19 a ruleset name registered twice → a private Host and a unique name per compiled policy.
"""
from __future__ import annotations

import datetime as dt
import itertools
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import durable_rules_engine
from durable import engine as durable_engine

from . import ir
from .durable_expressions import AlphaTree, paths, split
from .errors import PolicyError, ToolError
from .valuation import NEVER, ProjectValues, Valuation
from .values import Duration

NEVER_KEY_VALUE = 99991231
MAX_FACT_PROPERTIES = 240
STACK_BUDGET = 48  # of durable-rules' 64-entry alpha stack; see DurableBackend._group_for
_LIST_TYPES = ("词列表", "日期列表", "年份列表")  # durable-rules refuses facts with more than 252
_LOCK = threading.Lock()  # the C engine is not safe to enter from two threads
_RULESET_COUNTER = itertools.count(1)
_SID_COUNTER = itertools.count(1)


class BackendError(ToolError):
    """The rules engine failed while evaluating one project."""

    code = "E900"


class _QuietHost(durable_engine.Host):
    """A Host whose background dispatcher and timers are never started (pitfall 4)."""

    def _run(self) -> None:
        pass


def fnv1a_32(text: str) -> int:
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


# ---------------------------------------------------------------- encoding of values
class _Encoding:
    """Short ASCII keys for every value a rule reads, and how a typed value becomes a JSON scalar."""

    def __init__(self, policy: ir.Policy) -> None:
        lists = [t.path for t in policy.read_fields() if t.type in _LIST_TYPES]
        # A record list itself is never compared, only counted (a computed term): it has no key.
        scalar_paths = dict.fromkeys([*(t.path for t in policy.read_fields() if t.type not in (*_LIST_TYPES, "记录列表")),
                                      ir.AS_OF_PATH])
        self.fields = {path: f"v{i}" for i, path in enumerate(scalar_paths)}
        self.events = {t.path for t in policy.read_fields() if t.event and t.type not in (*_LIST_TYPES, "记录列表")}
        self.computed = {t: f"c{i}" for i, t in enumerate(policy.computed_terms())}
        words: dict[tuple[str, str], None] = {}
        for rule in policy.rules:
            for cond in (rule.applies, *(o.condition for o in rule.outcomes)):
                _collect_words(cond, words)
        self.words = {pair: f"w{i}" for i, pair in enumerate(words)}
        # One key per list: for a word list, present exactly when the list is (so are its word
        # flags); for a list of events (dates, years), always present: true when something happened.
        self.lists = {path: f"l{i}" for i, path in enumerate(dict.fromkeys(lists))}
        self.event_lists = {t.path for t in policy.read_fields() if t.type in _LIST_TYPES and t.event}
        self.implies = {key: self.lists[path] for (path, _), key in self.words.items()}
        # Records of a record list become item facts: the project's keys plus the record's fields.
        self.record_lists = {path: f"L{i}" for i, path in enumerate(policy.record_lists())}
        self.item_fields = {t.path: f"i{n}" for n, t in enumerate(t for path in self.record_lists for t in policy.item_fields(path))}
        self.item_events = {t.path for path in self.record_lists for t in policy.item_fields(path) if t.event}
        keys = [*self.fields.values(), *self.computed.values(), *self.words.values(), *self.lists.values(),
                *self.item_fields.values(), "kind", "sid", "n", "a", "k", "r", "list", "idx", "g"]
        if len(keys) > MAX_FACT_PROPERTIES:
            raise PolicyError.of("E160", None, count=len(keys), limit=MAX_FACT_PROPERTIES)
        assert len(set(keys)) == len(keys), "engine keys must be distinct"
        hashes: dict[int, str] = {}
        for key in keys:
            other = hashes.setdefault(fnv1a_32(key), key)
            if other != key:
                raise PolicyError.of("E161", None, a=other, b=key)

    def key(self, term: ir.Term) -> str | None:
        match term:
            case ir.FieldTerm(path=path, item=True):
                return self.item_fields[path]
            case ir.FieldTerm(path=path, type=type_) if type_ in _LIST_TYPES:
                return self.lists[path]
            case ir.FieldTerm(path=path):
                return self.fields[path]
            case ir.ComputedTerm():
                return self.computed[term]
        return None

    def fact(self, values: Valuation) -> dict[str, Any]:
        fact: dict[str, Any] = {}
        for path, key in self.fields.items():
            fact[key] = scalar(values.fields.get(path))
        for term, key in self.computed.items():
            fact[key] = scalar(values.computed.get(term))
        for (path, word), key in self.words.items():
            present = values.fields.get(path)
            fact[key] = None if present is None else word in present
        for path, key in self.lists.items():
            present = values.fields.get(path)
            fact[key] = bool(present) if path in self.event_lists else (None if present is None else True)
        return fact

    def item_fact(self, project_fact: dict, record_list: str, index: int, values: Valuation, keys: set[str]) -> dict[str, Any]:
        """One record as a fact: the project's keys that item rules read, and the record's fields."""
        fact = {k: project_fact[k] for k in keys if k in project_fact}
        fact.update(kind="item", list=self.record_lists[record_list], idx=index)
        for path, key in self.item_fields.items():
            if path.rpartition(".")[0] == record_list:
                fact[key] = scalar(values.fields.get(path))
        return fact


def scalar(value: Any) -> Any:
    """A typed value as the JSON scalar durable-rules compares (pitfall 16); absent is null."""
    match value:
        case None:
            return None
        case bool() | str():
            return value
        case dt.date():
            return NEVER_KEY_VALUE if value is NEVER else value.year * 10000 + value.month * 100 + value.day
        case Decimal():
            cents = value * 100
            return int(cents) if cents == cents.to_integral() else float(cents)
        case Duration(amount=amount):
            return amount
        case int():
            return value
    raise TypeError(f"no engine form for {value!r}")


def _collect_words(cond: ir.Cond, into: dict) -> None:
    match cond:
        case ir.HasWord(list_field=field_term, word=word):
            into.setdefault((field_term.path, word))
        case ir.And(items=items) | ir.Or(items=items):
            for item in items:
                _collect_words(item, into)
        case ir.Not(item=item) | ir.NotProven(item=item):
            _collect_words(item, into)


# ---------------------------------------------------------------- conditions as plans
@dataclass(frozen=True, slots=True)
class _Alt:
    """One alternative: a test on the project fact (None: always), findings that must exist, and
    findings that must not."""

    expr: dict | None = None
    present: tuple[ir.FindingExists, ...] = ()
    absent: tuple[ir.FindingExists, ...] = ()


Plan = list[_Alt]  # a disjunction of alternatives; [] is false
TRUE_PLAN: Plan = [_Alt()]

_NEGATED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_DURABLE_OP = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}


def _and(*exprs: dict | None) -> dict | None:
    parts = [e for e in exprs if e is not None]
    return None if not parts else parts[0] if len(parts) == 1 else {"$and": parts}


def _union(*plans: Plan) -> Plan:
    plain = [a for p in plans for a in p if not a.present and not a.absent]
    chained = [a for p in plans for a in p if a.present or a.absent]
    if not plain:
        return chained
    if any(a.expr is None for a in plain):
        return [_Alt(), *chained]
    merged = plain[0].expr if len(plain) == 1 else {"$or": [a.expr for a in plain]}
    return [_Alt(merged), *chained]


def _product(*plans: Plan) -> Plan:
    result: Plan = TRUE_PLAN
    for plan in plans:
        result = [_Alt(_and(a.expr, b.expr), a.present + b.present, a.absent + b.absent) for a in result for b in plan]
        result = _union(result)
    return result


class _PlanCompiler:
    def __init__(self, encoding: _Encoding) -> None:
        self.encoding = encoding
        # Keys sent with every fact (a value or a sentinel), which therefore can never be unknown.
        self.always_present = {encoding.fields[ir.AS_OF_PATH], *(encoding.fields[p] for p in encoding.events),
                               *(encoding.lists[p] for p in encoding.event_lists),
                               *(encoding.item_fields[p] for p in encoding.item_events)}

    def true(self, cond: ir.Cond) -> Plan:
        match cond:
            case ir.Compare():
                return self._compare(cond, negate=False)
            case ir.HasWord(list_field=f, word=w):
                return [_Alt({self.encoding.words[(f.path, w)]: True})]
            case ir.Filled(term=term):
                return [_Alt(self._filled(term, True))]
            case ir.FindingExists():
                return [_Alt(present=(cond,))]
            case ir.And(items=items):
                return _product(*(self.true(i) for i in items))
            case ir.Or(items=items):
                return _union(*(self.true(i) for i in items))
            case ir.Not(item=item):
                return self.false(item)
            case ir.NotProven(item=item):
                return _union(self.false(item), self.unknown(item))
        raise AssertionError(f"unhandled condition {cond!r}")

    def false(self, cond: ir.Cond) -> Plan:
        match cond:
            case ir.Compare():
                return self._compare(cond, negate=True)
            case ir.HasWord(list_field=f, word=w):
                return [_Alt({self.encoding.words[(f.path, w)]: False})]
            case ir.Filled(term=term):
                return [_Alt(self._filled(term, False))]
            case ir.FindingExists():
                return [_Alt(absent=(cond,))]
            case ir.And(items=items):
                return _union(*(self.false(i) for i in items))
            case ir.Or(items=items):
                return _product(*(self.false(i) for i in items))
            case ir.Not(item=item):
                return self.true(item)
            case ir.NotProven(item=item):
                return self.true(item)
        raise AssertionError(f"unhandled condition {cond!r}")

    def unknown(self, cond: ir.Cond) -> Plan:
        match cond:
            case ir.Compare(left=left, right=right):
                keys = [k for k in (self.encoding.key(left), self.encoding.key(right)) if k and not self._always_present(k)]
                if not keys:
                    return []
                return [_Alt(_or_expr([{k: None} for k in keys]))]
            case ir.HasWord(list_field=f):
                # every word flag of a list is null exactly when the list is: one shared test
                return [_Alt({self.encoding.lists[f.path]: None})]
            case ir.Filled() | ir.FindingExists() | ir.NotProven():
                return []
            case ir.Not(item=item):
                return self.unknown(item)
            case ir.And(items=items):
                return self._unknown_of(items, self.true)
            case ir.Or(items=items):
                return self._unknown_of(items, self.false)
        raise AssertionError(f"unhandled condition {cond!r}")

    def _unknown_of(self, items, absorbing_neutral) -> Plan:
        """And: unknown when no item is false and some item is unknown (for Or: no item true)."""
        alternatives = []
        for i, item in enumerate(items):
            before = [absorbing_neutral(j) for j in items[:i]]
            after = [_union(absorbing_neutral(j), self.unknown(j)) for j in items[i + 1:]]
            alternatives.append(_product(self.unknown(item), *before, *after))
        return _union(*alternatives)

    def _always_present(self, key: str) -> bool:
        return key in self.always_present

    def _filled(self, term: ir.FieldTerm, filled: bool) -> dict:
        key = self.encoding.key(term)
        if term.path in self.encoding.event_lists:
            return {key: filled}
        if term.event:
            return {"$lt": {key: NEVER_KEY_VALUE}} if filled else {key: NEVER_KEY_VALUE}
        return {"$neq": {key: None}} if filled else {key: None}

    def _compare(self, cond: ir.Compare, negate: bool) -> Plan:
        left, op, right = cond.left, cond.op, cond.right
        if isinstance(left, ir.ConstTerm) and not isinstance(right, ir.ConstTerm):
            left, right, op = right, left, _FLIPPED[op]
        if negate:
            op = _NEGATED[op]
        if isinstance(left, ir.ConstTerm):  # two constants: decided at compile time
            from .reference import kleene
            holds = kleene(ir.Compare(left, op, right), Valuation({}, {}), set())
            return TRUE_PLAN if holds else []
        key = self.encoding.key(left)
        guards = [] if self._always_present(key) else [{"$neq": {key: None}}]
        if isinstance(right, ir.ConstTerm):
            operand: Any = scalar(right.value)
        else:
            other = self.encoding.key(right)
            if not self._always_present(other):
                guards.append({"$neq": {other: None}})  # pitfall 6: an absent right-hand field reads as true
            operand = {"$m": other}
        test = {key: operand} if op == "==" else {_DURABLE_OP[op]: {key: operand}}
        return [_Alt(_and(*guards, test))]


def _or_expr(exprs: list[dict]) -> dict:
    return exprs[0] if len(exprs) == 1 else {"$or": exprs}


# ---------------------------------------------------------------- the ruleset
@dataclass
class _Run:
    """What one evaluation's actions have seen; replaced for every project."""

    firings: list[tuple[str, str, int | None]] = field(default_factory=list)
    seen: set[tuple[str, str, int | None]] = field(default_factory=set)
    asserted: set[tuple[str, str]] = field(default_factory=set)
    errors: list[BaseException] = field(default_factory=list)
    started: bool = False  # the guard action ran: the session is fully created and safe to delete
    fact: dict = field(default_factory=dict)  # the encoded project, re-asserted by the scope rule
    items: list = field(default_factory=list)


class DurableBackend:
    """A compiled policy registered as one durable-rules ruleset on a private host."""

    def __init__(self, policy: ir.Policy) -> None:
        self.policy = policy
        self.encoding = _Encoding(policy)
        self.strata = policy.strata
        self._chained = {(rid, ref.kind) for rule in policy.rules for ref in rule.refs for rid in ref.rule_ids}
        self._run: _Run | None = None
        self.name = f"policy@{policy.fingerprint}#{next(_RULESET_COUNTER)}"
        self._host = _QuietHost()
        definition = self._definition()
        self.definition_size = len(definition)
        with _LOCK:
            self._host.register_rulesets({self.name: definition})

    def _definition(self) -> dict:
        """The ruleset, in phases. Phase 0: the project fact meets the 不适用 rules (the gate).
        Phase 1: if no 不适用 finding exists, the scope rule re-asserts the project as `scoped`
        copies (one per rule group) and the records as `item` facts; every other rule matches
        those, so it never sees an out-of-scope project. Phase k ≥ 2: rules that read findings of
        rules below stratum k."""
        compiler = _PlanCompiler(self.encoding)
        definition: dict[str, dict] = {}
        self.groups = 1
        self._group_tree = AlphaTree()
        # The keys each kind of fact needs: a fact carries only what its rules read, since
        # durable-rules looks every property of a fact up in the alpha network.
        self._group_keys: dict[int, set[str]] = {}  # group → the keys its rules read
        self._gate_keys: set[str] = set()
        self._item_keys: set[str] = set()
        # Per phase ≥ 2: the findings at least one of which must exist for any of its rules to fire.
        self._phase_needs: dict[int, set | None] = {}
        gates = tuple(r.rule_id for r in self.policy.rules if r.is_gate)
        for rule in self.policy.rules:
            applies = compiler.true(rule.applies)
            for outcome in rule.outcomes:
                plan = _product(compiler.true(outcome.condition), applies)
                self._emit(definition, rule, outcome.variant, outcome.kind, plan)
            if rule.undecided is not None:
                plan = _product(compiler.unknown(rule.undecided), applies)
                self._emit(definition, rule, "无法判定", "无法判定", plan)
        noop = lambda c: None  # noqa: E731 - actions must take exactly one argument (pitfall 13)

        def guard(c) -> None:
            self._run.started = True

        def scope(c) -> None:
            run = self._run
            try:
                # Each copy carries only the keys its group's rules read: less JSON through the engine.
                for group in range(self.groups):
                    fact = run.fact
                    c.assert_fact({**{k: fact[k] for k in self._group_keys.get(group, ()) if k in fact},
                                   "sid": fact["sid"], "kind": "scoped", "g": group})
                for item in run.items:
                    c.assert_fact(item)
            except Exception as exc:  # noqa: BLE001 - pitfall 10: re-raised by evaluate()
                run.errors.append(exc)

        scope_patterns = [{"ph": {"$and": [{"kind": "phase"}, {"n": 1}]}}, {"p": {"kind": "project"}}]
        if gates:
            scope_patterns.append({"x$not": _finding_pattern(ir.FindingExists("本办法", "不适用", gates))})
        definition["$guard"] = {"all": [{"m": {"kind": "project"}}], "pri": 1000, "run": guard}
        definition["$scope"] = {"all": scope_patterns, "run": scope}
        for kind in ("project", "scoped", "item", "finding", "phase"):
            definition[f"$sink_{kind}"] = {"all": [{"m": {"kind": kind}}, {"x": {"kind": "$never"}}], "run": noop}
        return definition

    def _emit(self, definition: dict, rule: ir.Rule, variant: str, kind: str, plan: Plan) -> None:
        try:
            pieces = [(expr, alt) for alt in plan for expr in split(alt.expr, self.encoding.implies)]
        except ValueError:
            raise PolicyError.of("E162", rule.span, article=rule.article.label, rule=rule.rule_id) from None
        for index, (expr, alt) in enumerate(pieces):
            # The gate's negation is what the scoped facts already mean: it is not joined again.
            absent = [ref for ref in alt.absent if not _is_gate(ref)]
            patterns: list[dict] = []
            if rule.stratum >= 2:
                patterns.append({"ph": {"$and": [{"kind": "phase"}, {"n": rule.stratum}]}})
                needs = self._phase_needs.setdefault(rule.stratum, set())
                if needs is not None:  # None: some rule of this phase may fire without any finding
                    present = {(rid, ref.kind) for ref in alt.present for rid in ref.rule_ids}
                    self._phase_needs[rule.stratum] = needs | present if present else None
            if rule.is_gate:
                self._gate_keys.update(keys_read(expr))
                subject = _and({"kind": "project"}, expr)
            elif rule.each:
                self._item_keys.update(keys_read(expr))
                subject = _and({"kind": "item"}, {"list": self.encoding.record_lists[rule.each]}, expr)
            else:
                group = self._group_for(expr)
                self._group_keys.setdefault(group, set()).update(keys_read(expr))
                subject = _and({"kind": "scoped"}, {"g": group}, expr)
            patterns.append({"p": subject})
            patterns.extend({f"f{i}": _finding_pattern(ref)} for i, ref in enumerate(alt.present))
            patterns.extend({f"x{i}$not": _finding_pattern(ref)} for i, ref in enumerate(absent))
            definition[f"{rule.rule_id}|{variant}|{index}"] = {"all": patterns, "run": self._action(rule, variant, kind)}

    def _group_for(self, expr: dict | None) -> int:
        """durable-rules walks the alpha network depth-first with a stack of 64 nodes (events.c
        MAX_STACK_SIZE; ERR 303 when exceeded), pushing every matching child of a node at once.
        The project is therefore asserted once per group of rules, each copy tagged with its
        group, and a rule joins the current group only while the group's alpha tree keeps the
        worst-case stack within STACK_BUDGET."""
        tree, added = self._group_tree, len(paths(expr))
        created = tree.add(expr)
        if tree.worst_stack() > STACK_BUDGET and tree.paths > added:
            tree.remove(created, added)
            self.groups += 1
            self._group_tree = tree = AlphaTree()
            tree.add(expr)
        return self.groups - 1

    def _action(self, rule: ir.Rule, variant: str, kind: str):
        chained = (rule.rule_id, kind) in self._chained
        finding_fact = {"kind": "finding", "a": rule.article.label, "k": kind, "r": rule.rule_id}
        per_item = rule.each is not None

        def action(c) -> None:
            run = self._run
            try:
                firing = (rule.rule_id, variant, c.p.idx if per_item else None)
                if firing in run.seen:
                    return  # a rule matched by several alternatives or findings fires once (pitfall 9)
                run.seen.add(firing)
                run.firings.append(firing)
                if chained and (rule.rule_id, kind) not in run.asserted:
                    run.asserted.add((rule.rule_id, kind))
                    try:
                        c.assert_fact(dict(finding_fact))
                    except durable_engine.MessageObservedException:
                        pass
            except Exception as exc:  # noqa: BLE001 - pitfall 10: re-raised by evaluate()
                run.errors.append(exc)
        return action

    def evaluate(self, values: ProjectValues) -> list[tuple[str, str, int | None]]:
        fact = self.encoding.fact(values.project)
        items = [self.encoding.item_fact(fact, record_list, index, item, self._item_keys)
                 for record_list, item_values in values.items.items() for index, item in enumerate(item_values)]
        with _LOCK:
            sid = str(next(_SID_COUNTER))
            fact["sid"] = sid
            for item in items:
                item["sid"] = sid
            run = _Run(fact=fact, items=items)
            self._run = run
            try:
                gate_fact = {k: fact[k] for k in self._gate_keys if k in fact}
                self._check(self._host.assert_fact(self.name, {**gate_fact, "sid": sid, "kind": "project"}))
                for level in range(1, max(self.strata, 1) + 1):
                    needs = self._phase_needs.get(level)
                    if level >= 2 and needs is not None and not needs & run.asserted:
                        continue  # every rule of this phase joins a finding that was not found: nothing can fire
                    self._check(self._host.assert_fact(self.name, {"sid": sid, "kind": "phase", "n": level}))
            finally:
                # delete_state on a session in which no action ran frees garbage (pitfall 1); the
                # guard action always runs unless the engine failed, and then the session is left.
                if run.started:
                    self._host.delete_state(self.name, sid)
                self._run = None
        if run.errors:
            raise BackendError(f"规则引擎的动作出错：{run.errors[0]!r}")
        return run.firings

    @staticmethod
    def _check(state: Any) -> None:
        if isinstance(state, dict) and state.get("exception"):
            raise BackendError(f"规则引擎出错：{state['exception']}")

    def close(self) -> None:
        """Unregister the ruleset, so that a reloaded policy does not keep the old one alive."""
        with _LOCK:
            ruleset = self._host._ruleset_directory.pop(self.name, None)
            if ruleset is not None:
                self._host._ruleset_list.remove(ruleset)
                durable_rules_engine.delete_ruleset(ruleset._handle)


def keys_read(expr: dict | None) -> set[str]:
    """Every fact key a durable expression reads, including the right-hand sides of comparisons."""
    if expr is None:
        return set()
    (op, body), = expr.items()
    if op in ("$and", "$or"):
        return set().union(*(keys_read(child) for child in body)) if body else set()
    if not op.startswith("$"):
        return {op}
    (key, value), = body.items()
    return {key, value["$m"]} if isinstance(value, dict) and "$m" in value else {key}


def _is_gate(ref: ir.FindingExists) -> bool:
    return ref.kind == "不适用"


def _finding_pattern(ref: ir.FindingExists) -> dict:
    rules = [{"r": rid} for rid in ref.rule_ids]
    return {"$and": [{"kind": "finding"}, {"k": ref.kind}, rules[0] if len(rules) == 1 else {"$or": rules}]}

