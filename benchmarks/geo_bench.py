#!/usr/bin/env python
"""Geocoder benchmark on GeoWebNews (Gritta et al. 2019): resolution and mention finding.

(a) Resolution given the gold mentions: each article's gold spans go to ``resolve_mentions``
    together (so document context counts); scored on toponyms with gold coordinates:
    accuracy within 161 km (unresolved = wrong), mean error in km over the resolved ones,
    and exact GeoNames id match on toponyms with a gold id.
(b) End to end: ``geoparse`` mentions against the gold toponyms (GWN's toponym types less
    demonym-like adjectives, languages, homonyms, non-toponyms and common-noun expressions),
    precision and recall, exact span and overlap.

The data is read from ../shared/data/geowebnews/GWN.xml (relative to the repository root) or
``--gwn``; it is GPL-3.0 data for measuring only and never copied into the project.
Run: ``.venv/bin/python benchmarks/geo_bench.py``.
"""

from __future__ import annotations

import argparse
import math
import resource
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path


def _words(text: str) -> frozenset[str]:
    """A word list written as one string (easier to read and edit than a list literal)."""
    return frozenset(text.split())


ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GWN = ROOT.parent / "shared" / "data" / "geowebnews" / "GWN.xml"
REFERENCE = "Mordecai 3 (Halterman 2023) on GWN: 94.1 % within 161 km, 90.1 % exact match"
# GWN types that name a place (the rest are common nouns, demonyms, languages, homonyms).
TOPONYM_TYPES = _words(
    "Literal Mixed Metonymic Coercion Literal_Modifier Non_Literal_Modifier "
    "Embedded_Literal Embedded_Non_Lit"
)


@dataclass(frozen=True, slots=True)
class Gold:
    start: int
    end: int
    name: str
    type: str
    modifier: str
    geonameid: int | None
    lat: float | None
    lon: float | None

    @property
    def adjective(self) -> bool:
        return self.modifier == "Adjective"


def load_gwn(path: Path) -> list[tuple[str, list[Gold]]]:
    """Articles as (text, gold toponyms)."""
    root = ET.parse(path).getroot()
    out = []
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        golds = []
        for t in art.iter("toponym"):
            lat, lon, gid = (
                t.findtext("latitude"),
                t.findtext("longitude"),
                t.findtext("geonamesID"),
            )
            golds.append(
                Gold(
                    start=int(t.findtext("start") or 0),
                    end=int(t.findtext("end") or 0),
                    name=t.findtext("extractedName") or "",
                    type=t.findtext("type") or "",
                    modifier=t.findtext("modifierType") or "",
                    geonameid=int(gid) if gid and gid.strip() else None,
                    lat=float(lat) if lat and lat.strip() else None,
                    lon=float(lon) if lon and lon.strip() else None,
                )
            )
        out.append((text, golds))
    return out


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f} % ({a}/{b})" if b else "n/a"


def resolution(articles: list[tuple[str, list[Gold]]], misses: bool = False) -> dict[str, float]:
    from sitrep.resolve.geo import resolve_mentions

    rows: list[tuple[Gold, dict]] = []
    t0 = time.perf_counter()
    for text, golds in articles:
        spans = [g for g in golds if g.lat is not None]
        got = resolve_mentions(text, [{"start": g.start, "end": g.end} for g in spans], lang="en")
        rows.extend(zip(spans, got, strict=True))
    elapsed = time.perf_counter() - t0
    if misses:
        print_misses(rows)

    def report(label: str, sel: list[tuple[Gold, dict]]) -> float:
        dists = [
            km(g.lat, g.lon, r["lat"], r["lon"])  # type: ignore[arg-type]
            for g, r in sel
            if r["lat"] is not None
        ]
        within = sum(d <= 161 for d in dists)
        with_id = [(g, r) for g, r in sel if g.geonameid is not None]
        exact = sum(r["geonameid"] == g.geonameid for g, r in with_id)
        mean = sum(dists) / len(dists) if dists else float("nan")
        print(f"  {label}")
        print(f"    accuracy@161km      {pct(within, len(sel))}")
        print(f"    resolved            {pct(len(dists), len(sel))}")
        print(f"    mean error (km)     {mean:8.1f} over resolved; median {median(dists):.1f}")
        print(f"    exact GeoNames id   {pct(exact, len(with_id))}")
        return within / len(sel) if sel else 0.0

    print("(a) resolution given the gold mentions (toponyms with gold coordinates)")
    acc = report("all", rows)
    no_adj = [(g, r) for g, r in rows if not g.adjective]
    report("without demonym-like adjectives (Syrian, French: not the geocoder's job)", no_adj)
    report(
        "without adjectives, only toponyms with a gold GeoNames id (closest to Mordecai's set)",
        [(g, r) for g, r in no_adj if g.geonameid is not None],
    )
    n_docs = len(articles)
    print(f"    time: {1000 * elapsed / n_docs:.2f} ms per article ({len(rows)} mentions)")
    return {"acc161": acc}


