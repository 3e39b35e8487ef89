"""Reports, their near-copy buckets, event mentions and figures.

Revision ID: 0001_reports
Revises:
Create Date: 2025-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001_reports"
down_revision = None
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.String(16), nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("name", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("source_name", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("lang", sa.String(16)),
        sa.Column("published", sa.Date),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("n_chars", sa.Integer, nullable=False),
        sa.Column("n_events", sa.Integer, nullable=False),
        sa.Column("duplicate_of", sa.String(16)),
        sa.Column("similarity", sa.Float),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("minhash", sa.LargeBinary),
        sa.Column("text", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_reports"),
        sa.UniqueConstraint("text_hash", name="uq_reports_text_hash"),
        sa.ForeignKeyConstraint(
            ["duplicate_of"], ["reports.id"], name="fk_reports_duplicate_of_reports"
        ),
    )
    op.create_index("ix_reports_published", "reports", ["published"])
    op.create_index("ix_reports_source_name", "reports", ["source_name"])
    op.create_index("ix_reports_duplicate_of", "reports", ["duplicate_of"])

    op.create_table(
        "report_bands",
        sa.Column("band", sa.SmallInteger, nullable=False),
        sa.Column("bucket", sa.BigInteger, nullable=False),
        sa.Column("report_id", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("band", "bucket", "report_id", name="pk_report_bands"),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name="fk_report_bands_report_id_reports",
            ondelete="CASCADE",
        ),
    )

    op.create_table(
        "mentions",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("report_id", sa.String(16), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("event", sa.String(40), nullable=False),
        sa.Column("event_type", sa.String(60)),
        sa.Column("sub_event_type", sa.String(80)),
        sa.Column("cumulative", sa.Boolean, nullable=False),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("date_precision", sa.String(10), nullable=False),
        sa.Column("date_text", sa.Text),
        sa.Column("place_text", sa.Text),
        sa.Column("place_key", sa.Text),
        sa.Column("place_name", sa.Text),
        sa.Column("relation", sa.Text),
        sa.Column("feature", sa.String(20)),
        sa.Column("geonameid", sa.BigInteger),
        sa.Column("country", sa.String(3)),
        sa.Column("admin1", sa.Text),
        sa.Column("admin2", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("geo_precision", sa.SmallInteger),
        sa.Column("perpetrator", sa.Text),
        sa.Column("perpetrator_text", sa.Text),
        sa.Column("perpetrator_type", sa.String(30)),
        sa.Column("target", sa.Text),
        sa.Column("target_type", sa.String(30)),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("attributed_to", sa.Text),
        sa.Column("killed", sa.Integer),
        sa.Column("sentence", sa.Text),
        sa.Column("summary", JSONType, nullable=False),
        sa.Column("record", JSONType, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mentions"),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name="fk_mentions_report_id_reports",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_mentions_report_id", "mentions", ["report_id"])
    op.create_index("ix_mentions_date_start", "mentions", ["date_start"])
    op.create_index("ix_mentions_date_end", "mentions", ["date_end"])

    op.create_table(
        "figures",
        sa.Column("mention_id", sa.String(40), nullable=False),
        sa.Column("idx", sa.SmallInteger, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("grp", sa.String(40), nullable=False),
        sa.Column("best", sa.BigInteger, nullable=False),
        sa.Column("low", sa.BigInteger),
        sa.Column("high", sa.BigInteger),
        sa.Column("qualifier", sa.String(20), nullable=False),
        sa.Column("cumulative", sa.Boolean, nullable=False),
        sa.Column("hedged", sa.Boolean, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("part_of", sa.SmallInteger),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("evidence_start", sa.Integer, nullable=False),
        sa.Column("evidence_end", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("mention_id", "idx", name="pk_figures"),
        sa.ForeignKeyConstraint(
            ["mention_id"],
            ["mentions.id"],
            name="fk_figures_mention_id_mentions",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_figures_kind", "figures", ["kind"])


def downgrade() -> None:
    op.drop_table("figures")
    op.drop_table("mentions")
    op.drop_table("report_bands")
    op.drop_table("reports")
