"""Driving a compiled ruleset through durable-rules' C module: many projects share one session.

durable's Python host costs a JSON round trip and a Closure per action, and a session costs ~180 µs
to create with this ruleset; with many projects per session and the C calls made directly, the
same findings come at about a fifth of the engine time (docs/durable/durable_batching.md).

A batch, in one session, step by step; after each step every pending action is taken and only
recorded (pitfall 24: nothing may wait for dispatch while the next step's facts arrive):
  1. a start fact alone: the guard action runs, after which delete_state is safe (pitfall 1);
  2. one gate fact per project: the 不适用 rules;
  3. the projects in scope, as one `scoped` copy per rule group, and their records as `item` facts;
  4. for each phase k ≥ 2: the findings a later phase reads, then one phase fact for the batch.
Every fact carries the project's `pid` (its index in the batch); finding patterns join on it.

The C calls (pitfall 25) are durable 2.0.28's own, undocumented: assert_facts returns (code,
state offset) with 0 asserted, 1 matched no rule, 2 already present (for our facts, which all
differ, a hash collision: FactCollision), 3 deferred (the session is busy: never expected, a failure); other failures raise durable_rules_engine.error or
MemoryError. An action message is JSON text {"rule name": frame or [frames]}.
"""
from __future__ import annotations

import contextlib
import itertools
import json
import re
import threading
from typing import Any

import durable_rules_engine as _engine
import orjson

BATCH_SIZE = 64  # projects per session: 64–128 measured best; more costs memory for no speed
CAP = 1000  # frames per action message: every project's match of a rule arrives in one call
GUARD = "$guard"
MAX_LEAKED_SESSIONS = 64  # sessions that could not be deleted, far below durable's 1,024 (pitfall 2)
_USABLE = (0, 1)  # assert result codes after which the session's actions can be taken
_ALREADY_PRESENT = 2
_LOCK = threading.Lock()  # the C engine is not safe to enter from two threads (pitfall 4)
_SESSION_IDS = itertools.count(1)
_RULESET_VERSIONS = itertools.count(1)
_PID = re.compile(r'"pid":(\d+)')


class EngineFailure(Exception):
    """durable-rules failed on a batch; the message says how, in the engine's words."""


class FactCollision(EngineFailure):
    """durable answered "already present" for a fact no other fact of the session equals. It tells
    facts apart by a 32-bit FNV-1a hash of their content (pitfall 11), so two different facts of one
    session can collide and the second is silently dropped — a finding lost. Every fact of a
    batch differs (pid, sid, kind, rule, record index), so the answer always means a collision. The
    sid is part of every fact: the same projects run again under a new sid hash differently."""


def to_json(value: Any) -> str:
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # an integer beyond 64 bits: json writes it, durable reads it as a double
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class _Batch:
    """What one batch's actions have reported, per project."""

    __slots__ = ("sid", "started", "firings", "seen", "asserted", "asserted_any", "gated", "pending")

    def __init__(self, sid: str, size: int) -> None:
        self.sid = sid
        self.started = False  # the guard action ran
        self.firings: list[list] = [[] for _ in range(size)]
        self.seen: list[set] = [set() for _ in range(size)]
        self.asserted: list[set] = [set() for _ in range(size)]  # (rule, kind) findings sent back
        self.asserted_any: set = set()
        self.gated: set[int] = set()  # projects with a 不适用 finding: out of scope
        self.pending: list[dict] = []  # finding facts for the next phase


