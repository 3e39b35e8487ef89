"""Dataset benchmark: ingest, merge, query, merge growth, and kill -9 recovery.

    python benchmarks/dataset_bench.py                       # everything (~10 minutes, 2 cores)
    python benchmarks/dataset_bench.py --reports 2000 --sizes 20000 --kill-reports 500

1. ``--reports`` generated en/nl reports (sitrep.store.testing.generated_corpus: incidents told
   by one to four outlets, running totals, syndicated near-copies, repeats) are ingested into a
   fresh SQLite file through the real pipeline (read + extract + store, ``--workers``), then
   merged; a filtered query runs on the result.
2. Merge growth: ``--sizes`` synthetic event mentions (geocoded places on a grid, ~2.5 reports
   per incident, some areas, running totals and undated ones) are bulk-loaded into fresh SQLite
   files and merged from scratch on one core; then 1,000 more are merged incrementally.
3. Kill -9: ``sitrep ingest`` of ``--kill-reports`` reports is killed with SIGKILL half-way and
   run again; the result is compared with an uninterrupted run (incidents, rows, duplicates,
   ``PRAGMA integrity_check``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sitrep.merge import merge
from sitrep.store import Store
from sitrep.store.ingest import ingest
from sitrep.store.query import Filters, incidents
from sitrep.store.schema import mentions, reports
from sitrep.store.testing import generated_corpus

SITREP = str(Path(sys.executable).parent / "sitrep")


def line(label: str, value: str) -> None:
    print(f"{label:<44} {value}", flush=True)


# --- 1. ingest, merge, query ------------------------------------------------------------------


def bench_ingest(workdir: Path, n: int, workers: int) -> None:
    corpus = workdir / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in generated_corpus(n, seed=2024)))
    db = workdir / "ingest.db"
    with Store(db) as store:
        t = time.perf_counter()
        summary = ingest(store, [str(corpus)], workers=workers)
        dt = time.perf_counter() - t
        line(f"ingest {n} reports (workers={workers})", f"{dt:.1f} s, {n / dt:.0f} reports/s")
        line("  outcome", summary.text())
        t = time.perf_counter()
        result = merge(store)
        line("merge", f"{time.perf_counter() - t:.2f} s ({result.mentions} mentions)")
        line("  incidents", f"{result.incidents} ({result.pairs} pairs compared)")
        flt = Filters(country="SY", since=date(2018, 4, 1), until=date(2018, 6, 30), min_killed=10)
        times = []
        for _ in range(7):
            t = time.perf_counter()
            hits = list(incidents(store, flt))
            times.append(time.perf_counter() - t)
        line(
            "query SY, Q2 2018, >=10 killed",
            f"{statistics.median(times) * 1000:.1f} ms median ({len(hits)} incidents)",
        )
        t = time.perf_counter()
        hits = list(incidents(store, Filters(search="Saraqib")))
        line("query --search Saraqib", f"{(time.perf_counter() - t) * 1000:.1f} ms ({len(hits)})")
        line("  database size", f"{db.stat().st_size / 1e6:.0f} MB")


# --- 2. merge growth ----------------------------------------------------------------------------

_COUNTRIES = ["SY", "UA", "YE", "IQ", "AF", "SO", "ML", "NG", "SD", "MM"]


def _places(rng: random.Random) -> list[dict[str, Any]]:
    out = []
    for ci, country in enumerate(_COUNTRIES):
        for a in range(6):
            for p in range(10):
                out.append(
                    {
                        "country": country,
                        "admin1": f"{country}-A{a}",
                        "lat": 5 + ci * 4 + a * 0.6 + rng.random() * 0.5,
                        "lon": 20 + ci * 3 + p * 0.35 + rng.random() * 0.1,
                        "geonameid": 1_000_000 + ci * 1000 + a * 100 + p,
                        "key": f"town {country} {a} {p}",
                    }
                )
    return out


def synthetic_rows(
    n: int, seed: int = 5, first_day: date = date(2018, 1, 1), days: int = 730
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Report and mention rows for ``n`` mentions (about 2.5 mentions per incident) dated
    over ``days`` days from ``first_day``."""
    rng = random.Random(seed)
    places = _places(rng)
    families = [
        ("airstrike", "Explosions/Remote violence", "Air/drone strike"),
        ("shelling", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("clashes", "Battles", "Armed clash"),
        ("shooting", "Violence against civilians", "Attack"),
    ]
    actors = ["A", "B", "C", "D", "E", None]
    day0 = first_day.toordinal()
    now = datetime.now(UTC)
    reps: list[dict[str, Any]] = []
    ments: list[dict[str, Any]] = []
    i = 0
    while len(ments) < n:
        place = rng.choice(places)
        fam = rng.choice(families)
        day = day0 + rng.randrange(days)
        actor = rng.choice(actors)
        toll = rng.randint(1, 50)
        roll = rng.random()
        for _ in range(rng.choice((1, 2, 2, 3, 3, 4))):
            if len(ments) >= n:
                break
            rid = hashlib.sha256(f"r{i}".encode()).hexdigest()[:16]
            pub = date.fromordinal(day + rng.choice((0, 1, 2)))
            reps.append(
                {
                    "id": rid,
                    "text_hash": hashlib.sha256(f"r{i}".encode()).hexdigest(),
                    "published": pub,
                    "ingested_at": now,
                    "n_chars": 2000,
                    "n_events": 1,
                    "origin": f"source:outlet{rng.randrange(40)}",
                    "source_name": None,
                    "lang": rng.choice(("en", "nl")),
                }
            )
            area = roll < 0.05
            cumulative = 0.05 <= roll < 0.10
            undated = 0.10 <= roll < 0.13
            d0 = None if undated else day + rng.choice((0, 0, 0, 1, -1))
            n_k = max(1, toll + rng.randint(-3, 3))
            ments.append(
                {
                    "id": f"{rid}-1",
                    "report_id": rid,
                    "seq": 1,
                    "event": fam[0],
                    "event_type": fam[1],
                    "sub_event_type": fam[2],
                    "cumulative": cumulative,
                    "date_start": date.fromordinal(d0) if d0 else None,
                    "date_end": date.fromordinal(d0) if d0 else None,
                    "date_precision": "unknown" if undated else "day",
                    "place_text": place["admin1"] if area else place["key"],
                    "place_key": (place["admin1"] if area else place["key"]).lower(),
                    "feature": "admin1" if area else "locality",
                    "geonameid": None if area else place["geonameid"],
                    "country": place["country"],
                    "admin1": place["admin1"],
                    "lat": place["lat"],
                    "lon": place["lon"],
                    "geo_precision": 3 if area else 1,
                    "perpetrator": actor if rng.random() < 0.8 else None,
                    "status": "reported",
                    "killed": n_k,
                    "summary": {"totals": {"killed": [n_k, n_k, n_k, "exact", False]}},
                    "record": {},
                }
            )
            i += 1
    return reps, ments


def bench_merge(workdir: Path, sizes: list[int]) -> None:
    prev: tuple[int, float] | None = None
    for n in sizes:
        db = workdir / f"merge{n}.db"
        reps, ments = synthetic_rows(n)
        with Store(db) as store:
            with store.write() as conn:
                for k in range(0, len(reps), 20000):
                    conn.execute(reports.insert(), reps[k : k + 20000])
                for k in range(0, len(ments), 20000):
                    conn.execute(mentions.insert(), ments[k : k + 20000])
            t = time.perf_counter()
            result = merge(store)
            dt = time.perf_counter() - t
            growth = ""
            if prev:
                growth = f", x{dt / prev[1]:.2f} time for x{n / prev[0]:.1f} mentions"
            line(
                f"merge {n} mentions from scratch",
                f"{dt:.1f} s ({n / dt:.0f} mentions/s, {result.incidents} incidents, "
                f"{result.pairs} pairs{growth})",
            )
            prev = (n, dt)
            # the next day's news: 1,000 mentions of the last two weeks
            more_r, more_m = synthetic_rows(1000, seed=99, first_day=date(2019, 12, 18), days=14)
            for r, m in zip(more_r, more_m, strict=False):
                r["id"] = m["report_id"] = "x" + r["id"][1:]
                r["text_hash"] = "x" + r["text_hash"][1:]
                m["id"] = r["id"] + "-1"
            with store.write() as conn:
                conn.execute(reports.insert(), more_r)
                conn.execute(mentions.insert(), [m for m in more_m if m["report_id"][0] == "x"])
            t = time.perf_counter()
            inc = merge(store)
            line(
                "  then 1,000 new mentions of 2 weeks (incremental)",
                f"{time.perf_counter() - t:.1f} s ({inc.regions} regions, "
                f"{inc.retired} ids retired)",
            )
        db.unlink()
        for suffix in ("-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)


# --- 3. kill -9 ----------------------------------------------------------------------------------


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute("SELECT count(*) FROM reports").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def _snapshot(db: Path) -> dict[str, Any]:
    con = sqlite3.connect(db)
    try:
        out = {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("reports", "mentions", "figures", "incidents", "incident_mentions")
        }
        out["ids"] = hashlib.sha256(
            "".join(r[0] for r in con.execute("SELECT id FROM incidents ORDER BY id")).encode()
        ).hexdigest()[:12]
        out["duplicate_texts"] = con.execute(
            "SELECT count(*) FROM (SELECT text_hash FROM reports GROUP BY text_hash "
            "HAVING count(*) > 1)"
        ).fetchone()[0]
        out["integrity_check"] = con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
    return out


def bench_kill(workdir: Path, n: int, workers: int) -> bool:
    corpus = workdir / "kill.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in generated_corpus(n, seed=77)))
    killed, clean = workdir / "killed.db", workdir / "clean.db"
    cmd = [SITREP, "ingest", str(corpus), "-q", "--workers", str(workers), "--db"]
    proc = subprocess.Popen([*cmd, str(killed)], stderr=subprocess.DEVNULL)
    while _count(killed) < n // 2:
        if proc.poll() is not None:
            raise SystemExit("ingest ended before it could be killed")
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    at_kill = _count(killed)
    check = _snapshot(killed)["integrity_check"]
    line(f"kill -9 during a {n}-report ingest", f"at {at_kill} reports; integrity_check {check}")
    t = time.perf_counter()
    subprocess.run([*cmd, str(killed)], check=True, stderr=subprocess.DEVNULL)
    line("  re-run to completion", f"{time.perf_counter() - t:.1f} s")
    subprocess.run([*cmd, str(clean)], check=True, stderr=subprocess.DEVNULL)
    a, b = _snapshot(killed), _snapshot(clean)
    line("  killed + re-run", json.dumps(a))
    line("  uninterrupted", json.dumps(b))
    same = a == b and a["duplicate_texts"] == 0 and a["integrity_check"] == "ok"
    line("  identical, no duplicates, integrity ok", "yes" if same else "NO")
    return same


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--reports", type=int, default=20_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--sizes", default="50000,100000,200000")
    ap.add_argument("--kill-reports", type=int, default=5_000)
    ap.add_argument("--skip", default="", help="comma-separated: ingest,merge,kill")
    ap.add_argument("--workdir", help="keep files here (default: a temporary directory)")
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(args.workdir or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        line("machine", f"{os.cpu_count()} cores, Python {sys.version.split()[0]}")
        if "ingest" not in skip:
            bench_ingest(workdir, args.reports, args.workers)
        if "merge" not in skip:
            bench_merge(workdir, [int(x) for x in args.sizes.split(",")])
        ok = True
        if "kill" not in skip:
            ok = bench_kill(workdir, args.kill_reports, args.workers)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
