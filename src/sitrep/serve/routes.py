"""The routes: ``/api/*`` (JSON, documented in ``/api/openapi.json``) and the page at ``/``.

Routes are plain functions (FastAPI runs them in its thread pool): the database driver and
the extractor block, and a slow search must not stall the event loop for everyone else. The
one exception is a shallow page of incidents whose count is cached, about a millisecond of
SQLite, answered on the event loop (see ``list_incidents``). Every value from a request
reaches SQL only as a bound parameter (through ``sitrep.store.query.conditions`` and
SQLAlchemy Core); none names a file.
"""

from __future__ import annotations

import json
import math
import re
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from sitrep.serve import data
from sitrep.serve.app import STATIC, State
from sitrep.serve.articles import article_of, extract_article
from sitrep.serve.errors import ApiError
from sitrep.serve.models import (
    ClientConfig,
    ErrorBody,
    ExtractRequest,
    ExtractResult,
    FeatureCollection,
    FilterQuery,
    Health,
    IncidentDetail,
    IncidentPage,
    IncidentQuery,
    ReportDetail,
    ReportIn,
    ReportStored,
    Stats,
    StatsQuery,
)
from sitrep.store.query import Filters

Q = TypeVar("Q", bound=BaseModel)

router = APIRouter(prefix="/api")
pages = APIRouter(include_in_schema=False)

