"""The dataset's tables (SQLAlchemy Core): reports, event mentions, figures, incidents, links,
and the bookkeeping of runs (each input's final state) and of the feed items `watch` has seen.

The Alembic migrations in ``migrations/versions`` create exactly these tables (a test compares
them); queries and writes use the ``Table`` objects here so neither side drifts.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# The newest Alembic revision: a database at another revision must be upgraded first.
HEAD_REVISION = "0003_runs"

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# One row per distinct text (``text_hash`` is the full SHA-256 of the normalised text; ``id`` its
# first 16 hex digits, the ``report.id`` of the extracted events). A near-copy (syndicated wire
# copy) points at the report it copies through ``duplicate_of``; ``origin`` is the key that
# decides source independence: the outlet of the first report of a family of copies.
reports = sa.Table(
    "reports",
    metadata,
    sa.Column("id", sa.String(16), primary_key=True),
    sa.Column("text_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("source_name", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("lang", sa.String(16)),
    sa.Column("published", sa.Date),
    sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("n_chars", sa.Integer, nullable=False),
    sa.Column("n_events", sa.Integer, nullable=False),
    sa.Column("duplicate_of", sa.String(16), sa.ForeignKey("reports.id")),
    sa.Column("similarity", sa.Float),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("minhash", sa.LargeBinary),
    sa.Column("text", sa.Text),
    sa.Index(None, "published"),
    sa.Index(None, "source_name"),
    sa.Index(None, "duplicate_of"),
)

# MinHash LSH buckets: a report shares a (band, bucket) row with each near-copy candidate.
report_bands = sa.Table(
    "report_bands",
    metadata,
    sa.Column("band", sa.SmallInteger, primary_key=True),
    sa.Column("bucket", sa.BigInteger, primary_key=True),
    sa.Column(
        "report_id",
        sa.String(16),
        sa.ForeignKey("reports.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)

# One row per event per report (the extractor's ``Event``): the columns the merge and the
# filters read, ``summary`` (the mention's totals per kind, see sitrep.merge.figures) and
# ``record`` (the full event with evidence and cues, for ``show`` and audits).
mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column(
        "report_id",
        sa.String(16),
        sa.ForeignKey("reports.id", ondelete="CASCADE"),
        nullable=False,
    ),
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
    sa.Index(None, "report_id"),
    sa.Index(None, "date_start"),
    sa.Index(None, "date_end"),
)

# Every figure of every mention, flat, for SQL users (the same values are in ``record``).
figures = sa.Table(
    "figures",
    metadata,
    sa.Column(
        "mention_id",
        sa.String(40),
        sa.ForeignKey("mentions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("idx", sa.SmallInteger, primary_key=True),
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
    sa.Index(None, "kind"),
)

# The merged events. ``id`` is derived from the incident's anchor mention (see sitrep.merge);
# the ``*_low/best/high`` columns serve filters and stats, ``record`` is the full export record.
incidents = sa.Table(
    "incidents",
    metadata,
    sa.Column("id", sa.String(20), primary_key=True),
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
    sa.Index(None, "date_start"),
    sa.Index(None, "country", "date_start"),
    sa.Index(None, "updated_at"),
)

# Which mentions an incident is made of (a mention belongs to at most one incident; a mention
# without a link is waiting for the next merge).
incident_mentions = sa.Table(
    "incident_mentions",
    metadata,
    sa.Column(
        "mention_id",
        sa.String(40),
        sa.ForeignKey("mentions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "incident_id",
        sa.String(20),
        sa.ForeignKey("incidents.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Index(None, "incident_id"),
)

# The retirement feed (ACLED's deletions feed): an incident id that no longer exists, and why.
changes = sa.Table(
    "changes",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("change", sa.String(12), nullable=False),
    sa.Column("incident_id", sa.String(20), nullable=False),
    sa.Column("new_id", sa.String(20)),
    sa.Column("detail", sa.Text),
    sa.Index(None, "changed_at"),
    sa.Index(None, "incident_id"),
)

# One row per `sitrep ingest` (or per `sitrep watch` cycle): what ran, where, how it ended and
# its counts (rewritten as the run goes, so a killed run still shows how far it got). ``status``
# is running, completed, interrupted or crashed; ``host`` and ``pid`` tell a run that is still
# going from one whose process died (see sitrep.store.runs).
runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.String(16), primary_key=True),
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
    sa.Index(None, "started_at"),
)

# The final state of every input of a run, in input order. ``report_id`` names the stored
# report (done, or a duplicate of a stored one); no foreign key: the log must never stop a run.
run_inputs = sa.Table(
    "run_inputs",
    metadata,
    sa.Column(
        "run_id",
        sa.String(16),
        sa.ForeignKey("runs.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("report_id", sa.String(16)),
    sa.Index(None, "run_id", "state"),
)

# The feed items `sitrep watch` has dealt with, per feed, so that a restart reads only new ones.
# ``state`` is the item's last outcome; ``retry`` marks a transient failure (a 5xx, a timeout)
# that the next cycle tries again, ``attempts`` counts the tries (see sitrep.ingest.watch).
seen_items = sa.Table(
    "seen_items",
    metadata,
    sa.Column("feed", sa.Text, primary_key=True),
    sa.Column("item", sa.Text, primary_key=True),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("report_id", sa.String(16)),
    sa.Column("run_id", sa.String(16)),
    sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
)
