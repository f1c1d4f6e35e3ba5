"""Each evaluation keeps its open 违规 and 后果 as one JSON list, so the dashboard is one query.

Evaluations made before this column existed have no list: they stop being current, and the next
read of the register judges those projects again (their stored findings stay as they were).

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("evaluations") as batch:
        batch.add_column(sa.Column("breaches", sa.Text, nullable=True))
    op.execute("UPDATE projects SET current_evaluation_id = NULL")


def downgrade() -> None:
    with op.batch_alter_table("evaluations") as batch:
        batch.drop_column("breaches")
