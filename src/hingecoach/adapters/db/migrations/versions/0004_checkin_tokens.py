"""check-in tokens

A check-in form carries a one-time token like the session form, so a check-in sent twice is
stored once.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_token", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            "uq_checkins_learner_token", ["learner_id", "client_token"]
        )


def downgrade() -> None:
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_constraint("uq_checkins_learner_token", type_="unique")
        batch_op.drop_column("client_token")
