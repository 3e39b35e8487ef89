"""Alembic environment: run by ``sitrep db upgrade`` with an open connection, or by the
``alembic`` command with ``-x db=URL`` (``alembic -c src/sitrep/store/alembic.ini -x db=…``)."""

from __future__ import annotations

from alembic import context

from sitrep.store.schema import metadata

config = context.config


def _run(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things: copy-and-move instead
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from sitrep.store.engine import make_engine

    url = context.get_x_argument(as_dictionary=True).get("db") or config.get_main_option(
        "sqlalchemy.url"
    )
    engine = make_engine(url or "sitrep.db")
    with engine.connect() as conn:
        _run(conn)
