"""Reading throughput: saved news pages from disk through HTML extraction and event extraction.

Generates N news pages (Dutch and English, ~300 words, with menus, teasers, comments and
footers around the article) into a temporary folder, then runs ``process_inputs`` over the
folder with 1 and with 2 worker processes (each run in a fresh interpreter, so peak memory is
its own). Prints documents/s, the scaling from 1 to 2 workers and peak RSS (the main process,
and the largest worker).

    python benchmarks/ingest_bench.py [--docs 5000] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLACES = ["Idlib", "Aleppo", "Charkiv", "Goma", "Menaka", "Kabul", "Mosul", "Sanaa", "Daraa"]
EN_LEAD = (
    "At least {n} civilians were killed on {d} when airstrikes hit a market in {p}, according "
    "to the Syrian Observatory for Human Rights. Another {m} people were wounded, the group said."
)
NL_LEAD = (
    "Bij luchtaanvallen op {p} zijn {d} volgens het Syrisch Observatorium voor de Mensenrechten "
    "zeker {n} burgers om het leven gekomen. Nog {m} mensen raakten gewond."
)
EN_FILL = [
    "The government announced a budget of {k} billion dollars for reconstruction.",
    "The region, home to about {k}00,000 people, has seen heavy fighting for {m} months.",
    "Residents said {n} aircraft flew over the city during the night.",
    "The talks in Geneva are expected to resume next week, diplomats said.",
    "A spokesman for the ministry declined to comment on the reports.",
    "Aid agencies warned that {k} million people face food shortages this winter.",
]
NL_FILL = [
    "De regering trok {k} miljard euro uit voor de wederopbouw.",
    "In de regio wonen ongeveer {k}00.000 mensen, die al {m} maanden met tekorten kampen.",
    "Volgens bewoners vlogen er {n} vliegtuigen over de stad.",
    "De onderhandelingen in Genève worden volgende week hervat, zeggen diplomaten.",
    "Een woordvoerder van het ministerie wilde niet reageren op de berichten.",
    "Hulporganisaties waarschuwen dat {k} miljoen mensen honger dreigen te lijden.",
]
EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
NL_DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag"]


def article(i: int, rng: random.Random) -> tuple[str, list[str]]:
    en = i % 2 == 1
    lead, fill, days = (EN_LEAD, EN_FILL, EN_DAYS) if en else (NL_LEAD, NL_FILL, NL_DAYS)

    def f(s: str) -> str:
        return s.format(
            n=rng.randint(2, 90),
            m=rng.randint(2, 60),
            k=rng.randint(2, 9),
            d=rng.choice(days),
            p=rng.choice(PLACES),
        )

    paras = [f(lead)]
    for _ in range(6):
        paras.append(" ".join(f(rng.choice(fill)) for _ in range(3)) + f" ({i})")
    title = f"{'Airstrikes' if en else 'Luchtaanvallen'} op {rng.choice(PLACES)} ({i})"
    return title, paras


def page(i: int, rng: random.Random) -> str:
    title, paras = article(i, rng)
    body = "".join(f"<p>{p}</p>\n" for p in paras)
    teasers = "".join(f"<li><a href='/t{j}'>Kop {j}: 300 doden bij ramp</a></li>" for j in range(8))
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{title} | Voorbeeldnieuws</title>"
        "<meta property='og:site_name' content='Voorbeeldnieuws'>"
        f"<meta property='article:published_time' content='2024-03-{1 + i % 28:02d}T08:00:00Z'>"
        "<script>var x = 1;</script></head><body>"
        "<header><nav><ul><li><a href='/'>Home</a></li><li><a href='/w'>Wereld</a></li>"
        "<li><a href='/s'>Sport</a></li></ul></nav></header>"
        f"<main><article><h1>{title}</h1>{body}</article>"
        f"<aside><h2>Meer nieuws</h2><ul>{teasers}</ul></aside>"
        "<section class='comments'><p>Reactie: verschrikkelijk.</p></section></main>"
        "<footer><p>© Voorbeeldnieuws</p></footer></body></html>"
    )


def generate(folder: Path, n: int) -> int:
    rng = random.Random(5000)
    size = 0
    for i in range(n):
        sub = folder / f"{i // 500:02d}"
        sub.mkdir(exist_ok=True)
        html = page(i, rng)
        (sub / f"p{i:05d}.html").write_text(html, "utf-8")
        size += len(html)
    return size


def run_once(folder: str, workers: int) -> None:
    """Child mode: one timed run, figures as JSON on stdout."""
    from sitrep.ingest import Accounting, process_inputs

    t = time.perf_counter()
    acct = Accounting()
    for o in process_inputs([folder], workers=workers, keep_text=False):
        acct.add(o)
    elapsed = time.perf_counter() - t
    self_use = resource.getrusage(resource.RUSAGE_SELF)
    kids_use = resource.getrusage(resource.RUSAGE_CHILDREN)
    me, kids = self_use.ru_maxrss / 1024, kids_use.ru_maxrss / 1024
    print(
        json.dumps(
            {
                "workers": workers,
                "docs": acct.total,
                "done": acct.counts["done"],
                "events": acct.events,
                "seconds": elapsed,
                "docs_per_s": acct.total / elapsed,
                "rss_main_mb": me,
                "rss_worker_mb": kids,
                "cpu_main_s": self_use.ru_utime + self_use.ru_stime,
                "cpu_workers_s": kids_use.ru_utime + kids_use.ru_stime,
                "summary": acct.summary(),
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--child", nargs=2, metavar=("FOLDER", "WORKERS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        run_once(args.child[0], int(args.child[1]))
        return
    with tempfile.TemporaryDirectory(prefix="sitrep-ingest-bench-") as tmp:
        t = time.perf_counter()
        size = generate(Path(tmp), args.docs)
        print(
            f"generated {args.docs} pages ({size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s"
        )
        results = []
        for w in args.workers:
            out = subprocess.run(
                [sys.executable, __file__, "--child", tmp, str(w)],
                capture_output=True,
                text=True,
                check=True,
            )
            r = json.loads(out.stdout.strip().splitlines()[-1])
            results.append(r)
            rss = f"peak RSS main {r['rss_main_mb']:.0f} MB"
            cpu = f"CPU main {r['cpu_main_s']:.1f} s"
            if w > 1:
                rss += f", largest worker {r['rss_worker_mb']:.0f} MB"
                cpu += f", workers {r['cpu_workers_s']:.1f} s"
            print(
                f"workers={w}: {r['docs']} docs in {r['seconds']:.1f} s = "
                f"{r['docs_per_s']:.0f} docs/s ({r['summary']}); {rss}; {cpu}"
            )
        if len(results) > 1:
            base = results[0]["docs_per_s"]
            for r in results[1:]:
                print(
                    f"scaling {results[0]['workers']} → {r['workers']} workers: "
                    f"{r['docs_per_s'] / base:.2f}×"
                )


if __name__ == "__main__":
    main()
