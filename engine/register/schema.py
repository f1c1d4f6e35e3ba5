"""The register's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Facts are never overwritten: every change is a row of `events` (field path, old → new) in a
`changesets` row that says when, who and from where (导入、表单、接口、命令行). A project's record on
any day is rebuilt by replaying its events up to that day. `evaluations` keep what the tool said:
the policy's fingerprint, the as-of date, the facts known (the last event replayed), the findings.
`projects` holds only pointers that make the dashboard one indexed join: the last event and the
current evaluation. The migrations (migrations/versions/) create exactly these tables; a test
checks that the two agree.
"""
from __future__ import annotations

from sqlalchemy import (Column, Date, DateTime, ForeignKey, Index, Integer, MetaData, String, Table, Text)

metadata = MetaData()

policies = Table(
    "policies", metadata,
    Column("fingerprint", String(64), primary_key=True),  # sha256 of every file the policy was built from
    Column("name", Text, nullable=False),
    Column("number", Text, nullable=False),  # 文号
    Column("file", Text, nullable=False),
    Column("sources", Text, nullable=False),  # JSON {file name: text}: the policy can be rebuilt as it was
    Column("first_used_at", DateTime, nullable=False),  # UTC; the policy in force from then on
)

changesets = Table(
    "changesets", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("recorded_at", DateTime, nullable=False, index=True),  # UTC
    Column("actor", Text, nullable=False),  # who
    Column("source", String(8), nullable=False),  # 导入、表单、接口、命令行
    Column("origin", Text, nullable=False, server_default=""),  # file and row, or a note
)

projects = Table(
    "projects", metadata,
    Column("id", String(100), primary_key=True),  # 项目.编号
    Column("last_event_id", Integer, nullable=False, server_default="0"),
    Column("current_evaluation_id", Integer, nullable=True),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("changeset_id", Integer, ForeignKey("changesets.id"), nullable=False),
    Column("project_id", String(100), ForeignKey("projects.id"), nullable=False),
    Column("field", Text, nullable=False),  # key path, 合同.签订日期
    Column("old_value", Text, nullable=True),  # JSON of the text as staff write it; NULL: was absent
    Column("new_value", Text, nullable=True),  # NULL: removed (unknown again)
    Index("ix_events_project", "project_id", "id"),
    Index("ix_events_changeset", "changeset_id"),
)

evaluations = Table(
    "evaluations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", String(100), ForeignKey("projects.id"), nullable=False),
    Column("policy_fingerprint", String(64), ForeignKey("policies.fingerprint"), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("evaluated_at", DateTime, nullable=False),
    Column("last_event_id", Integer, nullable=False),  # the facts as they stood after this event
    Column("name", Text, nullable=False),
    Column("unit", Text, nullable=False),  # 建设单位
    Column("stage", Text, nullable=False),
    Column("conclusion", String(8), nullable=False),
    Column("violations", Integer, nullable=False),
    Column("next_deadline", Date, nullable=True),
    Column("next_summary", Text, nullable=True),
    Column("breaches", Text, nullable=True),  # JSON list of the open 违规 and 后果 (migration 0002)
    Column("report", Text, nullable=False),  # Report.to_json(), as the CLI prints it
    Index("ix_evaluations_project", "project_id", "id"),
)

findings = Table(
    "findings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("evaluation_id", Integer, ForeignKey("evaluations.id"), nullable=False),
    Column("project_id", String(100), nullable=False),
    Column("article", Text, nullable=False),  # 条号
    Column("rule_id", String(20), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("summary", Text, nullable=False),
    Column("deadline", Date, nullable=True),
    Column("item", Integer, nullable=True),  # which record, for a rule checked per record (1-based)
    Index("ix_findings_evaluation", "evaluation_id"),
    Index("ix_findings_kind_deadline", "kind", "deadline"),
)
