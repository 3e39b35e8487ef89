"""schemathesis against the published OpenAPI schema: generated requests to every operation
(valid and invalid ones) find no server error, and every response conforms to the schema
(status code, content type, body). Bounded: a few dozen examples per operation."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("schemathesis")
pytest.importorskip("fastapi")

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from sitrep.dataset import Dataset
from sitrep.serve import Settings, create_app

ROOT = Path(__file__).resolve().parent
TOKEN = "schema-token"


def _app() -> object:
    import atexit
    import shutil
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="sitrep-schema-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    db = tmp / "schema.db"
    with Dataset(db) as ds:
        ds.add_text(
            (ROOT / "data" / "seed.nl.txt").read_text("utf-8"),
            published="2018-06-28",
            source_name="NOS",
            url="https://nos.nl/artikel/2238712",
        )
    # URL fetching off: generated URLs must not reach out of the machine
    return create_app(Settings(db=str(db), token=TOKEN, fetch_urls=False, max_extractions=4))


schema = schemathesis.openapi.from_asgi("/api/openapi.json", _app())

# Every check but the ones that judge business rules rather than the contract:
# positive_data_acceptance expects 2xx for any schema-valid input, but an unknown country or
# an id that names nothing is schema-valid and still a 400/404.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
def test_api_conforms_and_never_errors(case: schemathesis.Case) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"} if case.method == "POST" else None
    case.call_and_validate(headers=headers, checks=CHECKS)
