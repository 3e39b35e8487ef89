"""Incidents (merged events), their links to mentions, and the retirement feed.

Revision ID: 0002_incidents
Revises: 0001_reports
Create Date: 2025-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_incidents"
down_revision = "0001_reports"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(20), nullable=False),
        sa.Column("anchor", sa.String(40), nullable=False),
        sa.Column("event", sa.String(40), nullable=False),
        sa.Column("event_type", sa.String(60)),
        sa.Column("sub_event_type", sa.String(80)),
        sa.Column("cumulative", sa.Boolean, nullable=False),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("date_precision", sa.String(10), nullable=False),
        sa.Column("location", sa.Text),
        sa.Column("country", sa.String(3)),
        sa.Column("admin1", sa.Text),
        sa.Column("admin2", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("geo_precision", sa.SmallInteger),
        sa.Column("perpetrator", sa.Text),
        sa.Column("target", sa.Text),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("grade", sa.String(20), nullable=False),
        sa.Column("n_sources", sa.Integer, nullable=False),
        sa.Column("n_reports", sa.Integer, nullable=False),
        sa.Column("n_mentions", sa.Integer, nullable=False),
        sa.Column("killed_low", sa.BigInteger),
        sa.Column("killed_best", sa.BigInteger),
        sa.Column("killed_high", sa.BigInteger),
        sa.Column("injured_low", sa.BigInteger),
        sa.Column("injured_best", sa.BigInteger),
        sa.Column("injured_high", sa.BigInteger),
        sa.Column("displaced_low", sa.BigInteger),
        sa.Column("displaced_best", sa.BigInteger),
        sa.Column("displaced_high", sa.BigInteger),
        sa.Column("first_published", sa.Date),
        sa.Column("last_published", sa.Date),
        sa.Column("fingerprint", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("record", JSONType, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
    )
    op.create_index("ix_incidents_date_start", "incidents", ["date_start"])
    op.create_index("ix_incidents_country_date_start", "incidents", ["country", "date_start"])
    op.create_index("ix_incidents_updated_at", "incidents", ["updated_at"])

    op.create_table(
        "incident_mentions",
        sa.Column("mention_id", sa.String(40), nullable=False),
        sa.Column("incident_id", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("mention_id", name="pk_incident_mentions"),
        sa.ForeignKeyConstraint(
            ["mention_id"],
            ["mentions.id"],
            name="fk_incident_mentions_mention_id_mentions",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name="fk_incident_mentions_incident_id_incidents",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_incident_mentions_incident_id", "incident_mentions", ["incident_id"])

    op.create_table(
        "changes",
        sa.Column("seq", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("change", sa.String(12), nullable=False),
        sa.Column("incident_id", sa.String(20), nullable=False),
        sa.Column("new_id", sa.String(20)),
        sa.Column("detail", sa.Text),
        sa.PrimaryKeyConstraint("seq", name="pk_changes"),
    )
    op.create_index("ix_changes_changed_at", "changes", ["changed_at"])
    op.create_index("ix_changes_incident_id", "changes", ["incident_id"])


def downgrade() -> None:
    op.drop_table("changes")
    op.drop_table("incident_mentions")
    op.drop_table("incidents")
