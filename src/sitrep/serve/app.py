"""The web application: the REST API under ``/api`` and the map page at ``/``.

``create_app(Settings(db=...))`` builds it; ``sitrep serve`` runs it with uvicorn. One app
reads through one read-only store; writes (``POST /api/reports``) go through a second store,
one at a time, and exist only when a token is configured.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitrep.serve.security import Hardening, content_security_policy

if TYPE_CHECKING:
    from fastapi import FastAPI

    from sitrep.dataset import Dataset
    from sitrep.serve.data import SqliteReader, VersionedCache

STATIC = Path(__file__).resolve().parent / "static"
ENV_TOKEN = "SITREP_API_TOKEN"
log = logging.getLogger("sitrep.serve")

OSM_ATTRIBUTION = "© OpenStreetMap contributors"


@dataclass
class Settings:
    """How a server runs. ``token`` enables writing; ``tiles`` an online base map."""

    db: str | None = None
    token: str | None = None
    max_body: int = 2 * 1024 * 1024
    fetch_urls: bool = True
    fetch_max_bytes: int = 5 * 1024 * 1024
    fetch_timeout: float = 10.0
    allow_private_urls: bool = False
    tiles: str | None = None
    tiles_attribution: str | None = None
    max_extractions: int = 2
    page_default: int = 50
    page_max: int = 1000
    geojson_default: int = 2000
    geojson_max: int = 10000

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Settings with the token from ``SITREP_API_TOKEN`` (an empty value is no token)."""
        token = overrides.pop("token", None) or os.environ.get(ENV_TOKEN) or None
        return cls(token=token, **overrides)


@dataclass
class State:
    """What the routes share: settings, the stores, caches and the limits on heavy work."""

    settings: Settings
    reader: Dataset
    writer: Dataset | None
    counts: VersionedCache
    stats: VersionedCache
    sqlite: SqliteReader | None = None
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    extract_slots: threading.BoundedSemaphore = field(
        default_factory=lambda: threading.BoundedSemaphore(2)
    )


def _open_datasets(settings: Settings) -> tuple[Dataset, Dataset | None]:
    """The read store (the database must exist unless writing is enabled, when an empty
    dataset is created so reports can be posted to it)."""
    from sitrep.dataset import Dataset

    writer = None
    if settings.token:
        writer = Dataset(settings.db)
        writer.store(write=True)
    reader = Dataset(settings.db)
    reader.store()
    return reader, writer


def create_app(settings: Settings | None = None) -> FastAPI:
    """The FastAPI application for one dataset (opened now: a bad ``--db`` fails here)."""
    from fastapi import FastAPI
    from fastapi.staticfiles import StaticFiles

    from sitrep import __version__
    from sitrep.serve import errors, routes
    from sitrep.serve.data import SqliteReader, VersionedCache

    settings = settings or Settings.from_env()
    reader, writer = _open_datasets(settings)
    state = State(settings, reader, writer, VersionedCache(), VersionedCache(64))
    if reader.store().is_sqlite:
        state.sqlite = SqliteReader(reader.store())
    state.extract_slots = threading.BoundedSemaphore(max(1, settings.max_extractions))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            if state.sqlite is not None:
                state.sqlite.close()
            reader.close()
            if writer is not None:
                writer.close()

    app = FastAPI(
        title="sitrep",
        lifespan=lifespan,
        version=__version__,
        summary="Conflict incidents merged from news reports, with the evidence for every figure.",
        description=(
            "Read-only unless the server has a token (`SITREP_API_TOKEN`): then "
            "`POST /api/reports` stores and merges a report for a client that sends "
            "`Authorization: Bearer <token>`. Errors are JSON: `{status, message}`."
        ),
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI and ReDoc load from a CDN: not offline, not under our CSP
        redoc_url=None,
    )
    app.state.sitrep = state

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = routes.openapi_extra(FastAPI.openapi(app))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    errors.install(app)
    app.include_router(routes.router)
    app.include_router(routes.pages)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(
        Hardening,
        max_body=settings.max_body,
        csp=content_security_policy(settings.tiles),
    )

    return app


def app_from_env() -> FastAPI:
    """An app configured by environment variables (uvicorn ``--factory``, several workers):
    ``SITREP_DB``, ``SITREP_API_TOKEN`` and ``SITREP_SERVE_*`` for the other settings."""
    overrides: dict[str, Any] = {"db": os.environ.get("SITREP_DB")}
    for name in Settings.__dataclass_fields__:
        raw = os.environ.get(f"SITREP_SERVE_{name.upper()}")
        if raw is None or name in ("db", "token"):
            continue
        kind = type(getattr(Settings(), name))
        if kind is bool:
            overrides[name] = raw.lower() in ("1", "true", "yes")
        elif kind in (int, float):
            overrides[name] = kind(raw)
        else:
            overrides[name] = raw or None
    return create_app(Settings.from_env(**overrides))