_ERR = {"model": ErrorBody}
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {**_ERR, "description": "A filter or input the server cannot use"},
    422: {**_ERR, "description": "The request does not validate"},
}
_HEX = re.compile(r"[0-9a-f]{6,20}")
_REPORT_ID = re.compile(r"[0-9a-f]{16}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
GEOJSON = "application/geo+json"


def state(request: Request) -> State:
    return request.app.state.sitrep  # type: ignore[no-any-return]


StateDep = Annotated[State, Depends(state)]


def _json(body: Any, status: int = 200) -> Response:
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return Response(text, status_code=status, media_type="application/json")


# --- filters ---------------------------------------------------------------------------------


def _clean(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    if _CONTROL.search(value):
        raise ApiError(400, f"{name}: control characters are not allowed")
    value = value.strip()
    return value or None


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    try:
        parts = [float(x) for x in value.split(",")]
    except ValueError:
        parts = []
    if len(parts) != 4 or not all(math.isfinite(x) for x in parts):
        raise ApiError(400, "bbox: give four numbers MIN_LON,MIN_LAT,MAX_LON,MAX_LAT")
    lon0, lat0, lon1, lat1 = parts
    if not (-180 <= lon0 <= lon1 <= 180 and -90 <= lat0 <= lat1 <= 90):
        raise ApiError(400, "bbox: longitudes in [-180, 180], latitudes in [-90, 90], min <= max")
    return lon0, lat0, lon1, lat1


def parse_query(model: type[Q], request: Request) -> Q:
    """The query string validated by one pydantic model (a tenth of what FastAPI's
    per-parameter machinery costs, on the hottest route); a bad value is a 422 as usual."""
    from fastapi.exceptions import RequestValidationError
    from pydantic import ValidationError

    params: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, value)
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        errors = [{**e, "loc": ("query", *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from None


def query_docs(model: type[BaseModel]) -> dict[str, Any]:
    """OpenAPI parameters of a query model (the same schema the route validates with)."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    params = []
    for name, prop in schema["properties"].items():
        description = prop.pop("description", None)
        prop.pop("title", None)
        # an absent parameter is the null: a query string cannot say null
        options = [o for o in prop.pop("anyOf", []) if o.get("type") != "null"]
        if len(options) == 1:
            prop.update(options[0])
        elif options:
            prop["anyOf"] = options
        param: dict[str, Any] = {"name": name, "in": "query", "required": False, "schema": prop}
        if description:
            param["description"] = description
        params.append(param)
    return {"parameters": params}


def filters(q: FilterQuery) -> Filters:
    """The dataset's ``Filters`` from a validated query."""
    if q.since and q.until and q.since > q.until:
        raise ApiError(400, "since is after until")
    return Filters(
        country=_clean("country", q.country),
        admin1=_clean("admin1", q.admin1),
        since=q.since,
        until=q.until,
        type=_clean("type", q.type),
        actor=_clean("actor", q.actor),
        min_killed=q.min_killed,
        source=_clean("source", q.source),
        bbox=_bbox(q.bbox),
        search=_clean("search", q.search),
        grade=q.grade,
        min_sources=q.min_sources,
        running_totals=q.running_totals,
    )


# --- incidents -------------------------------------------------------------------------------


@router.get(
    "/incidents",
    response_model=IncidentPage,
    responses={
        **ERRORS,
        200: {
            "description": "A page of incidents (JSON), or the same page as GeoJSON",
            "content": {GEOJSON: {"schema": {"$ref": "#/components/schemas/FeatureCollection"}}},
        },
    },
    summary="Incidents matching the filters, newest first, one page at a time",
    openapi_extra=query_docs(IncidentQuery),
)
async def list_incidents(request: Request) -> Response:
    st = state(request)
    q = parse_query(IncidentQuery, request)
    f = filters(q)
    if q.format == "geojson":
        return await run_in_threadpool(_geojson_page, st, f, q.limit, q.offset)
    n = q.limit or st.settings.page_default
    if n > st.settings.page_max:
        raise ApiError(400, f"limit: at most {st.settings.page_max} incidents per page")
    if st.sqlite is not None and q.offset + n <= QUICK_ROWS and not (f.search or f.source):
        # A shallow page whose count is cached costs about a millisecond: served on the
        # event loop, without a thread hop and the GIL hand-offs that stretch the latency
        # tail under load. Anything that may scan goes to the thread pool.
        quick = st.sqlite.page(f, n, q.offset, st.counts, cached_only=True)
        if quick is not None:
            return _page_response(*quick, n, q.offset)
    return await run_in_threadpool(_json_page, st, f, n, q.offset)


QUICK_ROWS = 1000


def _page_response(total: int, items: list[str], limit: int, offset: int) -> Response:
    head = f'{{"total":{total},"limit":{limit},"offset":{offset},"items":['
    return _json(head + ",".join(items) + "]}")


def _json_page(st: State, f: Filters, n: int, offset: int) -> Response:
    if st.sqlite is not None:
        got = st.sqlite.page(f, n, offset, st.counts)
        assert got is not None
        total, items = got
    else:
        total, items = data.page_json(st.reader.store(), f, n, offset, st.counts)
    return _page_response(total, items, n, offset)


def _geojson_page(st: State, f: Filters, limit: int | None, offset: int) -> Response:
    n = limit or st.settings.geojson_default
    if n > st.settings.geojson_max:
        raise ApiError(400, f"limit: at most {st.settings.geojson_max} features per page")
    if st.sqlite is not None:
        total, texts = st.sqlite.features(f, n, offset, st.counts)
    else:
        total, feats = data.features(st.reader.store(), f, n, offset, st.counts)
        texts = [json.dumps(x, ensure_ascii=False) for x in feats]
    head = f'{{"type":"FeatureCollection","total":{total},"limit":{n},"offset":{offset},'
    return Response(head + '"features":[' + ",".join(texts) + "]}", media_type=GEOJSON)


@router.get(
    "/incidents/{incident_id}",
    response_model=IncidentDetail,
    responses={
        **ERRORS,
        404: {**_ERR, "description": "No such incident"},
        410: {**_ERR, "description": "The incident was merged into another: the message names it"},
    },
    summary="One incident: every source with its figures, events and quoted sentences",
)
def get_incident(st: StateDep, incident_id: str) -> Response:
    from sitrep.store.engine import StoreError

    ident = incident_id.strip().lower()
    if not _HEX.fullmatch(ident):
        raise ApiError(404, "no incident with that id (ids are hexadecimal)")
    try:
        rec = data.incident_detail(st.reader.store(), ident)
    except StoreError as exc:
        message = str(exc)
        if "was retired" in message:
            raise ApiError(410, message) from None
        if "ambiguous" in message:
            raise ApiError(400, message) from None
        raise ApiError(404, message) from None
    return _json(rec)


# --- statistics ------------------------------------------------------------------------------


@router.get(
    "/stats",
    response_model=Stats,
    responses=ERRORS,
    summary="Incidents and killed, injured, displaced per day, week or month",
    openapi_extra=query_docs(StatsQuery),
)
def get_stats(request: Request) -> Response:
    st = state(request)
    q = parse_query(StatsQuery, request)
    f = filters(q)
    series = data.stats_series(st.reader.store(), f, st.stats, q.by, q.group, q.figure)
    return _json({"by": q.by, "group": q.group, "figure": q.figure, "series": series})


# --- reports ---------------------------------------------------------------------------------


@router.get(
    "/reports/{report_id}",
    response_model=ReportDetail,
    responses={**ERRORS, 404: {**_ERR, "description": "No such report"}},
    summary="A stored report: its text and the figures extracted from it, with offsets",
)
def get_report(st: StateDep, report_id: str) -> Response:
    rid = report_id.strip().lower()
    rec = data.report_detail(st.reader.store(), rid) if _REPORT_ID.fullmatch(rid) else None
    if rec is None:
        raise ApiError(404, "no report with that id (16 hexadecimal digits)")
    return _json(rec)


def _extract_slot(st: State) -> None:
    if not st.extract_slots.acquire(timeout=30):
        raise ApiError(503, "busy: too many extractions at once, try again shortly")


@router.post(
    "/extract",
    response_model=ExtractResult,
    responses={
        **ERRORS,
        403: {**_ERR, "description": "URL fetching is disabled on this server"},
        413: {**_ERR, "description": "The request body is over the limit"},
        503: {**_ERR, "description": "Too many extractions at once"},
    },
    summary="Extract the events of a text or a page (nothing is stored)",
)
def post_extract(st: StateDep, body: ExtractRequest) -> Response:
    _extract_slot(st)
    try:
        article = article_of(body, st.settings)
        result = extract_article(article, body.lang, body.published)
    finally:
        st.extract_slots.release()
    return _json(result)


bearer = HTTPBearer(auto_error=False, description="The server's SITREP_API_TOKEN")


def require_token(
    st: StateDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    request: Request,
) -> None:
    from sitrep.serve.security import token_ok

    if not st.settings.token or st.writer is None:
        raise ApiError(403, "read-only server: set SITREP_API_TOKEN to enable POST /api/reports")
    if credentials is None:
        raise ApiError(401, "this needs the API token: Authorization: Bearer <token>")
    if not token_ok(st.settings.token, request.headers.get("authorization")):
        raise ApiError(401, "wrong API token")


@router.post(
    "/reports",
    response_model=ReportStored,
    status_code=201,
    dependencies=[Depends(require_token)],
    responses={
        **ERRORS,
        200: {"model": ReportStored, "description": "The same text was stored before"},
        401: {**_ERR, "description": "No token, or a wrong one"},
        403: {**_ERR, "description": "The server is read-only (no token configured)"},
        413: {**_ERR, "description": "The request body is over the limit"},
        503: {**_ERR, "description": "Too many extractions at once"},
    },
    summary="Store a report (text or URL), extract its events and merge them (needs the token)",
)
def post_report(st: StateDep, body: ReportIn) -> Response:
    assert st.writer is not None
    _extract_slot(st)
    try:
        article = article_of(body, st.settings)
        with st.write_lock:
            outcome = st.writer.add_text(
                article.text,
                published=body.published or article.published,
                url=article.url,
                source_name=_clean("source_name", body.source_name) or article.source_name,
                title=_clean("title", body.title) or article.title,
                lang=None if body.lang in (None, "auto") else body.lang,
                name="api",
                merge=True,
            )
    finally:
        st.extract_slots.release()
    if outcome.status not in ("done", "duplicate") or outcome.report_id is None:
        raise ApiError(422, f"not stored: {outcome.detail or outcome.status}")
    incidents = data.incidents_of_report(st.reader.store(), outcome.report_id)
    result = {
        "status": outcome.status,
        "report_id": outcome.report_id,
        "n_events": outcome.n_events,
        "detail": outcome.detail or None,
        "incidents": incidents,
    }
    return _json(result, 201 if outcome.status == "done" else 200)


# --- the server itself -------------------------------------------------------------------------


@router.get("/health", response_model=Health, summary="Whether the server can read its dataset")
def health(st: StateDep) -> Response:
    n = data.count(st.reader.store(), Filters(running_totals=True), st.counts)
    return _json({"status": "ok", "incidents": n, "writable": st.writer is not None})


@router.get("/config", response_model=ClientConfig, summary="What the web page needs to know")
def config(st: StateDep) -> Response:
    s = st.settings
    return _json(
        {
            "tiles": s.tiles,
            "tiles_attribution": s.tiles_attribution,
            "writable": st.writer is not None,
            "fetch_urls": s.fetch_urls,
            "max_body": s.max_body,
        }
    )


# --- the page ------------------------------------------------------------------------------------


@pages.get("/")
def index() -> FileResponse:
    return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})


@pages.get("/favicon.ico")
def favicon() -> FileResponse:
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")


def openapi_extra(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the GeoJSON model (sent as ``application/geo+json``) to the components."""
    comps = schema.setdefault("components", {}).setdefault("schemas", {})
    extra = FeatureCollection.model_json_schema(
        ref_template="#/components/schemas/{model}", mode="serialization"
    )
    for name, sub in extra.pop("$defs", {}).items():
        comps.setdefault(name, sub)
    comps["FeatureCollection"] = extra
    return schema
