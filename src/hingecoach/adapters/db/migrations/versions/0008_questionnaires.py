"""outcome questionnaires

A filled outcome questionnaire (ODI, RMDQ, PSFS, STarT Back, NPRS) with its answers and
score, or a clinician's request for one (no answers yet, `asked_by` set).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 11:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questionnaires",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("band", sa.String(length=40), nullable=False),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("asked_by", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["learner_id"], ["learners.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("questionnaires", schema=None) as batch_op:
        batch_op.create_index("ix_questionnaires_learner_id", ["learner_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("questionnaires", schema=None) as batch_op:
        batch_op.drop_index("ix_questionnaires_learner_id")
    op.drop_table("questionnaires")
