"""Runs and each input's final state; the feed items `sitrep watch` has seen.

Revision ID: 0003_runs
Revises: 0002_incidents
Create Date: 2025-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003_runs"
down_revision = "0002_incidents"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.String(16), nullable=False),
        sa.Column("command", sa.String(20), nullable=False),
        sa.Column("arguments", JSONType, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("duplicate", sa.Integer, nullable=False),
        sa.Column("skipped", sa.Integer, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
        sa.Column("events", sa.Integer, nullable=False),
        sa.Column("host", sa.Text),
        sa.Column("pid", sa.Integer),
        sa.Column("version", sa.String(40)),
        sa.Column("message", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
    )
    op.create_index("ix_runs_started_at", "runs", ["started_at"])

    op.create_table(
        "run_inputs",
        sa.Column("run_id", sa.String(16), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("report_id", sa.String(16)),
        sa.PrimaryKeyConstraint("run_id", "seq", name="pk_run_inputs"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name="fk_run_inputs_run_id_runs", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_run_inputs_run_id_state", "run_inputs", ["run_id", "state"])

    op.create_table(
        "seen_items",
        sa.Column("feed", sa.Text, nullable=False),
        sa.Column("item", sa.Text, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("report_id", sa.String(16)),
        sa.Column("run_id", sa.String(16)),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("feed", "item", name="pk_seen_items"),
    )


def downgrade() -> None:
    op.drop_table("seen_items")
    op.drop_table("run_inputs")
    op.drop_table("runs")
