"""Judging the register's projects through the façade's batch path (CompiledPolicy.evaluate_many),
and keeping what was said: the evaluation row with its policy fingerprint, as-of date and facts
version, and one findings row per finding for the due-date queries."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import bindparam, insert, update
from sqlalchemy.engine import Connection

from .. import language
from ..errors import ToolError
from ..facts import ProjectFacts
from .policies import RegisterPolicy
from .record import Record, facts_of, stage_of
from .schema import evaluations, findings, projects

NOT_EVALUATED = "无法评估"
DUE = language.TODO


@dataclass(frozen=True, slots=True)
class Judged:
    project_id: str
    last_event_id: int
    record: Record
    report: dict  # Report.to_json()

    @property
    def next_due(self) -> dict | None:
        due = [f for f in self.report["发现"] if f["类别"] == DUE and f["截止日期"]]
        return min(due, key=lambda f: f["截止日期"]) if due else None


def register_file_name(project_id: str) -> str:
    return f"台账:{project_id}"


def judge(policy: RegisterPolicy, project_id: str, record: Record, last_event_id: int, as_of: dt.date) -> Judged:
    """One project's findings (see judge_many)."""
    return judge_many(policy, [(project_id, record, last_event_id)], as_of)[0]


def judge_many(policy: RegisterPolicy, items: list[tuple[str, Record, int]], as_of: dt.date) -> list[Judged]:
    """Findings for (project id, record, last event id) items, in order, through the façade's batch
    path (CompiledPolicy.evaluate_many: projects share engine sessions). A project that cannot be
    judged is shown as 无法评估 with the reason, never dropped from the portfolio."""
    judged: list[Judged] = []
    for start in range(0, len(items), BATCH):
        judged.extend(_judge_batch(policy, items[start:start + BATCH], as_of))
    return judged


BATCH = 500  # projects per call of evaluate_many; a batch with a project that stops it is re-run one by one


def _judge_batch(policy: RegisterPolicy, items: list[tuple[str, Record, int]], as_of: dt.date) -> list[Judged]:
    compiled = policy.compiled
    facts: dict[int, ProjectFacts] = {}
    results: dict[int, Judged] = {}
    for index, (project_id, record, last_event_id) in enumerate(items):
        try:
            facts[index] = facts_of(record, compiled.vocabulary, register_file_name(project_id))
        except ToolError as error:
            results[index] = _unjudged(policy, project_id, record, last_event_id, as_of, error)
    order = sorted(facts)
    try:
        reports = compiled.evaluate_many([facts[i] for i in order], as_of)
    except ToolError:
        # Valuing a project can stop the whole batch (a working-day count reaching a year with no
        # holiday schedule yet): judge this batch one project at a time to find which.
        reports = []
        for i in order:
            try:
                reports.append(compiled.evaluate(facts[i], as_of))
            except ToolError as error:
                reports.append(error)
    for i, report in zip(order, reports):
        project_id, record, last_event_id = items[i]
        results[i] = (_unjudged(policy, project_id, record, last_event_id, as_of, report) if isinstance(report, ToolError)
                      else Judged(project_id, last_event_id, record, report.to_json()))
    return [results[i] for i in range(len(items))]


def _unjudged(policy: RegisterPolicy, project_id: str, record: Record, last_event_id: int, as_of: dt.date,
              error: ToolError) -> Judged:
    meta = policy.compiled.ir.meta
    return Judged(project_id, last_event_id, record, {
        "办法": meta.name, "文号": meta.number, "评估日期": as_of.isoformat(), "项目编号": project_id,
        "项目名称": str(record.get("项目.名称", "")), "文件": register_file_name(project_id),
        "结论": NOT_EVALUATED, "发现": [], "错误": error.render()})


def store(connection: Connection, policy: RegisterPolicy, judged: list[Judged], as_of: dt.date,
          now: dt.datetime, current: bool) -> list[int]:
    """Insert the evaluations and their findings; `current` makes them the projects' current view."""
    if not judged:
        return []
    rows = []
    for item in judged:
        nxt = item.next_due
        rows.append({
            "project_id": item.project_id, "policy_fingerprint": policy.fingerprint, "as_of": as_of,
            "evaluated_at": now, "last_event_id": item.last_event_id,
            "name": str(item.record.get("项目.名称", "")), "unit": str(item.record.get("项目.建设单位", "")),
            "stage": stage_of(item.record), "conclusion": item.report["结论"],
            "violations": sum(1 for f in item.report["发现"] if f["类别"] in language.BREACH_KINDS),
            "next_deadline": dt.date.fromisoformat(nxt["截止日期"]) if nxt else None,
            "next_summary": nxt["摘要"] if nxt else None,
            "breaches": json.dumps([f"{f['条号']}（{f['规则']}）{f['摘要']}" for f in item.report["发现"]
                                    if f["类别"] in language.BREACH_KINDS], ensure_ascii=False),
            "report": json.dumps(item.report, ensure_ascii=False),
        })
    ids = list(connection.execute(insert(evaluations).returning(evaluations.c.id, sort_by_parameter_order=True), rows).scalars())
    finding_rows = [
        {"evaluation_id": eid, "project_id": item.project_id, "article": f["条号"], "rule_id": f["规则"],
         "kind": f["类别"], "summary": f["摘要"],
         "deadline": dt.date.fromisoformat(f["截止日期"]) if f["截止日期"] else None, "item": f.get("项")}
        for eid, item in zip(ids, judged) for f in item.report["发现"]]
    if finding_rows:
        connection.execute(insert(findings), finding_rows)
    if current:
        connection.execute(update(projects).where(projects.c.id == bindparam("pid")).values(current_evaluation_id=bindparam("eid")),
                           [{"pid": item.project_id, "eid": eid} for eid, item in zip(ids, judged)])
    return ids
