"""form checks

A clip sent from the web app and its analysis, run as a background job: status, progress and
heartbeat while it runs, then the report, key frames and keypoints (the clip itself is
deleted once analysed unless the learner asks to keep it), the session it was attached to,
and a clinician's review.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("seconds_left", sa.Float(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=120), nullable=True),
        sa.Column("error_code", sa.String(length=40), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("upload", sa.Text(), nullable=True),
        sa.Column("keep_video", sa.Boolean(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("visuals", sa.JSON(), nullable=True),
        sa.Column("keypoints", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=120), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["learner_id"], ["learners.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("form_checks", schema=None) as batch_op:
        batch_op.create_index("ix_form_checks_learner_id", ["learner_id"], unique=False)
        batch_op.create_index("ix_form_checks_status", ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("form_checks", schema=None) as batch_op:
        batch_op.drop_index("ix_form_checks_status")
        batch_op.drop_index("ix_form_checks_learner_id")
    op.drop_table("form_checks")
