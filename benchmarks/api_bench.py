"""API benchmark: ``GET /api/incidents`` on a 100,000-incident SQLite database.

    python benchmarks/api_bench.py                         # 100,000 incidents, 32 clients, 20 s
    python benchmarks/api_bench.py --incidents 20000 --duration 5 --clients 8

1. The database: ``--incidents`` generated incident records (shaped like the merge's records:
   one to four sources with their figures, places on a grid in ten countries, two years of
   dates, some running totals) are bulk-inserted into the store's ``incidents`` table through
   ``sitrep.merge.derive.incident_row``, in one transaction. It is cached in
   ``benchmarks/out/`` (reused while the generator's version and size are the same).
2. The server: ``uvicorn sitrep.serve.app:app_from_env`` (``--workers`` processes) on
   127.0.0.1 and a free port, access log off.
3. The load: ``--clients`` concurrent keep-alive connections for ``--duration`` seconds, with
   wrk when it is installed (Debian's ``wrk``), else a minimal asyncio HTTP/1.1 client, first
   on the default page (``/api/incidents``), then on a mix of pages, filters and GeoJSON.
   Latency p50/p95/p99 and requests/s are printed for each; the exit status is 1 when the
   default page's p95 is over ``--p95-ms`` (100 ms).

Everything runs on loopback and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
OUT = ROOT / "out"
GENERATOR_VERSION = 1

COUNTRIES = [
    ("SY", "Syria", 35.0, 38.0),
    ("UA", "Ukraine", 49.0, 32.0),
    ("YE", "Yemen", 15.5, 47.5),
    ("IQ", "Iraq", 33.0, 44.0),
    ("AF", "Afghanistan", 33.0, 66.0),
    ("SO", "Somalia", 6.0, 46.0),
    ("ML", "Mali", 17.0, -4.0),
    ("NG", "Nigeria", 10.0, 8.0),
    ("SD", "Sudan", 15.0, 30.0),
    ("MM", "Myanmar", 21.0, 96.0),
]
FAMILIES = [
    ("airstrike", "Explosions/Remote violence", "Air/drone strike", "killed"),
    ("shelling", "Explosions/Remote violence", "Shelling/artillery/missile attack", "killed"),
    ("clashes", "Battles", "Armed clash", "killed"),
    ("shooting", "Violence against civilians", "Attack", "killed"),
    ("bombing", "Explosions/Remote violence", "Remote explosive/landmine/IED", "injured"),
    ("displacement", "Displacement", "Displacement", "displaced"),
]
OUTLETS = ["Reuters", "AFP", "AP", "BBC", "Al Jazeera", "NOS", "NRC", "ANP", "Trouw", "DW"]
ACTORS = ["Russia", "Syrian government", "ISIS", "Houthis", "Saudi-led coalition", None]


def _figure(kind: str, best: int, n: int, rid: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "group": None,
        "low": max(1, best - 3),
        "best": best,
        "high": best + 4,
        "qualifier": "at_least",
        "n_reports": n,
        "best_report": rid,
    }


def make_record(i: int, rng: random.Random) -> dict[str, Any]:
    """One incident record in the shape ``sitrep.merge.derive.derive`` writes."""
    code, cname, lat0, lon0 = COUNTRIES[i % len(COUNTRIES)]
    event, etype, sub, kind = rng.choice(FAMILIES)
    day = date(2018, 1, 1) + timedelta(days=rng.randrange(730))
    n_reports = rng.choice((1, 1, 2, 2, 3, 4))
    best = rng.randint(1, 60) if kind != "displaced" else rng.randint(100, 50000)
    iid = hashlib.sha256(f"incident {i}".encode()).hexdigest()[:16]
    cumulative = rng.random() < 0.04
    sources = []
    for r in range(n_reports):
        rid = hashlib.sha256(f"report {i} {r}".encode()).hexdigest()[:16]
        outlet = rng.choice(OUTLETS)
        sources.append(
            {
                "report_id": rid,
                "source_name": outlet,
                "url": f"https://news.example/{outlet.lower().replace(' ', '-')}/{rid}",
                "title": f"{event.capitalize()} in {cname}",
                "lang": rng.choice(("en", "nl")),
                "published": (day + timedelta(days=rng.choice((0, 1, 2)))).isoformat(),
                "origin": f"source:{outlet.lower()}",
                "copy_of": None,
                "attributed_to": ["Syrian Observatory for Human Rights"] if r == 0 else [],
                "mentions": [f"{rid}-1"],
                "figures": [
                    {
                        "kind": kind,
                        "low": best,
                        "best": best + r,
                        "high": best + r,
                        "qualifier": "exact",
                        "hedged": False,
                    }
                ],
            }
        )
    lat = lat0 + rng.uniform(-2, 2)
    lon = lon0 + rng.uniform(-2, 2)
    published = sorted(s["published"] for s in sources)
    return {
        "id": iid,
        "event": event,
        "event_type": etype,
        "sub_event_type": sub,
        "cumulative": cumulative,
        "date": {"start": day.isoformat(), "end": day.isoformat(), "precision": "day"},
        "place": {
            "location": f"Town {i % 997}",
            "text": f"Town {i % 997}",
            "geonameid": 1_000_000 + i % 997,
            "country": code,
            "admin1": f"{cname} province {i % 7}",
            "admin2": None,
            "lat": round(lat, 4),
            "lon": round(lon, 4),
            "precision": 1,
            "feature": "locality",
        },
        "actors": {
            "perpetrator": rng.choice(ACTORS),
            "perpetrator_type": "state",
            "target": "civilians",
            "target_type": "civilians",
        },
        "figures": [_figure(kind, best, n_reports, sources[0]["report_id"])],
        "status": "reported",
        "grade": "multiple_sources" if n_reports > 1 else "single_source",
        "n_sources": len({s["origin"] for s in sources}),
        "n_reports": n_reports,
        "n_mentions": n_reports,
        "languages": sorted({s["lang"] for s in sources}),
        "first_published": published[0],
        "last_published": published[-1],
        "anchor": f"{sources[0]['report_id']}-1",
        "best_mention": f"{sources[0]['report_id']}-1",
        "sources": sources,
    }


def build_database(path: Path, n: int, seed: int = 7) -> None:
    """A dataset with ``n`` incidents, bulk-inserted through the store's schema."""
    import sqlalchemy as sa

    from sitrep.merge.derive import fingerprint, incident_row
    from sitrep.store import Store
    from sitrep.store.schema import incidents

    rng = random.Random(seed)
    tmp = path.with_suffix(".tmp.db")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    now = datetime.now(UTC)
    t = time.perf_counter()
    with Store(tmp) as store, store.write() as conn:
        batch: list[dict[str, Any]] = []
        for i in range(n):
            rec = make_record(i, rng)
            row = incident_row(rec)
            row.update(fingerprint=fingerprint(rec), created_at=now, updated_at=now, record=rec)
            batch.append(row)
            if len(batch) == 5000:
                conn.execute(sa.insert(incidents), batch)
                batch.clear()
        if batch:
            conn.execute(sa.insert(incidents), batch)
    with Store(tmp) as store, store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("ANALYZE")
    tmp.replace(path)
    size = path.stat().st_size / 1e6
    print(f"built {n} incidents in {time.perf_counter() - t:.1f} s ({size:.0f} MB): {path}")


