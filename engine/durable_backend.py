"""Stage 4 — the durable-rules backend: IR → a durable-rules ruleset, built as data.

With durable_session.py (which drives it), the only code that touches durable. Each IR rule
becomes one or more durable rules (one per alternative of its condition in disjunctive form over
findings); a rule's firing only records (project, rule, variant, record): findings are built
afterwards in Python. No Python runs inside the engine and no source is generated. Conditions are
compiled in three-valued logic: for every condition C the compiler emits "C is true" and, for
if-rules, "C is unknown" (→ 无法判定).

The known faults of durable-rules 2.0.28 (docs/durable/durable_rules.md §3 and
durable_batching.md) are neutralised here and in durable_session.py:
 1 delete_state after no action → every session starts with a guard fact whose action must run;
 2 >1,024 live sessions → one live session at a time; a session that could not be deleted is
   counted, and the ruleset is re-created long before the limit;
 3 integer division → no division is ever emitted (percentages are computed in Python);
 4 the Host's threads → no Host at all: the C module is called directly, under one lock;
 5 bare negation on the state object → every pattern has a `kind` discriminator, and absence is
   never tested with $nex: every key is always sent, JSON null when the fact is absent (this also
   keeps clear of rete.c's limit of 128 $nex tests under one alpha node, ERR 107);
 6 missing right-hand field reads as true → every compared key is guarded with `!= null`;
 7, 24 none() not cancelled in a cascade, nor by a later fact → negations of findings run in
   later phases (strata), each opened by one phase fact for the whole batch;
 8 unconsumed facts → sink joins for every kind of fact;
 9 duplicate facts rejected → one finding fact per (project, rule, kind), deduplicated by us;
10, 12, 13 actions' exceptions, post() and async actions → there are no Python actions: the
   session reports matches and the caller records them;
11 FNV-1a key collisions → short ASCII keys, checked for collisions at compile time;
14 loose equality → values are typed (bool stays bool), absent stays absent;
15 arithmetic only on the right → none emitted; computed terms arrive precomputed;
16 dates as JSON scalars → yyyymmdd integers, money as integer 分;
17 252 properties → counted at compile time;
19 a ruleset registered twice → each compiled policy creates its own, under a unique name;
22 the 64-entry alpha stack → rules in groups, one project copy per group;
23 a join after an $or is dropped → the project join is the first test of every finding pattern
   (asserted at compile time); many projects share a session, so this is what isolates them;
25 the C calls' result codes and failures → durable_session.py.
"""
from __future__ import annotations

import datetime as dt
import itertools
import operator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, assert_never

from . import durable_session, ir, language
from .backend import BackendClosed, Engine, Firing
from .durable_expressions import AlphaTree, paths, split
from .errors import PolicyError, ToolError
from .valuation import NEVER, ProjectValues, Valuation
from .values import Duration

NEVER_KEY_VALUE = 99991231
MAX_FACT_PROPERTIES = 240
STACK_BUDGET = 48  # of durable-rules' 64-entry alpha stack; see DurableBackend._group_for
_LIST_TYPES = ("词列表", "日期列表", "年份列表")  # durable-rules refuses facts with more than 252
_RULESET_COUNTER = itertools.count(1)


class BackendError(ToolError):
    """The rules engine failed while evaluating one project."""

    code = "E900"


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
        # The same, as the sequences fact() and item_fact() walk for every project.
        self._field_keys = tuple(self.fields.items())
        self._computed_keys = tuple(self.computed.items())
        self._word_keys = tuple((path, word, key) for (path, word), key in self.words.items())
        self._list_keys = tuple((path, key, path in self.event_lists) for path, key in self.lists.items())
        self._record_keys = {record_list: tuple((path, key) for path, key in self.item_fields.items()
                                                if path.rpartition(".")[0] == record_list)
                             for record_list in self.record_lists}
        keys = [*self.fields.values(), *self.computed.values(), *self.words.values(), *self.lists.values(),
                *self.item_fields.values(), "kind", "sid", "pid", "n", "k", "r", "list", "idx", "g"]
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
        """The project's values under their engine keys, every key present (pitfall 5)."""
        fact: dict[str, Any] = {}
        fields, computed = values.fields.get, values.computed.get
        for path, key in self._field_keys:
            value = fields(path)
            kind = value.__class__
            # the common cases inline, in scalar()'s terms: most values are yes/no, texts and dates
            fact[key] = value if kind in _AS_IS else \
                (NEVER_KEY_VALUE if value is NEVER else value.year * 10000 + value.month * 100 + value.day) \
                if kind is dt.date else scalar(value)
        for term, key in self._computed_keys:
            value = computed(term)
            fact[key] = value if value.__class__ in _AS_IS else scalar(value)
        for path, word, key in self._word_keys:
            present = fields(path)
            fact[key] = None if present is None else word in present
        for path, key, event in self._list_keys:
            present = fields(path)
            fact[key] = bool(present) if event else (None if present is None else True)
        return fact

    def item_fact(self, project_fact: dict, record_list: str, index: int, values: Valuation, keys: set[str]) -> dict[str, Any]:
        """One record as a fact: the project's keys that item rules read, and the record's fields."""
        fact = {k: project_fact[k] for k in keys if k in project_fact}
        fact.update(kind="item", list=self.record_lists[record_list], idx=index)
        fields = values.fields.get
        for path, key in self._record_keys[record_list]:
            fact[key] = scalar(fields(path))
        return fact


