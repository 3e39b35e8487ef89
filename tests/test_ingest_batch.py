"""A batch of 1,000 mixed inputs, 10 % broken in different ways: every input ends in exactly one
state, every broken one with its reason, the counts add up, and nothing prints a traceback."""

from __future__ import annotations

import gzip
import json
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitrep.ingest import Accounting, Fetcher, FieldMap, process_inputs
from test_ingest_server import NO_ARTICLE, LocalServer, page

PLACES = ["Idlib", "Aleppo", "Charkiv", "Goma", "Menaka", "Kaboel", "Mosul", "Sanaa", "Gaza"]
NL_DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag"]
EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
OTHER_LANGS = [
    "Au moins {n} civils ont été tués jeudi dans des frappes aériennes sur {p}, selon l'ONU.",
    "Mindestens {n} Zivilisten wurden am Montag bei Luftangriffen auf {p} getötet, hieß es.",
    "Pelo menos {n} civis morreram na segunda-feira num ataque aéreo contra {p}, segundo a ONU.",
]


def news(i: int, rng: random.Random) -> str:
    """A short wire report, unique by ``i``."""
    p = rng.choice(PLACES)
    if i % 2:
        d = rng.choice(EN_DAYS)
        return (
            f"At least {i + 3} civilians were killed on {d} when airstrikes hit a market in {p}, "
            f"the Syrian Observatory for Human Rights said.\n\n"
            f"Another {rng.randint(2, 90)} people were wounded and the hospital in {p} was "
            f"overwhelmed, doctors said. Report number {i}."
        )
    d = rng.choice(NL_DAYS)
    return (
        f"Bij beschietingen op {p} zijn {d} zeker {i + 3} burgers gedood, meldt de gouverneur "
        f"van de regio.\n\nVolgens hulpverleners raakten nog {rng.randint(2, 90)} mensen gewond. "
        f"Het is bericht nummer {i}."
    )


@pytest.fixture(scope="module")
def local_server() -> Iterator[LocalServer]:
    with LocalServer() as server:
        yield server