def database(n: int) -> Path:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"api-bench-{n}-v{GENERATOR_VERSION}.db"
    if path.exists():
        print(f"reusing {path}")
    else:
        build_database(path, n)
    return path


# --- the server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, SITREP_DB=str(db))
    env.pop("SITREP_API_TOKEN", None)
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "sitrep.serve.app:app_from_env",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    proc = subprocess.Popen(cmd, env=env)
    deadline = time.monotonic() + 60
    import httpx

    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with status {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not start within 60 s")


# --- the load ------------------------------------------------------------------------------

MIXED = [
    "/api/incidents",
    "/api/incidents?offset=50",
    "/api/incidents?offset=500",
    "/api/incidents?limit=100&offset=2000",
    "/api/incidents?country=SY",
    "/api/incidents?country=UA&since=2018-06-01&until=2018-08-31",
    "/api/incidents?min_killed=40",
    "/api/incidents?type=airstrike&offset=100",
    "/api/incidents?format=geojson&limit=500",
    "/api/incidents?running_totals=true",
]

WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%f %%f %%f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def run_wrk(base: str, paths: list[str], clients: int, duration: float) -> dict[str, float]:
    script = WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script)
    try:
        threads = max(1, min(2, clients))
        out = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{clients}",
                f"-d{duration:g}s",
                "--timeout",
                "10s",
                "-s",
                fh.name,
                base,
            ],
            capture_output=True,
            text=True,
            timeout=duration + 60,
            check=True,
        ).stdout
    finally:
        os.unlink(fh.name)
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    n, errors, micros, p50, p95, p99 = (float(x) for x in line.split()[1:])
    return {
        "requests": n,
        "errors": errors,
        "rps": n / (micros / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
    }


def run_asyncio(base: str, paths: list[str], clients: int, duration: float) -> dict[str, float]:
    """A minimal keep-alive HTTP/1.1 load generator on asyncio streams, for machines without
    wrk: it reads each response by its Content-Length and parses nothing else, so that on a
    small machine the client costs the server as little CPU as it can (an HTTP library in the
    same Python would measure itself)."""
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    latencies: list[float] = []
    errors = 0

    async def client(k: int, stop: float) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, port)
        i = k
        try:
            while time.perf_counter() < stop:
                path = paths[i % len(paths)]
                i += 1
                request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n"
                t0 = time.perf_counter()
                writer.write(request.encode())
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head[9:12])
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                await reader.readexactly(length)
                latencies.append((time.perf_counter() - t0) * 1000)
                if status != 200:
                    errors += 1
        finally:
            writer.close()

    async def main() -> float:
        t0 = time.perf_counter()
        stop = t0 + duration
        await asyncio.gather(*(client(k, stop) for k in range(clients)))
        return time.perf_counter() - t0

    elapsed = asyncio.run(main())
    qs = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50": qs[49],
        "p95": qs[94],
        "p99": qs[98],
    }