class Sessions:
    """One compiled ruleset in the C engine, and the batches run through it, one at a time."""

    def __init__(self, name: str, definition: dict, backend) -> None:
        self._name = name
        self._definition_text = to_json(definition)
        self._backend = backend
        self._leaked = 0
        self._handle: int | None = _engine.create_ruleset(name, self._definition_text)

    def close(self) -> None:
        with _LOCK:
            if self._handle is not None:
                _engine.delete_ruleset(self._handle)
                self._handle = None

    def run(self, projects: list) -> list[list]:
        """Firings per project of a batch of ProjectValues. Raises EngineFailure."""
        backend = self._backend
        encoding = backend.encoding
        facts = [encoding.fact(values.project) for values in projects]
        with _LOCK:
            if self._handle is None:
                raise EngineFailure("规则集已关闭")
            batch = _Batch(f"s{next(_SESSION_IDS)}", len(projects))
            try:
                self._step([{"sid": batch.sid, "kind": "start"}], batch)
                if not batch.started:
                    raise EngineFailure("会话的起始动作没有执行")
                self._step([{**{k: fact[k] for k in backend.gate_keys}, "pid": pid, "sid": batch.sid, "kind": "project"}
                            for pid, fact in enumerate(facts)], batch)
                self._step(self._in_scope(projects, facts, batch), batch)
                for level in range(2, backend.strata + 1):
                    if batch.pending:
                        pending, batch.pending = batch.pending, []
                        self._step(pending, batch)
                    needs = backend.phase_needs.get(level)
                    if needs is not None and not needs & batch.asserted_any:
                        continue  # every rule of this phase joins a finding that no project has
                    self._step([{"sid": batch.sid, "kind": "phase", "n": level}], batch)
            except (_engine.error, MemoryError) as exc:
                raise EngineFailure(str(exc) or type(exc).__name__) from None
            finally:
                self._end(batch)
        return batch.firings

    def _in_scope(self, projects: list, facts: list[dict], batch: _Batch) -> list[dict]:
        backend, sid = self._backend, batch.sid
        encoding = backend.encoding
        out: list[dict] = []
        for pid, (values, fact) in enumerate(zip(projects, facts)):
            if pid in batch.gated:
                continue
            for group, pick in enumerate(backend.group_pickers):
                out.append(dict(pick(fact), pid=pid, sid=sid, kind="scoped", g=group))
            for record_list, records in values.items.items():
                for index, record in enumerate(records):
                    item = encoding.item_fact(fact, record_list, index, record, backend.item_keys)
                    item.update(pid=pid, sid=sid)
                    out.append(item)
        return out

    def _step(self, facts: list[dict], batch: _Batch) -> None:
        if not facts:
            return
        code, offset = _engine.assert_facts(self._handle, to_json(facts))
        if code == _ALREADY_PRESENT:
            raise FactCollision("两个不同的事实在规则引擎中散列值相同，其中一个被丢弃（durable-rules 只比较 32 位散列）")
        if code not in _USABLE:
            raise EngineFailure(f"事实未被接受（结果码 {code}）")
        started = _engine.start_action_for_state(self._handle, offset)
        if started is None:
            return
        message = started[1]
        try:
            while message is not None:
                self._record(message, batch)
                message = _engine.complete_and_start_action(self._handle, offset)
        except BaseException:
            with contextlib.suppress(Exception):  # the action is left open: release the session
                _engine.abandon_action(self._handle, offset)
            raise

    def _record(self, message: str, batch: _Batch) -> None:
        name = message[2:message.find('"', 2)] if message.startswith('{"') else None
        action = self._backend.actions.get(name)
        if action is not None and not action.per_item:
            # Every frame's facts are one project's (the pid joins), and a rule that is not per
            # record fires once per project: the pids are all this needs from the text. A `"`
            # inside a value is escaped in JSON, so only the facts' own `pid` keys match.
            pids = {int(pid) for pid in _PID.findall(message)}
            entries = ((pid, None) for pid in pids)
        else:
            try:
                (name, frames), = orjson.loads(message).items()
            except (orjson.JSONDecodeError, ValueError):
                raise EngineFailure(f"无法读取规则引擎的动作消息：{message[:200]}") from None
            if name == GUARD:
                batch.started = True
                return
            action = self._backend.actions.get(name)
            if action is None:
                raise EngineFailure(f"规则引擎报告了未知的规则 {name}")
            entries = ((frame["p"]["pid"], frame["p"]["idx"] if action.per_item else None)
                       for frame in ((frames,) if isinstance(frames, dict) else frames))
        rule_id, variant, kind = action.rule_id, action.variant, action.kind
        for pid, index in entries:
            firing = (rule_id, variant, index)
            seen = batch.seen[pid]
            if firing in seen:
                continue  # a rule matched by several alternatives or findings fires once
            seen.add(firing)
            batch.firings[pid].append(firing)
            if action.gates:
                batch.gated.add(pid)
            if action.chained and (rule_id, kind) not in batch.asserted[pid]:
                batch.asserted[pid].add((rule_id, kind))
                batch.asserted_any.add((rule_id, kind))
                batch.pending.append({"kind": "finding", "k": kind, "r": rule_id, "pid": pid, "sid": batch.sid})

    def _end(self, batch: _Batch) -> None:
        """Delete the session; one whose guard never ran cannot be deleted safely (pitfall 1) and
        is left behind. Before such sessions near durable's limit, the ruleset is created afresh."""
        if batch.started:
            try:
                _engine.delete_state(self._handle, batch.sid)
                return
            except (_engine.error, MemoryError):
                pass
        self._leaked += 1
        if self._leaked >= MAX_LEAKED_SESSIONS:
            # The old ruleset is not deleted: freeing it with half-created sessions inside is
            # exactly what crashes durable (pitfall 2). ~1 MB is left behind, once in 64 failures.
            self._handle = _engine.create_ruleset(f"{self._name}~{next(_RULESET_VERSIONS)}", self._definition_text)
            self._leaked = 0
