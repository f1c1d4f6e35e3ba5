"""The register's first schema: policies, changesets, projects, events, evaluations, findings.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policies",
        sa.Column("fingerprint", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("number", sa.Text, nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("sources", sa.Text, nullable=False),
        sa.Column("first_used_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "changesets",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("origin", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_changesets_recorded_at", "changesets", ["recorded_at"])
    op.create_table(
        "projects",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("last_event_id", sa.Integer, nullable=False, server_default="0"),
        sa.Column("current_evaluation_id", sa.Integer, nullable=True),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("changeset_id", sa.Integer, sa.ForeignKey("changesets.id"), nullable=False),
        sa.Column("project_id", sa.String(100), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("old_value", sa.Text, nullable=True),
        sa.Column("new_value", sa.Text, nullable=True),
    )
    op.create_index("ix_events_project", "events", ["project_id", "id"])
    op.create_index("ix_events_changeset", "events", ["changeset_id"])
    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("project_id", sa.String(100), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("policy_fingerprint", sa.String(64), sa.ForeignKey("policies.fingerprint"), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("evaluated_at", sa.DateTime, nullable=False),
        sa.Column("last_event_id", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("stage", sa.Text, nullable=False),
        sa.Column("conclusion", sa.String(8), nullable=False),
        sa.Column("violations", sa.Integer, nullable=False),
        sa.Column("next_deadline", sa.Date, nullable=True),
        sa.Column("next_summary", sa.Text, nullable=True),
        sa.Column("report", sa.Text, nullable=False),
    )
    op.create_index("ix_evaluations_project", "evaluations", ["project_id", "id"])
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("evaluation_id", sa.Integer, sa.ForeignKey("evaluations.id"), nullable=False),
        sa.Column("project_id", sa.String(100), nullable=False),
        sa.Column("article", sa.Text, nullable=False),
        sa.Column("rule_id", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("deadline", sa.Date, nullable=True),
        sa.Column("item", sa.Integer, nullable=True),
    )
    op.create_index("ix_findings_evaluation", "findings", ["evaluation_id"])
    op.create_index("ix_findings_kind_deadline", "findings", ["kind", "deadline"])


def downgrade() -> None:
    for table in ("findings", "evaluations", "events", "projects", "changesets", "policies"):
        op.drop_table(table)