def report(label: str, r: dict[str, float]) -> None:
    print(
        f"{label:<34} {r['rps']:7.0f} req/s   p50 {r['p50']:6.1f} ms   p95 {r['p95']:6.1f} ms   "
        f"p99 {r['p99']:6.1f} ms   ({int(r['requests'])} requests, {int(r['errors'])} errors)",
        flush=True,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--incidents", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--duration", type=float, default=20.0, help="seconds per load run")
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    ap.add_argument("--client", choices=("auto", "wrk", "asyncio"), default="auto")
    ap.add_argument("--p95-ms", type=float, default=100.0)
    ap.add_argument("--no-mixed", action="store_true", help="only the default page")
    args = ap.parse_args()

    db = database(args.incidents)
    tool = args.client
    if tool == "auto":
        tool = "wrk" if shutil.which("wrk") else "asyncio"
    run = run_wrk if tool == "wrk" else run_asyncio
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(db, port, args.workers)
    try:
        import httpx

        first = httpx.get(base + "/api/incidents", timeout=30).json()
        print(
            f"server: {args.workers} uvicorn worker(s); load: {tool}, {args.clients} clients, "
            f"{args.duration:g} s per run; {first['total']} incidents match the default "
            f"page ({first['limit']} per page)"
        )
        run(base, ["/api/incidents"], args.clients, 2.0)  # warm-up
        default = run(base, ["/api/incidents"], args.clients, args.duration)
        report("GET /api/incidents (default page)", default)
        if not args.no_mixed:
            # the first request of a new filter set counts its matches (a table scan); that
            # count is then cached (per worker) until the data changes: warm them up
            run(base, MIXED, args.clients, 3.0)
            report("mixed pages, filters, GeoJSON", run(base, MIXED, args.clients, args.duration))
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    ok = default["p95"] < args.p95_ms and default["errors"] == 0
    verdict = "ok" if ok else "FAIL"
    print(f"p95 {default['p95']:.1f} ms {'<' if ok else '>='} {args.p95_ms:g} ms: {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
