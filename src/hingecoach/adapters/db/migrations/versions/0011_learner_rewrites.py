"""learner rewrites

`learners.rewritten`: the revision of the last write to a learner's programme other than a
plain logged session. A process that keeps a learner's window from an older revision then
reads only the sessions logged since (services/coach.py). Existing learners start at their
revision, so nothing kept before the upgrade is caught up.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("learners", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("rewritten", sa.Integer(), nullable=False, server_default="0")
        )
    op.execute("UPDATE learners SET rewritten = revision")


def downgrade() -> None:
    # Not a batch operation: on SQLite that copies the table and drops the old one, and with
    # foreign keys on, dropping it deletes every learner's rows by cascade. SQLite has
    # dropped a column in place since 3.35.
    op.execute("ALTER TABLE learners DROP COLUMN rewritten")
