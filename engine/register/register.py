"""The register's façade: open a database with a policy, import, edit, judge and query.

    register = Register.open("台账.db")            # or postgresql://…; created and migrated on first use
    register.import_sources([Path("facts/示例")], actor="张三")
    register.dashboard(date.today())              # every project's conclusion, open 违规, next deadline

Every read of "now" first brings the current evaluations up to date (refresh): a project is judged
again when its facts changed, the policy changed, or the day changed, and never otherwise.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select
from sqlalchemy.engine import Engine as DatabaseEngine

from ..backend import Engine
from ..errors import FactsError, FactsErrors, UsageError
from ..policy import DEFAULT_POLICY, CompiledPolicy, load_policy
from ..text import did_you_mean
from .database import open_database
from .evaluation import DUE, Judged, judge, judge_many, store
from .events import Change, changes_between, history, replay, utc_now, write_changeset
from .policies import RegisterPolicy, policy_in_force, rebuild_policy, record_policy, register_policy
from .record import NOT_STORED, Record, decode, facts_of, record_of, split_list
from .schema import evaluations, findings, projects
from .sources import ImportErrors, SourceRow, read_sources

LOCAL_TIME = ZoneInfo("Asia/Shanghai")  # a day of the register is a day in the county


@dataclass
class ImportSummary:
    projects: int = 0
    new: int = 0
    changed: int = 0
    events: int = 0
    skipped: list = field(default_factory=list)


def end_of_day(day: dt.date) -> dt.datetime:
    """The first UTC moment after `day` ends in the county."""
    local = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL_TIME)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def local_time(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC).astimezone(LOCAL_TIME).replace(tzinfo=None)


class Register:
    def __init__(self, engine: DatabaseEngine, policy: RegisterPolicy, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.engine = engine
        self.policy = policy
        self.clock = clock  # UTC now; tests and the generated portfolio set the time of changes
        self._past_policies: dict[str, RegisterPolicy] = {policy.fingerprint: policy}

    @classmethod
    def open(cls, target: str | None, policy_path: Path = DEFAULT_POLICY, compiled: CompiledPolicy | None = None,
             clock: Callable[[], dt.datetime] = utc_now) -> "Register":
        compiled = compiled or load_policy(policy_path, backend=Engine.DURABLE)
        return cls(open_database(target), register_policy(compiled, policy_path), clock)

    @property
    def vocabulary(self):
        return self.policy.compiled.vocabulary

    def close(self) -> None:
        self.engine.dispose()

    # --- writing -------------------------------------------------------------------------------

    def import_sources(self, paths: list[Path], *, actor: str, skip_bad: bool = False,
                       at: dt.datetime | None = None) -> ImportSummary:
        """All or nothing: with a bad file or row nothing is written, unless `skip_bad`."""
        rows, errors = read_sources(paths, self.vocabulary)
        if errors and not skip_bad:
            raise ImportErrors(errors)
        summary = self.import_rows(rows, actor=actor, source="导入", origin="、".join(str(p) for p in paths), at=at)
        summary.skipped = errors
        return summary

    def import_rows(self, rows: list[SourceRow], *, actor: str, source: str, origin: str,
                    at: dt.datetime | None = None) -> ImportSummary:
        summary = ImportSummary(projects=len(rows))
        with self.engine.begin() as connection:  # one transaction: a failed import leaves no trace
            known = replay(connection, [row.project_id for row in rows])
            changes: list[Change] = []
            for row in rows:
                old = known.get(row.project_id, ({}, 0))[0]
                found = changes_between(row.project_id, old, row.record, row.fields)
                if found:
                    summary.new += row.project_id not in known
                    summary.changed += row.project_id in known
                changes.extend(found)
            write_changeset(connection, changes, actor=actor, source=source, origin=origin, at=at or self.clock())
        summary.events = len(changes)
        return summary

    def set_field(self, project_id: str, path: str, text: str, *, actor: str, source: str = "命令行",
                  at: dt.datetime | None = None) -> Change | None:
        """Change one field; an empty `text` makes it unknown again. Validated like a facts file."""
        spec = self.vocabulary.get(path)
        if spec is None or path in NOT_STORED or spec.type == "记录列表":
            settable = [p for p, s in self.vocabulary.fields.items() if s.type != "记录列表" and p not in NOT_STORED]
            close = did_you_mean(path, settable)
            hint = f"是不是「{'」或「'.join(close)}」？" if close else "字段名见 facts/vocabulary.yaml，写成如 合同.签订日期"
            if spec is not None and spec.type == "记录列表":
                hint = "记录列表（如 实施.变更）请在事实文件中修改后导入"
            raise UsageError(f"台账中没有可以这样修改的字段「{path}」", hint=hint)
        with self.engine.begin() as connection:
            record = self._record(connection, project_id)
            new = dict(record)
            if text.strip():
                new[path] = split_list(text) if spec.type.endswith("列表") else text.strip()
            else:
                new.pop(path, None)
            try:
                checked = record_of(facts_of(new, self.vocabulary, f"register set {project_id}"))
            except (FactsError, FactsErrors) as error:
                raise _field_error(error, path, text) from None
            changes = changes_between(project_id, record, checked, [path])
            write_changeset(connection, changes, actor=actor, source=source, origin=f"{path} = {text}", at=at or self.clock())
        return changes[0] if changes else None

    def _record(self, connection, project_id: str) -> Record:
        state = replay(connection, [project_id]).get(project_id)
        if state is None:
            ids = list(connection.execute(select(projects.c.id)).scalars())
            close = did_you_mean(project_id, ids)
            raise UsageError(f"台账中没有项目「{project_id}」",
                             hint=f"是不是「{'」或「'.join(close)}」？" if close else "用 register list 列出台账中的项目")
        return state[0]

    # --- judging ---------------------------------------------------------------------------------

    def refresh(self, as_of: dt.date) -> int:
        """Judge every project whose current evaluation is not for these facts, this policy and
        this day; returns how many were judged."""
        with self.engine.begin() as connection:
            current = (select(projects.c.id, projects.c.last_event_id, evaluations.c.as_of,
                              evaluations.c.policy_fingerprint, evaluations.c.last_event_id.label("judged_event"))
                       .outerjoin(evaluations, evaluations.c.id == projects.c.current_evaluation_id))
            rows = connection.execute(current).all()
            stale = [r.id for r in rows if (r.as_of, r.policy_fingerprint, r.judged_event)
                     != (as_of, self.policy.fingerprint, r.last_event_id)]
            if not stale:
                return 0
            now = self.clock()
            record_policy(connection, self.policy, now)
            states = replay(connection, None if len(stale) > len(rows) // 2 else stale)
            judged = judge_many(self.policy, [(pid, *states[pid]) for pid in stale if pid in states], as_of)
            store(connection, self.policy, judged, as_of, now, current=True)
        return len(judged)

    def dashboard(self, as_of: dt.date, *, unit: str | None = None, stage: str | None = None,
                  conclusion: str | None = None) -> list[dict]:
        """Every project's current view, soonest deadline first."""
        self.refresh(as_of)
        return self.dashboard_rows(as_of, unit=unit, stage=stage, conclusion=conclusion)

    def dashboard_rows(self, as_of: dt.date, *, unit: str | None = None, stage: str | None = None,
                       conclusion: str | None = None) -> list[dict]:
        """The dashboard's query alone (no refresh): one indexed join, sorted by the database.
        Rows are unpacked by position: on 10^4 projects, attribute access on result rows costs
        more than the query."""
        e = evaluations
        query = (select(projects.c.id, e.c.name, e.c.unit, e.c.stage, e.c.conclusion, e.c.violations, e.c.breaches,
                        e.c.next_deadline, e.c.next_summary, e.c.as_of)
                 .join(e, e.c.id == projects.c.current_evaluation_id)
                 .order_by(e.c.next_deadline.is_(None), e.c.next_deadline, projects.c.id))
        for column, wanted in ((e.c.unit, unit), (e.c.stage, stage), (e.c.conclusion, conclusion)):
            if wanted:
                query = query.where(column == wanted)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [{"项目编号": pid, "项目名称": name, "建设单位": unit_name, "阶段": stage_name, "结论": said,
                 "违规数": violations, "违规": json.loads(breaches) if violations else [],
                 "下一截止日期": deadline.isoformat() if deadline else None,
                 "剩余天数": (deadline - as_of).days if deadline else None,
                 "截止事项": summary, "评估日期": judged_on.isoformat()}
                for pid, name, unit_name, stage_name, said, violations, breaches, deadline, summary, judged_on in rows]

    def due(self, as_of: dt.date, within: int) -> list[dict]:
        """待办 whose deadline falls within `within` days of `as_of`, both days included."""
        self.refresh(as_of)
        last = as_of + dt.timedelta(days=within)
        query = (select(findings.c.project_id, evaluations.c.name, evaluations.c.unit, findings.c.article,
                        findings.c.rule_id, findings.c.summary, findings.c.deadline, findings.c.item)
                 .join(projects, projects.c.current_evaluation_id == findings.c.evaluation_id)
                 .join(evaluations, evaluations.c.id == findings.c.evaluation_id)
                 .where(and_(findings.c.kind == DUE, findings.c.deadline >= as_of, findings.c.deadline <= last))
                 .order_by(findings.c.deadline, findings.c.project_id, findings.c.rule_id))
        with self.engine.connect() as connection:
            return [{"截止日期": r.deadline.isoformat(), "剩余天数": (r.deadline - as_of).days, "项目编号": r.project_id,
                     "项目名称": r.name, "建设单位": r.unit, "条号": r.article, "规则": r.rule_id, "摘要": r.summary,
                     **({"项": r.item} if r.item is not None else {})} for r in connection.execute(query)]

    def show(self, project_id: str, as_of: dt.date, today: dt.date | None = None) -> dict:
        """A project's record and findings. For a past day: the facts recorded by the end of that
        day, judged by the policy in force that day (kept as an evaluation, not as the current view)."""
        today = today or dt.date.today()
        if as_of >= today:
            self.refresh(as_of)
            with self.engine.connect() as connection:
                record = self._record(connection, project_id)
                row = connection.execute(select(evaluations.c.report, evaluations.c.policy_fingerprint)
                                         .join(projects, projects.c.current_evaluation_id == evaluations.c.id)
                                         .where(projects.c.id == project_id)).one()
            return {"事实": record, "报告": decode(row.report), "政策指纹": row.policy_fingerprint}
        with self.engine.begin() as connection:
            until = end_of_day(as_of)
            state = replay(connection, [project_id], until).get(project_id)
            if state is None:
                self._record(connection, project_id)  # unknown project: says so
                raise UsageError(f"{as_of.isoformat()} 时台账中还没有项目「{project_id}」的记录",
                                 hint="用 register history 查看它最早的记录日期")
            policy = self._policy_in_force(connection, until)
            judged = judge(policy, project_id, state[0], state[1], as_of)
            record_policy(connection, policy, self.clock())
            store(connection, policy, [judged], as_of, self.clock(), current=False)
        return {"事实": state[0], "报告": judged.report, "政策指纹": policy.fingerprint}

    def _policy_in_force(self, connection, until: dt.datetime) -> RegisterPolicy:
        found = policy_in_force(connection, until)
        if found is None:
            return self.policy
        fingerprint, main, sources = found
        if fingerprint not in self._past_policies:
            self._past_policies[fingerprint] = rebuild_policy(fingerprint, main, sources)
        return self._past_policies[fingerprint]

    def history(self, project_id: str) -> list[dict]:
        with self.engine.connect() as connection:
            self._record(connection, project_id)
            rows = history(connection, project_id)
        for row in rows:
            row["时间"] = local_time(row["时间"]).isoformat(sep=" ")
        return rows

    def judged_projects(self, as_of: dt.date) -> list[Judged]:
        """Every project's current record and report (for exports)."""
        self.refresh(as_of)
        with self.engine.connect() as connection:
            states = replay(connection)
            reports = {r.id: decode(r.report) for r in connection.execute(
                select(projects.c.id, evaluations.c.report).join(evaluations, evaluations.c.id == projects.c.current_evaluation_id))}
        return [Judged(pid, states[pid][1], states[pid][0], reports[pid]) for pid in sorted(states) if pid in reports]


def _field_error(error: FactsError | FactsErrors, path: str, text: str) -> FactsError:
    first = error.errors[0] if isinstance(error, FactsErrors) else error
    return FactsError(first.code, f"「{text}」不能写入：{first.message}", file="register set", key_path=path, hint=first.hint)


__all__ = ["Register", "ImportSummary", "end_of_day", "local_time"]