def build(tmp: Path, base: str) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """Specs, and the expected state and reason prefix of every input by name."""
    rng = random.Random(20240304)
    specs: list[str] = []
    want: dict[str, str] = {}
    why: dict[str, str] = {}
    n = 0

    def good(name: str, state: str = "done") -> None:
        want[name] = state

    def bad(name: str, state: str, reason: str) -> None:
        want[name], why[name] = state, reason

    texts = tmp / "texts"
    texts.mkdir()
    seen_texts: list[str] = []
    for _ in range(300):  # plain UTF-8 text files
        t = news(n, rng)
        seen_texts.append(t)
        p = texts / f"t{n:04d}.txt"
        p.write_text(t, "utf-8")
        good(str(p))
        n += 1
    for _ in range(50):  # Windows-1252 and Latin-1 text files: decoded by detection
        t = news(n, rng).replace("gewond", "gewond in het café") + " Één getuige."
        p = texts / f"w{n:04d}.txt"
        p.write_bytes(t.encode("cp1252"))
        good(str(p))
        n += 1
    pages = tmp / "pages"
    pages.mkdir()
    for _ in range(200):  # saved news pages
        p = pages / f"p{n:04d}.html"
        p.write_text(page(f"Bericht {n}", news(n, rng)), "utf-8")
        good(str(p))
        n += 1
    for k in range(100):  # gzip'd pages and texts
        if k % 2:
            p = pages / f"z{n:04d}.html.gz"
            p.write_bytes(gzip.compress(page(f"Bericht {n}", news(n, rng)).encode()))
        else:
            p = texts / f"z{n:04d}.txt.gz"
            p.write_bytes(gzip.compress(news(n, rng).encode()))
        good(str(p))
        n += 1
    for k in range(10):  # exact copies of earlier texts
        p = texts / f"x_copy{k}.txt"  # sorts after the originals
        p.write_text(seen_texts[k * 7], "utf-8")
        want[str(p)] = "duplicate"

    broken = tmp / "broken"
    broken.mkdir()
    for k in range(15):
        whole = gzip.compress(news(5000 + k, rng).encode() * 20)
        p = broken / f"cut{k}.txt.gz"
        p.write_bytes(whole[: len(whole) // 3])
        bad(str(p), "failed", "truncated gzip stream")
    for k in range(15):
        p = broken / f"blob{k}.txt"
        p.write_bytes(rng.randbytes(3000) + b"\x00")
        bad(str(p), "failed", "binary data, not text")
    for k in range(15):
        p = broken / f"garbled{k}.txt"
        p.write_bytes(bytes(rng.randrange(128, 256) for _ in range(600)))
        bad(str(p), "failed", "cannot tell the text encoding")
    for k in range(15):
        p = broken / f"empty{k}.html"
        p.write_text(" \n" * k)
        bad(str(p), "failed", "empty: no text to read")
    for k in range(15):
        p = broken / f"index{k}.html"
        p.write_text(NO_ARTICLE.replace("Home", f"Home {k}"))
        bad(str(p), "failed", "no article text found")
    for k in range(15):
        p = broken / f"foreign{k}.txt"
        p.write_text(OTHER_LANGS[k % 3].format(n=k + 4, p=PLACES[k % 9]))
        bad(str(p), "skipped", "language ")

    specs += [str(texts), str(pages), str(broken)]

    corpus = tmp / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as f:
        line = 0
        for k in range(160):
            line += 1
            name = f"{corpus}:{line}"
            if k % 16 == 5:
                f.write('{"body": "cut off here\n' if k % 32 == 5 else "not json at all\n")
                bad(name, "failed", "malformed JSON")
                continue
            rec = {"body": news(n, rng), "date": "2024-03-04", "site": "Wire"}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            good(name)
            n += 1
    specs.append(str(corpus))

    table = tmp / "corpus.csv"
    with table.open("w", encoding="utf-8") as f:
        f.write("body,date,site\n")
        line = 1
        for _ in range(80):
            t = news(n, rng).replace('"', '""')
            f.write(f'"{t}",2024-03-05,Wire\n')
            name = f"{table}:{line + 1}"
            line += 1 + t.count("\n")
            good(name)
            n += 1
    specs.append(str(table))

    for k in range(10):  # pages from a (local) web server
        url = f"{base}/article/{100 + k}.html"
        specs.append(url)
        good(url)
    return specs, want, why


def test_thousand_mixed_inputs(
    tmp_path: Path, local_server: LocalServer, capfd: pytest.CaptureFixture[str]
) -> None:
    specs, want, why = build(tmp_path, local_server.base)
    assert len(want) == 1000 and sum(s != "done" and s != "duplicate" for s in want.values()) == 100

    fm = FieldMap(text="body", published="date", source="site")
    fetcher = Fetcher(timeout=2.0, retries=1, backoff=0.01, delay=0.0, trust_env=False)
    errors = tmp_path / "errors.jsonl"
    got: dict[str, tuple[str, str | None]] = {}
    with Accounting(errors) as acct, fetcher:
        for o in process_inputs(specs, workers=2, fields=fm, fetcher=fetcher, keep_text=False):
            assert o.name not in got, f"{o.name} accounted twice"
            got[o.name] = (o.state, o.reason)
            acct.add(o)

    assert set(got) == set(want)  # every input accounted for, none invented
    wrong = {
        name: (got[name], state, why.get(name))
        for name, state in want.items()
        if got[name][0] != state or not (got[name][1] or "").startswith(why.get(name, ""))
    }
    assert not wrong, list(wrong.items())[:5]
    for name, (state, reason) in got.items():
        if state in ("failed", "skipped"):
            assert reason and "\n" not in reason, name
    counts = Counter(state for state, _ in got.values())
    assert counts == {"done": 890, "duplicate": 10, "failed": 85, "skipped": 15}
    assert dict(acct.counts) == dict(counts) and acct.total == 1000
    assert sum(acct.counts.values()) == len(got)
    assert acct.summary().startswith("1000 inputs: 890 done (")
    assert acct.summary().endswith("10 duplicate, 15 skipped, 85 failed")
    failures = [json.loads(x) for x in errors.read_text("utf-8").splitlines()]
    assert len(failures) == 85 and {f["state"] for f in failures} == {"failed"}
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err and "Error" not in err


def test_thousand_mixed_inputs_into_the_dataset(tmp_path: Path, local_server: LocalServer) -> None:
    """The same batch through `sitrep ingest`'s store: every good input stored, every input's
    end state in the run's record, the counts adding up exactly."""
    from sitrep.store import Store
    from sitrep.store.ingest import ingest
    from sitrep.store.runs import list_runs, run_inputs

    specs, want, why = build(tmp_path, local_server.base)
    fm = FieldMap(text="body", published="date", source="site")
    fetcher = Fetcher(timeout=2.0, retries=1, backoff=0.01, delay=0.0, trust_env=False)
    with Store(tmp_path / "batch.db") as store, fetcher:
        summary = ingest(store, specs, workers=2, fields=fm, fetcher=fetcher)
        assert (summary.done, summary.duplicate, summary.skipped, summary.failed) == (
            890,
            10,
            15,
            85,
        )
        (run,) = list_runs(store)
        assert (run.done, run.duplicate, run.skipped, run.failed) == (890, 10, 15, 85)
        rows = run_inputs(store, run.id)
        assert len(rows) == 1000 and {r.name for r in rows} == set(want)
        for r in rows:
            assert r.state == want[r.name], r.name
            if r.state in ("failed", "skipped"):
                assert r.reason and r.reason.startswith(why.get(r.name, "")), r.name
        stored = store.counts()["reports"]
        done_ids = {r.report_id for r in rows if r.state == "done"}
        # A done input is a stored report (a near-copy of another is stored too).
        assert None not in done_ids and stored == len(done_ids)
