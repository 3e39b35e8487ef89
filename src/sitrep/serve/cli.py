"""``sitrep serve``: the REST API and the web page of a dataset, with uvicorn.

Registered on the ``sitrep`` group by ``register(group)``. The write token comes only from the
environment (``SITREP_API_TOKEN``): a command-line argument would show in the process list.
"""

from __future__ import annotations

import os
import sys

import click

_DB_HELP = "Database: a SQLite file (default ./sitrep.db, or $SITREP_DB) or postgresql://…"


def _err(message: str) -> None:
    click.echo(f"sitrep: {message}", err=True)


@click.command()
@click.option("--db", "db", envvar="SITREP_DB", help=_DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes (each with its own caches).",
)
@click.option(
    "--tiles",
    metavar="URL",
    help="An online tile server for the map, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png "
    "(default: offline country outlines only).",
)
@click.option("--tiles-attribution", metavar="TEXT", help="Credit shown for --tiles.")
@click.option(
    "--max-body",
    type=click.IntRange(1024, 100 * 1024 * 1024),
    default=2 * 1024 * 1024,
    show_default=True,
    help="Largest request body in bytes.",
)
@click.option(
    "--fetch-urls/--no-fetch-urls",
    default=True,
    show_default=True,
    help="Whether /api/extract and /api/reports fetch a URL they are given.",
)
@click.option(
    "--log-level",
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    default="info",
    show_default=True,
)
def serve(
    db: str | None,
    host: str,
    port: int,
    workers: int,
    tiles: str | None,
    tiles_attribution: str | None,
    max_body: int,
    fetch_urls: bool,
    log_level: str,
) -> None:
    """Serve the dataset: a REST API under /api and a web page with a map, a timeline and
    the evidence behind every figure.

    Read-only unless SITREP_API_TOKEN is set: then POST /api/reports stores and merges a
    report for a client that sends "Authorization: Bearer <token>". The OpenAPI schema is at
    /api/openapi.json.
    """
    import uvicorn

    from sitrep.errors import SitrepError
    from sitrep.serve.app import OSM_ATTRIBUTION, Settings, create_app

    if tiles and not tiles.startswith(("https://", "http://")):
        raise click.BadParameter("give an http(s) URL template", param_hint="--tiles")
    if tiles and not tiles_attribution and "openstreetmap" in tiles:
        tiles_attribution = OSM_ATTRIBUTION
    settings = Settings.from_env(
        db=db,
        tiles=tiles,
        tiles_attribution=tiles_attribution,
        max_body=max_body,
        fetch_urls=fetch_urls,
    )
    try:
        app = create_app(settings)  # opens the dataset: a bad --db fails here, in one line
    except SitrepError as exc:
        _err(str(exc))
        sys.exit(1)
    mode = "writable with the API token" if settings.token else "read-only (no SITREP_API_TOKEN)"
    _err(f"serving {settings.db or os.environ.get('SITREP_DB') or 'sitrep.db'}: {mode}")
    _err(f"open http://{host if ':' not in host else f'[{host}]'}:{port}/ (Ctrl-C stops)")
    common = {
        "host": host,
        "port": port,
        "log_level": log_level,
        "access_log": log_level in ("info", "debug"),
        "proxy_headers": False,
        "server_header": False,
    }
    if workers == 1:
        uvicorn.run(app, **common)  # type: ignore[arg-type]
        return
    # Several processes: each builds its app from the environment (uvicorn needs an import
    # string to start workers).
    env = {
        "SITREP_DB": db,
        "SITREP_SERVE_TILES": tiles,
        "SITREP_SERVE_TILES_ATTRIBUTION": tiles_attribution,
        "SITREP_SERVE_MAX_BODY": str(max_body),
        "SITREP_SERVE_FETCH_URLS": "1" if fetch_urls else "0",
    }
    for key, value in env.items():
        if value is not None:
            os.environ[key] = value
    uvicorn.run(
        "sitrep.serve.app:app_from_env",
        factory=True,
        workers=workers,
        **common,  # type: ignore[arg-type]
    )


def register(group: click.Group) -> None:
    """Add ``serve`` to the ``sitrep`` command group."""
    group.add_command(serve)