_AS_IS = frozenset((type(None), bool, str, int))  # values that are already the engine's JSON scalar


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
    for node in cond.walk():
        if isinstance(node, ir.HasWord):
            into.setdefault((node.list_field.path, node.word))


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
            case _:
                assert_never(cond)

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
            case _:
                assert_never(cond)

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
            case _:
                assert_never(cond)

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
        if isinstance(left, ir.ConstTerm):
            raise AssertionError(f"two constants compared: engine.passes.fold_constants decides {cond!r}")
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
@dataclass(frozen=True, slots=True)
class RuleAction:
    """What a durable rule's firing means: the engine only reports which rule matched which
    project (and record); findings are built afterwards, in Python, from these."""

    rule_id: str
    variant: str
    kind: str
    per_item: bool
    chained: bool  # a later phase reads this finding: it goes back into the session as a fact
    gates: bool  # a 不适用 finding: the project is out of scope


COLLISION_RETRIES = 3  # a collision recurs under a new sid with probability ~1e-4 for a batch


class DurableBackend:
    """A compiled policy registered as one durable-rules ruleset, driven through durable's C
    module (durable_session.py). Projects are evaluated in batches sharing one session. The
    product's Backend (engine/backend.py)."""

    engine = Engine.DURABLE

    def __init__(self, policy: ir.Policy) -> None:
        self.closed = False
        self.policy = policy
        self.encoding = _Encoding(policy)
        self.strata = max(policy.strata, 1)
        self._chained = {(rid, ref.kind) for rule in policy.rules for ref in rule.refs for rid in ref.rule_ids}
        self.actions: dict[str, RuleAction] = {}
        self.name = f"policy@{policy.fingerprint}#{next(_RULESET_COUNTER)}"
        self.definition = self._definition()
        self.definition_size = len(self.definition)
        self.group_keys = tuple(tuple(sorted(self._group_keys.get(g, ()))) for g in range(self.groups))
        self.group_pickers = tuple(_picker(keys) for keys in self.group_keys)
        self.gate_keys = tuple(sorted(self._gate_keys))
        self.item_keys = frozenset(self._item_keys)
        self.phase_needs = self._phase_needs
        self.session = durable_session.Sessions(self.name, self.definition, self)

    def _definition(self) -> dict:
        """The ruleset as data, in phases decided by the caller (durable_session.py). Phase 0: the
        projects' gate facts meet the 不适用 rules. Phase 1: the projects in scope arrive as
        `scoped` copies (one per rule group) and their records as `item` facts. Phase k ≥ 2: a
        phase fact opens the rules that read findings of rules below stratum k. Every fact
        carries its project's `pid`, and every finding pattern joins on it."""
        compiler = _PlanCompiler(self.encoding)
        definition: dict[str, dict] = {}
        self.groups = 1
        self._group_tree = AlphaTree()
        # The gate's and the records' rules are matched by one fact each, not split into groups:
        # their alpha trees are bounded as a whole (E166), so matching never overflows the stack.
        self._gate_tree, self._item_tree = AlphaTree(), AlphaTree()
        # The keys each kind of fact needs: a fact carries only what its rules read, since
        # durable-rules looks every property of a fact up in the alpha network.
        self._group_keys: dict[int, set[str]] = {}  # group → the keys its rules read
        self._gate_keys: set[str] = set()
        self._item_keys: set[str] = set()
        # Per phase ≥ 2: the findings at least one of which must exist for any of its rules to fire.
        self._phase_needs: dict[int, set | None] = {}
        for rule in self.policy.rules:
            applies = compiler.true(rule.applies)
            for outcome in rule.outcomes:
                plan = _product(compiler.true(outcome.condition), applies)
                self._emit(definition, rule, outcome.variant, outcome.kind, plan)
            if rule.undecided is not None:
                plan = _product(compiler.unknown(rule.undecided), applies)
                self._emit(definition, rule, language.UNDECIDED, language.UNDECIDED, plan)
        # Pitfall 1: delete_state is safe only in a session where an action ran; the guard runs
        # on the batch's first fact, alone, before anything else can fail.
        definition[durable_session.GUARD] = {"all": [{"m": {"kind": "start"}}], "pri": 1000}
        for kind in ("project", "scoped", "item", "finding", "phase"):  # pitfall 8
            definition[f"$sink_{kind}"] = {"all": [{"m": {"kind": kind}}, {"x": {"kind": "$never"}}]}
        for name, rule in definition.items():
            if name.startswith("$"):
                continue
            for pattern in rule["all"]:
                (label, expr), = pattern.items()
                if label.startswith(("f", "x")) and not join_precedes_or(expr):
                    raise AssertionError(f"{name}: a finding pattern must join on pid before any $or")
        return definition

    def _emit(self, definition: dict, rule: ir.Rule, variant: str, kind: str, plan: Plan) -> None:
        try:
            pieces = [(expr, alt) for alt in plan for expr in split(alt.expr, self.encoding.implies)]
        except ValueError:
            raise PolicyError.of("E162", rule.span, article=rule.article.label, rule=rule.rule_id) from None
        action = RuleAction(rule.rule_id, variant, kind, rule.each is not None, (rule.rule_id, kind) in self._chained,
                            rule.is_gate and kind == language.NOT_APPLICABLE)
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
                self._within_stack(self._gate_tree, expr, rule)
            elif rule.each:
                self._item_keys.update(keys_read(expr))
                subject = _and({"kind": "item"}, {"list": self.encoding.record_lists[rule.each]}, expr)
                self._within_stack(self._item_tree, _and({"list": self.encoding.record_lists[rule.each]}, expr), rule)
            else:
                group = self._group_for(expr)
                self._group_keys.setdefault(group, set()).update(keys_read(expr))
                subject = _and({"kind": "scoped"}, {"g": group}, expr)
                self._within_stack(self._group_tree, None, rule)  # a rule alone may be too wide for a group
            patterns.append({"p": subject})
            patterns.extend({f"f{i}": _finding_pattern(ref)} for i, ref in enumerate(alt.present))
            patterns.extend({f"x{i}$not": _finding_pattern(ref)} for i, ref in enumerate(absent))
            name = f"{rule.rule_id}|{variant}|{index}"
            # `cap`: one action call delivers every project's match of the rule in the batch.
            definition[name] = {"all": patterns, "cap": durable_session.CAP}
            self.actions[name] = action

    def _within_stack(self, tree: AlphaTree, expr: dict | None, rule: ir.Rule) -> None:
        if expr is not None:
            tree.add(expr)
        if tree.worst_stack() > STACK_BUDGET:
            raise PolicyError.of("E166", rule.span, article=rule.article.label, rule=rule.rule_id, limit=STACK_BUDGET,
                                 source=dict(self.policy.sources).get(rule.span.file))

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

    def evaluate(self, values: ProjectValues) -> list[Firing]:
        """One project: a batch of one, through the same path as many."""
        result, = self.evaluate_many([values])
        if isinstance(result, BackendError):
            raise result
        return result

    def evaluate_many(self, projects: list[ProjectValues]) -> list[list[Firing] | BackendError]:
        """Firings per project, in order, in batches sharing a session. A batch the engine fails
        on is run again one project at a time, so that the error is attributed to its project."""
        if self.closed:
            raise BackendClosed(self.engine)
        results: list[list[Firing] | BackendError] = []
        for start in range(0, len(projects), durable_session.BATCH_SIZE):
            batch = projects[start:start + durable_session.BATCH_SIZE]
            try:
                results.extend(self._run(batch))
            except durable_session.EngineFailure as failure:
                if len(batch) == 1:
                    results.append(BackendError(f"规则引擎出错：{failure}"))
                    continue
                for values in batch:
                    try:
                        results.extend(self._run([values]))
                    except durable_session.EngineFailure as alone:
                        results.append(BackendError(f"规则引擎出错：{alone}"))
        return results

    def _run(self, batch: list[ProjectValues]) -> list[list[Firing]]:
        """One session; a fact-hash collision (a dropped fact: pitfall 11) is never an answer: the
        batch runs again under a new session id, which changes every fact's hash."""
        for attempt in range(COLLISION_RETRIES):
            try:
                return self.session.run(batch)
            except durable_session.FactCollision:
                if attempt == COLLISION_RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Delete the ruleset, so that a reloaded policy does not keep the old one alive."""
        self.closed = True
        self.session.close()


def _picker(keys: tuple[str, ...]):
    """fact → its (key, value) pairs for `keys`, in order: a group's copy of the project is built
    from these for every project, and itemgetter takes them out in one call."""
    if not keys:
        return lambda fact: ()
    if len(keys) == 1:
        (key,) = keys
        return lambda fact: ((key, fact[key]),)
    take = operator.itemgetter(*keys)
    return lambda fact: zip(keys, take(fact))


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
    return ref.kind == language.NOT_APPLICABLE


def _finding_pattern(ref: ir.FindingExists) -> dict:
    """A finding of the same project: the join on `pid` comes before any $or, because
    durable-rules 2.0.28 silently drops a join written after one (pitfall 23)."""
    rules = [{"r": rid} for rid in ref.rule_ids]
    return {"$and": [{"kind": "finding"}, {"pid": {"p": "pid"}}, {"k": ref.kind},
                     rules[0] if len(rules) == 1 else {"$or": rules}]}


def join_precedes_or(expr: dict) -> bool:
    """Whether the `pid` join of a finding pattern comes before every $or in it."""
    (op, body), = expr.items()
    if op != "$and":
        return False
    for test in body:
        if test == {"pid": {"p": "pid"}}:
            return True
        if "$or" in test:
            return False
    return False
