"""Extraction throughput on generated news texts, against dateparser's search_dates as a peer.

Generates N ~500-word news texts (Dutch and English, conflict and other news, with numbers,
dates and distractors), then times in one process:
  - sitrep's full extraction of every text (after one warm-up document per language), and
  - dateparser.search.search_dates on the same texts (the peer the target is set against).
Prints documents/s, the per-document ratio, peak RSS, and a cold `sitrep extract` of the seed.

    python benchmarks/extract_bench.py [--docs 2000] [--peer-docs 200]
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

EN_LEADS = [
    "At least {n} civilians were killed on {wd} when {actor} airstrikes hit a market in {place}, "
    "according to the {src}.",
    "{N} people were killed and {m} wounded in shelling of {place} on {wd}, officials said.",
    "A car bomb exploded near a checkpoint in {place} on {wd}, killing {n} soldiers and "
    "injuring {m} others, the army said.",
    "More than {k},000 people have fled {place} since the start of the month, the {src} said.",
]
NL_LEADS = [
    "Bij {actor_nl} luchtaanvallen op {place} zijn {wd_nl} volgens het {src_nl} zeker {n} "
    "burgers om het leven gekomen.",
    "In {place} raakten {wd_nl} {m} mensen gewond bij beschietingen, meldt de {src_nl}.",
    "Zo'n {k}.000 mensen zijn de afgelopen week op de vlucht geslagen voor de gevechten in "
    "{place}, aldus de {src_nl}.",
]
EN_FILLER = [
    "The government announced a budget of {k} billion dollars for reconstruction in {year}.",
    "The region, home to about {k}00,000 people, has seen heavy fighting for {m} months.",
    "Residents said {n} aircraft and {m} helicopters flew over the city during the night.",
    "The talks in Geneva are expected to resume next week, diplomats said on {wd}.",
    "Prices of bread and fuel have risen by {m} percent since January, traders said.",
    "The {src} said it could not independently verify the figures.",
    "A spokesman for the ministry declined to comment on the reports.",
    "The football club won {n}-{m} on Saturday in front of {k},000 supporters.",
    "Aid agencies warned that {k} million people face food shortages this winter.",
    "The president met his counterpart for talks on trade and security on {wd}.",
]
NL_FILLER = [
    "De regering trok {k} miljard euro uit voor de wederopbouw in {year}.",
    "In de regio wonen ongeveer {k}00.000 mensen, die al {m} maanden met tekorten kampen.",
    "Volgens bewoners vlogen er {n} vliegtuigen en {m} helikopters over de stad.",
    "De onderhandelingen in Genève worden volgende week hervat, zeggen diplomaten.",
    "De prijzen van brood en brandstof zijn met {m} procent gestegen sinds januari.",
    "Een woordvoerder van het ministerie wilde niet reageren op de berichten.",
    "De voetbalclub won zaterdag met {n}-{m} voor {k}.000 toeschouwers.",
    "Hulporganisaties waarschuwen dat {k} miljoen mensen deze winter honger dreigen te lijden.",
]
PLACES = ["Daraa", "Idlib", "Aleppo", "Mosul", "Kharkiv", "Khan Younis", "El Fasher", "Kabul"]


def make_text(rng: random.Random, lang: str) -> str:
    vals = {
        "n": rng.randint(2, 60),
        "N": rng.choice(["Twelve", "Twenty", "Seventeen"]),
        "m": rng.randint(2, 90),
        "k": rng.randint(2, 9),
        "year": rng.randint(2015, 2025),
        "wd": rng.choice(["Monday", "Tuesday", "Thursday", "Sunday"]),
        "wd_nl": rng.choice(["maandag", "dinsdag", "donderdag", "zondag"]),
        "actor": rng.choice(["Russian", "Israeli", "Syrian government"]),
        "actor_nl": rng.choice(["Russische", "Israëlische", "Turkse"]),
        "src": rng.choice(
            ["United Nations", "Syrian Observatory for Human Rights", "health ministry"]
        ),
        "src_nl": rng.choice(["VN", "Syrisch Observatorium voor de Mensenrechten", "politie"]),
        "place": rng.choice(PLACES),
    }
    leads, filler = (EN_LEADS, EN_FILLER) if lang == "en" else (NL_LEADS, NL_FILLER)
    sentences = [rng.choice(leads).format(**vals)]
    while sum(len(s.split()) for s in sentences) < 500:
        pool = filler if rng.random() < 0.85 else leads
        vals.update(n=rng.randint(2, 60), m=rng.randint(2, 90), k=rng.randint(2, 9))
        sentences.append(rng.choice(pool).format(**vals))
    paras = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
    return "\n\n".join(paras)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument(
        "--peer-docs",
        type=int,
        default=200,
        help="texts given to dateparser (it is slow; the ratio is per document)",
    )
    args = ap.parse_args()
    rng = random.Random(42)
    texts = [
        (make_text(rng, "en" if i % 2 else "nl"), "en" if i % 2 else "nl") for i in range(args.docs)
    ]
    words = sum(len(t.split()) for t, _ in texts) / len(texts)

    import sitrep
    from sitrep.model import Report

    # Warm-up, one text per language: loading a lexicon is start-up cost, which the cold
    # CLI figure below measures; the throughput is that of a running process.
    for text, lang in texts[:2]:
        sitrep.extract(text, lang=lang, published="2024-05-01")
    t0, c0 = time.perf_counter(), time.process_time()
    figures = 0
    for text, lang in texts:
        for ev in sitrep.extract(text, lang=lang, published="2024-05-01"):
            figures += len(ev.figures)
    sitrep_s = time.perf_counter() - t0
    sitrep_cpu = time.process_time() - c0
    rss_sitrep = peak_rss_mb()
    del Report

    from dateparser.search import search_dates

    peer = texts[: args.peer_docs]
    for text, lang in peer[:2]:  # the same warm-up, one text per language
        search_dates(text, languages=[lang])
    t0, c0 = time.perf_counter(), time.process_time()
    for text, lang in peer:
        search_dates(text, languages=[lang])
    peer_s = time.perf_counter() - t0
    peer_cpu = time.process_time() - c0

    t0 = time.perf_counter()
    subprocess.run(
        [
            str(Path(sys.executable).parent / "sitrep"),
            "extract",
            str(ROOT / "tests/data/seed.nl.txt"),
            "--published",
            "2018-06-28",
            "--format",
            "jsonl",
        ],
        check=True,
        capture_output=True,
    )
    cold_s = time.perf_counter() - t0

    sitrep_per_doc = sitrep_s / len(texts)
    peer_per_doc = peer_s / len(peer)
    print(f"corpus: {len(texts)} generated texts, {words:.0f} words on average (nl and en)")
    print(
        f"sitrep extract : {len(texts) / sitrep_s:8.1f} docs/s  ({sitrep_per_doc * 1000:.2f} "
        f"ms/doc, {figures} figures, single process)"
    )
    print(
        f"               : {len(texts) / sitrep_cpu:8.1f} docs per CPU-second (this process's "
        "CPU time only: steadier on a shared machine)"
    )
    print(
        f"dateparser peer: {len(peer) / peer_s:8.1f} docs/s  ({peer_per_doc * 1000:.2f} ms/doc, "
        f"search_dates on {len(peer)} of the same texts)"
    )
    print(
        f"ratio          : sitrep is {peer_per_doc / sitrep_per_doc:.1f}x faster per document "
        f"({(peer_cpu / len(peer)) / (sitrep_cpu / len(texts)):.1f}x in CPU time)"
    )
    print(f"peak RSS       : {rss_sitrep:.0f} MB after sitrep, {peak_rss_mb():.0f} MB with peer")
    print(f"cold CLI       : `sitrep extract` on the seed article in {cold_s:.2f} s")


if __name__ == "__main__":
    main()
