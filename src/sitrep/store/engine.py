"""Database URLs, engines and schema versions (SQLite by default, PostgreSQL for teams)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitrep.errors import SitrepError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

DEFAULT_DB = "sitrep.db"
ENV_DB = "SITREP_DB"


class StoreError(SitrepError):
    """The database cannot be opened or used; the message says what to do."""


def resolve_url(url: str | os.PathLike[str] | None = None) -> str:
    """A user's ``--db`` value (a path, ``sqlite:///…`` or ``postgresql://…``) as an
    SQLAlchemy URL: plain paths are SQLite files and ``postgresql://`` uses psycopg 3."""
    raw = str(url) if url is not None else os.environ.get(ENV_DB) or DEFAULT_DB
    for prefix in ("postgresql://", "postgres://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    if raw.startswith("postgresql+") or raw.startswith("sqlite"):
        return raw
    if "://" in raw:
        raise StoreError(
            f"unsupported database URL {raw.split('://')[0]}://… "
            "(use a file path, sqlite:///FILE or postgresql://…)"
        )
    return "sqlite:///" + str(Path(raw).expanduser().resolve())


def display_url(url: str) -> str:
    """The URL with any password hidden (for messages)."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str | os.PathLike[str] | None = None) -> Engine:
    """An engine with the settings sitrep relies on.

    SQLite: WAL journal (readers never block the writer), ``synchronous=NORMAL`` (a commit
    survives a killed process), foreign keys on, a 60 s busy timeout, and transactions that
    take the write lock up front when asked (``immediate`` execution option), so two writers
    queue instead of failing on a lock upgrade.
    """
    import sqlalchemy as sa

    resolved = resolve_url(url)
    if resolved.startswith("sqlite"):
        database = sa.engine.make_url(resolved).database
        if database and database != ":memory:":
            parent = Path(database).parent
            if not parent.is_dir():
                raise StoreError(f"{database}: directory {parent} does not exist")
        engine = sa.create_engine(resolved, connect_args={"timeout": 60})

        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, record: Any) -> None:
            dbapi_conn.isolation_level = None  # sitrep issues BEGIN itself (below)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.close()

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            immediate = conn.get_execution_options().get("immediate")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    try:
        return sa.create_engine(resolved, pool_pre_ping=True)
    except ImportError as exc:  # pragma: no cover - psycopg is a dependency
        raise StoreError(f"PostgreSQL driver missing: {exc}") from None


def now() -> datetime:
    """The current time, UTC (what every stored timestamp uses)."""
    return datetime.now(UTC)


def as_utc(value: datetime | str | None) -> datetime | None:
    """A stored timestamp as an aware UTC datetime (SQLite hands back naive ones)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# --- schema versions --------------------------------------------------------------------------


def _alembic_config(connection: Connection) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).resolve().parent / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None for an empty database)."""
    import sqlalchemy as sa

    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            if sa.inspect(conn).has_table("reports"):
                raise StoreError(
                    f"{display_url(str(engine.url))}: has a 'reports' table but no schema "
                    "version: not a sitrep database"
                )
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Run the migrations up to ``revision``; returns (before, after)."""
    from alembic import command

    before = current_revision(engine)
    with engine.connect() as conn:
        conn.execution_options(immediate=True)  # SQLite: hold the write lock from the start
        with conn.begin():
            if conn.dialect.name == "postgresql":  # two first runs at once: one waits
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7461932)")
            command.upgrade(_alembic_config(conn), revision)
    return before, current_revision(engine)


def known_revisions() -> list[str]:
    """Every revision of the migrations, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(Path(__file__).resolve().parent / "migrations"))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def check_schema(engine: Engine, *, create: bool) -> None:
    """Create the schema of an empty database (when ``create``), accept one at the current
    revision, and refuse any other with a message that says what to run."""
    from sitrep.store.schema import HEAD_REVISION

    rev = current_revision(engine)
    if rev == HEAD_REVISION:
        return
    where = display_url(str(engine.url))
    if rev is None:
        if not create:
            raise StoreError(f"{where}: no sitrep dataset here (run `sitrep ingest` first)")
        upgrade(engine)
        return
    if rev in known_revisions():
        raise StoreError(
            f"{where}: the database schema is at revision {rev}, this sitrep needs "
            f"{HEAD_REVISION}: run `sitrep db upgrade --db {where}`"
        )
    raise StoreError(
        f"{where}: the database schema revision {rev} is unknown to this sitrep "
        "(made by a newer version?)"
    )