def print_misses(rows: list[tuple[Gold, dict]]) -> None:
    """One line per toponym resolved wrongly (> 161 km) or not at all, for miss analysis."""
    print("misses: name | type | gold id (lat, lon) | ours: name id country | km")
    for g, r in rows:
        if r["lat"] is not None:
            d = km(g.lat, g.lon, r["lat"], r["lon"])  # type: ignore[arg-type]
            if d <= 161:
                continue
            ours = f"{r['name']} {r['geonameid']} {r['country']} | {d:.0f}"
        else:
            ours = "- | unresolved"
        print(
            f"MISS {g.name!r} | {g.type}{'/adj' if g.adjective else ''} | "
            f"{g.geonameid} ({g.lat:.2f}, {g.lon:.2f}) | {ours}"
        )


def median(xs: list[float]) -> float:
    s = sorted(xs)
    return s[len(s) // 2] if s else float("nan")


def mention_finding(articles: list[tuple[str, list[Gold]]]) -> None:
    from sitrep.resolve.geo import geoparse

    tp_exact = tp_overlap = n_pred = n_gold = 0
    found_gold = 0
    t0 = time.perf_counter()
    for text, golds in articles:
        gold = [g for g in golds if g.type in TOPONYM_TYPES and not g.adjective]
        other = [g for g in golds if g not in gold]
        pred = geoparse(text, lang="en")
        n_gold += len(gold)
        spans = {(g.start, g.end) for g in gold}
        for p in pred:
            if any(o.start < p["end"] and p["start"] < o.end for o in other) and not any(
                g.start < p["end"] and p["start"] < g.end for g in gold
            ):
                continue  # a demonym or embedded word the gold deliberately leaves out
            n_pred += 1
            tp_exact += (p["start"], p["end"]) in spans
            tp_overlap += any(g.start < p["end"] and p["start"] < g.end for g in gold)
        found_gold += sum(
            any(g.start < p["end"] and p["start"] < g.end for p in pred) for g in gold
        )
    elapsed = time.perf_counter() - t0
    print("(b) geoparse() mention finding against gold toponyms (no adjectives)")
    print(f"    precision exact     {pct(tp_exact, n_pred)}")
    print(f"    recall exact        {pct(tp_exact, n_gold)}")
    print(f"    precision overlap   {pct(tp_overlap, n_pred)}")
    print(f"    recall overlap      {pct(found_gold, n_gold)}")
    p, r = tp_exact / max(n_pred, 1), tp_exact / max(n_gold, 1)
    print(f"    F1 exact            {200 * p * r / max(p + r, 1e-9):5.1f}")
    chars = sum(len(t) for t, _ in articles)
    print(
        f"    time: {1000 * elapsed / len(articles):.2f} ms per article "
        f"({1e6 * elapsed / chars:.2f} ms per 1,000 characters)"
    )


def dev_sets() -> None:
    """The project's own dev sets: each gold figure's place → country and admin1."""
    import json

    from sitrep.evaluate import agrees
    from sitrep.resolve.geo import GeoContext, geocode, geoparse, split_relation

    n = ok_country = ok_admin1 = 0
    for path in sorted((ROOT / "tests" / "gold").glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            row = json.loads(line)
            lang = row.get("lang") or "en"
            ctx = GeoContext.of(d["country"] for d in geoparse(row["text"], lang=lang))
            figures = [f for f in row.get("figures", []) if f.get("place")]
            for place in dict.fromkeys(f["place"] for f in figures):
                gold = next(f for f in figures if f["place"] == place)
                r = geocode(split_relation(place)[1], lang=lang, context=ctx)
                pred = {"country": r.country if r else None, "admin1": r.admin1 if r else None}
                n += 1
                ok_country += pred["country"] == gold.get("country")
                ok_admin1 += gold.get("admin1") is None or agrees("admin1", pred, gold)
    print("(c) sitrep dev sets (tests/gold): gold place text → geocode with document context")
    print(f"    country agrees      {pct(ok_country, n)}")
    print(f"    admin1 agrees       {pct(ok_admin1, n)} (gold without admin1 counts as agreeing)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gwn", type=Path, default=DEFAULT_GWN, help="path to GWN.xml")
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles")
    ap.add_argument("--misses", action="store_true", help="print every resolution miss")
    args = ap.parse_args()
    if not args.gwn.is_file():
        print(f"GeoWebNews not found at {args.gwn}; pass --gwn PATH/GWN.xml. Nothing measured.")
        return 0
    sys.path.insert(0, str(ROOT / "src"))
    t0 = time.perf_counter()
    from sitrep.resolve.geo import Gazetteer

    gaz = Gazetteer.load()
    load_s = time.perf_counter() - t0
    rss_after_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    articles = load_gwn(args.gwn)
    if args.limit:
        articles = articles[: args.limit]
    n_top = sum(len(g) for _, g in articles)
    print(f"GeoWebNews: {len(articles)} articles, {n_top} annotations ({args.gwn})")
    print(f"index: {len(gaz)} names, load {load_s * 1000:.0f} ms, RSS {rss_after_load:.0f} MB")
    print(f"reference: {REFERENCE}")
    resolution(articles, misses=args.misses)
    mention_finding(articles)
    dev_sets()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB (includes the parsed GWN XML)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
